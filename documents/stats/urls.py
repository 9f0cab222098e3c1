from django.urls import path

from documents.stats import outgoing_views, views

urlpatterns = [
    path("stats/", views.stats, name="stats"),
    path("stats/list/", views.stats_list, name="stats_list"),
    path("stats/outgoing/", outgoing_views.outgoing_report, name="stats_outgoing"),
    path("stats/outgoing/list/", outgoing_views.outgoing_list, name="stats_outgoing_list"),
]
