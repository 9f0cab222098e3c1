from django.urls import path

from complaints.views import cases

urlpatterns = [
    path("cases/", cases.queue_page, name="cases"),
    path("cases/<int:pk>/", cases.detail, name="case"),
]
