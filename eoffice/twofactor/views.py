"""The person's "Bảo mật tài khoản" page, and the agency admin's "Xác thực hai lớp" page."""

from __future__ import annotations

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_otp import login as otp_login

from eoffice.models import Agency
from eoffice.ratelimit import over_limit
from eoffice.twofactor import policy, selectors, services
from eoffice.twofactor.login import CODE_LIMIT, CODE_WINDOW, CodeForm

NEW_CODES = "twofactor_new_codes"


class PolicyForm(forms.Form):
    two_factor = forms.ChoiceField(
        label=gettext_lazy("Chính sách xác thực hai lớp"),
        choices=Agency._meta.get_field("two_factor").choices,
        widget=forms.RadioSelect,
    )


def _issuer(user) -> str:
    agency = user.agency if user.agency_id else None
    return f"eoffice {agency.abbreviation}" if agency else "eoffice"


@never_cache
@login_required
def security(request, confirm_form=None):
    """The person's state: the app (or its enrolment, with the QR code), the backup codes left (the new
    ones shown once), turning it off."""
    user = request.user
    device = policy.totp_device(user)
    pending = None if device else policy.totp_device(user, confirmed=False)
    context = {
        "device": device,
        "pending": pending,
        "required": policy.required_for(user),
        "held": policy.required_for(user) and not user.is_verified(),
        "codes_left": policy.backup_left(user) if device else 0,
        "new_codes": request.session.pop(NEW_CODES, None) if device else None,
        "code_form": confirm_form or CodeForm(),
    }
    if pending is not None:
        url = services.config_url(pending, issuer=_issuer(user))
        context["qr_svg"] = segno.make(url, error="m").svg_inline(scale=5, border=2, title=_("Mã QR"))
        context["secret"] = services.secret_b32(pending)
        context["issuer"] = _issuer(user)
    template = (
        "eoffice/twofactor/security_held.html" if context["held"] else "eoffice/twofactor/security.html"
    )
    return render(request, template, context)


@login_required
@require_POST
def enrol(request):
    try:
        services.enrol_start(user=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    return redirect("twofactor_security")


def _rate_limited(request) -> bool:
    if over_limit(f"twofactor:{request.user.pk}", limit=CODE_LIMIT, window=CODE_WINDOW):
        messages.error(request, _("Bạn đã nhập mã quá nhiều lần. Vui lòng thử lại sau 15 phút."))
        return True
    return False


@sensitive_post_parameters("code")
@login_required
@require_POST
def confirm(request):
    form = CodeForm(request.POST)
    if not form.is_valid():
        return security(request, confirm_form=form)
    if _rate_limited(request):
        return redirect("twofactor_security")
    try:
        device, codes = services.enrol_confirm(user=request.user, code=form.cleaned_data["code"])
    except ValidationError as exc:
        form.add_error("code", exc.messages[0])
        return security(request, confirm_form=form)
    otp_login(request, device)
    request.session[NEW_CODES] = codes
    messages.success(request, _("Đã bật xác thực hai lớp. Hãy lưu các mã dự phòng dưới đây."))
    return redirect("twofactor_security")


@login_required
@require_POST
def codes_renew(request):
    if not request.user.is_verified():
        raise PermissionDenied
    try:
        request.session[NEW_CODES] = services.backup_codes_renew(user=request.user)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Đã tạo 10 mã dự phòng mới; các mã cũ không còn dùng được."))
    return redirect("twofactor_security")


@sensitive_post_parameters("code")
@login_required
@require_POST
def disable(request):
    form = CodeForm(request.POST)
    if not form.is_valid() or _rate_limited(request):
        messages.error(request, _("Hãy nhập mã xác thực hiện tại để tắt xác thực hai lớp."))
        return redirect("twofactor_security")
    try:
        services.disable(user=request.user, code=form.cleaned_data["code"])
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(request, _("Đã tắt xác thực hai lớp."))
    return redirect("twofactor_security")


@never_cache
@login_required
def agency(request):
    """The agency admin's page: the policy, and each person's state with "Đặt lại"."""
    if not services.may_manage(request.user):
        raise PermissionDenied
    form = PolicyForm(request.POST or None, initial={"two_factor": request.user.agency.two_factor})
    if request.method == "POST" and form.is_valid():
        services.policy_set(by=request.user, value=form.cleaned_data["two_factor"])
        messages.success(request, _("Đã lưu chính sách xác thực hai lớp của cơ quan."))
        return redirect("twofactor_agency")
    people = list(selectors.agency_staff(user=request.user))
    context = {
        "form": form,
        "people": people,
        "enrolled": sum(1 for p in people if p.has_app),
        "missing": sum(1 for p in people if p.required and not p.has_app),
        "history": selectors.agency_history(user=request.user),
    }
    return render(request, "eoffice/twofactor/agency.html", context)


@login_required
@require_POST
def reset(request, pk: int):
    try:
        person = services.devices_reset(by=request.user, pk=pk)
    except ValidationError as exc:
        messages.error(request, exc.messages[0])
    else:
        messages.success(
            request, _("Đã đặt lại xác thực hai lớp của %(name)s.") % {"name": person.get_full_name()}
        )
    return redirect("twofactor_agency")
