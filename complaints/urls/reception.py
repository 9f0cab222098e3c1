"""Citizen reception: the reception sessions and the sổ tiếp công dân (its visits, their answer and their
printed forms)."""

from django.urls import path

from complaints.views import reception as views

urlpatterns = [
    path("reception/sessions/", views.sessions, name="sessions"),
    path("reception/sessions/new/", views.session_new, name="session_new"),
    path("reception/sessions/<int:pk>/edit/", views.session_edit, name="session_edit"),
    path("reception/sessions/<int:pk>/publish/", views.session_publish, name="session_publish"),
    path("reception/sessions/<int:pk>/cancel/", views.session_cancel, name="session_cancel"),
    path("reception/visits/", views.visits, name="visits"),
    path("reception/visits/new/", views.visit_new, name="visit_new"),
    path("reception/visits/<int:pk>/", views.visit_detail, name="visit"),
    path("reception/visits/<int:pk>/answer/", views.visit_answer, name="visit_answer"),
    path("reception/visits/<int:pk>/receipt.pdf", views.visit_receipt_pdf, name="visit_receipt_pdf"),
    path("reception/visits/<int:pk>/result.pdf", views.visit_result_pdf, name="visit_result_pdf"),
    path("reception/visits/<int:pk>/forward.pdf", views.visit_forward_pdf, name="visit_forward_pdf"),
]
