"""The rows of the printed outgoing register (NĐ 30 Phụ lục IV, I): every number given in the period.

A number is given when the competent person signs (``documents.outgoing.signflow``), so the register lists
the documents signed but not yet issued (marked "đã ký, chưa phát hành"), the issued ones, and the recalled
ones (marked) — "từ số 01 đến số 04" has four rows. Filtered by the outgoing visibility rule in SQL."""

from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import QuerySet
from django.utils import timezone

from documents.outgoing.models import AFTER_SIGNATURE, OutgoingDocument
from documents.outgoing.selectors import visible_outgoing
from eoffice.models import User


def outgoing_rows(*, user: User, register, date_from: date, date_to: date) -> QuerySet[OutgoingDocument]:
    tz = timezone.get_current_timezone()
    return (
        visible_outgoing(user)
        .filter(
            register=register,
            number__isnull=False,
            state__in=AFTER_SIGNATURE,
            issued_at__gte=datetime.combine(date_from, time.min, tz),
            issued_at__lte=datetime.combine(date_to, time.max, tz),
        )
        .select_related("doc_type", "signer", "department", "drafted_by")
        .prefetch_related("recipients")
        .order_by("year", "number")
    )
