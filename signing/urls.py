from django.urls import path

from signing import views

app_name = "signing"

urlpatterns = [
    path("certificates/", views.certificates, name="certificates"),
    path("pending/", views.pending, name="pending"),
    path("batches/<int:pk>/", views.batch_detail, name="batch"),
    path("batches/<int:pk>/progress/", views.batch_progress, name="batch_progress"),
    path("requests/<int:pk>/file/", views.request_file, name="request_file"),
    path("verify/", views.verify, name="verify"),
    path("tsa/", views.tsa, name="tsa"),
    path("ca.pem", views.test_ca, name="test_ca"),
]
