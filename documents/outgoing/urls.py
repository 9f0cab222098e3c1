from django.urls import path

from documents.outgoing import views

urlpatterns = [
    path("outgoing/", views.outgoing_list, name="outgoing_list"),
    path("outgoing/q/<str:queue>/", views.outgoing_list, name="outgoing_queue"),
    path("outgoing/new/", views.outgoing_create, name="outgoing_create"),
    path("outgoing/preview/", views.outgoing_preview, name="outgoing_preview"),
    path("outgoing/<int:pk>/", views.outgoing_detail, name="outgoing_detail"),
    path("outgoing/<int:pk>/edit/", views.outgoing_edit, name="outgoing_edit"),
    path("outgoing/<int:pk>/v/<int:number>/", views.version_file, name="outgoing_version"),
    path("outgoing/<int:pk>/submit/", views.outgoing_submit, name="outgoing_submit"),
    path("outgoing/<int:pk>/approve/", views.outgoing_approve, name="outgoing_approve"),
    path("outgoing/<int:pk>/return/", views.outgoing_return, name="outgoing_return"),
    path("outgoing/<int:pk>/cancel/", views.outgoing_cancel, name="outgoing_cancel"),
    path("outgoing/<int:pk>/comment/", views.outgoing_comment, name="outgoing_comment"),
    path("outgoing/<int:pk>/sign/", views.outgoing_sign, name="outgoing_sign"),
    path("outgoing/<int:pk>/issue/", views.outgoing_issue, name="outgoing_issue"),
    path("outgoing/<int:pk>/recall/", views.outgoing_recall, name="outgoing_recall"),
    path("outgoing/<int:pk>/consult/", views.outgoing_consult, name="outgoing_consult"),
    path("outgoing/<int:pk>/answer/<int:answer_pk>/", views.outgoing_answer, name="outgoing_answer"),
    path(
        "outgoing/<int:pk>/consult/<int:consultation_pk>/close/",
        views.outgoing_consult_close,
        name="outgoing_consult_close",
    ),
    path(
        "outgoing/<int:pk>/recipients/<int:recipient_pk>/sent/", views.recipient_sent, name="recipient_sent"
    ),
]
