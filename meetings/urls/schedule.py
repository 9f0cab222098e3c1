"""The weekly schedule's pages: the agency's week (``?week=``, ``?leader=``, ``?unit=``), my week, their
exports, and the schedule manager's forms."""

from django.urls import path

from meetings.views import schedule as views

urlpatterns = [
    path("week/", views.week, name="week"),
    path("week/export.<str:fmt>", views.week_export, name="week_export"),
    path("week/manage/<slug:action>/", views.manage, name="week_manage"),
    path("my-week/", views.my_week, name="my_week"),
    path("my-week/export.<str:fmt>", views.my_week_export, name="my_week_export"),
]
