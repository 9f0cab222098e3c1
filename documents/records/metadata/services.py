"""Writes of the metadata package: the agency's custom fields (III.7c), their values on a record, and
access-right changes that wait for a person with authority (III.3c). Each write is one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.records.metadata import access
from documents.records.models import AccessChange, CaseFile, CustomField, CustomFieldValue, UsageRights
from eoffice.menu import forget_badges
from eoffice.services import notify

MAX_VALUE = 1000

# --- custom fields --------------------------------------------------------------------------------------


def _require_admin(by) -> None:
    if not access.can_manage_fields(by):
        raise PermissionDenied(_("Chỉ quản trị cơ quan được quản lý trường dữ liệu bổ sung."))


def _clean_label(label: str) -> str:
    label = " ".join((label or "").split())
    if not label:
        raise ValidationError({"label": _("Vui lòng nhập tên trường.")})
    if len(label) > 100:
        raise ValidationError({"label": _("Tên trường tối đa 100 ký tự.")})
    return label


def _duplicate(label: str) -> ValidationError:
    return ValidationError(
        {"label": _("Đã có trường “%(label)s” cho loại hồ sơ, văn bản này.") % {"label": label}}
    )


def custom_field_create(*, by, kind: str, label: str, field_type: str) -> CustomField:
    _require_admin(by)
    if kind not in access.KINDS:
        raise ValidationError({"kind": _("Loại hồ sơ, văn bản không hợp lệ.")})
    if field_type not in CustomField.FieldType.values:
        raise ValidationError({"field_type": _("Kiểu dữ liệu không hợp lệ.")})
    label = _clean_label(label)
    try:
        with transaction.atomic():
            if CustomField.objects.filter(agency_id=by.agency_id, kind=kind, label__iexact=label).exists():
                raise _duplicate(label)
            last = CustomField.objects.filter(agency_id=by.agency_id, kind=kind).aggregate(n=Max("position"))[
                "n"
            ]
            return CustomField.objects.create(
                agency_id=by.agency_id,
                kind=kind,
                label=label,
                field_type=field_type,
                position=(last or 0) + 1,
            )
    except IntegrityError as exc:
        raise _duplicate(label) from exc


def _field_for(by, pk: int, *, lock: bool = True) -> CustomField:
    from django.shortcuts import get_object_or_404

    qs = CustomField.objects.filter(agency_id=by.agency_id)
    return get_object_or_404(qs.select_for_update() if lock else qs, pk=pk)


def custom_field_rename(*, by, pk: int, label: str) -> CustomField:
    _require_admin(by)
    label = _clean_label(label)
    try:
        with transaction.atomic():
            field = _field_for(by, pk)
            clash = CustomField.objects.filter(agency_id=by.agency_id, kind=field.kind, label__iexact=label)
            if clash.exclude(pk=field.pk).exists():
                raise _duplicate(label)
            field.label = label
            field.save(update_fields=["label"])
            return field
    except IntegrityError as exc:
        raise _duplicate(label) from exc


def custom_field_set_active(*, by, pk: int, active: bool) -> CustomField:
    """Deactivate (the values stay, hidden and not searchable) or reactivate a field."""
    _require_admin(by)
    with transaction.atomic():
        field = _field_for(by, pk)
        field.is_active = active
        field.save(update_fields=["is_active"])
        return field


def custom_field_move(*, by, pk: int, up: bool) -> CustomField:
    """Swap the field with its neighbour of the same kind (positions renumbered 1..n)."""
    _require_admin(by)
    with transaction.atomic():
        field = _field_for(by, pk)
        fields = list(
            CustomField.objects.select_for_update()
            .filter(agency_id=by.agency_id, kind=field.kind)
            .order_by("position", "id")
        )
        i = next(n for n, f in enumerate(fields) if f.pk == field.pk)
        j = i - 1 if up else i + 1
        if 0 <= j < len(fields):
            fields[i], fields[j] = fields[j], fields[i]
        for n, f in enumerate(fields, start=1):
            if f.position != n:
                f.position = n
                f.save(update_fields=["position"])
        return field


def clean_value(field: CustomField, raw: str) -> str:
    """The stored text of a value typed for ``field``, checked against its type ('' clears it)."""
    text = (
        " ".join((raw or "").split())
        if field.field_type != CustomField.FieldType.TEXT
        else (raw or "").strip()
    )
    if not text:
        return ""
    if "\x00" in text:
        raise ValidationError(_("“%(label)s” có ký tự không hợp lệ.") % {"label": field.label})
    if field.field_type == CustomField.FieldType.NUMBER:
        try:
            number = Decimal(text.replace(" ", "").replace(",", "."))
        except InvalidOperation as exc:
            raise ValidationError(_("“%(label)s” phải là một số.") % {"label": field.label}) from exc
        if not number.is_finite():
            raise ValidationError(_("“%(label)s” phải là một số.") % {"label": field.label})
        text = format(number.normalize(), "f")
    elif field.field_type == CustomField.FieldType.DATE:
        value = None
        for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
            try:
                value = dt.datetime.strptime(text, fmt).date()
                break
            except ValueError:
                continue
        if value is None:
            raise ValidationError(
                _("“%(label)s” phải là ngày theo dạng ngày/tháng/năm.") % {"label": field.label}
            )
        text = value.isoformat()
    if len(text) > MAX_VALUE:
        raise ValidationError(_("“%(label)s” tối đa %(n)d ký tự.") % {"label": field.label, "n": MAX_VALUE})
    return text


def custom_values_save(*, by, kind: str, pk: int, values: Mapping[int, str]) -> int:
    """Store the values of the record's active custom fields (``values``: field pk → typed text). Every
    value is checked first; nothing is written when one is wrong. Returns the number of fields changed."""
    with transaction.atomic():
        record = access.record_access(user=by, kind=kind, pk=pk, lock=True)
        if not access.can_edit_values(by, kind, record):
            raise PermissionDenied(_("Bạn không có quyền cập nhật thông tin của hồ sơ, văn bản này."))
        if kind in ("incoming", "outgoing"):
            from documents.records.selectors import record_in_archived_file

            if record_in_archived_file(kind, record.pk):
                raise ValidationError(_("Văn bản nằm trong hồ sơ đã nộp lưu, không được thay đổi."))
        fields = {
            f.pk: f for f in CustomField.objects.filter(agency_id=record.agency_id, kind=kind, is_active=True)
        }
        errors = []
        cleaned: dict[int, str] = {}
        for field_pk, raw in values.items():
            field = fields.get(field_pk)
            if field is None:
                continue
            try:
                cleaned[field_pk] = clean_value(field, raw)
            except ValidationError as exc:
                errors.extend(exc.messages)
        if errors:
            raise ValidationError(errors)
        existing = {
            v.field_id: v for v in CustomFieldValue.objects.filter(field_id__in=list(cleaned), object_id=pk)
        }
        changed = 0
        for field_pk, text in cleaned.items():
            current = existing.get(field_pk)
            if not text:
                if current is not None:
                    current.delete()
                    changed += 1
            elif current is None:
                CustomFieldValue.objects.create(field_id=field_pk, object_id=pk, value=text, updated_by=by)
                changed += 1
            elif current.value != text:
                current.value, current.updated_by = text, by
                current.save(update_fields=["value", "updated_by", "updated_at"])
                changed += 1
        return changed


# --- access-right changes (III.3c) ---------------------------------------------------------------------


def _confirmers(agency_id: int, *, exclude) -> list:
    from eoffice.models import Role, User

    return list(
        User.objects.filter(
            agency_id=agency_id,
            is_active=True,
            groups__agency_role__role__in=[Role.LEADER, Role.AGENCY_ADMIN],
        )
        .exclude(pk=exclude.pk)
        .distinct()
    )


def _pending_exists(**match) -> bool:
    return AccessChange.objects.filter(status=AccessChange.Status.PENDING, **match).exists()


def _tell_confirmers(change: AccessChange, *, by, url: str, label: str) -> None:
    notify(
        recipients=_confirmers(change.agency_id, exclude=by),
        kind="documents.records",
        title=_("Đề nghị thay đổi quyền truy cập chờ xác nhận: %(label)s") % {"label": label},
        body=change.reason[:200],
        url=url,
    )


def access_grant_request(*, document, by, users: Sequence, reason: str = "", revoke: bool = False) -> list:
    """Ask that ``users`` get (or, with ``revoke``, lose) the right to see the secret incoming ``document``.
    Nothing changes until a leader or the agency admin confirms (``access_change_decide``)."""
    from documents.incoming.models import IncomingDocument
    from eoffice.models import Role

    with transaction.atomic():
        locked = access.record_access(user=by, kind="incoming", pk=document.pk, lock=True)
        assert isinstance(locked, IncomingDocument)
        if not locked.is_secret:
            raise ValidationError(_("Chỉ cấp hoặc thu hồi quyền xem riêng đối với văn bản mật."))
        if not (by.agency_id == locked.agency_id and by.has_role(Role.LEADER, Role.CLERK)):
            raise PermissionDenied(
                _("Chỉ lãnh đạo hoặc văn thư được đề nghị thay đổi quyền xem văn bản mật.")
            )
        action = AccessChange.Action.REVOKE if revoke else AccessChange.Action.GRANT
        made = []
        for user in users:
            if user.agency_id != locked.agency_id:
                raise ValidationError(_("Chỉ cấp quyền cho cán bộ của cơ quan."))
            if _pending_exists(kind="incoming", object_id=locked.pk, grantee=user, action=action):
                continue
            made.append(
                AccessChange.objects.create(
                    agency_id=locked.agency_id,
                    kind="incoming",
                    object_id=locked.pk,
                    action=action,
                    grantee=user,
                    reason=(reason or "").strip()[:2000],
                    requested_by=by,
                )
            )
        if not made:
            raise ValidationError(_("Các đề nghị này đang chờ xác nhận."))
        from documents.incoming.rules import notice_label

        for change in made:
            _tell_confirmers(change, by=by, url=locked.get_absolute_url(), label=notice_label(locked))
    return made


def access_rights_request(*, case_file_pk: int, by, new_rights: str, reason: str = "") -> AccessChange:
    """Ask that a case file's usage rights (chế độ sử dụng) become ``new_rights``; pending until confirmed."""
    from documents.records.access import ensure_changeable, is_manager

    if new_rights not in UsageRights.values:
        raise ValidationError({"new_rights": _("Chế độ sử dụng không hợp lệ.")})
    with transaction.atomic():
        case_file = access.record_access(user=by, kind="casefile", pk=case_file_pk, lock=True)
        if not is_manager(by, case_file):
            raise PermissionDenied(_("Bạn không có quyền đề nghị đổi chế độ sử dụng của hồ sơ này."))
        ensure_changeable(case_file)
        if case_file.rights == new_rights:
            raise ValidationError({"new_rights": _("Hồ sơ đang ở chế độ sử dụng này.")})
        if _pending_exists(kind="casefile", object_id=case_file.pk, action=AccessChange.Action.RIGHTS):
            raise ValidationError(_("Hồ sơ đã có một đề nghị đổi chế độ sử dụng đang chờ xác nhận."))
        change = AccessChange.objects.create(
            agency_id=case_file.agency_id,
            kind="casefile",
            object_id=case_file.pk,
            action=AccessChange.Action.RIGHTS,
            new_rights=new_rights,
            reason=(reason or "").strip()[:2000],
            requested_by=by,
        )
        _tell_confirmers(
            change, by=by, url=_case_file_url(case_file), label=f"{case_file.code} {case_file.title}"
        )
    return change


def _case_file_url(case_file: CaseFile) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("documents:casefile_detail", args=[case_file.pk])
    except NoReverseMatch:  # pragma: no cover - the case file page is helper 2's
        return reverse("documents:access_change_list")


def _apply(change: AccessChange, *, by) -> None:
    """Apply a confirmed change: the grant or revoke on the incoming document, the new rights of the file."""
    from workflow import services as wf
    from workflow.models import HistoryEntry

    if change.kind == "incoming":
        from documents.incoming.models import IncomingDocument, IncomingDocumentUserObjectPermission
        from documents.incoming.services.common import grant_view

        document = IncomingDocument.objects.select_for_update().get(pk=change.object_id)
        grantee = change.grantee
        if change.action == AccessChange.Action.GRANT:
            grant_view(document, [grantee])
            comment = _("Cấp quyền xem (đã xác nhận): %(name)s") % {"name": grantee}
        else:
            IncomingDocumentUserObjectPermission.objects.filter(
                content_object=document, user=grantee
            ).delete()
            comment = _("Thu hồi quyền xem (đã xác nhận): %(name)s") % {"name": grantee}
        wf.history_add(
            record=document,
            event=HistoryEntry.Event.COMMENT,
            actor=by,
            action=change.action,
            comment=comment,
            data={"access_change": change.pk, "user": grantee.pk},
        )
        if change.action == AccessChange.Action.GRANT:
            from documents.incoming.rules import notice_label

            notify(
                recipients=[grantee],
                kind="documents.incoming",
                title=_("Được cấp quyền xem văn bản mật: %(label)s") % {"label": notice_label(document)},
                url=document.get_absolute_url(),
            )
    elif change.kind == "casefile":
        from documents.records.access import ensure_changeable

        case_file = CaseFile.objects.select_for_update().get(pk=change.object_id)
        ensure_changeable(case_file)
        case_file.rights = change.new_rights
        case_file.save(update_fields=["rights"])


def access_change_decide(*, by, pk: int, confirm: bool) -> AccessChange:
    """A leader or the agency admin (not the person who asked) confirms the change, which then takes
    effect, or refuses it, which leaves everything as it was."""
    from django.shortcuts import get_object_or_404

    with transaction.atomic():
        change = get_object_or_404(
            AccessChange.objects.select_for_update(of=("self",)).select_related("grantee"),
            pk=pk,
            agency_id=by.agency_id,
        )
        if not access.can_confirm(by, change.agency_id):
            raise PermissionDenied(
                _("Chỉ lãnh đạo hoặc quản trị cơ quan được xác nhận thay đổi quyền truy cập.")
            )
        if change.requested_by_id == by.pk:
            raise PermissionDenied(_("Người đề nghị không tự xác nhận đề nghị của mình."))
        if change.status != AccessChange.Status.PENDING:
            raise ValidationError(_("Đề nghị này đã được xử lý."))
        if confirm:
            _apply(change, by=by)
        change.status = AccessChange.Status.CONFIRMED if confirm else AccessChange.Status.REFUSED
        change.decided_by, change.decided_at = by, timezone.now()
        change.save(update_fields=["status", "decided_by", "decided_at"])
        # the grantee's too: a revoked grant must leave their badges and what is kept with them
        forget_badges([u.pk for u in _confirmers(change.agency_id, exclude=by)] + [by.pk, change.grantee_id])
    notify(
        recipients=[change.requested_by],
        kind="documents.records",
        title=(
            _("Đề nghị thay đổi quyền truy cập đã được xác nhận")
            if confirm
            else _("Đề nghị thay đổi quyền truy cập không được xác nhận")
        ),
        url="",
    )
    return change
