from django.urls import path

from documents.stats import views

urlpatterns = [
    path("stats/", views.stats, name="stats"),
    path("stats/list/", views.stats_list, name="stats_list"),
]
