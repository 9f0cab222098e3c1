from django.urls import path

from workflow import views

app_name = "workflow"

urlpatterns = [
    path("", views.my_work, name="my_work"),
    path("overdue/", views.my_work, {"status": "overdue"}, name="my_work_overdue"),
    path("items/", views.workitem_list, name="workitem_list"),
    path("items/assigned-to-me/", views.workitem_list, {"scope": "mine"}, name="workitem_list_mine"),
    path("items/new/", views.workitem_create, name="workitem_create"),
    path("items/<int:pk>/", views.workitem_detail, name="workitem_detail"),
    path("items/<int:pk>/action/", views.workitem_action, name="workitem_action"),
    path("items/<int:pk>/progress/", views.workitem_progress, name="workitem_progress"),
    path("items/<int:pk>/extend/", views.workitem_extend, name="workitem_extend"),
    path("assignments/<int:pk>/complete/", views.assignment_complete, name="assignment_complete"),
    path("assignments/<int:pk>/forward/", views.assignment_forward, name="assignment_forward"),
    path("history/<int:pk>/file/", views.history_file, name="history_file"),
    path("notifications/settings/", views.notification_settings, name="notification_settings"),
]
