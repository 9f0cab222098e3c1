"""Case files' routes, included by ``documents.urls`` (namespace ``documents``)."""

from django.urls import path

from documents.records import views

urlpatterns = [
    path("case-files/", views.casefile_list, name="casefile_list"),
    path("case-files/file-record/", views.casefile_file_record, name="casefile_file_record"),
    path("case-files/<int:pk>/", views.casefile_detail, name="casefile_detail"),
    path("case-files/<int:pk>/edit/", views.casefile_edit, name="casefile_edit"),
    path("case-files/<int:pk>/close/", views.casefile_close, name="casefile_close"),
    path("case-files/<int:pk>/reopen/", views.casefile_reopen, name="casefile_reopen"),
    path("case-files/<int:pk>/lock/", views.casefile_lock, name="casefile_lock"),
    path("case-files/<int:pk>/sort/", views.casefile_sort, name="casefile_sort"),
    path("case-files/<int:pk>/upload/", views.casefile_upload, name="casefile_upload"),
    path("case-files/<int:pk>/items/<int:item_pk>/", views.casefile_item_open, name="casefile_item_open"),
    path(
        "case-files/<int:pk>/items/<int:item_pk>/action/",
        views.casefile_item_action,
        name="casefile_item_action",
    ),
]
