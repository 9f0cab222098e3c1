"""The public week (no login) for agencies that publish: /lich-cong-tac/<agency code>/?week=YYYY-MM-DD."""

from django.urls import path

from meetings.views import public as views

app_name = "meetings_public"

urlpatterns = [
    path("<str:code>/", views.week, name="week"),
]
