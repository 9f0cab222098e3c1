"""Writes of the format check: the reviewer approves (to the signer) or returns (to the drafter), each a
``FormatCheck`` with the checklist as shown; the agency admin assigns reviewers per document type."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from documents.models import DocumentType
from documents.outgoing import rules
from documents.outgoing.format.checks import build_checklist
from documents.outgoing.models import DraftComment, FormatCheck, FormatReviewRule, OutgoingDocument
from documents.outgoing.services.common import locked_for
from documents.outgoing.services.notices import notify_one
from documents.outgoing.services.review import notify_cleared, refresh_sign_request
from documents.outgoing.services.versions import read_bytes
from eoffice.menu import forget_badges
from eoffice.models import Role, User
from workflow import services as wf
from workflow.models import WorkflowState


def checklist_for(
    document: OutgoingDocument, *, ticked: frozenset[str] | set[str] = frozenset()
) -> list[dict]:
    """The checklist of the current version, the manual rows ticked as ``ticked`` says."""
    rows = build_checklist(document, read_bytes(document.current_version.file))
    for row in rows:
        if not row["auto"]:
            row["ok"] = row["code"] in ticked
    return rows


def _record(document: OutgoingDocument, by: User, outcome: str, checklist: list[dict], comment: str):
    return FormatCheck.objects.create(
        document=document,
        version=document.current_version,
        checker=by,
        outcome=outcome,
        checklist=checklist,
        comment=comment.strip(),
    )


def _check_state(locked: OutgoingDocument, by: User) -> None:
    if locked.state != WorkflowState.FORMAT_CHECK or locked.format_reviewer_id != by.pk:
        raise PermissionDenied(_("Văn bản không chờ bạn kiểm tra thể thức."))


def format_approve(
    *,
    document: OutgoingDocument,
    by: User,
    ticked: set[str] | frozenset[str] = frozenset(),
    comment: str = "",
) -> OutgoingDocument:
    """The reviewer finds the format right: the check recorded, the document to the signer's queue."""
    with transaction.atomic():
        locked = locked_for(document, by)
        _check_state(locked, by)
        checklist = checklist_for(locked, ticked=ticked)
        missing = [row["label"] for row in checklist if not row["auto"] and not row["ok"]]
        if missing:
            raise ValidationError(
                {"ticked": _("Vui lòng kiểm tra và đánh dấu: %(items)s.") % {"items": "; ".join(missing)}}
            )
        _record(locked, by, FormatCheck.Outcome.APPROVED, checklist, comment)
        document = wf.record_transition(record=locked, action="format_approve", by=by, comment=comment)
        refresh_sign_request(document, by)
    notify_cleared(document, by)
    return document


def format_return(
    *, document: OutgoingDocument, by: User, comment: str, ticked: set[str] | frozenset[str] = frozenset()
) -> OutgoingDocument:
    """The reviewer returns the draft to its drafter with comments on the version (a draft comment)."""
    if not comment.strip():
        raise ValidationError({"comment": _("Vui lòng nhập ý kiến về thể thức khi trả lại.")})
    with transaction.atomic():
        locked = locked_for(document, by)
        _check_state(locked, by)
        checklist = checklist_for(locked, ticked=ticked)
        _record(locked, by, FormatCheck.Outcome.RETURNED, checklist, comment)
        document = wf.record_transition(record=locked, action="send_back", by=by, comment=comment)
        DraftComment.objects.create(
            document=document, version=document.current_version, author=by, text=comment.strip()
        )
    notify_one(
        document.drafted_by,
        by=by,
        kind="documents.outgoing",
        title=_("Dự thảo bị trả lại để sửa thể thức: %(label)s") % {"label": rules.label(document)},
        document=document,
    )
    return document


# ---- the agency's assignments ----------------------------------------------------------------------------


def _admin_of(agency_id: int | None, by: User) -> None:
    if not (by.is_superuser or (by.agency_id == agency_id and by.has_role(Role.AGENCY_ADMIN))):
        raise PermissionDenied(_("Chỉ quản trị cơ quan được phân công kiểm tra thể thức."))


def rule_add(*, by: User, reviewer: User, doc_type: DocumentType | None) -> FormatReviewRule:
    """The agency admin names ``reviewer`` to check ``doc_type`` (None: every type without its own rule)."""
    agency_id = by.agency_id
    _admin_of(agency_id, by)
    if reviewer.agency_id != agency_id or not reviewer.is_active:
        raise ValidationError({"reviewer": _("Người kiểm tra phải là người đang làm việc của cơ quan.")})
    with transaction.atomic():
        rule, created = FormatReviewRule.objects.get_or_create(
            agency_id=agency_id, doc_type=doc_type, reviewer=reviewer
        )
    if not created:
        raise ValidationError({"reviewer": _("Người này đã được phân công cho loại văn bản này.")})
    forget_badges([reviewer.pk])  # their menu gains the format queue at their next page
    return rule


def rule_remove(*, by: User, rule: FormatReviewRule) -> None:
    _admin_of(rule.agency_id, by)
    with transaction.atomic():
        FormatReviewRule.objects.filter(pk=rule.pk).delete()
        forget_badges([rule.reviewer_id])
