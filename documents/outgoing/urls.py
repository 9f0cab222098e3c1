from django.urls import path

from documents.outgoing import recipients_views, views
from documents.outgoing.actions import OUTGOING_ACTIONS
from documents.outgoing.attachments import urls as attachment_urls
from documents.outgoing.authorizations import urls as authorization_urls

act = OUTGOING_ACTIONS.view

urlpatterns = [
    path("outgoing/", views.outgoing_list, name="outgoing_list"),
    path("outgoing/q/<str:queue>/", views.outgoing_list, name="outgoing_queue"),
    path("outgoing/new/", views.outgoing_create, name="outgoing_create"),
    path("outgoing/preview/", views.outgoing_preview, name="outgoing_preview"),
    path("outgoing/<int:pk>/", views.outgoing_detail, name="outgoing_detail"),
    path("outgoing/<int:pk>/edit/", views.outgoing_edit, name="outgoing_edit"),
    path("outgoing/<int:pk>/v/<int:number>/", views.version_file, name="outgoing_version"),
    path("outgoing/<int:pk>/submit/", act, {"action": "submit"}, name="outgoing_submit"),
    path("outgoing/<int:pk>/approve/", act, {"action": "approve"}, name="outgoing_approve"),
    path("outgoing/<int:pk>/return/", act, {"action": "return"}, name="outgoing_return"),
    path("outgoing/<int:pk>/cancel/", act, {"action": "cancel"}, name="outgoing_cancel"),
    path("outgoing/<int:pk>/comment/", act, {"action": "comment"}, name="outgoing_comment"),
    path("outgoing/<int:pk>/sign/", act, {"action": "sign"}, name="outgoing_sign"),
    path("outgoing/<int:pk>/issue/", act, {"action": "issue"}, name="outgoing_issue"),
    path("outgoing/<int:pk>/recall/", act, {"action": "recall"}, name="outgoing_recall"),
    path("outgoing/<int:pk>/consult/", act, {"action": "consult"}, name="outgoing_consult"),
    path("outgoing/<int:pk>/answer/<int:answer_pk>/", act, {"action": "answer"}, name="outgoing_answer"),
    path(
        "outgoing/<int:pk>/consult/<int:consultation_pk>/close/",
        act,
        {"action": "consult_close"},
        name="outgoing_consult_close",
    ),
    path(
        "outgoing/<int:pk>/recipients/<int:recipient_pk>/sent/",
        act,
        {"action": "recipient_sent"},
        name="recipient_sent",
    ),
    path(
        "outgoing/<int:pk>/recipients/<int:recipient_pk>/resend/",
        act,
        {"action": "recipient_resend"},
        name="recipient_resend",
    ),
]
urlpatterns += attachment_urls.urlpatterns  # appendices and attached files (their own module)
urlpatterns += authorization_urls.urlpatterns  # giao ký, ủy quyền ký; the draft form's signer list
urlpatterns += recipients_views.urlpatterns  # the clerk drops a recipient not printed in Nơi nhận
