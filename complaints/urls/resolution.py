from django.urls import path

from complaints.views import resolution

urlpatterns = [
    path("cases/<int:pk>/file/<int:step>/", resolution.step_file, name="step_file"),
]
