"""URLs of the access statistics (namespace "audit", mounted at /audit/ by eoffice.urls)."""

from django.urls import path

from eoffice import audit_views

app_name = "audit"

urlpatterns = [
    path("stats/", audit_views.stats, name="stats"),
    path("stats/export.xlsx", audit_views.stats_export, name="stats_export"),
]
