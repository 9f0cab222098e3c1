"""Writes of the authorisation records: created with their decision, scope and period; revoked. Each write
in one transaction with its history row (who, when, why)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.models import DocumentType
from documents.outgoing.authorizations import selectors
from documents.outgoing.models import SigningAuthorization
from eoffice.models import Role, User
from workflow import services as wf
from workflow.models import HistoryEntry

Kind = SigningAuthorization.Authority
# Điều 13.3 and 13.4: thừa ủy quyền and thừa lệnh go to the head of a unit of the agency.
UNIT_HEAD_ONLY = (Kind.TUQ, Kind.TL)
# Giao quyền and ủy quyền are for a period (Điều 13.3 "giới hạn thời gian").
PERIOD_REQUIRED = (Kind.Q, Kind.TUQ)


@dataclass
class AuthorizationFields:
    authority: str
    grantee: User
    authority_title: str
    valid_from: date
    decision_number: str
    decision_date: date
    valid_to: date | None = None
    grantor: User | None = None
    scope: str = ""
    doc_types: Sequence[DocumentType] = field(default_factory=tuple)


def _check(fields: AuthorizationFields, by: User) -> None:
    errors: dict[str, str] = {}
    if fields.authority not in Kind.values:
        errors["authority"] = _("Hình thức giao ký không hợp lệ.")
    grantee = fields.grantee
    if grantee is None or grantee.agency_id != by.agency_id or not grantee.is_active:
        errors["grantee"] = _("Người được giao phải là cán bộ đang làm việc của cơ quan.")
    elif fields.authority in UNIT_HEAD_ONLY and not grantee.has_role(Role.DEPARTMENT_HEAD):
        errors["grantee"] = _(
            "%(prefix)s chỉ giao cho người đứng đầu (hoặc cấp phó) đơn vị thuộc cơ quan."
        ) % {"prefix": fields.authority}
    elif not grantee.has_role(Role.LEADER, Role.DEPARTMENT_HEAD):
        errors["grantee"] = _("Người được giao phải là lãnh đạo cơ quan hoặc lãnh đạo đơn vị.")
    if fields.grantor is not None and (
        fields.grantor.agency_id != by.agency_id or not fields.grantor.has_role(Role.LEADER)
    ):
        errors["grantor"] = _("Người giao phải là lãnh đạo của cơ quan.")
    elif fields.grantor is not None and grantee is not None and fields.grantor.pk == grantee.pk:
        errors["grantor"] = _("Người giao và người được giao phải khác nhau.")
    if not fields.authority_title.strip():
        errors["authority_title"] = _(
            "Vui lòng nhập chức danh người đứng đầu in trên văn bản (ví dụ GIÁM ĐỐC)."
        )
    if not fields.decision_number.strip():
        errors["decision_number"] = _("Vui lòng nhập số, ký hiệu văn bản giao.")
    if fields.valid_to is not None and fields.valid_to < fields.valid_from:
        errors["valid_to"] = _("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu.")
    elif fields.valid_to is None and fields.authority in PERIOD_REQUIRED:
        errors["valid_to"] = _("Giao quyền, ủy quyền phải có thời hạn: vui lòng nhập ngày kết thúc.")
    if fields.decision_date > fields.valid_from:
        errors["decision_date"] = _("Văn bản giao phải ban hành trước hoặc trong ngày bắt đầu hiệu lực.")
    if errors:
        raise ValidationError(errors)


def authorization_create(*, by: User, fields: AuthorizationFields) -> SigningAuthorization:
    """Record a giao ký thay / giao quyền / thừa lệnh / ủy quyền of the agency (admin or leader)."""
    if not selectors.can_manage(by):
        raise PermissionDenied
    _check(fields, by)
    with transaction.atomic():
        record = SigningAuthorization.objects.create(
            agency_id=by.agency_id,
            authority=fields.authority,
            grantor=fields.grantor,
            grantee=fields.grantee,
            authority_title=fields.authority_title.strip().upper(),
            scope=fields.scope.strip(),
            valid_from=fields.valid_from,
            valid_to=fields.valid_to,
            decision_number=fields.decision_number.strip(),
            decision_date=fields.decision_date,
            created_by=by,
        )
        record.doc_types.set(fields.doc_types)
        wf.history_add(
            record=record,
            event=HistoryEntry.Event.CREATED,
            actor=by,
            action="create",
            data={
                "authority": record.authority,
                "grantee": record.grantee_id,
                "valid_from": record.valid_from.isoformat(),
                "valid_to": record.valid_to.isoformat() if record.valid_to else None,
                "decision_number": record.decision_number,
                "doc_types": sorted(t.pk for t in fields.doc_types),
            },
        )
    return record


def authorization_revoke(*, by: User, pk: int, reason: str) -> SigningAuthorization:
    """End a record now (chấm dứt): documents waiting for the grantee's signature are refused from now."""
    if not reason.strip():
        raise ValidationError({"reason": _("Vui lòng nhập lý do chấm dứt.")})
    with transaction.atomic():
        record = selectors.authorization_access(user=by, pk=pk, lock=True)
        if record.revoked_at is not None:
            raise ValidationError(_("Văn bản giao này đã được chấm dứt trước đó."))
        record.revoked_at = timezone.now()
        record.revoked_by = by
        record.save(update_fields=["revoked_at", "revoked_by"])
        wf.history_add(
            record=record, event=HistoryEntry.Event.UPDATED, actor=by, action="revoke", comment=reason.strip()
        )
    return record
