from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from eoffice import health, routes, views
from eoffice.auth import PasswordResetView
from eoffice.twofactor import login as twofactor_login

auth_patterns = [
    # the password step; the code step follows for a person with a device (eoffice/twofactor/login.py)
    path("login/", twofactor_login.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/change/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("password/change/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
    path("password/reset/", PasswordResetView.as_view(), name="password_reset"),
    path("password/reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
]

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    # browsers ask for /favicon.ico on pages that carry no icon link (a PDF, a JSON answer, a file)
    path("favicon.ico", views.favicon, name="favicon"),
    # for a load balancer: liveness and readiness (eoffice/health.py), no session needed
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("account/", include(auth_patterns)),
    path("", include("eoffice.twofactor.urls")),
    path("account/profile/", views.profile, name="profile"),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/bell/", views.notification_bell, name="notification_bell"),
    path("notifications/read-all/", views.notification_read_all, name="notification_read_all"),
    path("notifications/<int:pk>/open/", views.notification_open, name="notification_open"),
    path("directory/", views.directory, name="directory"),
    path("directory/departments/<int:pk>/", views.department_detail, name="department_detail"),
    path("directory/staff/<int:pk>/", views.staff_detail, name="staff_detail"),
    path("directory/staff/<int:pk>/signature.png", views.staff_signature, name="staff_signature"),
    path("agency/seal.png", views.agency_seal, name="agency_seal"),
    path("backups/", include("eoffice.backup.urls")),
    path("system/status/", include("eoffice.status.urls")),
    path("audit/", include("eoffice.audit_urls")),
    # the business apps' URLconfs, registered in their AppConfig.ready (eoffice imports none of them)
    *routes.patterns(),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/login/", twofactor_login.admin_login),  # admin's own login would skip the second factor
    path("admin/", admin.site.urls),
]
