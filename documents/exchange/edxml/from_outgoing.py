"""The package of an issued outgoing document (``documents.outgoing``): its metadata mapped to
``types.Package``, its issued PDF (the current version: signed by the leader, sealed by the agency) as the
one attachment.

Reads the document and its agency, writes nothing. Where the model has no value for a field of the
standard, the field is left unset, not invented:

- ``From`` is the document's agency: ``OrganId`` its ``code`` (the 13-character QCVN 102 form — the
  agency keeps no QĐ 20/2020 code yet), ``OrganizationInCharge`` its parent's name (else its own);
- ``DocumentId`` is ``<OrganId>,<issue date>,<số/ký hiệu>``, ``Code`` the number and notation split at
  the first ``/`` of the printed ``số, ký hiệu``;
- ``DocumentType``: ``Type`` 1 (văn bản hành chính: what the outgoing module issues), ``TypeName`` the
  document type's name, ``TypeDetail`` its place in NĐ 30/2020 Điều 7 (``DOCUMENT_TYPE_DETAILS``), 0 for
  a công văn as in the axis' samples and for a type outside that list;
- ``SignerInfo``: ``Competence`` the signing authority and title ("KT. GIÁM ĐỐC"), ``Position`` the
  signer's title, ``FullName`` the signer;
- ``Priority`` the urgency (the same 0–3 scale), ``PromulgationAmount`` the number of copies,
  ``PageAmount`` the pages of the issued PDF, ``ToPlaces`` the addressees (kính gửi);
- ``ResponseFor``: the incoming document it answers, when that came from an agency with a code;
- no ``DueDate`` (the outgoing document has no deadline field); the attachments are the issued PDF
  (``cid:1``) and then each attached file as signed by the agency at issuance (văn bản / tài liệu kèm
  theo, ``cid:2`` …), its title as the description;
- one ``TraceHeader``: this agency, at ``now``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.utils import timezone
from django.utils.translation import gettext as _

from documents.exchange.edxml.build import document_id
from documents.exchange.edxml.types import (
    Attachment,
    Business,
    Code,
    EdxmlError,
    Organ,
    Package,
    ResponseFor,
    SignerInfo,
    Trace,
)

ADMINISTRATIVE = 1  # DocumentType/Type: văn bản hành chính

# NĐ 30/2020/NĐ-CP Điều 7: the administrative document types in the decree's order. A công văn is 0, as in
# the axis' samples.
DOCUMENT_TYPE_DETAILS: dict[str, int] = {
    name: index
    for index, name in enumerate(
        [
            "Nghị quyết",
            "Quyết định",
            "Chỉ thị",
            "Quy chế",
            "Quy định",
            "Thông cáo",
            "Thông báo",
            "Hướng dẫn",
            "Chương trình",
            "Kế hoạch",
            "Phương án",
            "Đề án",
            "Dự án",
            "Báo cáo",
            "Biên bản",
            "Tờ trình",
            "Hợp đồng",
            "Công điện",
            "Bản ghi nhớ",
            "Bản thỏa thuận",
            "Giấy ủy quyền",
            "Giấy mời",
            "Giấy giới thiệu",
            "Giấy nghỉ phép",
            "Phiếu gửi",
            "Phiếu chuyển",
            "Phiếu báo",
            "Thư công",
        ],
        start=1,
    )
}


def organ_for_agency(agency) -> Organ:
    """An eoffice agency as an edXML ``Organ``."""
    parent = agency.parent if getattr(agency, "parent_id", None) else None
    return Organ(
        organ_id=agency.code,
        organ_name=agency.name,
        organization_in_charge=parent.name if parent is not None else agency.name,
        address=agency.address or "",
        email=agency.email or "",
        telephone=agency.phone or "",
    )


def split_code(number_symbol: str) -> Code:
    """``"05/SKHĐT-KT"`` → number ``"05"``, notation ``"SKHĐT-KT"`` (no ``/``: the whole is the notation)."""
    number, slash, notation = number_symbol.strip().partition("/")
    if not slash:
        return Code(number="", notation=number)
    return Code(number=number.strip(), notation=notation.strip())


def type_detail(type_name: str) -> int:
    return DOCUMENT_TYPE_DETAILS.get(type_name.strip(), 0)


def _lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip(" -–•+\t") for line in (text or "").splitlines() if line.strip(" -–•+\t"))


def _signer(document) -> SignerInfo:
    competence = " ".join(p for p in (document.signer_authority, document.authority_title.strip()) if p)
    signer = document.signer
    position = document.signer_title.strip() or (signer.position if signer is not None else "")
    return SignerInfo(
        competence=competence, position=position, full_name=signer.get_full_name() if signer else ""
    )


def _response_for(document) -> tuple[ResponseFor, ...]:
    incoming = document.reply_to if document.reply_to_id else None
    if incoming is None or incoming.issuer_agency_id is None or not incoming.issuer_agency.code:
        return ()
    organ_id = incoming.issuer_agency.code
    return (
        ResponseFor(
            organ_id=organ_id,
            code=incoming.number_symbol,
            promulgation_date=incoming.issued_date,
            document_id=document_id(organ_id, incoming.issued_date, incoming.number_symbol),
        ),
    )


def _issued_pdf(document) -> tuple[bytes, int]:
    version = document.current_version
    if version is None or not version.file:
        raise EdxmlError("outgoing_no_file", _("Văn bản chưa có tệp PDF phát hành."))
    with version.file.open("rb") as handle:
        return handle.read(), version.pages


def _attached_files(document, base: str) -> tuple[Attachment, ...]:
    """The attached files as issued (stamped and signed with the agency's certificate), after the PDF."""
    manager = getattr(document, "attachments", None)  # a document read elsewhere may carry none
    if manager is None:
        return ()
    rows = []
    for index, attached in enumerate(manager.order_by("position", "id"), start=2):
        field = attached.issued_file or attached.file
        with field.open("rb") as handle:
            data = handle.read()
        rows.append(
            Attachment(
                content_id=f"cid:{index}",
                name=f"{base}-kem-theo-{index - 1}.pdf",
                data=data,
                content_type="application/pdf",
                description=attached.title,
            )
        )
    return tuple(rows)


def package_for_outgoing(
    *,
    document,
    recipients: Sequence[Organ],
    business: Business | None = None,
    now: dt.datetime,
) -> Package:
    """The package that sends the issued ``document`` to ``recipients`` (``business``: new by default; a
    recall, update or replacement says so with its ``Business``). Refuses, with ``EdxmlError``, a document
    not issued, without a number or without its PDF, a secret document (độ mật: state secrets do not travel
    over the exchange axis, Luật Bảo vệ bí mật nhà nước 2018 Điều 5), and an empty list of recipients."""
    from documents.outgoing.delivery.common import attachment_name  # the name internal delivery gives it
    from documents.outgoing.models import ISSUED_STATES

    if document.state not in ISSUED_STATES or not document.number_symbol or document.issued_at is None:
        raise EdxmlError(
            "outgoing_not_issued", _("Chỉ gửi liên thông được văn bản đã phát hành (đã có số, ký hiệu).")
        )
    if getattr(document, "confidentiality", 0):
        raise EdxmlError(
            "outgoing_secret",
            _("Văn bản mật không được gửi qua trục liên thông văn bản; hãy gửi theo chế độ văn bản mật."),
        )
    if not recipients:
        raise EdxmlError("outgoing_no_recipients", _("Chưa chọn cơ quan nhận văn bản liên thông."))
    agency = document.agency
    sender = organ_for_agency(agency)
    issued_on = timezone.localtime(document.issued_at).date()
    pdf, pages = _issued_pdf(document)
    type_name = document.doc_type.name
    file_name = attachment_name(document.number_symbol)
    return Package(
        sender=sender,
        recipients=tuple(recipients),
        # the identifier stored when the number was fixed (documents.records.metadata.identifier)
        document_id=getattr(document, "identifier", "")
        or document_id(sender.organ_id, issued_on, document.number_symbol),
        code=split_code(document.number_symbol),
        promulgation_place=document.place_name or agency.place_name,
        promulgation_date=issued_on,
        type=ADMINISTRATIVE,
        type_detail=type_detail(type_name),
        type_name=type_name,
        subject=document.summary,
        content=document.summary,
        signer=_signer(document),
        to_places=_lines(document.addressees),
        priority=int(document.urgency),
        promulgation_amount=document.copies,
        page_amount=pages,
        response_for=_response_for(document),
        traces=(Trace(organ_id=sender.organ_id, timestamp=now),),
        business=business if business is not None else Business(),
        attachments=(
            Attachment(
                content_id="cid:1",
                name=file_name,
                data=pdf,
                content_type="application/pdf",
                description=file_name,
            ),
            *_attached_files(document, file_name.rsplit(".", 1)[0]),
        ),
    )
