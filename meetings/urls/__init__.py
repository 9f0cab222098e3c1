from django.urls import path
from django.views.generic import RedirectView

from meetings.actions import MEETING_ACTIONS
from meetings.urls import booking, invitations, minutes, paperless, rooms, schedule, stats

app_name = "meetings"

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="meetings:week"), name="home"),
    path("<int:pk>/act/<slug:action>/", MEETING_ACTIONS.view, name="act"),
    path("<int:pk>/act/<slug:action>/<int:part>/", MEETING_ACTIONS.view, name="act_part"),
    *schedule.urlpatterns,
    *booking.urlpatterns,
    *invitations.urlpatterns,
    *paperless.urlpatterns,
    *minutes.urlpatterns,
    *rooms.urlpatterns,
    *stats.urlpatterns,
]
