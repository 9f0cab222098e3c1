"""The file plan's routes, included by ``documents.urls`` (namespace ``documents``)."""

from django.urls import path

from documents.records.plan import views

urlpatterns = [
    path("file-plans/", views.fileplan_list, name="fileplan_list"),
    path("file-plans/<int:pk>/", views.fileplan_detail, name="fileplan_detail"),
    path("file-plans/<int:pk>/pdf/", views.fileplan_pdf, name="fileplan_pdf"),
    path("file-plans/<int:pk>/numbering/", views.fileplan_numbering, name="fileplan_numbering"),
    path("file-plans/<int:pk>/headings/add/", views.fileplan_heading_add, name="fileplan_heading_add"),
    path("file-plans/<int:pk>/entries/add/", views.fileplan_entry_add, name="fileplan_entry_add"),
    path("file-plans/<int:pk>/submit/", views.fileplan_submit, name="fileplan_submit"),
    path("file-plans/<int:pk>/withdraw/", views.fileplan_withdraw, name="fileplan_withdraw"),
    path("file-plans/headings/<int:pk>/edit/", views.fileplan_heading_edit, name="fileplan_heading_edit"),
    path(
        "file-plans/headings/<int:pk>/delete/", views.fileplan_heading_delete, name="fileplan_heading_delete"
    ),
    path("file-plans/headings/<int:pk>/move/", views.fileplan_heading_move, name="fileplan_heading_move"),
    path("file-plans/entries/<int:pk>/edit/", views.fileplan_entry_edit, name="fileplan_entry_edit"),
    path("file-plans/entries/<int:pk>/delete/", views.fileplan_entry_delete, name="fileplan_entry_delete"),
    path("file-plans/entries/<int:pk>/move/", views.fileplan_entry_move, name="fileplan_entry_move"),
    path("file-plans/entries/<int:pk>/open/", views.fileplan_entry_open, name="fileplan_entry_open"),
]
