"""Routes of copies, included by ``documents.urls`` (namespace ``documents``)."""

from django.urls import path

from documents.copies import views

urlpatterns = [
    path("copies/", views.copy_list, name="copy_list"),
    path("copies/<int:pk>/", views.copy_detail, name="copy_detail"),
    path("copies/<int:pk>/file/", views.copy_file, name="copy_file"),
    path("copies/new/<str:kind>/<int:pk>/", views.copy_create, name="copy_create"),
]
