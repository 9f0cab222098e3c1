"""Building edXML packages and status messages (QCVN 102:2016/BTTTT) with lxml, laid out as the samples of
the national axis lay them out (``tests/documents/exchange/samples``, from ``../shared/reference/edxml``):

- the root ``edXML`` declares the namespace as the default one; ``edXML:edXMLEnvelope`` declares the
  ``edXML`` prefix and holds ``edXMLHeader`` (``MessageHeader``, ``TraceHeaderList`` with its
  ``TraceHeader`` hops and ``Bussiness``; the signature goes last, see ``sign``) and ``edXMLBody`` (the
  ``edXMLManifest`` version 1.0, one ``Reference`` per attachment);
- ``AttachmentEncoded`` sits outside the envelope, unprefixed, each ``Attachment`` carrying its file as a
  ZIP holding that one file, base64-encoded in ``edXML:ContentTransferEncoded`` (the manifest and the
  attachment say ``application/zip``);
- a status message is the same envelope with a header only.

Dates are written ``yyyy/MM/dd``, timestamps ``yyyy/MM/dd HH:mm:ss`` in Asia/Ho_Chi_Minh (a naive
timestamp is taken as already local). Optional values that are unset are left out; text values that the
samples always carry (the agency's contact fields, ``Content``, ``Description`` …) are written, empty when
empty. The ZIP is deterministic (fixed date, attributes and compression level): the same package builds to
the same bytes. Building refuses (``EdxmlError``) only what no receiver would take — no recipient, no
agency code, no subject, a status 02 or 13 without its reason; ``schema.validate`` checks the rest, and
the tests run every built package through it.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import re
import zipfile
from pathlib import PurePosixPath
from zoneinfo import ZoneInfo

from django.utils.translation import gettext as _
from lxml import etree

from documents.exchange.edxml.types import (
    DATE_FORMAT,
    NAMESPACE,
    TIMESTAMP_FORMAT,
    Attachment,
    Business,
    BusinessDocType,
    EdxmlError,
    Organ,
    Package,
    ResponseFor,
    StaffInfo,
    StatusCode,
    StatusMessage,
)

LOCAL_ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
ZIP_CONTENT_TYPE = "application/zip"
MANIFEST_VERSION = "1.0"
_ZIP_DATE = (1980, 1, 1, 0, 0, 0)  # the earliest date a ZIP entry can carry
# What XML 1.0 cannot carry at all (C0 controls but tab and line ends, lone surrogates, U+FFFE/U+FFFF):
# dropped from every text written, as a pasted summary may hold a vertical tab or a NUL.
_NOT_XML = re.compile("[^\x09\x0a\x0d\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _q(name: str) -> str:
    return f"{{{NAMESPACE}}}{name}"


def xml_text(value: object) -> str:
    """``value`` as text XML can carry (characters XML 1.0 forbids dropped)."""
    return _NOT_XML.sub("", str(value))


def _sub(parent: etree._Element, name: str, text: object | None = None) -> etree._Element:
    element = etree.SubElement(parent, _q(name))
    if text is not None:
        element.text = xml_text(text)
    return element


def _opt(parent: etree._Element, name: str, value: object | None) -> None:
    """A child only when the value is set (``None`` and ``""`` are unset; ``0`` and ``False`` are set)."""
    if value is None or value == "":
        return
    if isinstance(value, bool):
        value = "true" if value else "false"
    _sub(parent, name, value)


def format_date(value: dt.date) -> str:
    return value.strftime(DATE_FORMAT)


def format_timestamp(value: dt.datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(LOCAL_ZONE)
    return value.strftime(TIMESTAMP_FORMAT)


def document_id(organ_id: str, date: dt.date, code_text: str) -> str:
    """``<sender OrganId>,<yyyy/MM/dd>,<số/ký hiệu>``: how the axis names a document (``DocumentId``)."""
    return f"{organ_id.strip()},{format_date(date)},{code_text.strip()}"


def zip_member_name(name: str) -> str:
    """The file's name inside the ZIP: the last part of ``name``, no folder, nothing to climb out with."""
    base = PurePosixPath(xml_text(name).replace("\\", "/")).name.strip()
    return base if base not in ("", ".", "..") else "tep-dinh-kem"


def zip_file(name: str, data: bytes) -> bytes:
    """A ZIP holding ``data`` as ``name`` (see ``zip_member_name``), the same bytes for the same input."""
    info = zipfile.ZipInfo(zip_member_name(name), date_time=_ZIP_DATE)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # Unix: the attributes below mean the same everywhere
    info.external_attr = 0o100644 << 16
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as archive:
        archive.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
    return buffer.getvalue()


def encode_attachment(attachment: Attachment) -> str:
    return base64.b64encode(zip_file(attachment.name, attachment.data)).decode("ascii")


# --- the parts ---------------------------------------------------------------------------------------


def _organ(parent: etree._Element, name: str, organ: Organ) -> None:
    element = _sub(parent, name)
    _sub(element, "OrganId", organ.organ_id)
    _sub(element, "OrganizationInCharge", organ.organization_in_charge)
    _sub(element, "OrganName", organ.organ_name)
    _sub(element, "OrganAdd", organ.address)
    _sub(element, "Email", organ.email)
    _sub(element, "Telephone", organ.telephone)
    _sub(element, "Fax", organ.fax)
    _sub(element, "Website", organ.website)


def _staff(parent: etree._Element, staff: StaffInfo | None) -> None:
    if staff is None:
        return
    element = _sub(parent, "StaffInfo")
    _sub(element, "Department", staff.department)
    _sub(element, "Staff", staff.staff)
    _sub(element, "Email", staff.email)
    _sub(element, "Mobile", staff.mobile)


def _response_for(parent: etree._Element, response: ResponseFor) -> None:
    element = _sub(parent, "ResponseFor")
    _sub(element, "OrganId", response.organ_id)
    _sub(element, "Code", response.code)
    if response.promulgation_date is not None:
        _sub(element, "PromulgationDate", format_date(response.promulgation_date))
    _sub(element, "DocumentId", response.document_id)


def _message_header(header: etree._Element, package: Package) -> None:
    message = _sub(header, "MessageHeader")
    _organ(message, "From", package.sender)
    for recipient in package.recipients:
        _organ(message, "To", recipient)
    _sub(message, "DocumentId", package.document_id)
    code = _sub(message, "Code")
    _sub(code, "CodeNumber", package.code.number)
    _sub(code, "CodeNotation", package.code.notation)
    promulgation = _sub(message, "PromulgationInfo")
    _sub(promulgation, "Place", package.promulgation_place)
    _sub(promulgation, "PromulgationDate", format_date(package.promulgation_date))
    doc_type = _sub(message, "DocumentType")
    _sub(doc_type, "Type", package.type)
    _sub(doc_type, "TypeDetail", package.type_detail)
    _sub(doc_type, "TypeName", package.type_name)
    _sub(message, "Subject", package.subject)
    _sub(message, "Content", package.content)
    signer = _sub(message, "SignerInfo")
    _sub(signer, "Competence", package.signer.competence)
    _sub(signer, "Position", package.signer.position)
    _sub(signer, "FullName", package.signer.full_name)
    if package.due_date is not None:
        _sub(message, "DueDate", format_date(package.due_date))
    other = _sub(message, "OtherInfo")
    _sub(other, "Priority", package.priority)
    _opt(other, "SphereOfPromulgation", package.sphere_of_promulgation)
    _opt(other, "TyperNotation", package.typer_notation)
    _opt(other, "PromulgationAmount", package.promulgation_amount)
    _opt(other, "PageAmount", package.page_amount)
    _opt(other, "Direction", package.direction)
    if package.appendixes:
        appendixes = _sub(other, "Appendixes")
        for appendix in package.appendixes:
            _sub(appendixes, "Appendix", appendix)
    for response in package.response_for:
        _response_for(message, response)
    _opt(message, "SteeringType", package.steering_type)
    if package.to_places:
        places = _sub(message, "ToPlaces")
        for place in package.to_places:
            _sub(places, "Place", place)


def _business(parent: etree._Element, business: Business) -> None:
    element = _sub(parent, "Bussiness")
    if business.document_id or business.doc_type != BusinessDocType.NEW:
        _sub(element, "DocumentId", business.document_id)
    _sub(element, "BussinessDocType", int(business.doc_type))
    _sub(element, "BussinessDocReason", business.reason)
    _sub(element, "Paper", business.paper)
    if business.document_info or business.document_receiver or business.receivers:
        info = _sub(element, "BussinessDocumentInfo")
        _sub(info, "DocumentInfo", business.document_info)
        _sub(info, "DocumentReceiver", business.document_receiver)
        if business.receivers:
            receivers = _sub(info, "ReceiverList")
            for receiver in business.receivers:
                item = _sub(receivers, "Receiver")
                _sub(item, "OrganId", receiver.organ_id)
                _sub(item, "ReceiverType", receiver.receiver_type)
    if business.replacements:
        replacements = _sub(element, "ReplacementInfoList")
        for replacement in business.replacements:
            item = _sub(replacements, "ReplacementInfo")
            _sub(item, "DocumentId", replacement.document_id)
            organs = _sub(item, "OrganIdList")
            for organ_id in replacement.organ_ids:
                _sub(organs, "OrganId", organ_id)
    _staff(element, business.staff)


def _envelope(root: etree._Element) -> etree._Element:
    # The samples declare the prefix on the envelope; lxml names the element with it.
    return etree.SubElement(root, _q("edXMLEnvelope"), nsmap={"edXML": NAMESPACE})


def _root() -> etree._Element:
    return etree.Element(_q("edXML"), nsmap={None: NAMESPACE})


XML_DECLARATION = b'<?xml version="1.0" encoding="UTF-8"?>\n'


def serialise(root: etree._Element) -> bytes:
    """UTF-8 bytes behind the declaration the samples carry (double quotes: some receivers read it so)."""
    return XML_DECLARATION + etree.tostring(root, encoding="UTF-8", xml_declaration=False)


def _serialise(root: etree._Element) -> bytes:
    etree.indent(root, space="  ")
    return serialise(root)


# --- the messages ------------------------------------------------------------------------------------


def package_tree(package: Package) -> etree._Element:
    """The package as an lxml tree (before indentation and signature)."""
    root = _root()
    envelope = _envelope(root)
    header = _sub(envelope, "edXMLHeader")
    _message_header(header, package)
    traces = _sub(header, "TraceHeaderList")
    for trace in package.traces:
        item = _sub(traces, "TraceHeader")
        _sub(item, "OrganId", trace.organ_id)
        _sub(item, "Timestamp", format_timestamp(trace.timestamp))
    _business(traces, package.business)
    body = _sub(envelope, "edXMLBody")
    manifest = _sub(body, "edXMLManifest")
    manifest.set("version", MANIFEST_VERSION)
    for attachment in package.attachments:
        reference = _sub(manifest, "Reference")
        _sub(reference, "ContentId", attachment.content_id)
        _sub(reference, "ContentType", ZIP_CONTENT_TYPE)
        _sub(reference, "Description", attachment.description)
        _sub(reference, "AttachmentName", attachment.name)
    if package.attachments:
        encoded = _sub(root, "AttachmentEncoded")
        for attachment in package.attachments:
            item = _sub(encoded, "Attachment")
            _sub(item, "ContentId", attachment.content_id)
            _sub(item, "AttachmentName", attachment.name)
            _sub(item, "Description", attachment.description)
            _sub(item, "ContentType", ZIP_CONTENT_TYPE)
            data = etree.SubElement(item, _q("ContentTransferEncoded"), nsmap={"edXML": NAMESPACE})
            data.text = encode_attachment(attachment)
    return root


def _blank(value: str) -> bool:
    return not xml_text(value or "").strip()


def check_package(package: Package) -> None:
    """Refuse (``EdxmlError``) a package that no receiver would take: what the schema and the parsers
    require, said to the clerk before anything is sent."""
    missing = [
        label
        for label, blank in (
            (_("mã định danh cơ quan gửi"), _blank(package.sender.organ_id)),
            (_("mã văn bản (DocumentId)"), _blank(package.document_id)),
            (_("trích yếu"), _blank(package.subject)),
        )
        if blank
    ]
    if missing:
        raise EdxmlError("build_missing", _("Gói tin thiếu: %(fields)s.") % {"fields": ", ".join(missing)})
    if not package.recipients:
        raise EdxmlError("build_no_recipient", _("Gói tin chưa có cơ quan nhận."))
    if any(_blank(organ.organ_id) for organ in package.recipients):
        raise EdxmlError("build_recipient_no_code", _("Có cơ quan nhận chưa có mã định danh."))
    content_ids = [attachment.content_id for attachment in package.attachments]
    if any(_blank(cid) for cid in content_ids) or len(set(content_ids)) != len(content_ids):
        raise EdxmlError("build_content_ids", _("Mỗi tệp đính kèm cần một mã (ContentId) riêng."))


def check_status(status: StatusMessage) -> None:
    """Refuse (``EdxmlError``) a status that no receiver would take; 02 and 13 need their reason."""
    if _blank(status.sender.organ_id) or _blank(status.response_for.organ_id):
        raise EdxmlError("build_missing", _("Thông báo trạng thái thiếu mã định danh cơ quan."))
    if status.code in (StatusCode.REFUSED, StatusCode.CHANGE_REQUESTED) and _blank(status.description):
        raise EdxmlError(
            "build_reason_required", _("Cần nêu lý do (trạng thái %(code)s).") % {"code": status.code}
        )


def package_xml(package: Package) -> bytes:
    """The package as UTF-8 bytes with an XML declaration, indented as the samples are, unsigned
    (``check_package`` first)."""
    check_package(package)
    return _serialise(package_tree(package))


def status_tree(status: StatusMessage) -> etree._Element:
    root = _root()
    envelope = _envelope(root)
    header = _sub(envelope, "edXMLHeader")
    message = _sub(header, "MessageHeader")
    _organ(message, "From", status.sender)
    _response_for(message, status.response_for)
    _staff(message, status.staff)
    _sub(message, "StatusCode", str(status.code.value))
    _sub(message, "Description", status.description)
    _sub(message, "Timestamp", format_timestamp(status.timestamp))
    return root


def status_xml(status: StatusMessage) -> bytes:
    """The status message as UTF-8 bytes with an XML declaration, unsigned (``check_status`` first)."""
    check_status(status)
    return _serialise(status_tree(status))
