"""Case files' routes, included by ``documents.urls`` (namespace ``documents``)."""

from django.urls import path

from documents.records import views

urlpatterns = [
    path("case-files/", views.casefile_list, name="casefile_list"),
    path("case-files/<int:pk>/", views.casefile_detail, name="casefile_detail"),
    path("case-files/<int:pk>/status/", views.casefile_status, name="casefile_status"),
    path("case-files/<int:pk>/remove/<int:document_pk>/", views.casefile_remove, name="casefile_remove"),
]
