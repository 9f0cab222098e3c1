"""The versions of a draft: every PDF kept (rendered, uploaded, converted, signed, sealed), the upload
checked by content, the stamp's place on an uploaded draft."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from documents.files import pdf_pages, sha256_bytes
from documents.models import TextStatus
from documents.outgoing import render, rules
from documents.outgoing.models import (
    OutgoingDocument,
    OutgoingVersion,
)
from documents.search.extract import queue_extraction
from eoffice.models import User

MAX_UPLOAD_BYTES = 30 * 1024 * 1024


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


def upload_to_pdf(upload) -> tuple[bytes, str, str]:
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


def upload_box(document: OutgoingDocument, data: bytes) -> dict | None:
    """Where the signer's stamp goes on an uploaded draft: just above the signer's name, if found."""
    if not document.signer_id:
        return None
    return render.find_signature_box(data, signer_name=document.signer.full_name)


def render_draft(document: OutgoingDocument, by: User, note: str = "") -> OutgoingVersion:
    rendered = render.render(rules.layout_for(document, draft=True))
    return add_version(
        document,
        data=rendered.pdf,
        kind=OutgoingVersion.Kind.RENDERED,
        by=by,
        box=rendered.signature_box,
        note=note,
    )
