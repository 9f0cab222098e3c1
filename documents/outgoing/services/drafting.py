"""Drafting: the fields the drafter fills in, the draft created and saved as new versions, comments on
it, and the preview rendered without saving."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from documents.exchange.models import ExternalAgency
from documents.models import Confidentiality, DocumentType, IncomingDocument, Urgency
from documents.outgoing import recipients_check, render, rules, signers
from documents.outgoing.models import (
    DeliveryStatus,
    DraftComment,
    OutgoingDocument,
    OutgoingRecipient,
    SignerAuthority,
)
from documents.outgoing.richtext import sanitize
from documents.outgoing.services.common import locked_for
from documents.outgoing.services.notices import notify_one
from documents.outgoing.services.review import refresh_sign_request
from documents.outgoing.services.versions import add_version, render_draft, upload_box, upload_to_pdf
from documents.registers import secrecy
from eoffice.models import Agency, User
from workflow import services as wf
from workflow.models import HistoryEntry, WorkflowState


@dataclass
class DraftFields:
    """What the drafter fills in (the form's cleaned data)."""

    doc_type: DocumentType
    summary: str
    body: str = ""
    legal_bases: str = ""
    addressees: str = ""
    distribution: str = ""
    archive_note: str = ""
    copies: int = 1
    archive_copies: int = 0  # the "Lưu" line's copies (02b)
    signer: User | None = None
    # None: the service picks it for the signer (``signers.default_authority``: none for the head, KT. for a
    # deputy, a valid record's prefix); the draft form always says, and a prefix said is checked as it is.
    signer_authority: str | None = None
    authority_title: str = ""
    signer_title: str = ""
    urgency: int = Urgency.NORMAL
    confidentiality: int = Confidentiality.NORMAL
    circulation: str = ""
    recipient_agencies: Sequence[Agency] = ()
    external_recipients: str = ""  # one per line: "Name <email>" or "Name" (paper)
    exchange_agencies: Sequence[ExternalAgency] = ()  # outside agencies reached by exchange (edXML)


_EMAIL_IN_LINE = re.compile(r"^(?P<name>.*?)\s*<(?P<email>[^<>\s]+)>\s*$")


def parse_external(text: str) -> list[tuple[str, str]]:
    """External recipients, one per line: ``Name <email>`` (sent by email) or ``Name`` (paper)."""
    result, errors = [], []
    for line in rules.lines(text):
        match = _EMAIL_IN_LINE.match(line)
        name, email = (match["name"].strip(), match["email"].strip()) if match else (line, "")
        if not match and "@" in line and " " not in line:
            name, email = line, line
        if email:
            try:
                validate_email(email)
            except ValidationError:
                errors.append(_("Địa chỉ thư điện tử không hợp lệ: %(value)s") % {"value": email})
                continue
        result.append((name[:255] or email, email))
    if errors:
        raise ValidationError({"external_recipients": errors})
    return result


def _default_authority(fields: DraftFields) -> None:
    if fields.signer_authority is not None:
        return
    fields.signer_authority, title = "", ""
    if fields.signer is not None:
        fields.signer_authority, title = signers.default_authority(
            signer=fields.signer, doc_type=fields.doc_type
        )
    fields.authority_title = fields.authority_title or title


def _check_fields(fields: DraftFields, by: User) -> None:
    _default_authority(fields)
    errors: dict[str, str] = {}
    if not fields.summary.strip():
        errors["summary"] = _("Vui lòng nhập trích yếu nội dung.")
    if fields.signer is not None and not (
        fields.signer.agency_id == by.agency_id and fields.signer.is_active
    ):
        errors["signer"] = _("Người ký phải là cán bộ đang làm việc của cơ quan.")
    if fields.signer_authority not in SignerAuthority.values:
        errors["signer_authority"] = _("Thẩm quyền ký không hợp lệ.")
    elif "signer" not in errors:
        errors.update(_check_authority(fields, by))
    if fields.urgency not in Urgency.values:
        errors["urgency"] = _("Độ khẩn không hợp lệ.")
    if fields.confidentiality not in Confidentiality.values:
        errors["confidentiality"] = _("Độ mật không hợp lệ.")
    elif secrecy.metadata_only(agency=by.agency, confidentiality=fields.confidentiality):
        errors["confidentiality"] = secrecy.paper_only_draft_message(agency=by.agency)
    if not 1 <= (fields.copies or 0) <= 999:
        errors["copies"] = _("Số lượng bản phải từ 1 đến 999.")
    if not 0 <= (fields.archive_copies or 0) <= 99:
        errors["archive_copies"] = _("Số bản lưu phải từ 0 đến 99.")
    for agency in fields.recipient_agencies:
        if agency.pk == by.agency_id:
            errors["recipient_agencies"] = _("Không gửi văn bản cho chính cơ quan mình.")
        elif not agency.is_active:
            errors["recipient_agencies"] = _("Cơ quan %(name)s không còn hoạt động.") % {"name": agency.name}
    for external in fields.exchange_agencies:
        if not external.active:
            errors["recipient_agencies"] = _("Cơ quan %(name)s không còn trong danh bạ liên thông.") % {
                "name": external.name
            }
    if errors:
        raise ValidationError(errors)


def _check_authority(fields: DraftFields, by: User) -> dict[str, str]:
    """The signer and prefix the rules or a valid record allow (``signers``), and the title to print."""
    probe = OutgoingDocument(
        agency_id=by.agency_id,
        doc_type=fields.doc_type,
        signer=fields.signer,
        signer_authority=fields.signer_authority,
        authority_title=fields.authority_title.strip(),
    )
    try:
        signers.confirm(document=probe)
    except ValidationError as exc:
        return {"signer_authority": exc.message_dict["signer_authority"][0]}
    if fields.signer_authority and not probe.authority_title:
        return {
            "authority_title": _("Với %(prefix)s, vui lòng nhập chức danh người đứng đầu hoặc tên tập thể.")
            % {"prefix": fields.signer_authority}
        }
    return {}


def _apply(document: OutgoingDocument, fields: DraftFields) -> None:
    document.doc_type = fields.doc_type
    document.summary = fields.summary.strip()
    document.body = sanitize(fields.body or "")
    document.legal_bases = "\n".join(rules.lines(fields.legal_bases))
    document.addressees = "\n".join(rules.lines(fields.addressees))
    document.distribution = recipients_check.compose_distribution(
        agency_id=document.agency_id,
        addressees=document.addressees,
        free=fields.distribution,
        recipients=[
            *fields.recipient_agencies,
            *fields.exchange_agencies,
            *rules.lines(fields.external_recipients),
        ],
    )
    document.archive_note = fields.archive_note.strip()
    document.copies = fields.copies or 1
    document.archive_copies = fields.archive_copies or 0
    document.signer = fields.signer
    document.signer_authority = fields.signer_authority
    document.authority_title = fields.authority_title.strip()
    document.authorization = None
    if fields.signer is not None:
        signers.confirm(document=document)  # the record used, its title printed
    document.signer_title = (
        fields.signer_title.strip() or (fields.signer.position if fields.signer else "")
    )[:150]
    document.urgency = fields.urgency
    document.confidentiality = fields.confidentiality
    document.circulation = fields.circulation


def _set_recipients(document: OutgoingDocument, fields: DraftFields) -> None:
    externals = parse_external(fields.external_recipients)
    document.recipients.filter(status=DeliveryStatus.PENDING).delete()
    rows = [
        OutgoingRecipient(
            document=document, agency=agency, name=agency.name, channel=OutgoingRecipient.Channel.INTERNAL
        )
        for agency in fields.recipient_agencies
    ]
    rows += [
        OutgoingRecipient(
            document=document,
            name=name,
            email=email,
            channel=OutgoingRecipient.Channel.EMAIL if email else OutgoingRecipient.Channel.PAPER,
        )
        for name, email in externals
    ]
    rows += [
        OutgoingRecipient(
            document=document,
            external_agency=external,
            name=external.name,
            channel=OutgoingRecipient.Channel.EXCHANGE,
        )
        for external in fields.exchange_agencies
    ]
    OutgoingRecipient.objects.bulk_create(rows)


def draft_create(
    *,
    by: User,
    fields: DraftFields,
    upload=None,
    reply_to: IncomingDocument | None = None,
    relation: str = "",
    related: OutgoingDocument | None = None,
) -> OutgoingDocument:
    """Start a draft from the type's template (or an uploaded PDF/DOCX) and keep its first version."""
    if not rules.can_draft(by):
        raise PermissionDenied
    _check_fields(fields, by)
    if reply_to is not None and reply_to.agency_id != by.agency_id:
        raise PermissionDenied
    if related is not None and (related.agency_id != by.agency_id or related.state != WorkflowState.ISSUED):
        raise ValidationError(_("Chỉ thay thế hoặc đính chính văn bản đã phát hành của cơ quan."))
    pdf = upload_to_pdf(upload) if upload else None
    with transaction.atomic():
        document = OutgoingDocument(
            agency_id=by.agency_id,
            department_id=by.department_id,
            drafted_by=by,
            source=OutgoingDocument.Source.UPLOAD if pdf else OutgoingDocument.Source.TEMPLATE,
            place_name=by.agency.place_name,
            reply_to=reply_to,
            relation=relation if related else "",
            related=related,
        )
        _apply(document, fields)
        document.save()
        _set_recipients(document, fields)
        if pdf:
            data, kind, name = pdf
            add_version(
                document, data=data, kind=kind, by=by, box=upload_box(document, data), original_name=name
            )
        else:
            render_draft(document, by)
        wf.history_add(
            record=document,
            event=HistoryEntry.Event.CREATED,
            actor=by,
            to_state=document.state,
            data={"reply_to": reply_to.pk if reply_to else None, "related": related.pk if related else None},
        )
    return document


def draft_update(
    *, document: OutgoingDocument, by: User, fields: DraftFields, upload=None, note: str = ""
) -> OutgoingDocument:
    """Save the fields and a new version (drafter; head while reviewing; signer before signing)."""
    _check_fields(fields, by)
    pdf = upload_to_pdf(upload) if upload else None
    with transaction.atomic():
        locked = locked_for(document, by)
        if not rules.can_edit(locked, by):
            raise PermissionDenied(_("Bạn không thể sửa dự thảo ở bước này."))
        old_signer = locked.signer_id
        _apply(locked, fields)
        if locked.state == WorkflowState.SIGNING and locked.signer_id != old_signer:
            raise ValidationError(
                {"signer": _("Không đổi người ký khi dự thảo đang chờ ký; hãy trả lại dự thảo.")}
            )
        if pdf:
            locked.source = OutgoingDocument.Source.UPLOAD
        locked.save()
        _set_recipients(locked, fields)
        if pdf:
            data, kind, name = pdf
            version = add_version(
                locked,
                data=data,
                kind=kind,
                by=by,
                box=upload_box(locked, data),
                original_name=name,
                note=note,
            )
        elif locked.source == OutgoingDocument.Source.TEMPLATE:
            version = render_draft(locked, by, note=note)
        else:
            version = locked.current_version
        wf.history_add(
            record=locked,
            event=HistoryEntry.Event.UPDATED,
            actor=by,
            comment=note.strip(),
            data={"version": version.number if version else None},
        )
        if locked.state == WorkflowState.SIGNING:
            refresh_sign_request(locked, by)
    return locked


def draft_comment(*, document: OutgoingDocument, by: User, text: str) -> DraftComment:
    """A comment on the current version (anyone who can see the draft while it is not issued)."""
    if not text.strip():
        raise ValidationError({"text": _("Vui lòng nhập ý kiến.")})
    with transaction.atomic():
        locked = locked_for(document, by)
        if locked.state not in (
            WorkflowState.NEW,
            WorkflowState.RETURNED,
            WorkflowState.SUBMITTED,
            WorkflowState.SIGNING,
        ):
            raise ValidationError(_("Dự thảo đã được ký, không góp ý thêm."))
        comment = DraftComment.objects.create(
            document=locked, version=locked.current_version, author=by, text=text.strip()
        )
        wf.history_add(record=locked, event=HistoryEntry.Event.COMMENT, actor=by, comment=text.strip())
    notify_one(
        locked.drafted_by,
        by=by,
        kind="documents.outgoing",
        title=_("Ý kiến mới về dự thảo: %(label)s") % {"label": rules.label(locked)},
        document=locked,
    )
    return comment


def preview_pdf(*, fields: DraftFields, by: User) -> bytes:
    """The draft as the form says now, rendered without saving anything (the "Xem trước" button)."""
    if not rules.can_draft(by):
        raise PermissionDenied
    _check_fields(fields, by)
    document = OutgoingDocument(
        agency=by.agency, department=by.department, drafted_by=by, place_name=by.agency.place_name
    )
    _apply(document, fields)
    return render.render_bounded(rules.layout_for(document, draft=True)).pdf
