"""Signature and issuance: the signer signs (number and date given by the request's hooks, see
``signflow``), the clerk seals and issues (delivered, replies closed, predecessors told), recall."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from documents.files import removed_on_error
from documents.outgoing import delivery, recipients_check, rules
from documents.outgoing.attachments.issue import attachments_issue
from documents.outgoing.models import (
    OutgoingDocument,
    OutgoingVersion,
    Relation,
)
from documents.outgoing.services.common import locked_for
from documents.outgoing.services.versions import add_version, read_bytes
from documents.outgoing.signals import document_issued
from documents.search.extract import queue_delivered
from eoffice.models import Role, User
from eoffice.services import notify
from signing import rules as signing_rules
from signing import selectors as signing_selectors
from signing import services as signing
from signing.appearance import StampBox
from signing.models import CredentialKind, SignatureRequest
from signing.verification import verify_pdf
from workflow import services as wf
from workflow.models import HistoryEntry, WorkflowState


def document_sign(*, document: OutgoingDocument, by: User, pin: str) -> OutgoingDocument:
    """The signer signs now: the request's hooks number, render and record (see ``signflow``)."""
    if document.state != WorkflowState.SIGNING or document.signer_id != by.pk or not document.sign_request_id:
        raise PermissionDenied(_("Văn bản không ở bước chờ bạn ký."))
    request = signing.signature_request_sign(request=document.sign_request, pin=pin, by=by)
    if request.status != SignatureRequest.Status.SIGNED:
        raise ValidationError(request.error or _("Ký số không thành công."))
    return OutgoingDocument.objects.get(pk=document.pk)


def _seal_credential(by: User):
    credential = signing_selectors.credential_for(user=by, kind=SignatureRequest.Kind.SEAL)
    if credential is None or credential.kind != CredentialKind.SEAL:
        raise ValidationError(_("Cơ quan chưa có chứng thư số cơ quan (con dấu) để phát hành."))
    return credential


def _require_agency(document: OutgoingDocument, by: User) -> None:
    if not by.agency_id or by.agency_id != document.agency_id:
        raise PermissionDenied


def document_issue(*, document: OutgoingDocument, by: User, pin: str) -> OutgoingDocument:
    """The clerk applies the agency's signature (seal over the left third of the leader's) and issues:
    delivered at once inside the installation, emailed outside; a reply closes the document it answers.
    Each attached PDF is stamped (number, signing time) and signed with the same certificate in the same
    transaction: if one fails, nothing is issued."""
    _require_agency(document, by)
    if not by.has_role(Role.CLERK):
        raise PermissionDenied
    credential = _seal_credential(by)
    signing.check_credential_pin(
        credential=credential, pin=pin, by=by, kind=SignatureRequest.Kind.SEAL, title=rules.label(document)
    )
    with removed_on_error() as stored, transaction.atomic():
        locked = locked_for(document, by)
        if locked.state != WorkflowState.SIGNED:
            raise wf.RecordChanged
        recipients_check.align_for_issue(document=locked)  # Nơi nhận and the sending list: one list
        version = locked.current_version
        data = read_bytes(version.file)
        box = rules.box_dict(version.signature_box)
        stamp_box = signing_rules.stamp_box_for(
            kind=SignatureRequest.Kind.SEAL,
            box=StampBox.from_dict(box) if box else None,
            pdf=data,
            agency=locked.agency,
        )
        result = signing.sign_pdf_bytes(
            data=data,
            credential=credential,
            pin=pin,
            by=by,
            kind=SignatureRequest.Kind.SEAL,
            box=stamp_box,
            title=rules.label(locked),
        )
        sealed = add_version(
            locked, data=result.data, kind=OutgoingVersion.Kind.SEALED, by=by, box=version.signature_box
        )
        attachments_issue(document=locked, credential=credential, pin=pin, by=by, stored=stored)
        locked.issued_by = by
        report = verify_pdf(result.data)  # once, for the public page and the internal recipients
        locked.public_code = signing.register_public_verification(
            result.data, f"{locked.number_symbol} {locked.summary}", report=report
        )
        locked.save(update_fields=["issued_by", "public_code"])
        document = wf.record_transition(
            record=locked, action="issue", by=by, data={"version": sealed.number, "sha256": sealed.sha256}
        )
        delivery.deliver(document=document, pdf=result.data, by=by, report=report)
        queue_delivered(document)
        if document.reply_to_id:
            delivery.close_reply(document=document, by=by)
        document_issued.send(sender=OutgoingDocument, document=document, by=by)
        if document.related_id:
            original = document.related
            wf.history_add(
                record=original,
                event=HistoryEntry.Event.COMMENT,
                actor=by,
                comment=(
                    _("Đã được thay thế bởi văn bản %(ns)s")
                    if document.relation == Relation.REPLACE
                    else _("Đã được đính chính bởi văn bản %(ns)s")
                )
                % {"ns": document.number_symbol},
                data={"successor": document.pk},
            )
    notify(
        recipients=[u for u in {document.drafted_by, document.signer} if u and u.pk != by.pk],
        kind="documents.outgoing",
        title=_("Văn bản đã phát hành: %(label)s") % {"label": rules.label(document)},
        body=document.summary[:200],
        url=document.get_absolute_url(),
    )
    return document


def document_recall(*, document: OutgoingDocument, by: User, reason: str) -> OutgoingDocument:
    """Recall an issued document: frozen here, recipients told, it leaves their active lists."""
    if not reason.strip():
        raise ValidationError({"reason": _("Vui lòng nhập lý do thu hồi.")})
    with transaction.atomic():
        locked = locked_for(document, by)
        locked.recall_reason = reason.strip()
        locked.save(update_fields=["recall_reason"])
        document = wf.record_transition(record=locked, action="recall", by=by, comment=reason)
        delivery.recall_propagate(document=document, reason=reason.strip(), by=by)
    return document
