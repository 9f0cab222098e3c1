from django.urls import path

from documents.outgoing.actions import OUTGOING_ACTIONS
from documents.outgoing.format import views

act = OUTGOING_ACTIONS.view

urlpatterns = [
    path(
        "outgoing/<int:pk>/format/approve/",
        act,
        {"action": "format_approve"},
        name="outgoing_format_approve",
    ),
    path("outgoing/<int:pk>/format/return/", act, {"action": "format_return"}, name="outgoing_format_return"),
    path("outgoing/format/reviewers/", views.format_rules, name="outgoing_format_rules"),
    path(
        "outgoing/format/reviewers/<int:pk>/delete/",
        views.format_rule_delete,
        name="outgoing_format_rule_delete",
    ),
]
