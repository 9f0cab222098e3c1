"""Reads of the exchange pages, filtered in SQL: a clerk or an agency admin sees the messages of their
own agency, a superuser every one; the outside agencies to pick from; the sender's counters."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from documents.exchange.models import ExternalAgency, InboxMessage, OutboxMessage
from documents.outgoing.models import DeliveryStatus, OutgoingRecipient
from eoffice.models import Role, User

LOG_ROLES = (Role.CLERK, Role.AGENCY_ADMIN)


def _may_see_log(user: User) -> bool:
    return bool(user.is_authenticated and user.agency_id and any(user.has_role(r) for r in LOG_ROLES))


def outbox_visible(user: User) -> QuerySet[OutboxMessage]:
    """The packages and statuses sent (or to send) that the user may see in the exchange log."""
    rows = OutboxMessage.objects.select_related(
        "external_agency", "agency", "recipient__document", "incoming"
    )
    if user.is_superuser:
        return rows
    if not _may_see_log(user):
        return rows.none()
    return rows.filter(agency_id=user.agency_id)


def inbox_visible(user: User) -> QuerySet[InboxMessage]:
    """The packages and statuses received that the user may see (refused ones without an agency: the
    superuser only)."""
    rows = InboxMessage.objects.select_related("agency", "incoming")
    if user.is_superuser:
        return rows
    if not _may_see_log(user):
        return rows.none()
    return rows.filter(agency_id=user.agency_id)


def external_agencies(q: str = "") -> QuerySet[ExternalAgency]:
    """Active outside agencies matching ``q`` (in the name or either code)."""
    rows = ExternalAgency.objects.filter(active=True)
    q = (q or "").strip()
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(code__icontains=q) | Q(code_qd20__icontains=q))
    return rows.order_by("name", "pk")


def delivery_counters(user: User) -> dict[str, int]:
    """The sender's counters over its documents' recipients reached by exchange: chưa gửi, gửi lỗi, bị trả
    lại, chậm tiếp nhận (sent, with no 01 after EXCHANGE_LATE_ARRIVAL_HOURS)."""
    if not user.is_authenticated or not user.agency_id:
        return {"pending": 0, "failed": 0, "refused": 0, "late": 0}
    late_before = timezone.now() - dt.timedelta(hours=settings.EXCHANGE_LATE_ARRIVAL_HOURS)
    return OutgoingRecipient.objects.filter(
        document__agency_id=user.agency_id, channel=OutgoingRecipient.Channel.EXCHANGE
    ).aggregate(
        pending=Count("pk", filter=Q(status=DeliveryStatus.PENDING)),
        failed=Count("pk", filter=Q(status=DeliveryStatus.FAILED)),
        refused=Count("pk", filter=Q(status=DeliveryStatus.REFUSED)),
        late=Count("pk", filter=Q(status=DeliveryStatus.SENT, status_at__lt=late_before)),
    )
