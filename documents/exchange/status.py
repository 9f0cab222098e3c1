"""The exchange outbox's block on the "Tình trạng hệ thống" page (eoffice.status): the packages and
statuses waiting to be sent to outside agencies, the oldest one's age, the ones that keep failing, and
the received packages not imported yet — one query each table."""

from __future__ import annotations

from django.db.models import Count, Min, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.exchange.models import InboxMessage, OutboxMessage
from eoffice.status import Line, Section


def exchange_status() -> Section:
    out = OutboxMessage.objects.aggregate(
        pending=Count("pk", filter=Q(state=OutboxMessage.State.PENDING)),
        retrying=Count("pk", filter=Q(state=OutboxMessage.State.PENDING, attempts__gt=0)),
        failed=Count("pk", filter=Q(state=OutboxMessage.State.FAILED)),
        oldest=Min("created_at", filter=Q(state=OutboxMessage.State.PENDING)),
    )
    received = InboxMessage.objects.filter(state=InboxMessage.State.RECEIVED).count()
    lines = [Line(_("Chờ gửi"), out["pending"], "warn" if out["retrying"] else "")]
    if out["oldest"] is not None:
        minutes = int((timezone.now() - out["oldest"]).total_seconds() // 60)
        lines.append(
            Line(_("Gói chờ lâu nhất"), _("%(n)s phút") % {"n": minutes}, "warn" if minutes >= 60 else "")
        )
    lines.append(Line(_("Đang gửi lại sau lỗi"), out["retrying"], "warn" if out["retrying"] else ""))
    lines.append(Line(_("Gửi lỗi"), out["failed"], "bad" if out["failed"] else ""))
    lines.append(Line(_("Gói tin nhận về chưa tiếp nhận"), received, "warn" if received else ""))
    return Section(
        title=_("Liên thông văn bản (gói tin gửi đi)"),
        lines=lines,
        note=_("Gói tin gửi lỗi được xem và gửi lại ở trang Liên thông văn bản của từng cơ quan."),
    )


def register() -> None:
    from eoffice.status import register_section

    register_section("exchange", exchange_status)
