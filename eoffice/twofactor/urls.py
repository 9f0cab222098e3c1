from django.urls import path

from eoffice.twofactor import login, views

urlpatterns = [
    path("account/verify/", login.verify, name="twofactor_verify"),
    path("account/security/", views.security, name="twofactor_security"),
    path("account/security/enrol/", views.enrol, name="twofactor_enrol"),
    path("account/security/confirm/", views.confirm, name="twofactor_confirm"),
    path("account/security/codes/", views.codes_renew, name="twofactor_codes"),
    path("account/security/disable/", views.disable, name="twofactor_disable"),
    path("agency/two-factor/", views.agency, name="twofactor_agency"),
    path("agency/two-factor/<int:pk>/reset/", views.reset, name="twofactor_reset"),
]
