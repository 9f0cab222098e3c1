from django.urls import path

from . import stats_views

urlpatterns = [
    path("", stats_views.stats_page, name="stats"),
    path("export/", stats_views.stats_export, name="stats_export"),
    path("list/", stats_views.stats_list, name="stats_list"),
    path("register/", stats_views.register, name="register"),
]
