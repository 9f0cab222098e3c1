from django.urls import path

from documents.exchange.node import views

app_name = "exchange_node"

urlpatterns = [
    path("sendEdoc", views.send_edoc, name="send_edoc"),
    path("getReceivedEdocList", views.received_list, name="received_list"),
    path("getEdoc", views.get_edoc, name="get_edoc"),
    path("updateStatus", views.update_status, name="update_status"),
    path("getSentEdocList", views.sent_list, name="sent_list"),
    path("getAgenciesList", views.agencies, name="agencies"),
]
