"""Incoming documents' routes, included by ``documents.urls`` (namespace ``documents``)."""

from django.urls import path

from documents.incoming import views

urlpatterns = [
    path("incoming/", views.incoming_list, name="incoming_list"),
    path("incoming/q/<str:queue>/", views.incoming_list, name="incoming_queue"),
    path("incoming/new/", views.incoming_create, name="incoming_create"),
    path("incoming/<int:pk>/", views.incoming_detail, name="incoming_detail"),
    path("incoming/<int:pk>/file/", views.incoming_file, name="incoming_file"),
    path("incoming/<int:pk>/attachments/<int:attachment_pk>/", views.attachment_file, name="attachment_file"),
    path("incoming/<int:pk>/action/", views.incoming_action, name="incoming_action"),
    path("incoming/<int:pk>/register/", views.incoming_register, name="incoming_register"),
    path("incoming/<int:pk>/confirm-recall/", views.incoming_confirm_recall, name="incoming_confirm_recall"),
    path("incoming/<int:pk>/direct/", views.incoming_direct, name="incoming_direct"),
    path("incoming/<int:pk>/delegate/", views.incoming_delegate, name="incoming_delegate"),
    path("incoming/<int:pk>/forward/<int:assignment_pk>/", views.incoming_forward, name="incoming_forward"),
    path("incoming/<int:pk>/progress/", views.incoming_progress, name="incoming_progress"),
    path("incoming/<int:pk>/request-input/", views.incoming_request_input, name="incoming_request_input"),
    path("incoming/<int:pk>/reply/<int:assignment_pk>/", views.incoming_reply, name="incoming_reply"),
    path("incoming/<int:pk>/propose/", views.incoming_propose, name="incoming_propose"),
    path("incoming/<int:pk>/link-reply/", views.incoming_link_reply, name="incoming_link_reply"),
    path("incoming/<int:pk>/finish/", views.incoming_finish, name="incoming_finish"),
    path("incoming/<int:pk>/attachments/", views.incoming_attachments, name="incoming_attachments"),
    path("incoming/<int:pk>/grant/", views.incoming_grant, name="incoming_grant"),
    path("incoming/<int:pk>/case-file/", views.incoming_case_file, name="incoming_case_file"),
]
