"""Meeting statistics and their exports."""

from django.urls import path

from meetings.views import stats

urlpatterns = [
    path("stats/", stats.stats_page, name="stats"),
    path("stats/export/", stats.stats_export, name="stats_export"),
]
