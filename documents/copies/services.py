"""Writes of copies: ``copy_issue`` makes a sao y / sao lục / trích sao of an issued outgoing or a received
incoming document in one transaction: numbered in the agency's copy register (one series a year for every
form of copy, Phụ lục I Phần II mục II.1c), its PDF built, signed with the agency's certificate and the
copy stamp (Phụ lục I Phần II mục I.3), stored, and delivered to the internal recipients."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.copies import delivery, pdf, rules
from documents.copies import selectors as copy_selectors
from documents.copies.models import CopyForm, CopyRecipient, DocumentCopy
from documents.files import removed_on_error, sha256_bytes
from documents.models import IncomingDocument
from documents.outgoing.models import OutgoingDocument
from documents.outgoing.render.layout import format_date
from documents.registers import numbering
from documents.registers.models import Register
from eoffice.models import Agency, User
from eoffice.output.header import parent_line
from signing import selectors as signing_selectors
from signing import services as signing
from signing.appearance import StampBox, attachment_box
from signing.models import CredentialKind, SignatureRequest
from workflow import services as wf
from workflow.models import HistoryEntry

REGISTER_CODE = "SAO"
STAMP_SIZE = (300.0, 26.0)  # points: two lines of 10 pt at the top right of page 1


@dataclass
class CopyFields:
    form: str
    signer: User | None
    signer_authority: str = ""
    authority_title: str = ""
    signer_title: str = ""
    pages: str = ""
    excerpt: str = ""
    recipient_agencies: list[Agency] = field(default_factory=list)
    other_recipients: str = ""


def copy_register(*, agency: Agency) -> Register:
    """The agency's register of copies (Sổ bản sao), created on first use. One series for SY, SL and TS:
    the decree numbers copies "đánh chung cho các loại bản sao" (Phụ lục I Phần II mục II.1c)."""
    register = Register.objects.filter(agency=agency, kind=Register.Kind.COPY, code=REGISTER_CODE).first()
    if register:
        return register
    Register.objects.bulk_create(
        [
            Register(
                agency=agency,
                kind=Register.Kind.COPY,
                code=REGISTER_CODE,
                name="Sổ đăng ký bản sao văn bản",
                is_default=True,
            )
        ],
        ignore_conflicts=True,
    )
    return Register.objects.get(agency=agency, kind=Register.Kind.COPY, code=REGISTER_CODE)


def _free_lines(text: str) -> list[str]:
    lines = []
    for raw in (text or "").splitlines():
        line = raw.strip().lstrip("-–•").strip().rstrip(";.").strip()
        if line and line not in lines:
            lines.append(line[:255])
    return lines


def _check(fields: CopyFields, *, agency: Agency) -> None:
    errors = {}
    if fields.form not in CopyForm.values:
        errors["form"] = _("Vui lòng chọn hình thức sao.")
    if fields.signer is None or fields.signer.agency_id != agency.pk or not fields.signer.is_active:
        errors["signer"] = _("Vui lòng chọn người ký bản sao của cơ quan.")
    if fields.signer_authority not in rules.AUTHORITIES:
        errors["signer_authority"] = _("Thẩm quyền ký không hợp lệ.")
    if not (fields.signer_title or (fields.signer and fields.signer.position)):
        errors["signer_title"] = _("Vui lòng nhập chức vụ người ký.")
    if fields.signer_authority and not fields.authority_title.strip():
        errors["authority_title"] = _("Vui lòng nhập chức danh sau %(a)s (ví dụ: Giám đốc).") % {
            "a": fields.signer_authority
        }
    if any(a.pk == agency.pk for a in fields.recipient_agencies):
        errors["recipient_agencies"] = _("Không gửi bản sao cho chính cơ quan mình.")
    if errors:
        raise ValidationError(errors)


def _source_bytes(source) -> bytes:
    file = source.current_version.file if isinstance(source, OutgoingDocument) else source.file
    try:
        with file.open("rb") as handle:
            return handle.read()
    except (FileNotFoundError, ValueError) as exc:
        raise ValidationError(_("Không đọc được tệp của văn bản gốc.")) from exc


def _seal_credential(by: User):
    credential = signing_selectors.credential_for(user=by, kind=SignatureRequest.Kind.SEAL)
    if credential is None or credential.kind != CredentialKind.SEAL:
        raise ValidationError(_("Cơ quan chưa có chứng thư số cơ quan để ký bản sao."))
    return credential


def _stamp_box(data: bytes) -> StampBox:
    """Top right of page 1 (ô số 14 of Phụ lục I), wide enough for form, agency and time on two lines."""
    corner = attachment_box(data)
    width, height = STAMP_SIZE
    return StampBox(page=0, x1=corner.x2 - width, y1=corner.y2 - height, x2=corner.x2, y2=corner.y2)


def _block(copy: DocumentCopy, fields: CopyFields, distribution: list[str], agency: Agency) -> pdf.Block:
    signer = fields.signer
    note = ""
    if copy.form == CopyForm.TS:
        note = _("Trích trang %(pages)s") % {"pages": copy.pages}
        if copy.excerpt:
            note = f"{note}: {copy.excerpt}"
    return pdf.Block(
        heading=rules.heading(copy.form),
        agency_name=agency.name,
        parent_name=parent_line(agency.parent.name) if agency.parent_id else "",
        number_symbol=copy.number_symbol,
        place_date=format_date(agency.place_name or "", timezone.localtime(copy.issued_at).date()),
        # Phụ lục I II.7: "KT. GIÁM ĐỐC" over "PHÓ GIÁM ĐỐC"; "Q. GIÁM ĐỐC" alone; no prefix: the title.
        authority=f"{copy.signer_authority} {copy.authority_title}" if copy.signer_authority else "",
        title="" if copy.signer_authority == "Q." else copy.signer_title,
        signer_name=signer.full_name,
        distribution=[*distribution, "Lưu: VT"],
        excerpt_note=note,
    )


def copy_issue(
    *, source: OutgoingDocument | IncomingDocument, fields: CopyFields, by: User, pin: str
) -> DocumentCopy:
    """Number, build, sign with the agency's certificate, store and deliver a copy of ``source``; nothing is
    kept when any step fails (the number is given back, the stored files removed)."""
    if not rules.can_copy(by):
        raise PermissionDenied
    kind = "outgoing" if isinstance(source, OutgoingDocument) else "incoming"
    source = copy_selectors.source_access(user=by, kind=kind, pk=source.pk)  # 404 if not the user's to see
    agency = by.agency
    if source.agency_id != agency.pk:
        raise PermissionDenied
    if not copy_selectors.copyable(source):
        raise ValidationError(_("Chỉ sao được văn bản đã phát hành hoặc đã vào sổ và có tệp điện tử."))
    if not (pin or "").strip():
        raise ValidationError({"pin": _("Vui lòng nhập mã PIN chứng thư số cơ quan.")})
    _check(fields, agency=agency)
    data = _source_bytes(source)
    try:
        total = pdf.page_count(data)
    except pdf.SourceUnreadable as exc:
        raise ValidationError(_("Tệp văn bản gốc không phải là PDF đọc được.")) from exc
    chosen = rules.parse_pages(fields.pages, page_count=total) if fields.form == CopyForm.TS else None
    credential = _seal_credential(by)
    signing.check_credential_pin(
        credential=credential,
        pin=pin,
        by=by,
        kind=SignatureRequest.Kind.ATTACHMENT,
        title=source.number_symbol,
    )
    distribution = [a.name for a in fields.recipient_agencies] + [
        line
        for line in _free_lines(fields.other_recipients)
        if line not in {a.name for a in fields.recipient_agencies}
    ]
    with transaction.atomic(), removed_on_error() as stored:
        copy_selectors.source_access(user=by, kind=kind, pk=source.pk, lock=True)
        register = copy_register(agency=agency)
        year, number = numbering.issue(register=register)
        now = timezone.now()
        copy = DocumentCopy(
            agency=agency,
            form=fields.form,
            state=DocumentCopy.State.ISSUED,
            source_outgoing=source if kind == "outgoing" else None,
            source_incoming=source if kind == "incoming" else None,
            pages=",".join(str(p + 1) for p in chosen) if chosen is not None else "",
            excerpt=fields.excerpt.strip() if fields.form == CopyForm.TS else "",
            register=register,
            year=year,
            number=number,
            number_symbol=rules.number_symbol(number=number, form=fields.form, agency=agency),
            place_name=agency.place_name or "",
            signer=fields.signer,
            signer_authority=fields.signer_authority,
            authority_title=fields.authority_title.strip(),
            signer_title=(fields.signer_title or fields.signer.position or "").strip(),
            distribution="\n".join(distribution),
            archive_note="VT",
            created_by=by,
            issued_by=by,
            issued_at=now,
        )
        if chosen is not None:
            copy.pages = fields.pages.strip()
        built, pages = pdf.assemble(
            source=data, pages=chosen, block=_block(copy, fields, distribution, agency)
        )
        stamp = _("%(form)s, %(agency)s, %(ns)s") % {
            "form": rules.heading(copy.form).capitalize(),
            "agency": agency.name,
            "ns": copy.number_symbol,
        }
        result = signing.sign_pdf_bytes(
            data=built,
            credential=credential,
            pin=pin,
            by=by,
            kind=SignatureRequest.Kind.ATTACHMENT,
            box=_stamp_box(built),
            stamp_text=stamp,
            title=copy.number_symbol,
        )
        copy.sha256 = sha256_bytes(result.data)
        copy.page_count = pages
        copy.public_code = signing.register_public_verification(
            result.data, f"{copy.number_symbol} {delivery.summary_line(copy)}"[:250]
        )
        copy.file.save("copy.pdf", ContentFile(result.data), save=False)
        stored.append(copy.file.name)
        copy.save()
        CopyRecipient.objects.bulk_create(
            [CopyRecipient(copy=copy, agency=a, name=a.name) for a in fields.recipient_agencies]
            + [CopyRecipient(copy=copy, name=line) for line in distribution[len(fields.recipient_agencies) :]]
        )
        delivery.deliver(copy=copy, pdf=result.data, stored=stored, by=by)
        wf.history_add(
            record=source,
            event=HistoryEntry.Event.COMMENT,
            actor=by,
            comment=_("Đã sao văn bản: %(form)s số %(ns)s")
            % {"form": copy.get_form_display(), "ns": copy.number_symbol},
            data={"copy": copy.pk},
        )
    return copy
