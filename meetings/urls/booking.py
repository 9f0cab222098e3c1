"""Booking pages: register (from the schedule), the meeting's page, its change form, the approval queue."""

from django.urls import path

from meetings.views import booking as views

urlpatterns: list = [
    path("new/", views.meeting_new, name="new"),
    path("new/rows/", views.prepare_rows_more, name="prepare_rows"),
    path("approvals/", views.approvals, name="approvals"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/edit/", views.meeting_edit, name="edit"),
]
