"""The public one-stop pages, mounted at /mot-cua/ (no login)."""

from django.urls import path

from onestop.public import views

app_name = "onestop_public"

urlpatterns = [
    path("", views.procedure_list, name="procedures"),
    path("thu-tuc/<int:pk>/", views.procedure_detail, name="procedure"),
    path("nop-ho-so/<int:pk>/", views.submit, name="submit"),
    path("nop-ho-so/da-gui/", views.submitted, name="submitted"),
    path("tra-cuu/", views.track, name="track"),
    path("danh-gia/", views.rate, name="rate"),
    path("bo-sung/", views.supplement, name="supplement"),
]
