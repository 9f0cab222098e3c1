"""Every write of outgoing documents: keyword-only, one transaction, row lock, right checked, history.

Flow (NĐ 30 Điều 10–19): draft (officer; NEW) → submit to the unit head (SUBMITTED) → the head approves and
sends it to the signer (SIGNING, the signer's "chờ ký" queue) → the signer signs: the system gives the number
and the issue date at that moment, renders the final PDF with them and the signature goes on it, all in one
transaction (SIGNED, the clerk's "chờ phát hành" queue) → the clerk applies the agency's signature (seal) as
an incremental update and issues (ISSUED): delivered at once to recipient agencies of this installation,
emailed to the others. Side exits: returned with comments (RETURNED), cancelled draft, recall after issue.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.files import pdf_pages, sha256_bytes
from documents.models import Confidentiality, DocumentType, IncomingDocument, TextStatus, Urgency
from documents.outgoing import render, rules, selectors
from documents.outgoing.models import (
    Consultation,
    ConsultationAnswer,
    DeliveryStatus,
    DraftComment,
    OutgoingDocument,
    OutgoingRecipient,
    OutgoingVersion,
    Relation,
    SignerAuthority,
)
from documents.outgoing.richtext import sanitize
from documents.search.extract import queue_delivered, queue_extraction
from eoffice.models import Agency, Department, Role, User
from eoffice.services import notify
from signing import selectors as signing_selectors
from signing import services as signing
from signing.appearance import StampBox
from signing.models import CredentialKind, SignatureRequest
from workflow import services as wf
from workflow.models import HistoryEntry, WorkflowState

logger = logging.getLogger(__name__)

MAX_UPLOAD_BYTES = 30 * 1024 * 1024


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
    signer: User | None = None
    signer_authority: str = ""
    authority_title: str = ""
    signer_title: str = ""
    urgency: int = Urgency.NORMAL
    confidentiality: int = Confidentiality.NORMAL
    circulation: str = ""
    recipient_agencies: Sequence[Agency] = ()
    external_recipients: str = ""  # one per line: "Name <email>" or "Name" (paper)


# ---- helpers ----------------------------------------------------------------------------------------


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


def _require_agency(document: OutgoingDocument, by: User) -> None:
    if not by.agency_id or by.agency_id != document.agency_id:
        raise PermissionDenied


def _check_fields(fields: DraftFields, by: User) -> None:
    errors: dict[str, str] = {}
    if not fields.summary.strip():
        errors["summary"] = _("Vui lòng nhập trích yếu nội dung.")
    if fields.signer is not None and not (
        fields.signer.agency_id == by.agency_id
        and fields.signer.is_active
        and fields.signer.has_role(Role.LEADER)
    ):
        errors["signer"] = _("Người ký phải là lãnh đạo đang làm việc của cơ quan.")
    if fields.signer_authority not in SignerAuthority.values:
        errors["signer_authority"] = _("Thẩm quyền ký không hợp lệ.")
    elif fields.signer_authority and not fields.authority_title.strip():
        errors["authority_title"] = _(
            "Với %(prefix)s, vui lòng nhập chức danh người đứng đầu hoặc tên tập thể."
        ) % {"prefix": fields.signer_authority}
    if fields.urgency not in Urgency.values:
        errors["urgency"] = _("Độ khẩn không hợp lệ.")
    if fields.confidentiality not in Confidentiality.values:
        errors["confidentiality"] = _("Độ mật không hợp lệ.")
    if not 1 <= (fields.copies or 0) <= 999:
        errors["copies"] = _("Số lượng bản phải từ 1 đến 999.")
    for agency in fields.recipient_agencies:
        if agency.pk == by.agency_id:
            errors["recipient_agencies"] = _("Không gửi văn bản cho chính cơ quan mình.")
        elif not agency.is_active:
            errors["recipient_agencies"] = _("Cơ quan %(name)s không còn hoạt động.") % {"name": agency.name}
    if errors:
        raise ValidationError(errors)


def _apply(document: OutgoingDocument, fields: DraftFields) -> None:
    document.doc_type = fields.doc_type
    document.summary = fields.summary.strip()
    document.body = sanitize(fields.body or "")
    document.legal_bases = "\n".join(rules.lines(fields.legal_bases))
    document.addressees = "\n".join(rules.lines(fields.addressees))
    document.distribution = "\n".join(rules.lines(fields.distribution))
    document.archive_note = fields.archive_note.strip()
    document.copies = fields.copies or 1
    document.signer = fields.signer
    document.signer_authority = fields.signer_authority
    document.authority_title = fields.authority_title.strip()
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
    OutgoingRecipient.objects.bulk_create(rows)


def add_version(
    document: OutgoingDocument,
    *,
    data: bytes,
    kind: str,
    by: User,
    box: dict | None = None,
    original_name: str = "",
    note: str = "",
) -> OutgoingVersion:
    last = document.versions.order_by("-number").values_list("number", flat=True).first() or 0
    version = OutgoingVersion(
        document=document,
        number=last + 1,
        kind=kind,
        sha256=sha256_bytes(data),
        size=len(data),
        pages=pdf_pages(data),
        original_name=original_name[-255:],
        signature_box=box,
        note=note[:255],
        created_by=by,
    )
    version.file.save(f"v{version.number}.pdf", ContentFile(data), save=False)
    version.save()
    OutgoingDocument.objects.filter(pk=document.pk).update(
        current_version=version, text_status=TextStatus.PENDING
    )
    document.current_version = version
    document.text_status = TextStatus.PENDING
    queue_extraction(OutgoingDocument, [document.pk])
    return version


def read_bytes(field_file) -> bytes:
    with field_file.open("rb") as handle:
        return handle.read()


def _upload_to_pdf(upload) -> tuple[bytes, str, str]:
    """(pdf bytes, version kind, original name) of an uploaded PDF or DOCX, checked by content."""
    if upload.size > MAX_UPLOAD_BYTES:
        raise ValidationError({"upload": _("Tệp quá lớn (tối đa 30 MB).")})
    data = upload.read()
    if data.startswith(b"%PDF-"):
        pdf_pages(data)
        return data, OutgoingVersion.Kind.UPLOADED, upload.name
    named_docx = upload.name.lower().endswith(".docx")
    if data.startswith(b"PK\x03\x04") and (named_docx or b"word/" in data[:4000]):
        try:
            pdf = render.docx_to_pdf(data)
        except (render.ConversionUnavailable, ValueError) as exc:
            raise ValidationError({"upload": str(exc)}) from exc
        return pdf, OutgoingVersion.Kind.CONVERTED, upload.name
    if named_docx:
        raise ValidationError({"upload": _("Tệp DOCX bị hỏng, không đọc được.")})
    raise ValidationError({"upload": _("Chỉ nhận tệp PDF hoặc DOCX (kiểm tra theo nội dung tệp).")})


def _upload_box(document: OutgoingDocument, data: bytes) -> dict | None:
    """Where the signer's stamp goes on an uploaded draft: just above the signer's name, if found."""
    if not document.signer_id:
        return None
    return render.find_signature_box(data, signer_name=document.signer.full_name)


def _render_draft(document: OutgoingDocument, by: User, note: str = "") -> OutgoingVersion:
    rendered = render.render(rules.layout_for(document, draft=True))
    return add_version(
        document,
        data=rendered.pdf,
        kind=OutgoingVersion.Kind.RENDERED,
        by=by,
        box=rendered.signature_box,
        note=note,
    )


def _notify_one(user: User | None, *, by: User, kind: str, title: str, document: OutgoingDocument) -> None:
    if user is not None and user.pk != by.pk:
        notify(
            recipients=[user],
            kind=kind,
            title=title,
            body=document.summary[:200],
            url=document.get_absolute_url(),
        )


# ---- drafting ---------------------------------------------------------------------------------------


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
    pdf = _upload_to_pdf(upload) if upload else None
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
                document, data=data, kind=kind, by=by, box=_upload_box(document, data), original_name=name
            )
        else:
            _render_draft(document, by)
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
    pdf = _upload_to_pdf(upload) if upload else None
    with transaction.atomic():
        locked = selectors.outgoing_access(user=by, pk=document.pk, lock=True)
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
                box=_upload_box(locked, data),
                original_name=name,
                note=note,
            )
        elif locked.source == OutgoingDocument.Source.TEMPLATE:
            version = _render_draft(locked, by, note=note)
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
            _refresh_sign_request(locked, by)
    return locked


def draft_comment(*, document: OutgoingDocument, by: User, text: str) -> DraftComment:
    """A comment on the current version (anyone who can see the draft while it is not issued)."""
    if not text.strip():
        raise ValidationError({"text": _("Vui lòng nhập ý kiến.")})
    with transaction.atomic():
        locked = selectors.outgoing_access(user=by, pk=document.pk, lock=True)
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
    _notify_one(
        locked.drafted_by,
        by=by,
        kind="documents.outgoing",
        title=_("Ý kiến mới về dự thảo: %(label)s") % {"label": rules.label(locked)},
        document=locked,
    )
    return comment


# ---- review, approval ---------------------------------------------------------------------------------


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
        locked = selectors.outgoing_access(user=by, pk=document.pk, lock=True)
        locked.reviewer = reviewer
        locked.save(update_fields=["reviewer"])
        document = wf.record_transition(record=locked, action="submit", by=by, comment=comment)
    _notify_one(
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


def _refresh_sign_request(document: OutgoingDocument, by: User) -> None:
    _cancel_sign_request(document)
    request = _sign_request_for(document, by)
    OutgoingDocument.objects.filter(pk=document.pk).update(sign_request=request)
    document.sign_request = request


def draft_approve(
    *, document: OutgoingDocument, by: User, signer: User | None = None, comment: str = ""
) -> OutgoingDocument:
    """The head approves (or a head/leader drafter sends their own draft): to the signer's "chờ ký" queue."""
    with transaction.atomic():
        locked = selectors.outgoing_access(user=by, pk=document.pk, lock=True)
        if signer is not None:
            if not (
                signer.agency_id == locked.agency_id and signer.is_active and signer.has_role(Role.LEADER)
            ):
                raise ValidationError({"signer": _("Người ký phải là lãnh đạo đang làm việc của cơ quan.")})
            changed = signer.pk != locked.signer_id
            locked.signer = signer
            if changed:
                locked.signer_title = signer.position[:150]
            locked.save(update_fields=["signer", "signer_title"])
            if changed and locked.source == OutgoingDocument.Source.TEMPLATE:
                _render_draft(locked, by, note=_("Đổi người ký"))
        if locked.signer_id is None:
            raise ValidationError({"signer": _("Vui lòng chọn người ký.")})
        version = locked.current_version
        if locked.source == OutgoingDocument.Source.UPLOAD and version is not None:
            # The stamp goes above the signer's name as printed: find it for the signer chosen now.
            version.signature_box = _upload_box(locked, read_bytes(version.file))
            OutgoingVersion.objects.filter(pk=version.pk).update(signature_box=version.signature_box)
        if not locked.current_version or not locked.current_version.signature_box:
            raise ValidationError(
                _(
                    "Không xác định được vị trí chữ ký trên tệp dự thảo (không tìm thấy tên người ký). "
                    "Vui lòng tải lên tệp có khối chữ ký ghi đúng họ tên người ký."
                )
            )
        document = wf.record_transition(record=locked, action="approve", by=by, comment=comment)
        _refresh_sign_request(document, by)
    _notify_one(
        document.signer,
        by=by,
        kind="documents.outgoing",
        title=_("Văn bản chờ ký: %(label)s") % {"label": rules.label(document)},
        document=document,
    )
    return document


def draft_return(*, document: OutgoingDocument, by: User, comment: str) -> OutgoingDocument:
    """The head or the signer returns the draft to the drafter with comments."""
    if not comment.strip():
        raise ValidationError({"comment": _("Vui lòng nhập ý kiến khi trả lại dự thảo.")})
    with transaction.atomic():
        locked = selectors.outgoing_access(user=by, pk=document.pk, lock=True)
        document = wf.record_transition(record=locked, action="send_back", by=by, comment=comment)
        DraftComment.objects.create(
            document=document, version=document.current_version, author=by, text=comment.strip()
        )
        _cancel_sign_request(document)
    _notify_one(
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


# ---- consultation (lấy ý kiến) -------------------------------------------------------------------------


def consultation_start(
    *,
    document: OutgoingDocument,
    by: User,
    question: str,
    people: Sequence[User] = (),
    departments: Sequence[Department] = (),
    deadline: dt.datetime,
) -> Consultation:
    """Ask several people and/or units (their heads answer) in parallel, with a deadline."""
    errors = {}
    if not question.strip():
        errors["question"] = _("Vui lòng nhập nội dung xin ý kiến.")
    if deadline <= timezone.now():
        errors["deadline"] = _("Hạn góp ý phải sau thời điểm hiện tại.")
    respondents: dict[int, tuple[User, Department | None]] = {}
    for person in people:
        if person.agency_id != document.agency_id or not person.is_active:
            errors["people"] = _("Chỉ lấy ý kiến cán bộ đang làm việc trong cơ quan.")
        elif person.pk != by.pk:
            respondents[person.pk] = (person, None)
    for department in departments:
        if department.agency_id != document.agency_id:
            errors["departments"] = _("Đơn vị không thuộc cơ quan.")
            continue
        heads = list(
            User.objects.filter(
                department=department, is_active=True, groups__agency_role__role=Role.DEPARTMENT_HEAD
            ).distinct()
        )
        if not heads:
            errors["departments"] = _("Đơn vị %(name)s chưa có lãnh đạo để trả lời.") % {
                "name": department.name
            }
        for head in heads:
            if head.pk != by.pk:
                respondents.setdefault(head.pk, (head, department))
    if not respondents and "people" not in errors and "departments" not in errors:
        errors["people"] = _("Vui lòng chọn người hoặc đơn vị cho ý kiến.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = selectors.outgoing_access(user=by, pk=document.pk, lock=True)
        if not rules.can_edit(locked, by):
            raise PermissionDenied(_("Chỉ người đang giữ dự thảo mới lấy ý kiến."))
        consultation = Consultation.objects.create(
            document=locked,
            requested_by=by,
            question=question.strip(),
            version=locked.current_version,
            deadline=deadline,
        )
        ConsultationAnswer.objects.bulk_create(
            ConsultationAnswer(consultation=consultation, respondent=user, department=department)
            for user, department in respondents.values()
        )
        wf.history_add(
            record=locked,
            event=HistoryEntry.Event.COMMENT,
            actor=by,
            comment=_("Lấy ý kiến: %(q)s") % {"q": question.strip()},
            data={"consultation": consultation.pk, "respondents": list(respondents)},
        )
        notify(
            recipients=[user for user, _dep in respondents.values()],
            kind="documents.outgoing",
            title=_("Xin ý kiến về dự thảo: %(label)s") % {"label": rules.label(locked)},
            body=question.strip()[:200],
            url=locked.get_absolute_url(),
        )
    return consultation


def consultation_answer(
    *, answer: ConsultationAnswer, by: User, value: str, note: str = ""
) -> ConsultationAnswer:
    if value not in (
        ConsultationAnswer.Answer.AGREE,
        ConsultationAnswer.Answer.DISAGREE,
        ConsultationAnswer.Answer.OTHER,
    ):
        raise ValidationError({"answer": _("Vui lòng chọn ý kiến.")})
    if value != ConsultationAnswer.Answer.AGREE and not note.strip():
        raise ValidationError({"note": _("Vui lòng ghi rõ ý kiến khi không đồng ý hoặc có ý kiến khác.")})
    with transaction.atomic():
        row = (
            ConsultationAnswer.objects.select_for_update()
            .select_related("consultation__document")
            .get(pk=answer.pk)
        )
        if row.respondent_id != by.pk:
            raise PermissionDenied
        if row.consultation.closed_at is not None:
            raise ValidationError(_("Đợt lấy ý kiến đã kết thúc."))
        row.answer, row.note, row.answered_at = value, note.strip(), timezone.now()
        row.save(update_fields=["answer", "note", "answered_at"])
        document = row.consultation.document
        wf.history_add(
            record=document,
            event=HistoryEntry.Event.COMMENT,
            actor=by,
            comment=f"{row.get_answer_display()}: {note.strip()}".strip(": "),
            data={"consultation": row.consultation_id, "answer": value},
        )
    _notify_one(
        row.consultation.requested_by,
        by=by,
        kind="documents.outgoing",
        title=_("%(name)s đã cho ý kiến về dự thảo: %(label)s")
        % {"name": by.full_name, "label": rules.label(document)},
        document=document,
    )
    return row


def consultation_close(*, consultation: Consultation, by: User, summary: str = "") -> Consultation:
    """Close the round and keep its summary with the draft (counts + the requester's synthesis)."""
    with transaction.atomic():
        row = Consultation.objects.select_for_update().get(pk=consultation.pk)
        if row.requested_by_id != by.pk and not rules.can_edit(row.document, by):
            raise PermissionDenied
        if row.closed_at is not None:
            return row
        row.closed_at = timezone.now()
        row.summary = (
            rules.consultation_summary_text(row) + ("\n" + summary.strip() if summary.strip() else "")
        ).strip()
        row.save(update_fields=["closed_at", "summary"])
        wf.history_add(
            record=row.document,
            event=HistoryEntry.Event.COMMENT,
            actor=by,
            comment=_("Tổng hợp ý kiến: %(s)s") % {"s": row.summary},
            data={"consultation": row.pk},
        )
    return row


# ---- signature (number and date given here) -------------------------------------------------------------


def document_sign(*, document: OutgoingDocument, by: User, pin: str) -> OutgoingDocument:
    """The signer signs now: the request's hooks number, render and record (see ``signflow``)."""
    if document.state != WorkflowState.SIGNING or document.signer_id != by.pk or not document.sign_request_id:
        raise PermissionDenied(_("Văn bản không ở bước chờ bạn ký."))
    request = signing.signature_request_sign(request=document.sign_request, pin=pin, by=by)
    if request.status != SignatureRequest.Status.SIGNED:
        raise ValidationError(request.error or _("Ký số không thành công."))
    return OutgoingDocument.objects.get(pk=document.pk)


# ---- issuance --------------------------------------------------------------------------------------------


def _seal_credential(by: User):
    credential = signing_selectors.credential_for(user=by, kind=SignatureRequest.Kind.SEAL)
    if credential is None or credential.kind != CredentialKind.SEAL:
        raise ValidationError(_("Cơ quan chưa có chứng thư số cơ quan (con dấu) để phát hành."))
    return credential


def document_issue(*, document: OutgoingDocument, by: User, pin: str) -> OutgoingDocument:
    """The clerk applies the agency's signature (seal over the left third of the leader's) and issues:
    delivered at once inside the installation, emailed outside; a reply closes the document it answers."""
    from documents.outgoing import delivery

    _require_agency(document, by)
    if not by.has_role(Role.CLERK):
        raise PermissionDenied
    credential = _seal_credential(by)
    signing.check_credential_pin(
        credential=credential, pin=pin, by=by, kind=SignatureRequest.Kind.SEAL, title=rules.label(document)
    )
    with transaction.atomic():
        locked = selectors.outgoing_access(user=by, pk=document.pk, lock=True)
        if locked.state != WorkflowState.SIGNED:
            raise wf.RecordChanged
        version = locked.current_version
        data = read_bytes(version.file)
        box = rules.box_dict(version.signature_box)
        stamp_box = signing.stamp_box_for(
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
        locked.issued_by = by
        locked.public_code = signing.register_public_verification(
            result.data, f"{locked.number_symbol} {locked.summary}"
        )
        locked.save(update_fields=["issued_by", "public_code"])
        document = wf.record_transition(
            record=locked, action="issue", by=by, data={"version": sealed.number, "sha256": sealed.sha256}
        )
        delivery.deliver(document=document, pdf=result.data, by=by)
        queue_delivered(document)
        if document.reply_to_id:
            delivery.close_reply(document=document, by=by)
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
    from documents.outgoing import delivery

    if not reason.strip():
        raise ValidationError({"reason": _("Vui lòng nhập lý do thu hồi.")})
    with transaction.atomic():
        locked = selectors.outgoing_access(user=by, pk=document.pk, lock=True)
        locked.recall_reason = reason.strip()
        locked.save(update_fields=["recall_reason"])
        document = wf.record_transition(record=locked, action="recall", by=by, comment=reason)
        delivery.recall_propagate(document=document, reason=reason.strip(), by=by)
    return document


def notify_clerks_to_issue(*, document: OutgoingDocument, by: User) -> None:
    clerks = User.objects.filter(
        agency_id=document.agency_id, is_active=True, groups__agency_role__role=Role.CLERK
    ).distinct()
    notify(
        recipients=[u for u in clerks if u.pk != by.pk],
        kind="documents.outgoing",
        title=_("Văn bản chờ phát hành: %(label)s") % {"label": rules.label(document)},
        body=document.summary[:200],
        url=document.get_absolute_url(),
    )


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
