"""Calendar feeds, one meeting's .ics, the issued Giấy mời."""

from django.urls import path

from meetings.views import invitations as views

urlpatterns = [
    path("feeds/", views.feeds_page, name="feeds"),
    path("feeds/create/", views.feed_create, name="feed_create"),
    path("feeds/<int:pk>/revoke/", views.feed_revoke, name="feed_revoke"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
    path("<int:pk>/meeting.ics", views.meeting_ics, name="ics"),
    path("<int:pk>/invitation.pdf", views.invitation_file, name="invitation_file"),
]
