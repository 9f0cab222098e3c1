"""Routes of the agency archive, mounted in ``documents.urls`` (namespace ``documents``)."""

from django.urls import path

from documents.records.archive import views

urlpatterns = [
    path("archive/", views.archive_home, name="archive_home"),
    path("archive/announce/", views.transfer_announce, name="transfer_announce"),
    path("archive/transfer/", views.transfer_create, name="transfer_create"),
    path("archive/transfers/<int:pk>/", views.transfer_detail, name="transfer_detail"),
    path("archive/transfers/<int:pk>/accept/", views.transfer_accept, name="transfer_accept"),
    path("archive/transfers/<int:pk>/return/", views.transfer_return, name="transfer_return"),
    path("archive/files/", views.archive_files, name="archive_files"),
    path("archive/files/<int:pk>/", views.archive_file, name="archive_file"),
    path("archive/catalogue/", views.archive_catalogue, name="archive_catalogue"),
    path("archive/catalogue/<int:pk>/borrow/", views.borrow_create, name="borrow_create"),
    path("archive/borrows/", views.archive_borrows, name="archive_borrows"),
    path("archive/borrows/<int:pk>/decide/", views.borrow_decide, name="borrow_decide"),
    path("archive/expired/", views.retention_expired, name="retention_expired"),
    path("archive/appraisals/", views.appraisal_list, name="appraisal_list"),
    path("archive/appraisals/<int:pk>/", views.appraisal_detail, name="appraisal_detail"),
]
