"""Reads of the authorisation records: always within the reader's agency, filtered in SQL."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.outgoing.models import SigningAuthorization
from eoffice.models import Role, User
from workflow.models import HistoryEntry

STATUSES = ("current", "all")


def can_manage(user: User) -> bool:
    """The agency admin and the leaders keep the records of their own agency."""
    return bool(getattr(user, "agency_id", None)) and user.has_role(Role.AGENCY_ADMIN, Role.LEADER)


def authorizations_of(*, user: User, status: str = "current") -> QuerySet[SigningAuthorization]:
    """The agency's records; ``current``: not revoked and not yet ended (valid now or later)."""
    if not can_manage(user):
        return SigningAuthorization.objects.none()
    qs = SigningAuthorization.objects.filter(agency_id=user.agency_id)
    if status == "current":
        today = timezone.localdate()
        qs = qs.filter(revoked_at__isnull=True).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=today))
    return (
        qs.select_related("grantee", "grantee__department", "grantor")
        .prefetch_related("doc_types")
        .order_by("-valid_from", "-pk")
    )


def authorization_access(*, user: User, pk: int, lock: bool = False) -> SigningAuthorization:
    if not can_manage(user):
        raise Http404
    qs = SigningAuthorization.objects.filter(agency_id=user.agency_id)
    if lock:
        qs = qs.select_for_update()
    else:
        qs = qs.select_related("grantee", "grantor", "created_by", "revoked_by").prefetch_related("doc_types")
    record = qs.filter(pk=pk).first()
    if record is None:
        raise Http404
    return record


def history_of(record: SigningAuthorization) -> QuerySet[HistoryEntry]:
    return HistoryEntry.objects.for_record(record).select_related("actor").order_by("created_at", "pk")


def grantees_of(agency_id: int) -> QuerySet[User]:
    """Who may receive a record: the agency's active leaders and unit heads."""
    return (
        User.objects.filter(
            agency_id=agency_id,
            is_active=True,
            groups__agency_role__agency_id=agency_id,
            groups__agency_role__role__in=[Role.LEADER, Role.DEPARTMENT_HEAD],
        )
        .distinct()
        .select_related("department")
        .order_by("full_name", "pk")
    )


def grantors_of(agency_id: int) -> QuerySet[User]:
    """Who gives a record: the agency's active leaders."""
    return (
        User.objects.filter(
            agency_id=agency_id,
            is_active=True,
            groups__agency_role__agency_id=agency_id,
            groups__agency_role__role=Role.LEADER,
        )
        .distinct()
        .select_related("department")
        .order_by("full_name", "pk")
    )


STATUS_LABELS = {
    "revoked": (_("Đã chấm dứt"), "pill-muted"),
    "ended": (_("Hết hiệu lực"), "pill-muted"),
    "future": (_("Chưa đến ngày hiệu lực"), "pill-duesoon"),
    "valid": (_("Đang hiệu lực"), "pill-ontime"),
}


def status_of(record: SigningAuthorization, today) -> str:
    if record.revoked_at is not None:
        return "revoked"
    if record.valid_to is not None and record.valid_to < today:
        return "ended"
    return "future" if record.valid_from > today else "valid"


def with_status(records, today) -> list[SigningAuthorization]:
    """The records with ``status_label`` and ``status_class`` for the page."""
    rows = list(records)
    for record in rows:
        record.status_label, record.status_class = STATUS_LABELS[status_of(record, today)]
    return rows
