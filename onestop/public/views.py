"""The public one-stop pages (no login): procedures, online submission, tracking, rating, supplement.

Nothing here needs a signed-in user. The tracking page shows only what the receipt (form 01) already
shows: never the applicant's identity number, address, phone, email or files. Lookups, ratings and
code requests are limited per client address (``eoffice.client_ip.client_address``, the address the
login lockout uses: ``REMOTE_ADDR``, or behind a proxy of ``EOFFICE_TRUSTED_PROXIES`` the forwarded client).
"""

from __future__ import annotations

import time
from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from eoffice import otp, ratelimit
from eoffice.db import page_of
from onestop import selectors, services
from onestop.models import Channel, DossierState, Procedure
from onestop.public import forms

PAGE_SIZE = 20
VERIFIED_SECONDS = 60 * 60
# bucket: (requests, seconds) per client address; ONESTOP_PUBLIC_LIMITS in settings overrides.
LIMITS = {"track": (20, 600), "rate": (10, 600), "code": (10, 3600), "answer": (20, 600)}

SESSION_PENDING = "onestop_public_pending"  # the email a code was sent to
SESSION_VERIFIED = "onestop_public_email"  # {"email": ..., "until": epoch seconds}
SESSION_SUBMITTED = "onestop_public_submitted"  # the reference of the last submission
SESSION_DRAFT = "onestop_public_draft"  # what was typed when the verification ran out
SESSION_SUPPLEMENT = "onestop_public_supplement"  # {dossier pk: {"sent": bool, "until": epoch seconds}}

PUBLIC_PROCEDURES = Procedure.objects.active().filter(agency__is_active=True)
NOT_FOUND = gettext_lazy("Không tìm thấy hồ sơ với mã này. Vui lòng kiểm tra lại mã trên giấy tiếp nhận.")


# ---- rate limiting -------------------------------------------------------------------------------


def over_limit(request, bucket: str) -> bool:
    """Count one request of ``bucket`` for the client's address; True past the limit of its window."""
    limit, window = {**LIMITS, **getattr(settings, "ONESTOP_PUBLIC_LIMITS", {})}[bucket]
    return ratelimit.over_limit(
        f"onestop:public:{bucket}:{ratelimit.client_address(request)}", limit=limit, window=window
    )


def _too_many(request):
    return render(request, "onestop/public/too_many.html", status=429)


def limited(bucket: str):
    def decorate(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if over_limit(request, bucket):
                return _too_many(request)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate


def _errors(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# ---- catalogue -----------------------------------------------------------------------------------


def fee_label(amount: int) -> str:
    """50000 → "50.000 đồng"; 0 → "Không thu"."""
    if not amount:
        return _("Không thu")
    return _("%(amount)s đồng") % {"amount": f"{amount:,}".replace(",", ".")}


def procedure_list(request):
    form = forms.ProcedureFilterForm(request.GET or None)
    page = page_of(form.procedures(), request.GET.get("page"), PAGE_SIZE)
    for procedure in page.object_list:
        procedure.fee_label = fee_label(procedure.fee_amount)
    return render(request, "onestop/public/procedures.html", {"form": form, "page": page})


def procedure_detail(request, pk: int):
    procedure = get_object_or_404(PUBLIC_PROCEDURES.select_related("agency", "field"), pk=pk)
    procedure.fee_label = fee_label(procedure.fee_amount)
    context = {
        "procedure": procedure,
        "papers": procedure.papers.all(),
        "config": selectors.config_for(procedure.agency),
    }
    return render(request, "onestop/public/procedure.html", context)


# ---- online submission ---------------------------------------------------------------------------


def verified_email(request) -> str:
    data = request.session.get(SESSION_VERIFIED) or {}
    if data.get("until", 0) > time.time():
        return data.get("email", "")
    return ""


@never_cache
def submit(request, pk: int):
    """Step 1 an email, step 2 its one-time code, step 3 the dossier; one URL, the step from the session."""
    procedure = get_object_or_404(PUBLIC_PROCEDURES.select_related("agency", "field"), pk=pk)
    if not procedure.accepts_online:
        messages.error(request, _("Thủ tục này không tiếp nhận hồ sơ trực tuyến."))
        return redirect(procedure)
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "send":
        return _send_code(request, procedure)
    if action == "verify":
        return _verify_code(request, procedure)
    if action == "change":
        request.session.pop(SESSION_VERIFIED, None)
        request.session.pop(SESSION_PENDING, None)
        return redirect("onestop_public:submit", pk=pk)
    email = verified_email(request)
    if email:
        return _apply(request, procedure, email, posted=action == "submit")
    if action == "submit":
        # The verification ran out while the form was being filled in: keep what was typed for later.
        request.session[SESSION_DRAFT] = {k: request.POST.get(k, "") for k in forms.ApplyForm.TEXT_FIELDS}
        messages.warning(
            request,
            _(
                "Phiên xác thực thư điện tử đã hết hạn. Thông tin bạn đã nhập được giữ lại: "
                "vui lòng xác thực lại thư điện tử, sau đó chọn lại các tệp và gửi hồ sơ."
            ),
        )
        return redirect("onestop_public:submit", pk=pk)
    pending = request.session.get(SESSION_PENDING, "")
    context = {
        "procedure": procedure,
        "step": 2 if pending else 1,
        "pending": pending,
        "email_form": forms.EmailForm(initial={"email": pending}),
        "code_form": forms.CodeForm(),
    }
    return render(request, "onestop/public/submit.html", context)


def _apply(request, procedure, email: str, *, posted: bool):
    form = forms.ApplyForm(
        request.POST if posted else None,
        request.FILES if posted else None,
        procedure=procedure,
        email=email,
        initial=request.session.get(SESSION_DRAFT) or None,
    )
    if posted and form.is_valid():
        try:
            dossier = services.online_submit(**form.service_kwargs())
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            request.session.pop(SESSION_DRAFT, None)
            request.session[SESSION_SUBMITTED] = dossier.reference
            return redirect("onestop_public:submitted")
    context = {"procedure": procedure, "email": email, "step": 3, "form": form, "reselect": posted}
    return render(request, "onestop/public/submit.html", context)


def _send_code(request, procedure):
    form = forms.EmailForm(request.POST)
    context = {"procedure": procedure, "email": "", "step": 1, "email_form": form}
    if form.is_valid():
        if over_limit(request, "code"):
            return _too_many(request)
        email = form.cleaned_data["email"]
        try:
            otp.send(purpose=services.OTP_PURPOSE, email=email)
        except ValidationError as exc:
            form.add_error("email", exc)
        else:
            request.session[SESSION_PENDING] = email
            request.session.pop(SESSION_VERIFIED, None)
            messages.success(
                request,
                _("Mã xác thực đã được gửi tới %(email)s. Mã có hiệu lực trong %(n)d phút.")
                % {"email": email, "n": otp.MINUTES},
            )
            return redirect("onestop_public:submit", pk=procedure.pk)
    return render(request, "onestop/public/submit.html", context)


def _verify_code(request, procedure):
    pending = request.session.get(SESSION_PENDING, "")
    if not pending:
        return redirect("onestop_public:submit", pk=procedure.pk)
    form = forms.CodeForm(request.POST)
    if form.is_valid():
        if otp.verify(purpose=services.OTP_PURPOSE, email=pending, code=form.cleaned_data["code"]):
            request.session[SESSION_VERIFIED] = {"email": pending, "until": time.time() + VERIFIED_SECONDS}
            request.session.pop(SESSION_PENDING, None)
            messages.success(request, _("Đã xác thực địa chỉ thư điện tử. Mời bạn kê khai hồ sơ."))
            return redirect("onestop_public:submit", pk=procedure.pk)
        form.add_error(
            "code",
            _(
                "Mã xác thực không đúng hoặc đã hết hạn. Sau %(n)d lần nhập sai, mã không còn dùng được: "
                "hãy yêu cầu mã mới."
            )
            % {"n": otp.ATTEMPTS},
        )
    context = {
        "procedure": procedure,
        "email": "",
        "step": 2,
        "pending": pending,
        "email_form": forms.EmailForm(initial={"email": pending}),
        "code_form": form,
    }
    return render(request, "onestop/public/submit.html", context)


@never_cache
def submitted(request):
    reference = request.session.get(SESSION_SUBMITTED)
    dossier = selectors.public_dossier(reference) if reference else None
    if dossier is None:
        return redirect("onestop_public:procedures")
    context = {"dossier": dossier, "tracking_url": _tracking_path(dossier.public_code)}
    return render(request, "onestop/public/submitted.html", context)


# ---- tracking ------------------------------------------------------------------------------------


def _tracking_path(code: str) -> str:
    from urllib.parse import urlencode

    return f"{reverse('onestop_public:track')}?{urlencode({'code': code})}"


def _supplement_state(request, dossier) -> dict | None:
    """Where the applicant is in answering a supplement request online (None when it does not apply)."""
    if dossier.state != DossierState.SUPPLEMENT or dossier.channel != Channel.ONLINE:
        return None
    if not dossier.applicant_email:
        return None
    entry = (request.session.get(SESSION_SUPPLEMENT) or {}).get(str(dossier.pk)) or {}
    verified = entry.get("until", 0) > time.time()
    return {"sent": bool(entry.get("sent")), "verified": verified}


@never_cache
def track(request):
    code = (request.GET.get("code") or "").strip()
    form = forms.TrackForm(request.GET or None)
    context: dict = {"form": form, "code": code}
    if not code:
        return render(request, "onestop/public/track.html", context)
    if over_limit(request, "track"):
        return _too_many(request)
    dossier = selectors.public_dossier(code) if form.is_valid() else None
    if dossier is None:
        context["not_found"] = NOT_FOUND
        return render(request, "onestop/public/track.html", context)
    context.update(
        dossier=dossier,
        steps=selectors.steps(dossier),
        supplement=dossier.supplements.filter(answered_at__isnull=True).order_by("-requested_at").first()
        if dossier.state == DossierState.SUPPLEMENT
        else None,
        config=selectors.config_for(dossier.agency),
        can_rate=dossier.state == DossierState.RETURNED and dossier.rating is None,
        rate_form=forms.RateForm(initial={"code": dossier.public_code}, auto_id="rate_%s"),
        answer=_supplement_state(request, dossier),
        code_form=forms.CodeForm(prefix="otp"),
        supplement_form=forms.SupplementForm(),
    )
    return render(request, "onestop/public/track.html", context)


def _posted_dossier(request):
    dossier = selectors.public_dossier(request.POST.get("code", ""))
    if dossier is None:
        raise Http404
    return dossier


@require_POST
@limited("rate")
def rate(request):
    form = forms.RateForm(request.POST)
    dossier = _posted_dossier(request)
    if not form.is_valid():
        messages.error(request, _("Vui lòng chọn mức độ hài lòng từ 1 đến 5 sao."))
    else:
        try:
            services.dossier_rate(
                dossier=dossier, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"]
            )
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            messages.success(request, _("Cảm ơn bạn đã đánh giá mức độ hài lòng."))
    return redirect(_tracking_path(dossier.public_code) + "#danh-gia")


@require_POST
@limited("answer")
def supplement(request):
    """An online dossier waiting for papers: confirm the dossier's own email, then upload the papers."""
    dossier = _posted_dossier(request)
    state = _supplement_state(request, dossier)
    back = _tracking_path(dossier.public_code) + "#bo-sung"
    if state is None:
        messages.error(request, _("Hồ sơ này không chờ bổ sung trực tuyến."))
        return redirect(back)
    sessions = request.session.get(SESSION_SUPPLEMENT) or {}
    key = str(dossier.pk)
    action = request.POST.get("action")
    if action == "send":
        try:
            otp.send(purpose=services.OTP_PURPOSE, email=dossier.applicant_email)
        except ValidationError as exc:
            messages.error(request, _errors(exc))
        else:
            sessions[key] = {"sent": True, "until": 0}
            messages.success(request, _("Mã xác thực đã được gửi tới thư điện tử đã đăng ký khi nộp hồ sơ."))
    elif action == "verify" and state["sent"]:
        form = forms.CodeForm(request.POST, prefix="otp")
        if form.is_valid() and otp.verify(
            purpose=services.OTP_PURPOSE, email=dossier.applicant_email, code=form.cleaned_data["code"]
        ):
            sessions[key] = {"sent": True, "until": time.time() + VERIFIED_SECONDS}
            messages.success(request, _("Đã xác thực. Mời bạn tải lên giấy tờ bổ sung."))
        else:
            messages.error(request, _("Mã xác thực không đúng hoặc đã hết hạn."))
    elif action == "upload" and state["verified"]:
        form = forms.SupplementForm(request.POST, request.FILES)
        if not form.is_valid():
            for errors in form.errors.values():
                for error in errors:
                    messages.error(request, error)
        else:
            try:
                services.dossier_supplement_received(
                    dossier=dossier,
                    by=None,
                    papers=form.paper_inputs(),
                    note=form.cleaned_data["note"],
                    via=Channel.ONLINE,
                )
            except ValidationError as exc:
                messages.error(request, _errors(exc))
            else:
                sessions.pop(key, None)
                messages.success(request, _("Đã gửi giấy tờ bổ sung. Hồ sơ tiếp tục được giải quyết."))
    request.session[SESSION_SUPPLEMENT] = sessions
    return redirect(back)
