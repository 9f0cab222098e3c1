"""The public pages (no login) at /don-thu/: filing online, tracking by code, published answers."""

from django.urls import path

from complaints.public import views

app_name = "complaints_public"

urlpatterns = [
    path("", views.home, name="home"),
    path("gui-don/", views.submit, name="submit"),
    path("gui-don/da-gui/", views.filed, name="filed"),
    path("tra-cuu/", views.track, name="track"),
    path("tra-loi/", views.answers, name="answers"),
]
