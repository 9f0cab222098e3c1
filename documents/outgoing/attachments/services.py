"""Writes of appendices and attached files.

While the draft is editable (``rules.can_edit``: its holder at this step), the holder adds, changes and
removes appendices (a change renders a new version of the body's PDF, as a change of the body does) and
attached PDFs (checked by content; the main PDF does not change). The stamp and signature at issuance are
in ``issue``.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from documents.files import check_attachment, pdf_pages, removed_on_error, sha256_bytes
from documents.outgoing import rules
from documents.outgoing.models import OutgoingAppendix, OutgoingAttachment, OutgoingDocument
from documents.outgoing.richtext import sanitize
from documents.outgoing.services.common import locked_for
from documents.outgoing.services.review import refresh_sign_request
from documents.outgoing.services.versions import render_draft
from eoffice.models import User
from workflow import services as wf
from workflow.models import HistoryEntry, WorkflowState

MAX_APPENDICES = 15
MAX_ATTACHMENTS = 20


@dataclass
class AppendixFields:
    title: str
    body: str = ""
    landscape: bool = False


def _editable(document: OutgoingDocument, by: User) -> OutgoingDocument:
    locked = locked_for(document, by)
    if not rules.can_edit(locked, by):
        raise PermissionDenied(_("Bạn không thể sửa dự thảo ở bước này."))
    return locked


def _rerender(locked: OutgoingDocument, by: User, note: str) -> None:
    """The body's PDF again with the appendices as they are now (a new version), as after a change of the
    body; the signer's pending request follows the new version."""
    version = render_draft(locked, by, note=note)
    wf.history_add(
        record=locked,
        event=HistoryEntry.Event.UPDATED,
        actor=by,
        comment=note,
        data={"version": version.number},
    )
    if locked.state == WorkflowState.SIGNING:
        refresh_sign_request(locked, by)


def _check_appendix(fields: AppendixFields, locked: OutgoingDocument) -> str:
    errors = {}
    if locked.source != OutgoingDocument.Source.TEMPLATE:
        raise ValidationError(
            _(
                "Dự thảo được tải lên từ tệp: phụ lục phải nằm trong tệp đó, "
                "hoặc đính kèm thành tệp riêng (văn bản, tài liệu kèm theo)."
            )
        )
    if not fields.title.strip():
        errors["title"] = _("Vui lòng nhập tên phụ lục.")
    body = sanitize(fields.body or "")
    if not body.strip():
        errors["body"] = _("Vui lòng nhập nội dung phụ lục.")
    if errors:
        raise ValidationError(errors)
    return body


def appendix_save(
    *, document: OutgoingDocument, by: User, fields: AppendixFields, appendix: OutgoingAppendix | None = None
) -> OutgoingAppendix:
    """Add an appendix (after the others) or change one; the body's PDF is rendered again."""
    with transaction.atomic():
        locked = _editable(document, by)
        body = _check_appendix(fields, locked)
        if appendix is None:
            if locked.appendices.count() >= MAX_APPENDICES:
                raise ValidationError(_("Văn bản có tối đa %(n)s phụ lục.") % {"n": MAX_APPENDICES})
            last = locked.appendices.aggregate(m=Max("position"))["m"] or 0
            appendix = OutgoingAppendix(document=locked, position=last + 1)
            note = _("Thêm phụ lục: %(title)s") % {"title": fields.title.strip()[:150]}
        else:
            appendix = OutgoingAppendix.objects.select_for_update().get(pk=appendix.pk, document=locked)
            note = _("Sửa phụ lục: %(title)s") % {"title": fields.title.strip()[:150]}
        appendix.title = fields.title.strip()[:500]
        appendix.body = body
        appendix.landscape = bool(fields.landscape)
        appendix.save()
        _rerender(locked, by, note)
    return appendix


def appendix_delete(*, document: OutgoingDocument, by: User, appendix: OutgoingAppendix) -> None:
    with transaction.atomic():
        locked = _editable(document, by)
        row = OutgoingAppendix.objects.select_for_update().filter(pk=appendix.pk, document=locked).first()
        if row is None:
            raise wf.RecordChanged
        row.delete()
        _rerender(locked, by, _("Bỏ phụ lục: %(title)s") % {"title": row.title[:150]})


def attachment_add(
    *, document: OutgoingDocument, by: User, upload, title: str, kind: str
) -> OutgoingAttachment:
    """Attach a PDF (checked by its content, not its name): a văn bản or tài liệu kèm theo."""
    errors = {}
    if kind not in OutgoingAttachment.Kind.values:
        errors["kind"] = _("Loại tệp kèm theo không hợp lệ.")
    if upload is None:
        errors["upload"] = _("Vui lòng chọn tệp PDF.")
    if errors:
        raise ValidationError(errors)
    try:
        check_attachment(upload)
        upload.seek(0)
        data = upload.read()
        if not data.startswith(b"%PDF-"):
            raise ValidationError(_("Tệp kèm theo phải là tệp PDF (kiểm tra theo nội dung tệp)."))
        pages = pdf_pages(data)
    except ValidationError as exc:
        raise ValidationError({"upload": exc.messages}) from exc
    name = (upload.name or "tep-kem-theo.pdf").rsplit("/", 1)[-1][-255:]
    title = (title or "").strip() or name.rsplit(".", 1)[0]
    with removed_on_error() as stored, transaction.atomic():
        locked = _editable(document, by)
        if locked.attachments.count() >= MAX_ATTACHMENTS:
            raise ValidationError(_("Văn bản có tối đa %(n)s tệp kèm theo.") % {"n": MAX_ATTACHMENTS})
        last = locked.attachments.aggregate(m=Max("position"))["m"] or 0
        attachment = OutgoingAttachment(
            document=locked,
            position=last + 1,
            kind=kind,
            title=title[:500],
            original_name=name,
            sha256=sha256_bytes(data),
            size=len(data),
            pages=pages,
            created_by=by,
        )
        attachment.file.save(name, ContentFile(data), save=False)
        stored.append(attachment.file.name)
        attachment.save()
        wf.history_add(
            record=locked,
            event=HistoryEntry.Event.UPDATED,
            actor=by,
            comment=_("Thêm %(kind)s: %(title)s")
            % {"kind": attachment.get_kind_display().lower(), "title": title},
        )
    return attachment


def attachment_delete(*, document: OutgoingDocument, by: User, attachment: OutgoingAttachment) -> None:
    with transaction.atomic():
        locked = _editable(document, by)
        row = OutgoingAttachment.objects.select_for_update().filter(pk=attachment.pk, document=locked).first()
        if row is None:
            raise wf.RecordChanged
        name = row.file.name
        row.delete()
        wf.history_add(
            record=locked,
            event=HistoryEntry.Event.UPDATED,
            actor=by,
            comment=_("Bỏ tệp kèm theo: %(title)s") % {"title": row.title},
        )
        storage = row.file.storage
        transaction.on_commit(lambda: storage.delete(name))
