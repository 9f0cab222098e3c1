from django.urls import path

from eoffice.status import views

urlpatterns = [
    path("", views.status_page, name="system_status"),
    path("failed/<int:pk>/retry/", views.failed_task_retry, name="failed_task_retry"),
]
