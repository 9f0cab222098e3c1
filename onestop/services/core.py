"""What every dossier service shares: the locked fetch, one FSM transition with its history row, the
hand-off log (form 06: steps opened and finished), the notification of the next holder, the applicant's
email queued at commit, and the result going back to the counter."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from eoffice.models import Department, User
from eoffice.services import notify
from onestop.models import Dossier, DossierStep, Outcome, ProcedureStep, StepKind, timing_of
from onestop.selectors import counter_department, dossier_access
from workflow import calendar
from workflow import services as wf
from workflow.models import HistoryEntry

EMAIL_EVENTS = (
    "submitted",
    "received",
    "incomplete",
    "refused_reception",
    "supplement",
    "extended",
    "resolved",
    "refused",
    "stopped",
    "letter_04",
    "letter_05",
)


APPLICANT_EMAILS = True
"""Whether the services queue the applicant's emails (the demo turns it off: its seeded events are past)."""


def email_applicant(dossier: Dossier, event: str) -> None:
    """Queue the applicant's email of ``event`` (one of ``EMAIL_EVENTS``) once the transaction commits."""
    if not dossier.applicant_email or not APPLICANT_EMAILS:
        return
    from eoffice.outbox import enqueue
    from onestop.tasks import send_applicant_email

    enqueue(send_applicant_email, args=(dossier.pk, event))


def lock_dossier(dossier: Dossier, *, by: User | None, state: str | None = None) -> Dossier:
    """The dossier's row, locked until the end of the caller's transaction.

    A person acting gets it through the access helper (someone who may not see a dossier may not act on
    it); the applicant or a task (``by`` None) by a plain locked fetch. With ``state`` the dossier must still
    be in it: otherwise someone else acted first (``RecordChanged``: "reload the page")."""
    if by is None:
        locked = wf.lock_record(Dossier, dossier.pk)
    else:
        try:
            locked = dossier_access(user=by, pk=dossier.pk, lock=True)
        except Http404:
            raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này.")) from None
    if state is not None and locked.state != state:
        raise wf.RecordChanged
    return locked


def transition_locked(
    dossier: Dossier, action: str, by: User, *, comment: str = "", data: dict | None = None, at=None
) -> str:
    """Run one FSM transition on an already locked dossier, with its permission check and history row."""
    available = {t.name: t for t in dossier.get_available_state_transitions()}
    if action not in available:
        raise wf.RecordChanged
    if not available[action].has_perm(dossier, by):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này."))
    before = dossier.state
    getattr(dossier, action)()
    wf.history_add(
        record=dossier,
        event=HistoryEntry.Event.TRANSITION,
        actor=by,
        action=action,
        from_state=before,
        to_state=dossier.state,
        comment=comment,
        data=data,
        at=at,
    )
    return before


def _step_hours(procedure_id: int) -> dict[str, ProcedureStep]:
    return {
        s.kind: s
        for s in ProcedureStep.objects.filter(procedure_id=procedure_id).select_related("department")
    }


def open_step(
    *,
    dossier: Dossier,
    kind: str,
    giver: User | None,
    now: datetime,
    receiver: User | None = None,
    department: Department | None = None,
    giver_name: str = "",
    note: str = "",
) -> DossierStep:
    configured = _step_hours(dossier.procedure_id).get(kind)
    hours = configured.hours if configured else Decimal(0)
    return DossierStep.objects.create(
        dossier=dossier,
        kind=kind,
        name=configured.label if configured else str(StepKind(kind).label),
        giver=giver,
        giver_name=giver_name or (str(giver) if giver else ""),
        receiver=receiver,
        receiver_department=department,
        started_at=now,
        hours=hours,
        due_at=calendar.add_working_hours(now, float(hours)),
        note=note,
    )


def finish_step(*, dossier: Dossier, now: datetime) -> DossierStep | None:
    step = DossierStep.objects.select_for_update().filter(dossier=dossier, finished_at__isnull=True).first()
    if step is None:
        return None
    step.finished_at = now
    step.timing = timing_of(now, step.due_at)
    step.save(update_fields=["finished_at", "timing"])
    return step


def hand_off(
    *,
    dossier: Dossier,
    kind: str,
    by: User,
    now: datetime,
    receiver: User | None = None,
    department: Department | None = None,
    note: str = "",
) -> DossierStep:
    finish_step(dossier=dossier, now=now)
    return open_step(
        dossier=dossier, kind=kind, giver=by, now=now, receiver=receiver, department=department, note=note
    )


def notify_holder(dossier: Dossier, user: User, title) -> None:
    notify(
        recipients=[user],
        kind="onestop.assigned",
        title=title % {"code": dossier.code},
        body=dossier.procedure.name[:250],
        url=dossier.get_absolute_url(),
    )


def resolve_locked(dossier: Dossier, *, outcome: str, by: User, now: datetime, note: str = "") -> None:
    """The result is ready (or the refusal written): it goes back to the counter; the clock stops."""
    dossier.outcome = outcome
    dossier.resolved_at = now
    # Judged against the legal appointment (moved only by pauses for supplement): an apology with a new
    # date (form 04) does not make a late dossier on time.
    dossier.timing = timing_of(now, dossier.original_due_at or dossier.due_at)
    dossier.holder = None
    dossier.save()
    hand_off(
        dossier=dossier,
        kind=StepKind.RETURN,
        by=by,
        now=now,
        department=counter_department(dossier.agency_id),
        note=note,
    )
    email_applicant(dossier, "resolved" if outcome == Outcome.APPROVED else "refused")
