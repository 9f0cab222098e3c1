from django.urls import path

from complaints.views import stats

urlpatterns = [
    path("stats/", stats.stats_page, name="stats"),
    path("stats/list/", stats.stats_list, name="stats_list"),
]
