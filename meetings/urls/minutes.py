"""minutes pages: the minutes' edit page and PDF, the conclusions' page (the buttons post to
``meetings:act``)."""

from django.urls import path

from meetings.views import minutes as views

urlpatterns: list = [
    path("<int:pk>/minutes/", views.minutes_edit, name="minutes_edit"),
    path("<int:pk>/minutes/pdf/", views.minutes_pdf, name="minutes_pdf"),
    path("<int:pk>/conclusions/", views.conclusion_edit, name="conclusion_edit"),
]
