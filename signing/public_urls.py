"""The public verification page, mounted at /verify/ (no login); its name has no namespace."""

from django.urls import path

from signing import views

urlpatterns = [
    path("<str:code>/", views.public_verify, name="public_verify"),
]
