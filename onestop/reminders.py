"""The beat-driven scan of dossiers coming due or overdue: one reminder per dossier, level and appointment.

A reminder is marked by a ``DossierReminder`` row (unique per dossier, level and due date, so a new
appointment — form 04, or a pause for supplement — earns its own reminders); candidates are locked with
``SKIP LOCKED``, so two workers never send the same reminder.
"""

from __future__ import annotations

from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from eoffice.models import Role, User
from eoffice.services import notify
from workflow import calendar

from .models import PROCESSING_STATES, Dossier, DossierReminder, DossierState
from .selectors import staff_with_role

DUE_SOON_HOURS = 8


def _recipients(dossier: Dossier) -> list[User]:
    """Who holds it now: the person, or the unit's heads, or the counter."""
    if dossier.holder_id:
        return [dossier.holder]
    role, extra = Role.DEPARTMENT_HEAD, {"department_id": dossier.department_id}
    if dossier.state == DossierState.RECEIVED or not dossier.department_id:
        role, extra = Role.ONESTOP_OFFICER, {}
    return list(staff_with_role(dossier.agency_id, role, **extra))


def scan(*, now: datetime | None = None, batch: int = 500) -> dict:
    now = now or timezone.now()
    soon = calendar.add_working_hours(now, getattr(settings, "ONESTOP_DUE_SOON_HOURS", DUE_SOON_HOURS))
    sent = {"due_soon": 0, "overdue": 0}
    for level, limit, key in (
        (DossierReminder.Level.OVERDUE, now, "overdue"),
        (DossierReminder.Level.DUE_SOON, soon, "due_soon"),
    ):
        with transaction.atomic():
            dossiers = list(
                Dossier.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(state__in=sorted(PROCESSING_STATES), paused_at__isnull=True, due_at__lte=limit)
                .filter(
                    ~Exists(
                        DossierReminder.objects.filter(
                            dossier=OuterRef("pk"), level__gte=level, due_at=OuterRef("due_at")
                        )
                    )
                )
                .select_related("holder", "procedure")
                .order_by("due_at")[:batch]
            )
            DossierReminder.objects.bulk_create(
                [DossierReminder(dossier=d, level=level, due_at=d.due_at, created_at=now) for d in dossiers],
                ignore_conflicts=True,
            )
            for dossier in dossiers:
                title = (
                    _("Hồ sơ %(code)s đã quá hạn trả kết quả")
                    if level == DossierReminder.Level.OVERDUE
                    else _("Hồ sơ %(code)s sắp đến hạn trả kết quả")
                ) % {"code": dossier.code}
                notify(
                    recipients=_recipients(dossier),
                    kind="onestop.deadline",
                    title=title,
                    body=_("%(procedure)s — hẹn trả %(due)s")
                    % {
                        "procedure": dossier.procedure.name[:200],
                        "due": timezone.localtime(dossier.due_at).strftime("%H:%M %d/%m/%Y"),
                    },
                    url=dossier.get_absolute_url(),
                )
            sent[key] = len(dossiers)
    return sent
