"""The printed registers' route, included by ``documents.urls`` (namespace ``documents``)."""

from django.urls import path

from documents.registers import views

urlpatterns = [
    path("registers/", views.registers, name="registers"),
]
