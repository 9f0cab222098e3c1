"""The page "Giao ký, ủy quyền ký" (list, new, one record with its history and revocation), and the signer
list of the draft form refreshed when the prefix or the type changes (htmx)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from documents.outgoing import forms as outgoing_forms
from documents.outgoing.authorizations import forms, selectors, services
from eoffice.actions import error_text
from eoffice.db import page_of
from eoffice.forms import add_form_errors
from eoffice.params import int_param

PAGE_SIZE = 50


def _manager(request):
    if not selectors.can_manage(request.user):
        raise PermissionDenied
    return request.user


@login_required
def authorization_list(request):
    user = _manager(request)
    status = request.GET.get("status", "current")
    if status not in selectors.STATUSES:
        status = "current"
    page = page_of(selectors.authorizations_of(user=user, status=status), request.GET.get("page"), PAGE_SIZE)
    page.object_list = selectors.with_status(page.object_list, timezone.localdate())
    return render(request, "documents/outgoing/authorizations/list.html", {"page": page, "status": status})


@login_required
def authorization_create(request):
    user = _manager(request)
    form = forms.AuthorizationForm(
        request.POST or None,
        user=user,
        initial={"valid_from": timezone.localdate(), "decision_date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            record = services.authorization_create(by=user, fields=form.fields_value())
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(
                request,
                _("Đã ghi nhận %(prefix)s cho %(name)s.")
                % {"prefix": record.authority, "name": record.grantee.get_full_name()},
            )
            return redirect("documents:authorization_detail", pk=record.pk)
    return render(request, "documents/outgoing/authorizations/form.html", {"form": form})


@login_required
def authorization_detail(request, pk: int):
    user = _manager(request)
    record = selectors.authorization_access(user=user, pk=pk)
    selectors.with_status([record], timezone.localdate())
    context = {
        "record": record,
        "history": selectors.history_of(record),
        "revoke_form": forms.RevokeForm() if record.revoked_at is None else None,
    }
    return render(request, "documents/outgoing/authorizations/detail.html", context)


@login_required
@require_POST
def authorization_revoke(request, pk: int):
    user = _manager(request)
    form = forms.RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Vui lòng nhập lý do chấm dứt."))
        return redirect("documents:authorization_detail", pk=pk)
    try:
        services.authorization_revoke(by=user, pk=pk, reason=form.cleaned_data["reason"])
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Đã chấm dứt việc giao ký."))
    return redirect("documents:authorization_detail", pk=pk)


@login_required
def signer_choices(request):
    """The draft form's signer field for the prefix and type chosen now (htmx swaps it in place)."""
    if not request.user.agency_id:
        raise PermissionDenied
    initial = {
        "signer_authority": request.GET.get("signer_authority", ""),
        "doc_type": int_param(request.GET.get("doc_type")),
        "signer": int_param(request.GET.get("signer")),
    }
    form = outgoing_forms.DraftForm(user=request.user, initial=initial)
    return render(request, "documents/outgoing/_signer_choices.html", {"form": form})
