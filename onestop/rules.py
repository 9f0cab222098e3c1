"""Predicates and formatters of the one-stop module: what a person may do to a dossier, what a page
suggests, how an outcome is worded. Pure reads (no writes): the services stay the authority on a write,
these only decide what is offered and how it is said."""

from __future__ import annotations

import math
from datetime import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from eoffice.models import Role, User
from workflow import calendar

from .models import Dossier, DossierState, Procedure, ProcedureStep, StepKind


def has_review(procedure: Procedure) -> bool:
    """Whether the procedure has a review step: the officer's draft goes to the unit's head first."""
    return ProcedureStep.objects.filter(procedure=procedure, kind=StepKind.REVIEW).exists()


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
