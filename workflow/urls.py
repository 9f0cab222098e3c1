"""The workflow pages. The work item page's actions post to ``workflow.actions``: the item's to
``WORK_ITEM_ACTIONS.view``, a part's (assignment's) to ``PART_ACTIONS.view``, each with its ``action`` key."""

from django.urls import path

from workflow import views
from workflow.actions import PART_ACTIONS, WORK_ITEM_ACTIONS

app_name = "workflow"

item_actions = [
    path(f"items/<int:pk>/{key}/", WORK_ITEM_ACTIONS.view, {"action": key}, name=f"workitem_{key}")
    for key in ("action", "progress", "extend")
]
part_actions = [
    path(f"assignments/<int:pk>/{key}/", PART_ACTIONS.view, {"action": key}, name=f"assignment_{key}")
    for key in ("complete", "forward")
]

urlpatterns = [
    path("", views.my_work, name="my_work"),
    path("overdue/", views.my_work, {"status": "overdue"}, name="my_work_overdue"),
    path("items/", views.workitem_list, name="workitem_list"),
    path("items/assigned-to-me/", views.workitem_list, {"scope": "mine"}, name="workitem_list_mine"),
    path("items/new/", views.workitem_create, name="workitem_create"),
    path("items/<int:pk>/", views.workitem_detail, name="workitem_detail"),
    *item_actions,
    *part_actions,
    path("history/<int:pk>/file/", views.history_file, name="history_file"),
    path("notifications/settings/", views.notification_settings, name="notification_settings"),
]
