"""The protected side of a letter: an identity revealed to the entitled, files served after the check, the
redaction tool."""

from django.urls import path

from complaints.views import files as views

urlpatterns = [
    path("identities/<int:pk>/", views.identity, name="identity"),
    path("files/<int:pk>/", views.file_view, name="file"),
    path("files/<int:pk>/redact/", views.redact, name="file_redact"),
    path("files/<int:pk>/pages/<int:page>.png", views.page_image, name="file_page"),
]
