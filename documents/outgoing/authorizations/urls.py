from django.urls import path

from documents.outgoing.authorizations import views

urlpatterns = [
    path("outgoing/authorizations/", views.authorization_list, name="authorization_list"),
    path("outgoing/authorizations/new/", views.authorization_create, name="authorization_create"),
    path("outgoing/authorizations/<int:pk>/", views.authorization_detail, name="authorization_detail"),
    path("outgoing/authorizations/<int:pk>/revoke/", views.authorization_revoke, name="authorization_revoke"),
    path("outgoing/signer-choices/", views.signer_choices, name="outgoing_signer_choices"),
]
