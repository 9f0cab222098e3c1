"""Review and approval: submitted to the unit head, approved to the signer's queue (the signature request
made then), returned to the drafter, cancelled."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from documents.outgoing import rules, signers
from documents.outgoing.format.reviewers import pick_reviewer
from documents.outgoing.models import (
    DraftComment,
    OutgoingDocument,
    OutgoingVersion,
)
from documents.outgoing.services.common import locked_for
from documents.outgoing.services.notices import notify_one
from documents.outgoing.services.versions import read_bytes, render_draft, upload_box
from eoffice.models import Role, User
from signing import services as signing
from signing.appearance import StampBox
from signing.models import SignatureRequest
from workflow import services as wf
from workflow.models import WorkflowState


def draft_submit(
    *, document: OutgoingDocument, by: User, reviewer: User, comment: str = ""
) -> OutgoingDocument:
    """The drafter submits the draft to the head of their unit (or another head/leader of the agency)."""
    if not (
        reviewer.agency_id == document.agency_id
        and reviewer.is_active
        and reviewer.has_role(Role.DEPARTMENT_HEAD, Role.LEADER)
    ):
        raise ValidationError({"reviewer": _("Người duyệt phải là lãnh đạo đơn vị hoặc lãnh đạo cơ quan.")})
    if reviewer.pk == by.pk:
        raise ValidationError({"reviewer": _("Không tự trình chính mình.")})
    with transaction.atomic():
        locked = locked_for(document, by)
        locked.reviewer = reviewer
        locked.save(update_fields=["reviewer"])
        document = wf.record_transition(record=locked, action="submit", by=by, comment=comment)
    notify_one(
        reviewer,
        by=by,
        kind="documents.outgoing",
        title=_("Dự thảo chờ duyệt: %(label)s") % {"label": rules.label(document)},
        document=document,
    )
    return document


def _sign_request_for(document: OutgoingDocument, by: User) -> SignatureRequest:
    version = document.current_version
    box = rules.box_dict(version.signature_box)
    return signing.signature_request_create(
        pdf=read_bytes(version.file),
        title=f"{document.doc_type.name}: {document.summary}"[:255],
        requested_by=by,
        kind=SignatureRequest.Kind.LEADER,
        signer=document.signer,
        box=StampBox.from_dict(box) if box else None,
        prepare="documents.outgoing.signflow.prepare",
        on_signed="documents.outgoing.signflow.finish",
        source_url=document.get_absolute_url(),
    )


def _cancel_sign_request(document: OutgoingDocument) -> None:
    if document.sign_request_id:
        SignatureRequest.objects.filter(
            pk=document.sign_request_id,
            status__in=[
                SignatureRequest.Status.PENDING,
                SignatureRequest.Status.FAILED,
                SignatureRequest.Status.QUEUED,
            ],
        ).update(status=SignatureRequest.Status.CANCELLED)


def refresh_sign_request(document: OutgoingDocument, by: User) -> None:
    _cancel_sign_request(document)
    request = _sign_request_for(document, by)
    OutgoingDocument.objects.filter(pk=document.pk).update(sign_request=request)
    document.sign_request = request


def draft_approve(
    *,
    document: OutgoingDocument,
    by: User,
    signer: User | None = None,
    comment: str = "",
    format_reviewer: User | None = None,
) -> OutgoingDocument:
    """The head approves (or a head/leader drafter sends their own draft): to the office's format check when
    the agency has a format reviewer for the type (``format_reviewer`` among them, default the first), else
    to the signer's "chờ ký" queue."""
    with transaction.atomic():
        locked = locked_for(document, by)
        changed = signer is not None and signer.pk != locked.signer_id
        if signer is not None:
            if not (signer.agency_id == locked.agency_id and signer.is_active):
                raise ValidationError({"signer": _("Người ký phải là cán bộ đang làm việc của cơ quan.")})
            locked.signer = signer
            if changed:
                locked.signer_title = signer.position[:150]
        if locked.signer_id is None:
            raise ValidationError({"signer": _("Vui lòng chọn người ký.")})
        # A prefix no rule or record allows is refused; the record's title is set before the draft is redrawn.
        signers.confirm(document=locked, field="signer")
        locked.format_reviewer = pick_reviewer(document=locked, wanted=format_reviewer)
        locked.format_checked_at = None
        locked.save(
            update_fields=[
                "signer",
                "signer_title",
                "authorization",
                "authority_title",
                "format_reviewer",
                "format_checked_at",
            ]
        )
        if changed and locked.source == OutgoingDocument.Source.TEMPLATE:
            render_draft(locked, by, note=_("Đổi người ký"))
        version = locked.current_version
        if locked.source == OutgoingDocument.Source.UPLOAD and version is not None:
            # The stamp goes above the signer's name as printed: find it for the signer chosen now.
            version.signature_box = upload_box(locked, read_bytes(version.file))
            OutgoingVersion.objects.filter(pk=version.pk).update(signature_box=version.signature_box)
        if not locked.current_version or not locked.current_version.signature_box:
            raise ValidationError(
                _(
                    "Không xác định được vị trí chữ ký trên tệp dự thảo (không tìm thấy tên người ký). "
                    "Vui lòng tải lên tệp có khối chữ ký ghi đúng họ tên người ký."
                )
            )
        document = wf.record_transition(record=locked, action="approve", by=by, comment=comment)
        if document.state == WorkflowState.FORMAT_CHECK:
            _cancel_sign_request(document)
        else:
            refresh_sign_request(document, by)
    if document.state == WorkflowState.FORMAT_CHECK:
        notify_one(
            document.format_reviewer,
            by=by,
            kind="documents.outgoing",
            title=_("Văn bản chờ kiểm tra thể thức: %(label)s") % {"label": rules.label(document)},
            document=document,
        )
        return document
    notify_cleared(document, by)
    return document


def notify_cleared(document: OutgoingDocument, by: User) -> None:
    """The signer told that a document waits for their signature."""
    notify_one(
        document.signer,
        by=by,
        kind="documents.outgoing",
        title=_("Văn bản chờ ký: %(label)s") % {"label": rules.label(document)},
        document=document,
    )


def draft_return(*, document: OutgoingDocument, by: User, comment: str) -> OutgoingDocument:
    """The head or the signer returns the draft to the drafter with comments."""
    if not comment.strip():
        raise ValidationError({"comment": _("Vui lòng nhập ý kiến khi trả lại dự thảo.")})
    with transaction.atomic():
        locked = locked_for(document, by)
        document = wf.record_transition(record=locked, action="send_back", by=by, comment=comment)
        DraftComment.objects.create(
            document=document, version=document.current_version, author=by, text=comment.strip()
        )
        _cancel_sign_request(document)
    notify_one(
        document.drafted_by,
        by=by,
        kind="documents.outgoing",
        title=_("Dự thảo bị trả lại: %(label)s") % {"label": rules.label(document)},
        document=document,
    )
    return document


def draft_cancel(*, document: OutgoingDocument, by: User, comment: str) -> OutgoingDocument:
    with transaction.atomic():
        return wf.record_transition(record=document, action="cancel", by=by, comment=comment)
