"""The public complaints pages at /don-thu/ (no login): the home page, filing a letter online (e-mail
confirmed by a one-time code first), the confirmation, tracking by code and the published answers.

The tracking page shows only the kind, the day received, the state, the stage, the deadline (with its
legal source) and, once resolved, the result summary: never a person, an officer, a file or another case.
Lookups and code requests are limited per client address (``eoffice.ratelimit``, the address the login
lockout uses), like the one-stop pages; past the limit a 429 page."""

from __future__ import annotations

import time
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from complaints import deadlines, services
from complaints.models import OPEN_CASE_STATES, Case, CaseKind, CaseState
from complaints.public import forms
from eoffice import otp, ratelimit
from eoffice.db import page_of

PAGE_SIZE = 20
VERIFIED_SECONDS = 60 * 60
# bucket: (requests, seconds) per client address; COMPLAINTS_PUBLIC_LIMITS in settings overrides.
LIMITS = {"track": (20, 600), "code": (10, 3600), "file": (10, 3600)}

SESSION_PENDING = "complaints_public_pending"  # the e-mail a code was sent to
SESSION_VERIFIED = "complaints_public_email"  # {"email": ..., "until": epoch seconds}
SESSION_KIND = "complaints_public_kind"  # the kind chosen on the home page
SESSION_FILED = "complaints_public_filed"  # the code of the last letter filed
NOT_FOUND = gettext_lazy("Không tìm thấy đơn với mã này. Vui lòng kiểm tra lại mã trong thư xác nhận.")


def over_limit(request, bucket: str) -> bool:
    limit, window = {**LIMITS, **getattr(settings, "COMPLAINTS_PUBLIC_LIMITS", {})}[bucket]
    return ratelimit.over_limit(
        f"complaints:public:{bucket}:{ratelimit.client_address(request)}", limit=limit, window=window
    )


def too_many(request):
    return render(request, "complaints/public/too_many.html", status=429)


def limited(bucket: str):
    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if over_limit(request, bucket):
                return too_many(request)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def tracking_path(code: str) -> str:
    return f"{reverse('complaints_public:track')}?{urlencode({'code': code})}"


# ---- home ----------------------------------------------------------------------------------------


@require_GET
def home(request):
    context = {"kinds": CaseKind.choices, "track_form": forms.TrackForm()}
    return render(request, "complaints/public/home.html", context)


# ---- filing --------------------------------------------------------------------------------------


def verified_email(request) -> str:
    data = request.session.get(SESSION_VERIFIED) or {}
    return data.get("email", "") if data.get("until", 0) > time.time() else ""


@never_cache
def submit(request):
    """Step 1 an e-mail, step 2 its one-time code, step 3 the letter; one URL, the step from the session."""
    if request.method == "GET" and request.GET.get("kind") in CaseKind.values:
        request.session[SESSION_KIND] = request.GET["kind"]
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "send":
        return _send_code(request)
    if action == "verify":
        return _verify_code(request)
    if action == "change":
        request.session.pop(SESSION_VERIFIED, None)
        request.session.pop(SESSION_PENDING, None)
        return redirect("complaints_public:submit")
    email = verified_email(request)
    if email:
        return _file(request, email, posted=action == "submit")
    if action == "submit":
        messages.warning(request, _("Phiên xác thực thư điện tử đã hết hạn. Vui lòng xác thực lại."))
        return redirect("complaints_public:submit")
    pending = request.session.get(SESSION_PENDING, "")
    return _steps(request, pending=pending, code_form=forms.CodeForm())


def _steps(request, *, pending: str, email_form=None, code_form=None, status: int = 200):
    context = {
        "step": 2 if pending else 1,
        "pending": pending,
        "email_form": email_form or forms.EmailForm(initial={"email": pending}),
        "code_form": code_form or forms.CodeForm(),
    }
    return render(request, "complaints/public/submit.html", context, status=status)


def _send_code(request):
    form = forms.EmailForm(request.POST)
    if not form.is_valid():
        return _steps(request, pending="", email_form=form)
    if over_limit(request, "code"):
        return too_many(request)
    email = form.cleaned_data["email"]
    try:
        otp.send(purpose=services.OTP_PURPOSE, email=email)
    except ValidationError as exc:
        form.add_error("email", exc)
        return _steps(request, pending="", email_form=form)
    request.session[SESSION_PENDING] = email
    request.session.pop(SESSION_VERIFIED, None)
    messages.success(
        request,
        _("Mã xác thực đã được gửi tới %(email)s. Mã có hiệu lực trong %(n)d phút.")
        % {"email": email, "n": otp.MINUTES},
    )
    return redirect("complaints_public:submit")


def _verify_code(request):
    pending = request.session.get(SESSION_PENDING, "")
    if not pending:
        return redirect("complaints_public:submit")
    form = forms.CodeForm(request.POST)
    if form.is_valid():
        if otp.verify(purpose=services.OTP_PURPOSE, email=pending, code=form.cleaned_data["code"]):
            request.session[SESSION_VERIFIED] = {"email": pending, "until": time.time() + VERIFIED_SECONDS}
            request.session.pop(SESSION_PENDING, None)
            messages.success(request, _("Đã xác thực địa chỉ thư điện tử. Mời bạn viết đơn."))
            return redirect("complaints_public:submit")
        form.add_error(
            "code",
            _(
                "Mã xác thực không đúng hoặc đã hết hạn. Sau %(n)d lần nhập sai, mã không còn dùng được: "
                "hãy yêu cầu mã mới."
            )
            % {"n": otp.ATTEMPTS},
        )
    return _steps(request, pending=pending, code_form=form)


def _file(request, email: str, *, posted: bool):
    initial = {"kind": request.session.get(SESSION_KIND) or CaseKind.PETITION}
    agencies = services.online_agencies()
    if len(agencies[:2]) == 1:
        initial["agency"] = agencies[0].pk
    form = forms.FilingForm(
        request.POST if posted else None, request.FILES if posted else None, email=email, initial=initial
    )
    if posted and form.is_valid():
        if over_limit(request, "file"):
            return too_many(request)
        try:
            case = services.online_submit(**form.service_kwargs())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            request.session.pop(SESSION_KIND, None)
            request.session.pop(SESSION_VERIFIED, None)
            request.session[SESSION_FILED] = case.code
            return redirect("complaints_public:filed")
    context = {"step": 3, "email": email, "form": form, "reselect": posted and bool(request.FILES)}
    return render(request, "complaints/public/submit.html", context)


@never_cache
def filed(request):
    code = request.session.get(SESSION_FILED)
    case = Case.objects.select_related("agency").filter(code=code).first() if code else None
    if case is None:
        return redirect("complaints_public:home")
    context = {"case": case, "tracking_url": tracking_path(case.code)}
    return render(request, "complaints/public/filed.html", context)


# ---- tracking ------------------------------------------------------------------------------------


def public_case(code: str) -> Case | None:
    """The case of a tracking code (the page prints only what the module docstring lists)."""
    return Case.objects.select_related("agency", "letter", "due_rule").filter(code=code).first()


def deadline_of(case: Case) -> deadlines.Deadline | None:
    if case.state not in OPEN_CASE_STATES or case.due_at is None:
        return None
    return deadlines.current(case)


@never_cache
def track(request):
    form = forms.TrackForm(request.GET or None)
    context: dict = {"form": form}
    if not request.GET.get("code"):
        return render(request, "complaints/public/track.html", context)
    if over_limit(request, "track"):
        return too_many(request)
    case = public_case(form.cleaned_data["code"]) if form.is_valid() else None
    if case is None:
        context["not_found"] = NOT_FOUND if form.is_valid() else ""
        return render(request, "complaints/public/track.html", context)
    resolved = case.state in (CaseState.RESOLVED, CaseState.CLOSED)
    context.update(case=case, deadline=deadline_of(case), resolved=resolved)
    return render(request, "complaints/public/track.html", context)


# ---- published answers ---------------------------------------------------------------------------


@require_GET
def answers(request):
    form = forms.AnswerSearchForm(request.GET or None)
    page = page_of(form.answers(), request.GET.get("page"), PAGE_SIZE)
    return render(request, "complaints/public/answers.html", {"form": form, "page": page})
