"""The helpers every resolution step shares: the case loaded and locked for its actor, the checks of right,
state and kind with their messages, a transition with its history, a case-file entry with its file, a form
drafted once. Public names for ``resolution`` and ``clock``; not part of the services' public API."""

from __future__ import annotations

import datetime as dt
import hashlib

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import can_proceed, has_transition_perm

from complaints import selectors
from complaints.models import (
    Case,
    CaseDocument,
    CaseKind,
    CaseStep,
    FormCode,
)
from complaints.services.drafting import case_document_draft
from eoffice.models import User
from eoffice.uploads import check_upload
from workflow import services as wf
from workflow.models import HistoryEntry, WorkflowState

RESOLVING = (CaseKind.COMPLAINT, CaseKind.DENUNCIATION)
PETITIONS = (CaseKind.PETITION, CaseKind.FEEDBACK)
_STEP_FILE_KINDS = ("pdf", "png", "jpeg", "docx", "xlsx", "odt", "ods")


# ---- helpers ----------------------------------------------------------------------------------------------


def locked_case(case: Case | int, by: User) -> Case:
    return selectors.case_access(user=by, pk=case if isinstance(case, int) else case.pk, lock=True)


def need(allowed: bool, message: str | None = None) -> None:
    if not allowed:
        raise PermissionDenied(message or _("Bạn không có quyền thực hiện thao tác này đối với vụ việc."))


def need_state(case: Case, *states: str) -> None:
    if case.state not in states:
        raise ValidationError(
            _("Vụ việc đang ở trạng thái “%(state)s”: không thực hiện được thao tác này.")
            % {"state": case.get_state_display()},
            code="bad_state",
        )


def need_kind(case: Case, *kinds: str) -> None:
    if case.kind not in kinds:
        raise ValidationError(
            _("Thao tác này không áp dụng cho loại đơn “%(kind)s”.") % {"kind": case.get_kind_display()},
            code="bad_kind",
        )


def clean_text(value: str, message: str, limit: int = 20000) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationError(message, code="required")
    if len(value) > limit:
        raise ValidationError(_("Nội dung quá dài (tối đa %(n)s ký tự).") % {"n": limit}, code="too_long")
    return value


def run_transition(
    case: Case, by: User | None, name: str, *, comment: str = "", check_perm: bool = True
) -> None:
    """Run the FSM transition ``name`` on the locked ``case`` and write its history row."""
    method = getattr(case, name)
    if not can_proceed(method):
        need_state(case)  # raises with the state's label
    if check_perm and not has_transition_perm(method, by):
        raise PermissionDenied(_("Bạn không có quyền thực hiện thao tác này đối với vụ việc."))
    before = case.state
    method()
    case.save()
    wf.history_add(
        record=case,
        event=HistoryEntry.Event.TRANSITION,
        actor=by,
        action=name,
        from_state=before,
        to_state=case.state,
        comment=comment,
    )


def store_step_file(step: CaseStep, upload) -> None:
    if not upload:
        return
    check_upload(upload, kinds=_STEP_FILE_KINDS)
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    step.sha256 = hashlib.sha256(data).hexdigest()
    name = (getattr(upload, "name", "") or "tep").strip()[-255:]
    step.file_name = f"{step.kind}-{step.sha256[:8]}" + ("." + name.rsplit(".", 1)[-1] if "." in name else "")
    if not step.case.protected:
        step.file_name = name
    step.file.save(f"{step.sha256[:16]}-{step.kind}", upload, save=False)


def add_step(
    case: Case,
    by: User,
    kind: str,
    title: str,
    *,
    text: str = "",
    upload=None,
    happened_on: dt.date | None = None,
    scheduled_at: dt.datetime | None = None,
    data: dict | None = None,
) -> CaseStep:
    step = CaseStep(
        case=case,
        kind=kind,
        title=title[:500],
        text=text,
        happened_on=happened_on or timezone.localdate(),
        scheduled_at=scheduled_at,
        data=data or {},
        created_by=by,
    )
    store_step_file(step, upload)
    step.save()
    return step


def draft_pending(case: Case, form: str) -> bool:
    """A draft of ``form`` for the case that is neither issued nor cancelled."""
    return (
        CaseDocument.objects.filter(case=case, form=form, issued_at__isnull=True)
        .exclude(
            document__state__in=[WorkflowState.CANCELLED, WorkflowState.REJECTED, WorkflowState.RECALLED]
        )
        .exists()
    )


def draft_form(case: Case, by: User, form: str, *, context: dict | None = None, step: CaseStep | None = None):
    if draft_pending(case, form):
        raise ValidationError(
            _("Đã có dự thảo “%(form)s” đang trình: hoàn tất hoặc hủy dự thảo đó trước.")
            % {"form": FormCode(form).label},
            code="pending_draft",
        )
    return case_document_draft(case=case, form=form, by=by, context=context or {}, step=step)


def user_of_agency(user: User | None, case: Case, what: str) -> User:
    if user is None or user.agency_id != case.agency_id or not user.is_active:
        raise ValidationError(
            _("%(what)s phải là cán bộ đang làm việc của cơ quan.") % {"what": what}, code="bad_user"
        )
    return user


def dialogue_minutes_exist(case: Case) -> bool:
    return CaseStep.objects.filter(case=case, kind=CaseStep.Kind.DIALOGUE, data__minutes=True).exists()


def withdrawn_identity_ids(case: Case) -> set[int]:
    """The people of the letter who withdrew their complaint (partial withdrawals)."""
    ids: set[int] = set()
    for data in CaseStep.objects.filter(case=case, kind=CaseStep.Kind.WITHDRAWAL).values_list(
        "data", flat=True
    ):
        ids.update(int(pk) for pk in (data or {}).get("identities", []))
    return ids
