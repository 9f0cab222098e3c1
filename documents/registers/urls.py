"""The printed registers' route, included by ``documents.urls`` (namespace ``documents``)."""

from django.urls import path

from documents.registers import views

urlpatterns = [
    path("registers/", views.registers, name="registers"),
    path("registers/secret-paper/", views.secret_paper, name="registers_secret_paper"),
    path("registers/secret-settings/", views.secret_settings, name="registers_secret_settings"),
]
