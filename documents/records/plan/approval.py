"""The plan's approval through the outgoing flow, and opening case files from the approved plan.

"Trình ban hành" drafts the decision (Quyết định ban hành Danh mục hồ sơ năm …) as an outgoing document
of the clerk, to be signed by the head of the agency, with the plan printed in its body; the plan is then
SUBMITTED and read-only. The decision goes through the outgoing pages like any other document. When it is
issued (``documents.outgoing.signals.document_issued``, inside the issuing transaction) the plan is
APPROVED; when the draft is cancelled, or the issued decision recalled, the plan returns to a DRAFT
(``receivers``). "Rút lại" cancels the decision's draft from the plan page.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.records.models import CaseFile, FilePlan, FilePlanEntry
from documents.records.plan import rules, selectors
from documents.records.plan.services import history_write, locked_plan
from eoffice.models import Role, User
from workflow.models import WorkflowState

BODY_TEMPLATE = "documents/records/plan/decision_body.html"


def decision_summary(plan: FilePlan) -> str:
    return _("Ban hành Danh mục hồ sơ năm %(year)s của %(agency)s") % {
        "year": plan.year,
        "agency": plan.agency.name,
    }


def decision_body(plan: FilePlan) -> str:
    """The decision's articles and, after them, the plan as a table (the body of the outgoing draft)."""
    return render_to_string(BODY_TEMPLATE, {"plan": plan, "layout": selectors.print_layout(plan=plan)})


def plan_submit(*, by: User, plan: FilePlan, signer: User | None = None, comment: str = "") -> FilePlan:
    """Draft the decision approving ``plan`` (signer: the head of the agency unless another leader is
    chosen) and mark the plan SUBMITTED with it. The clerk then takes the draft through the outgoing flow."""
    from documents.models import DocumentType
    from documents.outgoing import services as outgoing
    from documents.outgoing.services import DraftFields

    with transaction.atomic():
        locked = locked_plan(by=by, plan=plan)
        if not FilePlanEntry.objects.filter(plan=locked).exists():
            raise ValidationError(_("Danh mục chưa có hồ sơ nào, chưa trình ban hành được."))
        signer = signer or selectors.default_signer(locked.agency_id)
        if signer is None or not (
            signer.agency_id == locked.agency_id and signer.is_active and signer.has_role(Role.LEADER)
        ):
            raise ValidationError({"signer": _("Người ký phải là lãnh đạo đang làm việc của cơ quan.")})
        doc_type = DocumentType.objects.filter(abbreviation="QĐ", is_active=True).order_by("pk").first()
        if doc_type is None:
            raise ValidationError(_("Chưa có loại văn bản Quyết định (QĐ) trong danh mục loại văn bản."))
        document = outgoing.draft_create(
            by=by,
            fields=DraftFields(
                doc_type=doc_type,
                summary=decision_summary(locked),
                body=decision_body(locked),
                legal_bases=_(
                    "Căn cứ Luật Lưu trữ ngày 11 tháng 11 năm 2011;\n"
                    "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ "
                    "về công tác văn thư;\n"
                    "Theo đề nghị của Chánh Văn phòng."
                ),
                distribution=_("Như Điều 3\nLãnh đạo cơ quan"),
                signer=signer,
            ),
        )
        before = locked.status
        locked.status = FilePlan.Status.SUBMITTED
        locked.decision = document
        locked.save(update_fields=["status", "decision", "updated_at"])
        history_write(
            locked,
            by,
            "submit",
            from_state=before,
            to_state=locked.status,
            comment=comment.strip(),
            data={"decision": document.pk, "signer": signer.get_full_name()},
        )
    return locked


def plan_withdraw(*, by: User, plan: FilePlan, reason: str) -> FilePlan:
    """Take a submitted plan back: cancel the decision's draft (only its drafter, while it is with them);
    the cancellation returns the plan to a draft (``decision_withdrawn``)."""
    from documents.outgoing import services as outgoing

    if not (reason or "").strip():
        raise ValidationError({"reason": _("Vui lòng nhập lý do rút lại.")})
    with transaction.atomic():
        locked = locked_plan(by=by, plan=plan, edit=False)
        if not rules.can_draft(by, locked.agency_id):
            raise PermissionDenied(_("Chỉ văn thư, quản trị cơ quan soạn danh mục hồ sơ."))
        if locked.status != FilePlan.Status.SUBMITTED or locked.decision is None:
            raise ValidationError(_("Danh mục không ở bước trình ban hành."))
        decision = locked.decision
        if (
            decision.state not in (WorkflowState.NEW, WorkflowState.RETURNED)
            or decision.drafted_by_id != by.pk
        ):
            raise ValidationError(
                _(
                    "Quyết định đang được duyệt, ký hoặc đã phát hành; "
                    "chỉ người soạn rút lại khi dự thảo còn ở mình."
                )
            )
        outgoing.draft_cancel(document=decision, by=by, comment=reason.strip())
        locked.refresh_from_db()
    return locked


def decision_issued(*, document, by: User | None) -> FilePlan | None:
    """The decision was issued (inside the issuing transaction): its plan is approved."""
    plan = FilePlan.objects.select_for_update().filter(decision_id=document.pk).first()
    if plan is None or plan.status != FilePlan.Status.SUBMITTED:
        return None
    plan.status = FilePlan.Status.APPROVED
    plan.approved_at = document.issued_at or timezone.now()
    plan.save(update_fields=["status", "approved_at", "updated_at"])
    history_write(
        plan,
        by,
        "approve",
        from_state=FilePlan.Status.SUBMITTED,
        to_state=plan.status,
        comment=_("Quyết định số %(number)s") % {"number": document.number_symbol or ""},
        data={"decision": document.pk},
    )
    return plan


def decision_withdrawn(
    *, document_id: int, by: User | None, action: str, comment: str = ""
) -> FilePlan | None:
    """The decision's draft was cancelled, or the issued decision recalled: its plan is a draft again (the
    decision stays in the history)."""
    plan = FilePlan.objects.select_for_update().filter(decision_id=document_id).first()
    if plan is None or plan.status == FilePlan.Status.DRAFT:
        return None
    before = plan.status
    plan.status = FilePlan.Status.DRAFT
    plan.decision = None
    plan.approved_at = None
    plan.save(update_fields=["status", "decision", "approved_at", "updated_at"])
    history_write(
        plan,
        by,
        "decision_recalled" if action == "recall" else "decision_cancelled",
        from_state=before,
        to_state=plan.status,
        comment=comment,
        data={"decision": document_id},
    )
    return plan


def entry_open_file(*, by: User, entry: FilePlanEntry) -> CaseFile:
    """ "Mở hồ sơ" on an entry of the approved plan: the case-file service opens it with the entry's code,
    title and retention (the person responsible, the people of its unit, clerks)."""
    from documents.records.services import files

    with transaction.atomic():
        entry = selectors.entry_access(user=by, pk=entry.pk, lock=True)
        plan = entry.plan
        if plan.status != FilePlan.Status.APPROVED:
            raise ValidationError(_("Chỉ mở hồ sơ từ danh mục đã ban hành."))
        if not rules.can_open_file(by, entry, plan):
            raise PermissionDenied(_("Hồ sơ này do người, đơn vị khác lập."))
        if CaseFile.objects.filter(plan_entry=entry).exists():
            raise ValidationError(_("Hồ sơ %(code)s đã được mở.") % {"code": entry.code})
        return files.case_file_open(
            by=by,
            plan_entry=entry,
            title=entry.title,
            retention=entry.retention,
            department=entry.department,
        )
