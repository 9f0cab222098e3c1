"""Calendar feeds, one meeting's .ics, the issued Giấy mời."""

from django.urls import path

from meetings.views import invitations as views

urlpatterns = [
    path("dong-bo-lich/", views.feeds_page, name="feeds"),
    path("dong-bo-lich/tao/", views.feed_create, name="feed_create"),
    path("dong-bo-lich/<int:pk>/thu-hoi/", views.feed_revoke, name="feed_revoke"),
    path("feed/<str:token>.ics", views.feed, name="feed"),
    path("<int:pk>/lich-hop.ics", views.meeting_ics, name="ics"),
    path("<int:pk>/giay-moi.pdf", views.invitation_file, name="invitation_file"),
]
