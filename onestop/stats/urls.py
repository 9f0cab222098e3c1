from django.urls import path

from onestop.stats import views

urlpatterns = [
    path("", views.stats_page, name="stats"),
    path("export/", views.stats_export, name="stats_export"),
    path("list/", views.stats_list, name="stats_list"),
    path("register/", views.register, name="register"),
]
