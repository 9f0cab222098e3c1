"""Room occupancy: the agency's rooms by day."""

from django.urls import path

from meetings.views import rooms

urlpatterns = [
    path("rooms/", rooms.occupancy, name="rooms"),
]
