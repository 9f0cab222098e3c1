"""Thin views of the metadata package: the admin's custom fields page, a record's custom values, the
access changes (list, decide), the requests to revoke a view right and to change a case file's rights."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from documents.records.metadata import access, forms, selectors, services
from eoffice.params import page_number


def _errors(exc) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return " ".join(str(e) for errors in exc.errors.values() for e in errors)


def _back(request, fallback: str) -> str:
    url = request.POST.get("next") or ""
    if url and url_has_allowed_host_and_scheme(url, allowed_hosts={request.get_host()}):
        return url
    return fallback


@login_required
def custom_fields(request):
    if not access.can_manage_fields(request.user):
        raise PermissionDenied
    url = reverse("documents:custom_fields")
    if request.method == "POST":
        op = request.POST.get("op", "")
        try:
            if op == "create":
                form = forms.CustomFieldForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_errors(form))
                field = services.custom_field_create(by=request.user, **form.cleaned_data)
                messages.success(request, _("Đã thêm trường “%(label)s”.") % {"label": field.label})
            elif op == "rename":
                form = forms.RenameForm(request.POST)
                if not form.is_valid():
                    raise ValidationError(_errors(form))
                field = services.custom_field_rename(
                    by=request.user, pk=int(request.POST.get("pk", 0)), label=form.cleaned_data["label"]
                )
                messages.success(request, _("Đã đổi tên trường thành “%(label)s”.") % {"label": field.label})
            elif op in ("up", "down"):
                services.custom_field_move(by=request.user, pk=int(request.POST.get("pk", 0)), up=op == "up")
            elif op in ("deactivate", "activate"):
                field = services.custom_field_set_active(
                    by=request.user, pk=int(request.POST.get("pk", 0)), active=op == "activate"
                )
                messages.success(
                    request,
                    (
                        _("Đã ngừng dùng trường “%(label)s”.")
                        if op == "deactivate"
                        else _("Đã dùng lại trường “%(label)s”.")
                    )
                    % {"label": field.label},
                )
            else:
                raise ValidationError(_("Thao tác không hợp lệ."))
        except (ValidationError, ValueError) as exc:
            messages.error(
                request, _errors(exc) if isinstance(exc, ValidationError) else _("Dữ liệu không hợp lệ.")
            )
        return redirect(url)
    groups = []
    for kind, label in forms.KIND_CHOICES:
        fields = list(selectors.custom_fields(agency_id=request.user.agency_id, kind=kind, active_only=False))
        groups.append({"kind": kind, "label": label, "fields": fields})
    return render(
        request,
        "documents/records/metadata/custom_fields.html",
        {
            "groups": groups,
            "form": forms.CustomFieldForm(initial={"kind": request.GET.get("kind", "incoming")}),
        },
    )


@login_required
@require_POST
def values_save(request, kind: str, pk: int):
    if kind not in access.KINDS:
        raise Http404
    record = access.record_access(user=request.user, kind=kind, pk=pk)
    values = {}
    for name, raw in request.POST.items():
        if name.startswith("cf_") and name[3:].isascii() and name[3:].isdigit():
            values[int(name[3:])] = raw
    try:
        changed = services.custom_values_save(by=request.user, kind=kind, pk=pk, values=values)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(
            request,
            _("Đã cập nhật thông tin bổ sung.") if changed else _("Thông tin bổ sung không thay đổi."),
        )
    return redirect(_back(request, record.get_absolute_url() if hasattr(record, "get_absolute_url") else "/"))


@login_required
@require_safe
def change_list(request):
    from django.core.paginator import Paginator

    status = request.GET.get("status", "pending")
    qs = selectors.changes_for(request.user)
    if status in ("pending", "confirmed", "refused"):
        qs = qs.filter(status=status)
    page = Paginator(qs, 25).get_page(page_number(request.GET.get("page")))
    targets = selectors.change_targets(page.object_list)
    rows = [
        {
            "change": c,
            "target": targets.get((c.kind, c.object_id), ("—", "")),
            "mine": c.requested_by_id == request.user.pk,
        }
        for c in page.object_list
    ]
    return render(
        request,
        "documents/records/metadata/changes.html",
        {
            "page": page,
            "rows": rows,
            "status": status,
            "can_confirm": access.can_confirm(request.user, request.user.agency_id),
        },
    )


@login_required
@require_POST
def change_decide(request, pk: int):
    confirm = request.POST.get("decision") == "confirm"
    try:
        services.access_change_decide(by=request.user, pk=pk, confirm=confirm)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(
            request,
            _("Đã xác nhận: thay đổi quyền truy cập có hiệu lực.")
            if confirm
            else _("Đã không xác nhận: quyền truy cập giữ nguyên."),
        )
    return redirect(_back(request, reverse("documents:access_change_list")))


@login_required
@require_POST
def revoke_request(request, pk: int):
    """Ask that a person lose an explicit view right on a secret incoming document."""
    from eoffice.models import User

    document = access.record_access(user=request.user, kind="incoming", pk=pk)
    form = forms.RevokeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_errors(form))
        user = User.objects.filter(pk=form.cleaned_data["user"], agency_id=document.agency_id).first()
        if user is None:
            raise ValidationError(_("Người được chọn không thuộc cơ quan."))
        services.access_grant_request(
            document=document, by=request.user, users=[user], reason=form.cleaned_data["reason"], revoke=True
        )
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Đã gửi đề nghị thu hồi quyền xem; chờ lãnh đạo xác nhận."))
    return redirect(document.get_absolute_url())


@login_required
@require_POST
def rights_request(request, pk: int):
    """Ask that a case file's usage rights change (helper 2's case file page includes the form)."""
    case_file = access.record_access(user=request.user, kind="casefile", pk=pk)
    form = forms.RightsRequestForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_errors(form))
        services.access_rights_request(case_file_pk=case_file.pk, by=request.user, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, _errors(exc))
    else:
        messages.success(request, _("Đã gửi đề nghị đổi chế độ sử dụng; chờ lãnh đạo xác nhận."))
    return redirect(
        _back(request, selectors.case_file_url(case_file.pk) or reverse("documents:access_change_list"))
    )
