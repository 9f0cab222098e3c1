"""The agency archive's two daily scans (beat: documents/migrations/0009_records_beat.py): transfer warnings
30 days ahead on the working-day calendar, repeated weekly until the file is transferred (III.5b), and the
archived files whose fixed retention has ended. Rows are taken with ``SKIP LOCKED`` and marked in the same
transaction as the notice, so two workers or a restarted beat send each notice once."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.records.archive import rules
from documents.records.archive.services import SCAN_BATCH, path, role_holders
from documents.records.models import CaseFile
from eoffice.models import Role
from eoffice.services import notify
from workflow import calendar

# --- the daily scans ---------------------------------------------------------------------------------


def transfer_warnings_scan(*, now: datetime | None = None, batch: int = SCAN_BATCH) -> int:
    """Warn the owner of each closed, not transferred file due within 30 days (then weekly, overdue
    included) — working days only (``rules.warning_due``). Rows are taken with ``FOR UPDATE SKIP LOCKED``
    and the decision re-read under the lock, and ``transfer_warned_at`` is written in the same
    transaction as the notification: two workers or a restart never send a warning twice."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if not calendar.is_working_day(today):
        return 0  # a non-working day: the warnings went out the working day before
    horizon = today + timedelta(days=rules.WARNING_DAYS + 31)  # room for long holidays (Tết)
    sent = 0
    last_pk = 0
    while True:
        with transaction.atomic():
            rows = list(
                CaseFile.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(
                    status=CaseFile.Status.CLOSED,
                    transfer__isnull=True,
                    transfer_due__isnull=False,
                    transfer_due__lte=horizon,
                    pk__gt=last_pk,
                )
                .filter(
                    Q(transfer_warned_at__isnull=True) | Q(transfer_warned_at__lt=now - timedelta(hours=20))
                )
                .select_related("owner")
                .order_by("pk")[:batch]
            )
            if not rows:
                break
            last_pk = rows[-1].pk
            due_now = [
                f
                for f in rows
                if rules.warning_due(due=f.transfer_due, warned_at=f.transfer_warned_at, today=today)
            ]
            if due_now:
                CaseFile.objects.filter(pk__in=[f.pk for f in due_now]).update(transfer_warned_at=now)
            for f in due_now:
                overdue = f.transfer_due < today
                title = (
                    _("Quá hạn nộp lưu hồ sơ %(code)s (hạn %(due)s)")
                    if overdue
                    else _("Hồ sơ %(code)s đến hạn nộp lưu ngày %(due)s")
                ) % {"code": f.code, "due": f"{f.transfer_due:%d/%m/%Y}"}
                notify(
                    recipients=[f.owner],
                    kind="records.transfer_due",
                    title=title,
                    body=_("%(title)s. Chọn “Nộp lưu hồ sơ” để giao hồ sơ cho lưu trữ cơ quan.")
                    % {"title": f.title},
                    url=f.get_absolute_url(),
                )
            sent += len(due_now)
        if len(rows) < batch:
            break
    return sent


def retention_scan(*, now: datetime | None = None, batch: int = SCAN_BATCH) -> int:
    """Tell the archivists of each agency about archived files whose fixed retention has ended, once per
    file and retention period.

    The marker is ``retention_warned_at``, a field of its own: the transfer warnings keep
    ``transfer_warned_at``, so neither reminder can silence the other. A file was told about when
    ``retention_warned_at`` is after its ``retention_until``; a file kept longer by an appraisal decision
    gets a later ``retention_until`` and is told about again when that ends."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    told = 0
    last_pk = 0
    while True:
        with transaction.atomic():
            rows = list(
                CaseFile.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(status=CaseFile.Status.ARCHIVED, retention_until__lt=today, pk__gt=last_pk)
                .filter(
                    Q(retention_warned_at__isnull=True)
                    | Q(retention_warned_at__date__lte=F("retention_until"))
                )
                .order_by("pk")[:batch]
            )
            if not rows:
                break
            last_pk = rows[-1].pk
            CaseFile.objects.filter(pk__in=[f.pk for f in rows]).update(retention_warned_at=now)
            by_agency: dict[int, list[CaseFile]] = {}
            for f in rows:
                by_agency.setdefault(f.agency_id, []).append(f)
            for agency_id, files in by_agency.items():
                notify(
                    recipients=role_holders(agency_id, Role.ARCHIVIST),
                    kind="records.retention_ended",
                    title=_("%(n)d hồ sơ hết thời hạn bảo quản") % {"n": len(files)},
                    body="; ".join(f"{f.archive_code or f.code} · {f.title[:80]}" for f in files[:20]),
                    url=path("documents:retention_expired"),
                )
            told += len(rows)
        if len(rows) < batch:
            break
    return told
