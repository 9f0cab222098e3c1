"""Processing: the counter hands the dossier to the unit, the unit's head assigns an officer, the officer
submits the draft result (to review or approval), the head forwards it, review or approval sends it back;
or the dossier is refused with reasons, or stopped (form 05)."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from eoffice.models import Department, Role, User
from eoffice.services import notify
from onestop.models import Dossier, DossierState, Outcome, StepKind
from onestop.rules import has_review
from onestop.selectors import staff_with_role
from onestop.services.core import (
    email_applicant,
    finish_step,
    hand_off,
    lock_dossier,
    notify_holder,
    resolve_locked,
    transition_locked,
)
from workflow.files import sha256_of, validate_upload


def _same_agency_user(user: User | None, agency_id: int, role: str, message: str) -> None:
    if user is None or user.agency_id != agency_id or not user.is_active or not user.has_role(role):
        raise ValidationError(message)


def dossier_hand_to_unit(
    *, dossier: Dossier, by: User, department: Department, note: str = "", now: datetime | None = None
) -> Dossier:
    """Counter → handling unit (the same day; after the cut-off, early the next working day)."""
    with transaction.atomic():
        locked = lock_dossier(dossier, by=by)
        if department is None or department.agency_id != locked.agency_id:
            raise ValidationError(_("Vui lòng chọn phòng chuyên môn của cơ quan."))
        transition_locked(locked, "hand_to_unit", by, comment=note, at=now)
        now = now or timezone.now()
        locked.department = department
        locked.holder = None
        locked.save()
        hand_off(dossier=locked, kind=StepKind.ASSIGN, by=by, now=now, department=department, note=note)
        notify(
            recipients=staff_with_role(locked.agency_id, Role.DEPARTMENT_HEAD, department=department),
            kind="onestop.assigned",
            title=_("Hồ sơ %(code)s chờ phân công") % {"code": locked.code},
            body=locked.procedure.name[:250],
            url=locked.get_absolute_url(),
        )
    return locked


def dossier_assign(
    *, dossier: Dossier, by: User, officer: User, note: str = "", now: datetime | None = None
) -> Dossier:
    """The unit's head gives the dossier to an officer of the unit."""
    with transaction.atomic():
        locked = lock_dossier(dossier, by=by)
        _same_agency_user(
            officer, locked.agency_id, Role.OFFICER, _("Vui lòng chọn chuyên viên thụ lý của cơ quan.")
        )
        if officer.department_id != locked.department_id:
            raise ValidationError(_("Chuyên viên thụ lý phải thuộc đơn vị giải quyết hồ sơ."))
        transition_locked(locked, "assign_officer", by, comment=note, at=now)
        now = now or timezone.now()
        locked.holder = locked.officer = officer
        locked.save()
        hand_off(
            dossier=locked,
            kind=StepKind.PROCESS,
            by=by,
            now=now,
            receiver=officer,
            department=officer.department,
            note=note,
        )
        notify_holder(locked, officer, _("Hồ sơ %(code)s được giao cho bạn thụ lý"))
    return locked


def _set_result(dossier: Dossier, result_file, result_number: str) -> None:
    if result_file is not None:
        validate_upload(result_file)
        dossier.result_sha256 = sha256_of(result_file)
        dossier.result_file.save(f"{secrets.token_hex(8)}-{result_file.name[-80:]}", result_file, save=False)
        dossier.result_signed = False
    if result_number:
        dossier.result_number = result_number.strip()[:100]


def dossier_submit(
    *,
    dossier: Dossier,
    by: User,
    leader: User | None = None,
    result_file=None,
    result_number: str = "",
    note: str = "",
    now: datetime | None = None,
) -> Dossier:
    """The officer submits the draft result: to the unit's head for review when the procedure has that
    step, otherwise straight to the leader."""
    with transaction.atomic():
        locked = lock_dossier(dossier, by=by, state=DossierState.PROCESSING)
        _set_result(locked, result_file, result_number)
        if not locked.result_file:
            raise ValidationError(_("Vui lòng đính kèm dự thảo kết quả giải quyết."))
        now = now or timezone.now()
        if has_review(locked.procedure):
            transition_locked(locked, "submit_review", by, comment=note, at=now)
            locked.holder = None
            locked.save()
            hand_off(
                dossier=locked, kind=StepKind.REVIEW, by=by, now=now, department=locked.department, note=note
            )
        else:
            _same_agency_user(leader, locked.agency_id, Role.LEADER, _("Vui lòng chọn lãnh đạo phê duyệt."))
            transition_locked(locked, "submit_approval", by, comment=note, at=now)
            locked.holder = locked.leader = leader
            locked.save()
            hand_off(dossier=locked, kind=StepKind.APPROVE, by=by, now=now, receiver=leader, note=note)
            notify_holder(locked, leader, _("Hồ sơ %(code)s chờ phê duyệt"))
    return locked


def dossier_forward(
    *, dossier: Dossier, by: User, leader: User, note: str = "", now: datetime | None = None
) -> Dossier:
    """The unit's head, having reviewed the draft result, submits it to a leader of the agency."""
    with transaction.atomic():
        locked = lock_dossier(dossier, by=by, state=DossierState.REVIEW)
        _same_agency_user(leader, locked.agency_id, Role.LEADER, _("Vui lòng chọn lãnh đạo phê duyệt."))
        transition_locked(locked, "forward_approval", by, comment=note, at=now)
        now = now or timezone.now()
        locked.holder = locked.leader = leader
        locked.save()
        hand_off(dossier=locked, kind=StepKind.APPROVE, by=by, now=now, receiver=leader, note=note)
        notify_holder(locked, leader, _("Hồ sơ %(code)s chờ phê duyệt"))
    return locked


def dossier_send_back(*, dossier: Dossier, by: User, note: str, now: datetime | None = None) -> Dossier:
    """Review or approval returns the draft to the officer with comments (the step clock goes on)."""
    if not note.strip():
        raise ValidationError(_("Vui lòng nhập ý kiến khi trả lại."))
    with transaction.atomic():
        locked = lock_dossier(dossier, by=by)
        transition_locked(locked, "send_back", by, comment=note.strip(), at=now)
        now = now or timezone.now()
        locked.holder = locked.officer
        locked.save()
        hand_off(
            dossier=locked,
            kind=StepKind.PROCESS,
            by=by,
            now=now,
            receiver=locked.officer,
            department=locked.department,
            note=note.strip(),
        )
        if locked.officer:
            notify_holder(locked, locked.officer, _("Hồ sơ %(code)s bị trả lại để hoàn thiện"))
    return locked


def dossier_refuse(*, dossier: Dossier, by: User, reasons: str, now: datetime | None = None) -> Dossier:
    """Not resolvable: the dossier goes back to the counter with the written reasons."""
    if not reasons.strip():
        raise ValidationError(_("Vui lòng nêu rõ lý do không giải quyết."))
    with transaction.atomic():
        locked = lock_dossier(dossier, by=by)
        transition_locked(locked, "refuse", by, comment=reasons.strip(), at=now)
        locked.refusal_reason = reasons.strip()
        resolve_locked(
            locked, outcome=Outcome.REFUSED, by=by, now=now or timezone.now(), note=reasons.strip()
        )
    return locked


def dossier_stop(*, dossier: Dossier, by: User, reason: str, now: datetime | None = None) -> Dossier:
    """Form 05: processing stops (e.g. the applicant withdrew, or never supplied what was asked)."""
    if not reason.strip():
        raise ValidationError(_("Vui lòng nêu lý do dừng xử lý."))
    with transaction.atomic():
        locked = lock_dossier(dossier, by=by)
        transition_locked(locked, "stop", by, comment=reason.strip(), at=now)
        now = now or timezone.now()
        locked.outcome = Outcome.STOPPED
        locked.stop_reason = reason.strip()
        locked.holder = None
        locked.paused_at = None
        locked.save()
        finish_step(dossier=locked, now=now)
        email_applicant(locked, "stopped")
    return locked
