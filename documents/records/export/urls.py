"""Routes of the records outputs, mounted by ``documents.urls`` (namespace ``documents``)."""

from django.urls import path

from . import import_views, views

urlpatterns = [
    path("case-files/<int:pk>/toc.pdf", views.casefile_toc_pdf, name="casefile_toc_pdf"),
    path("case-files/<int:pk>/export.pdf", views.casefile_export_pdf, name="casefile_export_pdf"),
    path("case-files/<int:pk>/export.zip", views.casefile_export_zip, name="casefile_export_zip"),
    path("case-files/import/", import_views.casefile_import, name="casefile_import"),
    path("case-files/list.pdf", views.casefile_list_pdf, name="casefile_list_pdf"),
    path("archive/transfers/<int:pk>/list.pdf", views.transfer_list_pdf, name="transfer_list_pdf"),
    path("archive/transfers/<int:pk>/record.pdf", views.transfer_record_pdf, name="transfer_record_pdf"),
]
