from django.urls import path

from eoffice.backup import views

urlpatterns = [
    path("", views.backup_list, name="backup_list"),
    path("now/", views.backup_now, name="backup_now"),
]
