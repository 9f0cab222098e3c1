"""Keeps a person the policy requires (``policy.required_for``) on the enrolment page (no device yet) or
the code page (a device, session not verified) until done: every other page, Django admin included,
redirects there. After django-otp's ``OTPMiddleware``. This middleware reads nothing for a verified session
or under the "optional" policy beyond what the request reads anyway (the user and their agency); django-otp's
middleware reads the device of a verified session, one query per request (tests/eoffice/twofactor/
test_hot_path.py)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

# The pages a person held by the policy may still open
OPEN_URL_NAMES = frozenset(
    {
        "twofactor_security",
        "twofactor_enrol",
        "twofactor_confirm",
        "twofactor_verify",
        "logout",
        "login",
        "set_language",
        "javascript-catalog",
        "healthz",
        "readyz",
    }
)


class TwoFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None
        is_verified = getattr(user, "is_verified", None)
        if is_verified is None or is_verified():
            return None
        match = request.resolver_match
        if match is not None and match.url_name in OPEN_URL_NAMES:
            return None
        from eoffice.twofactor import policy

        if not policy.required_for(user):
            return None
        url = reverse("twofactor_verify" if policy.has_device(user) else "twofactor_security")
        if request.headers.get("HX-Request"):
            return HttpResponse(status=204, headers={"HX-Redirect": url})
        return redirect(url)
