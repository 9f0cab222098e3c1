"""Predicates and formatters of the one-stop module: the clock's arithmetic (cut-off, start, appointment),
what a dossier lacks, what a person may do to a dossier, what a page suggests, how an outcome is worded.
Pure reads (no writes): the services stay the authority on a write, these only compute, decide what is
offered and how it is said."""

from __future__ import annotations

import math
from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from eoffice.models import Role, User
from workflow import calendar

from .models import (
    CutoffRule,
    CutoffScope,
    Dossier,
    DossierState,
    OnestopConfig,
    Procedure,
    ProcedureStep,
    StepKind,
)

# ---- the clock ----------------------------------------------------------------------------------------


def cutoff_for(*, procedure: Procedure, config: OnestopConfig | None) -> time | None:
    """The cut-off hour that applies to a reception of ``procedure``, or None: the procedure's own choice
    when it has one, else the agency's scope (by default only procedures counted in office hours, settled
    within the day; see ``OnestopConfig.cutoff_scope``). No configuration yet: the model's defaults."""
    config = config or OnestopConfig()
    if procedure.cutoff_rule == CutoffRule.APPLY:
        return config.cutoff
    if procedure.cutoff_rule == CutoffRule.SKIP:
        return None
    if config.cutoff_scope == CutoffScope.ALL:
        return config.cutoff
    if config.cutoff_scope == CutoffScope.HOURS and procedure.counted_in_hours:
        return config.cutoff
    return None


def received_off_hours(at: datetime) -> bool:
    """Outside working time: a day off (weekend, holiday, a day taken off), before opening or after close."""
    local = timezone.localtime(at)
    hours = calendar.office_hours()
    return not (calendar.is_working_day(local.date()) and hours[0][0] <= local.time() < hours[-1][1])


def clock_start(*, received_at: datetime, cutoff: time | None) -> datetime:
    """When the legal time starts counting: at receipt during office hours (before the cut-off, when one
    applies); otherwise at the opening of the next working day (after the cut-off, after hours, on a day
    off). Before opening on a working day: that day's opening."""
    local = timezone.localtime(received_at)
    day = local.date()
    hours = calendar.office_hours()
    opening, closing = hours[0][0], hours[-1][1]
    tz = calendar.local_tz()
    last = min(cutoff, closing) if cutoff is not None else closing
    if calendar.is_working_day(day) and local.time() < last:
        if local.time() < opening:
            return datetime.combine(day, opening, tzinfo=tz)
        return local
    day += timedelta(days=1)
    while not calendar.is_working_day(day):
        day += timedelta(days=1)
    return datetime.combine(day, opening, tzinfo=tz)


def appointment(*, procedure: Procedure, start: datetime) -> datetime:
    """The date and time to return the result: whole working days end at the close of office on the last
    day; hours (or half days) are counted in office time."""
    if not procedure.counted_in_hours:
        return calendar.add_working_days(start, int(procedure.time_value), end_of_day=True)
    return calendar.add_working_hours(start, float(procedure.legal_hours))


def missing_mandatory(dossier: Dossier) -> list[str]:
    """The mandatory catalogue papers not received (names), for form 02 and the check of a valid outcome."""
    got = set(
        dossier.papers.filter(received=True, required__isnull=False).values_list("required_id", flat=True)
    )
    return [p.name for p in dossier.procedure.papers.filter(mandatory=True) if p.pk not in got]


# ---- the dossier's path ----------------------------------------------------------------------------------


def has_review(procedure: Procedure) -> bool:
    """Whether the procedure has a review step: the officer's draft goes to the unit's head first."""
    return ProcedureStep.objects.filter(procedure=procedure, kind=StepKind.REVIEW).exists()


def submits_to_review(dossier: Dossier, user: User) -> bool:
    """Whether this person's draft result goes to the unit's head for review: only the holder's does, when
    the procedure has a review step (``Dossier.submit_review``); otherwise it goes to a leader."""
    return dossier.holder_id == user.pk and has_review(dossier.procedure)


def may_extend(dossier: Dossier, user: User) -> bool:
    """The same rule as ``services.dossier_extend``: once, while open, by the people working on it."""
    if dossier.extended or not dossier.is_open or user.agency_id != dossier.agency_id:
        return False
    return (
        user.has_role(Role.LEADER, Role.ONESTOP_OFFICER)
        or dossier.holder_id == user.pk
        or (user.has_role(Role.DEPARTMENT_HEAD) and user.department_id == dossier.department_id)
    )


def extend_suggestion(dossier: Dossier) -> datetime:
    """Half the legal time (at least one working day) after the current appointment, at close of office."""
    base = max(dossier.due_at or timezone.now(), timezone.now())
    per_day = calendar.seconds_per_day() / 3600
    days = max(1, math.ceil(float(dossier.procedure.legal_hours) / per_day / 2))
    return calendar.add_working_days(base, days, end_of_day=True)


def received_message(dossier: Dossier) -> str:
    """What the counter is told after a reception or a check: the code and appointment, or the form made."""
    if dossier.state == DossierState.RECEIVED:
        return _("Đã tiếp nhận hồ sơ %(code)s, hẹn trả kết quả %(due)s.") % {
            "code": dossier.code,
            "due": timezone.localtime(dossier.due_at).strftime("%H:%M %d/%m/%Y"),
        }
    if dossier.state == DossierState.INCOMPLETE:
        return _("Đã lập phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (mã tham chiếu %(ref)s).") % {
            "ref": dossier.reference
        }
    return _("Đã lập phiếu từ chối tiếp nhận hồ sơ (mã tham chiếu %(ref)s).") % {"ref": dossier.reference}
