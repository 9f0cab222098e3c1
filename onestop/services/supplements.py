"""The clock's exceptions: a request to the applicant for more papers (the clock pauses until the answer is
recorded) and the apology with a new appointment (form 04, once)."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eoffice.models import Role, User
from onestop.models import Channel, Dossier, DossierState, DossierStep, SupplementRequest
from onestop.services.core import email_applicant, lock_dossier, notify_holder, transition_locked
from onestop.services.reception import PaperInput, add_papers
from workflow import calendar
from workflow import rules as wf_rules
from workflow import services as wf
from workflow.models import HistoryEntry


def dossier_request_supplement(
    *, dossier: Dossier, by: User, content: str, now: datetime | None = None
) -> SupplementRequest:
    """Ask the applicant for more papers: the clock stops until the answer is recorded."""
    if not content.strip():
        raise ValidationError(_("Vui lòng ghi rõ nội dung cần bổ sung."))
    with transaction.atomic():
        locked = lock_dossier(dossier, by=by)
        before = transition_locked(locked, "ask_supplement", by, comment=content.strip(), at=now)
        now = now or timezone.now()
        locked.paused_at = now
        locked.paused_state = before
        locked.save()
        request = SupplementRequest.objects.create(
            dossier=locked, content=content.strip(), requested_by=by, requested_at=now
        )
        email_applicant(locked, "supplement")
    return request


def dossier_supplement_received(
    *,
    dossier: Dossier,
    by: User | None,
    papers: list[PaperInput],
    note: str = "",
    via: str = Channel.COUNTER,
    now: datetime | None = None,
) -> Dossier:
    """The applicant's answer (at the counter, or online): the clock restarts, moved by the paused time."""
    with transaction.atomic():
        locked = lock_dossier(dossier, by=by, state=DossierState.SUPPLEMENT)
        request = locked.supplements.filter(answered_at__isnull=True).order_by("-requested_at").first()
        if not any(p.file or p.received for p in papers) and not note.strip():
            raise ValidationError(_("Vui lòng ghi nhận giấy tờ đã bổ sung."))
        if by is not None:
            transition_locked(locked, "supplement_received", by, comment=note.strip(), at=now)
        else:
            before = locked.state
            locked.supplement_received()
            wf.history_add(
                record=locked, event=HistoryEntry.Event.TRANSITION, actor=None, action="supplement_received",
                from_state=before, to_state=locked.state, comment=note.strip(),
            )  # fmt: skip
        now = now or timezone.now()
        locked.due_at, paused = wf_rules.clock_shift(
            due_at=locked.due_at, paused_at=locked.paused_at, resumed_at=now
        )
        if locked.original_due_at:
            locked.original_due_at = calendar.add_working_seconds(locked.original_due_at, paused)
        locked.paused_seconds += paused
        locked.paused_at = None
        locked.paused_state = ""
        locked.save()
        step = (
            DossierStep.objects.select_for_update().filter(dossier=locked, finished_at__isnull=True).first()
        )
        if step is not None:
            step.due_at = calendar.add_working_seconds(step.due_at, paused)
            step.save(update_fields=["due_at"])
        if request is not None:
            request.answered_at = now
            request.answered_via = via
            request.answer_note = note.strip()
            request.paused_seconds = paused
            request.save()
        add_papers(locked, papers, supplement=request, now=now)
        if locked.holder_id:
            notify_holder(locked, locked.holder, _("Hồ sơ %(code)s đã được công dân bổ sung"))
    return locked


def dossier_extend(
    *, dossier: Dossier, by: User, reason: str, due_at: datetime, now: datetime | None = None
) -> Dossier:
    """Form 04: the apology for lateness with the reason and a new appointment (allowed once)."""
    if not reason.strip():
        raise ValidationError(_("Vui lòng nêu lý do chậm trả kết quả."))
    with transaction.atomic():
        locked = lock_dossier(dossier, by=by)
        if not locked.is_open:
            raise ValidationError(_("Hồ sơ không còn trong quá trình giải quyết."))
        if not (
            by.agency_id == locked.agency_id
            and (
                by.has_role(Role.LEADER)
                or by.has_role(Role.ONESTOP_OFFICER)
                or locked.holder_id == by.pk
                or (by.has_role(Role.DEPARTMENT_HEAD) and by.department_id == locked.department_id)
            )
        ):
            raise PermissionDenied(_("Bạn không có quyền gia hạn hồ sơ này."))
        if locked.extended:
            raise ValidationError(_("Hồ sơ đã được hẹn lại một lần; không thể hẹn lại lần nữa."))
        if due_at <= max(locked.due_at, now or timezone.now()):
            raise ValidationError(_("Ngày hẹn mới phải sau ngày hẹn hiện tại."))
        old = locked.due_at
        locked.extended = True
        locked.extension_reason = reason.strip()
        locked.due_at = due_at
        locked.save()
        wf.history_add(
            record=locked,
            event=HistoryEntry.Event.DEADLINE,
            actor=by,
            action="extend",
            comment=reason.strip(),
            data={"old": old.isoformat(), "new": due_at.isoformat()},
            at=now,
        )
        email_applicant(locked, "extended")
    return locked
