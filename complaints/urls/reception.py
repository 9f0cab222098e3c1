from django.urls import path

from complaints.views import reception

urlpatterns = [
    path("visits/<int:pk>/", reception.visit_detail, name="visit"),
]
