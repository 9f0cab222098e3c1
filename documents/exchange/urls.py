"""The exchange pages, in the ``documents`` namespace (spread into ``documents/urls.py`` like the outgoing
routes): the exchange log and its raw ``.edxml`` files, the sender's delivery page with its counters and the
resend of a failed row, the clerk's answer to a recall, update or replacement received from outside."""

from django.urls import path

from documents.exchange import views

urlpatterns = [
    path("exchange/", views.exchange_log, name="exchange_log"),
    path("exchange/delivery/", views.exchange_delivery, name="exchange_delivery"),
    path("exchange/out/<int:pk>.edxml", views.outbox_file, name="exchange_outbox_file"),
    path("exchange/in/<int:pk>.edxml", views.inbox_file, name="exchange_inbox_file"),
    path("exchange/out/<int:pk>/resend/", views.outbox_resend, name="exchange_resend"),
    path("exchange/incoming/<int:pk>/change/", views.change_panel, name="exchange_change"),
]
