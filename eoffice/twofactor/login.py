"""Sign-in in two steps. The password page (Django's ``LoginView``) logs a person without a device in at
once; a person with a confirmed device is only remembered in the session as pending (for
``PENDING_SECONDS``), and logged in by the code page after a right code, with django-otp's ``login`` (the
session is then verified). A wrong code is a failed sign-in: ``user_login_failed`` is sent as for a wrong
password, so django-axes counts it toward the same lockout (username + address) and a ``LoginEvent`` is
written; codes are also limited per person (``CODE_LIMIT`` per ``CODE_WINDOW`` seconds) and django-otp
throttles its devices."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django import forms
from django.contrib import messages
from django.contrib.auth import login as auth_login
from django.contrib.auth import views as auth_views
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_protect
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login

from eoffice.models import User
from eoffice.ratelimit import over_limit
from eoffice.twofactor import policy, services

PENDING = "twofactor_pending"
PENDING_SECONDS = 300
CODE_LIMIT = 10
CODE_WINDOW = 900


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Mã xác thực"),
        max_length=20,
        error_messages={"required": gettext_lazy("Hãy nhập mã xác thực.")},
        help_text=gettext_lazy("Mã 6 chữ số trong ứng dụng xác thực, hoặc một mã dự phòng 8 ký tự."),
    )


class LoginView(auth_views.LoginView):
    """The password step: with a confirmed device, the code page follows before the session is logged
    in."""

    redirect_authenticated_user = True

    def form_valid(self, form):
        user = form.get_user()
        if not policy.has_device(user):
            return super().form_valid(form)
        self.request.session.cycle_key()
        self.request.session[PENDING] = {
            "user": user.pk,
            "backend": user.backend,
            "at": time.time(),
            "next": self.get_success_url(),
        }
        return redirect("twofactor_verify")


def _pending(request) -> tuple[User | None, dict]:
    data = request.session.get(PENDING)
    if not isinstance(data, dict) or time.time() - float(data.get("at", 0)) > PENDING_SECONDS:
        request.session.pop(PENDING, None)
        return None, {}
    user = User.objects.filter(pk=data.get("user"), is_active=True).select_related("agency").first()
    return user, data


def _next_url(request, data: dict) -> str:
    target = data.get("next") or request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse("dashboard")


@sensitive_post_parameters("code")
@csrf_protect
@never_cache
def verify(request):
    """The code step: after the password (pending), or for a signed-in person whose session the policy
    wants verified (``TwoFactorMiddleware``)."""
    signed_in = request.user.is_authenticated
    if signed_in:
        if request.user.is_verified():
            return redirect(_next_url(request, {}))
        user, data = request.user, {}
        if not policy.has_device(user):
            return redirect("twofactor_security")
    else:
        user, data = _pending(request)
        if user is None:
            messages.info(request, _("Phiên đăng nhập đã hết hạn. Vui lòng đăng nhập lại."))
            return redirect("login")
    credentials = {User.USERNAME_FIELD: user.get_username()}
    if AxesProxyHandler.is_locked(request, credentials):
        request.session.pop(PENDING, None)
        return get_lockout_response(request, None, credentials)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if over_limit(f"twofactor:{user.pk}", limit=CODE_LIMIT, window=CODE_WINDOW):
            form.add_error(None, _("Bạn đã nhập mã quá nhiều lần. Vui lòng thử lại sau 15 phút."))
        else:
            device = services.check_code(user=user, code=form.cleaned_data["code"])
            if device is not None:
                request.session.pop(PENDING, None)
                if signed_in:
                    otp_login(request, device)
                else:
                    user.otp_device = device  # django-otp's user_logged_in receiver keeps it in the session
                    auth_login(request, user, backend=data.get("backend"))
                return redirect(_next_url(request, data))
            user_login_failed.send(sender=__name__, credentials=credentials, request=request)
            if getattr(request, "axes_locked_out", False):  # AxesMiddleware answers with the lockout page
                request.session.pop(PENDING, None)
            if services.throttled(user=user):
                form.add_error(
                    None, _("Mã không đúng. Bạn đã nhập sai nhiều lần, hãy đợi ít giây rồi thử lại.")
                )
            else:
                form.add_error(None, _("Mã xác thực không đúng hoặc đã hết hạn."))
    return render(
        request,
        "eoffice/twofactor/verify.html",
        {"form": form, "person": user, "signed_in": signed_in, "codes_left": policy.backup_left(user)},
    )


def admin_login(request):
    """Django admin's own login page would skip the code: it sends to the sign-in page. A signed-in
    person the admin refuses gets 403 (sending them on would loop between the two pages)."""
    from django.contrib import admin

    if request.user.is_authenticated:
        if not admin.site.has_permission(request):
            raise PermissionDenied
        return redirect("admin:index")
    target = request.GET.get("next") or reverse("admin:index")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("admin:index")
    return redirect(f"{reverse('login')}?{urlencode({'next': target})}")
