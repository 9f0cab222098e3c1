from django.urls import path

from documents.outgoing.attachments import views

urlpatterns = [
    path("outgoing/<int:pk>/attachments/", views.attachments_page, name="outgoing_attachment_page"),
    path("outgoing/<int:pk>/appendices/add/", views.appendix_save, name="outgoing_attachment_appendix_add"),
    path(
        "outgoing/<int:pk>/appendices/<int:appendix_pk>/",
        views.appendix_save,
        name="outgoing_attachment_appendix_edit",
    ),
    path(
        "outgoing/<int:pk>/appendices/<int:appendix_pk>/delete/",
        views.appendix_delete,
        name="outgoing_attachment_appendix_delete",
    ),
    path("outgoing/<int:pk>/attachments/add/", views.attachment_add, name="outgoing_attachment_add"),
    path(
        "outgoing/<int:pk>/attachments/<int:attachment_pk>/delete/",
        views.attachment_delete,
        name="outgoing_attachment_delete",
    ),
    path(
        "outgoing/<int:pk>/attachments/<int:attachment_pk>/file/",
        views.attachment_file,
        name="outgoing_attachment_file",
    ),
]
