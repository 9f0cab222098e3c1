"""The decisions of a case that move its clock (suspend, continue, stop, complexity, extension), the
withdrawals (in part or in full) and the second instance of a complaint. Same house rules as
``resolution``, whose helpers they share."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import deadlines, rules
from complaints.models import (
    Case,
    CaseKind,
    CaseState,
    CaseStep,
    Complexity,
    FormCode,
    Identity,
)
from complaints.services.casework import (  # noqa: F401
    PETITIONS,
    RESOLVING,
    add_step,
    clean_text,
    draft_form,
    draft_pending,
    locked_case,
    need,
    need_kind,
    need_state,
    run_transition,
    store_step_file,
    user_of_agency,
    withdrawn_identity_ids,
)
from complaints.services.common import case_history, sync_clock
from eoffice.models import User

__all__ = [
    "case_continue",
    "case_extend",
    "case_mark_complex",
    "case_second_instance_open",
    "case_stop",
    "case_suspend",
    "case_withdraw",
    "case_withdraw_partial",
]


# ---- the decisions that move the clock ------------------------------------------------------------------


def case_suspend(*, case: Case, by: User, ground: str) -> Case:
    """Tạm đình chỉ: the clock stops (``paused_at``); the decision is drafted (SUSPENSION)."""
    with transaction.atomic():
        locked = locked_case(case, by)
        need_kind(locked, *RESOLVING)
        ground = clean_text(ground, _("Vui lòng nhập căn cứ tạm đình chỉ."))
        run_transition(locked, by, "suspend", comment=ground)
        locked.paused_at = timezone.now()
        locked.save(update_fields=["paused_at"])
        step = add_step(locked, by, CaseStep.Kind.SUSPENSION, _("Tạm đình chỉ giải quyết"), text=ground)
        sync_clock(locked, by=by)
        draft_form(locked, by, FormCode.SUSPENSION, context={"ground": ground}, step=step)
    return locked


def case_continue(*, case: Case, by: User, ground: str = "") -> Case:
    """Tiếp tục giải quyết: the time suspended is added to ``paused_days`` (in the unit of the rule) and the
    clock restarts; the decision is drafted (CONTINUE)."""
    with transaction.atomic():
        locked = locked_case(case, by)
        ground = (ground or "").strip() or _("Lý do tạm đình chỉ không còn")
        run_transition(locked, by, "resume", comment=ground)
        now = timezone.now()
        rule = deadlines.resolution_deadline(locked).rule
        paused = deadlines.paused_length(locked.paused_at, now, rule.unit) if locked.paused_at and rule else 0
        locked.paused_days += paused
        locked.paused_at = None
        locked.save(update_fields=["paused_days", "paused_at"])
        step = add_step(
            locked,
            by,
            CaseStep.Kind.CONTINUATION,
            _("Tiếp tục giải quyết"),
            text=ground,
            data={"paused": paused},
        )
        sync_clock(locked, by=by, now=now)
        draft_form(locked, by, FormCode.CONTINUE, context={"ground": ground, "paused": paused}, step=step)
    return locked


def case_stop(*, case: Case, by: User, ground: str) -> Case:
    """Đình chỉ giải quyết: the case ends; the decision is drafted (STOP)."""
    with transaction.atomic():
        locked = locked_case(case, by)
        need_kind(locked, *RESOLVING)
        ground = clean_text(ground, _("Vui lòng nhập căn cứ đình chỉ."))
        run_transition(locked, by, "stop", comment=ground)
        locked.paused_at = None
        locked.closed_at = timezone.now()
        locked.save(update_fields=["paused_at", "closed_at"])
        step = add_step(locked, by, CaseStep.Kind.STOP, _("Đình chỉ giải quyết"), text=ground)
        sync_clock(locked, by=by)
        draft_form(locked, by, FormCode.STOP, context={"ground": ground}, step=step)
    return locked


def case_mark_complex(*, case: Case, by: User, ground: str, level: str = Complexity.COMPLEX) -> Case:
    """Record in writing that the case is complex (or very complex) and why: the resolution deadline of a
    complaint changes; a denunciation may then be extended."""
    with transaction.atomic():
        locked = locked_case(case, by)
        need(rules.can_decide(by, locked), _("Chỉ người giải quyết xác định vụ việc phức tạp."))
        need_kind(locked, *RESOLVING)
        need_state(locked, CaseState.ACCEPTED, CaseState.SUSPENDED)
        if level not in (Complexity.COMPLEX, Complexity.VERY_COMPLEX):
            raise ValidationError(_("Mức độ phức tạp không hợp lệ."), code="bad_level")
        ground = clean_text(ground, _("Vui lòng nhập căn cứ xác định vụ việc phức tạp."))
        before = locked.due_at
        locked.complexity = level
        locked.complexity_ground = ground
        locked.save(update_fields=["complexity", "complexity_ground"])
        step = add_step(
            locked,
            by,
            CaseStep.Kind.COMPLEXITY,
            str(Complexity(level).label),
            text=ground,
            data={"level": level},
        )
        deadline = sync_clock(locked, by=by)
        case_history(
            case=locked,
            by=by,
            action="complexity",
            comment=ground[:2000],
            data={
                "step": step.pk,
                "level": level,
                "due_before": before.isoformat() if before else None,
                "due": deadline.due_at.isoformat() if deadline.due_at else None,
            },
        )
    return locked


def case_extend(*, case: Case, by: User, ground: str) -> Case:
    """Extend the resolution of a denunciation (once when complex, twice when very complex), in writing:
    the EXTENSION decision is drafted."""
    with transaction.atomic():
        locked = locked_case(case, by)
        need(rules.can_decide(by, locked), _("Chỉ người giải quyết tố cáo quyết định gia hạn."))
        need_kind(locked, CaseKind.DENUNCIATION)
        need_state(locked, CaseState.ACCEPTED, CaseState.SUSPENDED)
        ground = clean_text(ground, _("Vui lòng nhập căn cứ gia hạn."))
        allowed = deadlines.max_extensions(locked)
        if locked.extension_count >= allowed:
            rule = deadlines.rule_in_force(
                deadlines.RuleCode.DENUNCIATION_RESOLVE, on=locked.letter.received_on
            )
            if allowed == 0:
                message = _("Chỉ gia hạn khi vụ việc được xác định là phức tạp (%(source)s).")
            else:
                message = _("Đã gia hạn đủ %(n)s lần được phép (%(source)s).")
            raise ValidationError(message % {"n": allowed, "source": rule.source}, code="no_more_extensions")
        locked.extension_count += 1
        locked.save(update_fields=["extension_count"])
        step = add_step(
            locked,
            by,
            CaseStep.Kind.EXTENSION,
            _("Gia hạn lần %(n)s") % {"n": locked.extension_count},
            text=ground,
            data={"n": locked.extension_count},
        )
        deadline = sync_clock(locked, by=by)
        case_history(
            case=locked,
            by=by,
            action="extension",
            comment=ground[:2000],
            data={"step": step.pk, "n": locked.extension_count, "due": deadline.due_at.isoformat()},
        )
        draft_form(
            locked, by, FormCode.EXTENSION, context={"ground": ground, "n": locked.extension_count}, step=step
        )
    return locked


# ---- withdrawals ----------------------------------------------------------------------------------------


def case_withdraw_partial(*, case: Case, by: User, identities: Sequence[Identity], ground: str) -> CaseStep:
    """Some of the many complainants withdraw: recorded; resolution continues for the others."""
    with transaction.atomic():
        locked = locked_case(case, by)
        need(rules.can_resolve(by, locked))
        need_state(locked, CaseState.REGISTERED, CaseState.ACCEPTED, CaseState.SUSPENDED)
        ground = clean_text(ground, _("Vui lòng nhập nội dung đơn rút."))
        people = {p.pk for p in locked.letter.people.all()}
        chosen = {i.pk for i in identities}
        if not chosen or not chosen <= people:
            raise ValidationError(
                _("Vui lòng chọn người rút đơn trong số người đứng đơn."), code="bad_people"
            )
        gone = withdrawn_identity_ids(locked)
        if chosen & gone:
            raise ValidationError(_("Có người đã rút đơn trước đó."), code="already")
        remaining = len(people - gone - chosen)
        if remaining == 0:
            raise ValidationError(
                _("Tất cả người đứng đơn đều rút đơn: dùng chức năng “Rút đơn” để kết thúc vụ việc."),
                code="all_withdrew",
            )
        step = add_step(
            locked,
            by,
            CaseStep.Kind.WITHDRAWAL,
            _("Rút đơn một phần"),
            text=ground,
            data={"identities": sorted(chosen), "remaining": remaining},
        )
        case_history(
            case=locked,
            by=by,
            action="partial_withdrawal",
            comment=_("%(n)s người rút đơn, còn %(m)s người") % {"n": len(chosen), "m": remaining},
            data={"step": step.pk, "withdrawn": len(chosen), "remaining": remaining},
        )
        sync_clock(locked, by=by)
    return step


def case_withdraw(
    *, case: Case, by: User, ground: str, continue_resolution: bool = False, violation_ground: str = ""
) -> Case:
    """The letter is withdrawn in writing: the case ends (WITHDRAWN). For a denunciation whose act shows
    signs of a violation, resolution continues (``continue_resolution`` with its ground): recorded only."""
    with transaction.atomic():
        locked = locked_case(case, by)
        ground = clean_text(ground, _("Vui lòng nhập nội dung đơn rút."))
        if continue_resolution:
            need(rules.can_resolve(by, locked))
            need_kind(locked, CaseKind.DENUNCIATION)
            need_state(locked, CaseState.ACCEPTED, CaseState.SUSPENDED)
            violation_ground = clean_text(
                violation_ground, _("Vui lòng nêu dấu hiệu vi phạm pháp luật để tiếp tục giải quyết.")
            )
            step = add_step(
                locked,
                by,
                CaseStep.Kind.WITHDRAWAL,
                _("Rút tố cáo — tiếp tục giải quyết do có dấu hiệu vi phạm"),
                text=f"{ground}\n{violation_ground}",
                data={"continued": True},
            )
            case_history(
                case=locked,
                by=by,
                action="withdrawal_continued",
                comment=_("Người tố cáo rút tố cáo; tiếp tục giải quyết: %(ground)s")
                % {"ground": violation_ground[:1500]},
                data={"step": step.pk, "kind": CaseStep.Kind.WITHDRAWAL, "continued": True},
            )
        else:
            run_transition(locked, by, "withdraw", comment=ground)
            locked.paused_at = None
            locked.closed_at = timezone.now()
            locked.save(update_fields=["paused_at", "closed_at"])
            add_step(locked, by, CaseStep.Kind.WITHDRAWAL, _("Rút đơn"), text=ground)
        sync_clock(locked, by=by)
    return locked


# ---- second instance ------------------------------------------------------------------------------------


def case_second_instance_open(
    *,
    case: Case,
    by: User,
    received_on: dt.date,
    summary: str,
    content: str = "",
    source: str = "in_person",
    decision_received_on: dt.date | None = None,
    people: Sequence | None = None,
    files=(),
) -> Case:
    """A complaint against the first decision: a new letter (the same complainants) and a case at the second
    instance linked to the first. Refused when the first is not decided yet, or (when the day the decision
    was received is given) after the lodging period."""
    from complaints import crypto
    from complaints.services.identity import PersonInput
    from complaints.services.letters import ContentInput, letter_register

    with transaction.atomic():
        first = locked_case(case, by)
        need(rules.can_register(by), _("Chỉ cán bộ tiếp công dân, xử lý đơn được vào sổ đơn."))
        need_kind(first, CaseKind.COMPLAINT)
        if first.instance != 1:
            raise ValidationError(_("Vụ việc này đã là giải quyết lần hai."), code="second")
        need_state(first, CaseState.RESOLVED, CaseState.CLOSED)
        if first.next_instances.exists():
            raise ValidationError(_("Đã có vụ việc khiếu nại lần hai của vụ việc này."), code="exists")
        if decision_received_on is not None:
            limit = deadlines.lodging_deadline(
                kind_code=deadlines.RuleCode.COMPLAINT_LODGE_2,
                known_on=decision_received_on,
                remote=first.remote_area or rules.settings_for(first.agency_id).remote_area,
            )
            if deadlines.local_date(limit.due_at) < received_on:
                raise ValidationError(
                    _("Đã quá thời hạn khiếu nại lần hai (%(label)s).") % {"label": limit.label},
                    code="out_of_time",
                )
        if people is None and first.letter.people.filter(protected=True).exists():
            raise ValidationError(
                _("Người khiếu nại được giữ bí mật: vui lòng nhập lại thông tin người khiếu nại."),
                code="people",
            )
        people = (
            list(people)
            if people is not None
            else [
                PersonInput(
                    **{
                        f: crypto.decrypt(getattr(p, f"{f}_enc"))
                        for f in ("name", "id_number", "address", "phone", "email")
                    },
                    role=p.role,
                    protected=p.protected,
                )
                for p in first.letter.people.all()
                if p.pk not in withdrawn_identity_ids(first)
            ]
        )
        letter = letter_register(
            by=by,
            received_on=received_on,
            source=source,
            summary=summary,
            people=people,
            contents=[
                ContentInput(
                    kind=CaseKind.COMPLAINT,
                    content=(content or summary).strip(),
                    field=first.field,
                    subject=first.subject,
                    act_known_on=decision_received_on,
                    instance=2,
                    previous=first,
                )
            ],
            files=files,
            protected=first.protected,
        )
        second = letter.cases.get()
        case_history(
            case=first,
            by=by,
            action="case_step",
            comment=_("Khiếu nại lần hai: vụ việc %(code)s") % {"code": second.code},
            data={"second": second.pk},
        )
    return second
