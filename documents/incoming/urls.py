"""Incoming documents' routes, included by ``documents.urls`` (namespace ``documents``). Every action of the
detail page posts to ``INCOMING_ACTIONS.view`` with its ``action`` key; its URL name is
``incoming_<key>``."""

from django.urls import path

from documents.incoming import views
from documents.incoming.actions import INCOMING_ACTIONS

# (route under incoming/<pk>/, action key)
ACTION_ROUTES = [
    ("action/", "action"),
    ("register/", "register"),
    ("confirm-recall/", "confirm_recall"),
    ("direct/", "direct"),
    ("delegate/", "delegate"),
    ("forward/<int:assignment_pk>/", "forward"),
    ("progress/", "progress"),
    ("request-input/", "request_input"),
    ("reply/<int:assignment_pk>/", "reply"),
    ("propose/", "propose"),
    ("link-reply/", "link_reply"),
    ("finish/", "finish"),
    ("attachments/", "attachments"),
    ("grant/", "grant"),
]

urlpatterns = [
    path("incoming/", views.incoming_list, name="incoming_list"),
    path("incoming/q/<str:queue>/", views.incoming_list, name="incoming_queue"),
    path("incoming/new/", views.incoming_create, name="incoming_create"),
    path("incoming/<int:pk>/", views.incoming_detail, name="incoming_detail"),
    path("incoming/<int:pk>/file/", views.incoming_file, name="incoming_file"),
    path("incoming/<int:pk>/slip/", views.incoming_slip, name="incoming_slip"),
    path("incoming/<int:pk>/attachments/<int:attachment_pk>/", views.attachment_file, name="attachment_file"),
    *(
        path(f"incoming/<int:pk>/{route}", INCOMING_ACTIONS.view, {"action": key}, name=f"incoming_{key}")
        for route, key in ACTION_ROUTES
    ),
]
