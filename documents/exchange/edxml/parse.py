"""Parse an edXML package or status message into the typed structure, defused and lenient where senders are.

``parse_package(data)``, ``parse_status(data)`` and ``parse_any(data)`` return a complete value or raise
``EdxmlError(code, message)`` (codes and messages in ``messages``): never another exception, never half a
value. Decisions on the sloppy variants of domain-exchange.md:

- stray bytes or a BOM before ``<?xml``: stripped, with a Notice; a DOCTYPE: refused (before and after);
- an undeclared prefix that the standard names (``edXML``, ``ds``, ``xlink``, SOAP, ``xsi``): declared and
  parsed, with a Notice; any other undeclared prefix: refused (``undeclared_prefix``);
- elements are matched by local name in the edXML namespace or none (a namespace-less ``<Signature>`` is left
  to ``verify``), foreign attributes (``xlink:href``, ``SOAP-ENV:mustUnderstand``) are ignored;
- a missing required element: refused with its name; an impossible date in a required field (PromulgationDate,
  status Timestamp) refused, in an optional one (DueDate, ResponseFor/PromulgationDate) a Notice and None;
- an agency id that is neither a QĐ 20/2020 nor a QCVN 102 code: accepted with a Notice;
- attachments: matched by ContentId, then ``unpack`` (base64, the ZIP opened safely, the type by content).
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import zoneinfo

from lxml import etree

from documents.exchange.edxml import messages as m
from documents.exchange.edxml import unpack
from documents.exchange.edxml.codes import kind_of
from documents.exchange.edxml.types import (
    DATE_FORMAT,
    NAMESPACE,
    TIMESTAMP_FORMAT,
    XMLDSIG_NAMESPACE,
    Attachment,
    Business,
    BusinessDocType,
    Code,
    EdxmlError,
    Notice,
    Organ,
    Package,
    ParsedPackage,
    ParsedStatus,
    Receiver,
    ReplacementInfo,
    ResponseFor,
    SignerInfo,
    StaffInfo,
    StatusCode,
    StatusMessage,
    Trace,
)

logger = logging.getLogger(__name__)

VIETNAM = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
KNOWN_PREFIXES = {
    "edXML": NAMESPACE,
    "edxml": NAMESPACE,
    "ds": XMLDSIG_NAMESPACE,
    "dsig": XMLDSIG_NAMESPACE,
    "xlink": "http://www.w3.org/1999/xlink",
    "SOAP-ENV": "http://schemas.xmlsoap.org/soap/envelope/",
    "soapenv": "http://schemas.xmlsoap.org/soap/envelope/",
    "soap": "http://schemas.xmlsoap.org/soap/envelope/",
    "xsi": "http://www.w3.org/2001/XMLSchema-instance",
    "xsd": "http://www.w3.org/2001/XMLSchema",
}
_UNDEFINED_PREFIX = re.compile(r"Namespace prefix (\S+) (?:for \S+ )?on \S+ is not defined")
_DTD = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)
_ROOT_TAG = re.compile(rb"<([A-Za-z_][\w.:-]*)")


def safe_parser(*, huge: bool = False) -> etree.XMLParser:
    """No entities resolved, no network, no DTD loaded. ``huge`` lifts libxml2's 10 MB text-node limit (a
    base64 attachment over ~7 MB); it is only used for a document whose prolog has been seen to hold no
    DOCTYPE, so there is no entity to amplify."""
    return etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=huge, remove_comments=False
    )


def _parse(data: bytes) -> etree._Element:
    etree.clear_error_log()  # lxml keeps earlier parses' errors in the log it attaches to the exception
    try:
        return etree.fromstring(data, parser=safe_parser())
    except etree.XMLSyntaxError as exc:
        readable_prolog = b"\x00" not in data[:4096]  # an ASCII-compatible encoding: the DOCTYPE scan saw all
        if readable_prolog and "XML_PARSE_HUGE" in str(exc):
            return etree.fromstring(data, parser=safe_parser(huge=True))
        raise


# ---------------------------------------------------------------------------------------------- bytes → tree


def _strip_prolog(data: bytes, notices: list[Notice]) -> bytes:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data  # UTF-16: lxml reads the BOM itself
    start = data.find(b"<")  # stray bytes hold no "<" (BOM, white space, a transport's leftovers)
    if start <= 0:
        return data
    prefix = data[:start]
    if prefix.startswith(b"\xef\xbb\xbf") and not prefix[3:].strip():
        notices.append(m.notice("bom"))
    elif prefix.strip():
        notices.append(m.notice("stray_bytes", count=len(prefix)))
    return data[start:]


def _root_start(data: bytes) -> tuple[int, bool]:
    """Where the root element starts, and whether the prolog before it declares a DTD (skipping the XML
    declaration, processing instructions and comments, which may contain anything)."""
    pos = 0
    while (pos := data.find(b"<", pos)) >= 0:
        if data.startswith(b"<?", pos):
            end = data.find(b"?>", pos)
            pos = -1 if end < 0 else end + 2
        elif data.startswith(b"<!--", pos):
            end = data.find(b"-->", pos)
            pos = -1 if end < 0 else end + 3
        elif data.startswith(b"<!", pos):
            return pos, True
        else:
            return pos, False
        if pos < 0:
            break
    return len(data), bool(_DTD.search(data))


def _declare(data: bytes, prefixes: list[str]) -> bytes:
    match = _ROOT_TAG.match(data, _root_start(data)[0])
    if match is None:
        return data
    decls = b"".join(f' xmlns:{p}="{KNOWN_PREFIXES[p]}"'.encode() for p in prefixes)
    return data[: match.end()] + decls + data[match.end() :]


def _undefined_prefixes(exc: etree.XMLSyntaxError) -> list[str] | None:
    """The undeclared prefixes behind a parse failure, or None when it failed for another reason too."""
    found: list[str] = []
    for entry in exc.error_log:
        if entry.level_name not in ("ERROR", "FATAL"):
            continue
        hit = _UNDEFINED_PREFIX.search(entry.message or "")
        if hit is None:
            return None
        if hit.group(1) not in found:
            found.append(hit.group(1))
    return found or None


def read_tree(data: bytes | str, notices: list[Notice]) -> etree._Element:
    """The root of ``data``, parsed defused. Appends Notices for what was repaired; raises EdxmlError."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if not data or not data.strip():
        raise m.error("empty")
    limit = unpack.limit_setting("EXCHANGE_MAX_PACKAGE_BYTES", 50 * unpack.MB)
    if len(data) > limit:
        raise m.error("too_large", size=len(data), limit=limit)
    data = _strip_prolog(data, notices)
    if _root_start(data)[1]:
        raise m.error("doctype")
    try:
        root = _parse(data)
    except etree.XMLSyntaxError as exc:
        prefixes = _undefined_prefixes(exc)
        if prefixes is None:
            raise m.error("malformed", detail=str(exc)[:200]) from None
        unknown = [p for p in prefixes if p not in KNOWN_PREFIXES]
        if unknown:
            raise m.error("undeclared_prefix", prefix=unknown[0]) from None
        try:
            root = _parse(_declare(data, prefixes))
        except etree.XMLSyntaxError as again:
            raise m.error("malformed", detail=str(again)[:200]) from None
        notices.extend(m.notice("prefix_recovered", prefix=p) for p in prefixes)
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise m.error("doctype")
    if _local(root) != "edXML":
        raise m.error("not_edxml", root=_local(root))
    return root


# ----------------------------------------------------------------------------------------- element access


def _local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def _ours(el) -> bool:
    return isinstance(el.tag, str) and etree.QName(el).namespace in (None, NAMESPACE)


def _children(el, name: str) -> list:
    if el is None:
        return []
    return [c for c in el if _ours(c) and _local(c) == name]


def _child(el, name: str):
    found = _children(el, name)
    return found[0] if found else None


def _path(el, path: str):
    for name in path.split("/"):
        el = _child(el, name)
        if el is None:
            return None
    return el


def _text(el, path: str = "") -> str:
    node = _path(el, path) if path else el
    if node is None:
        return ""
    return "".join(node.itertext()).strip()


def _required(el, path: str, name: str = "") -> str:
    value = _text(el, path)
    if not value:
        raise m.error("missing_element", name=name or path)
    return value


def _date(value: str, name: str, notices: list[Notice] | None) -> dt.date | None:
    """A yyyy/MM/dd date; ``notices`` None means required (refuse), else optional (Notice and None)."""
    if not value:
        return None
    try:
        return dt.datetime.strptime(value.strip(), DATE_FORMAT).date()
    except ValueError:
        if notices is None:
            raise m.error("bad_date", name=name, value=value[:40]) from None
        notices.append(m.notice("optional_date_invalid", name=name, value=value[:40]))
        return None


def _timestamp(value: str, name: str) -> dt.datetime:
    for fmt in (TIMESTAMP_FORMAT, "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S"):
        try:
            return dt.datetime.strptime(value.strip(), fmt).replace(tzinfo=VIETNAM)
        except ValueError:
            continue
    raise m.error("bad_timestamp", name=name, value=value[:40])


def _int(value: str, name: str, notices: list[Notice] | None, default=None):
    if not value:
        return default
    try:
        return int(value.strip())
    except ValueError:
        if notices is None:
            raise m.error("bad_number", name=name, value=value[:40]) from None
        notices.append(m.notice("optional_number_invalid", name=name, value=value[:40]))
        return default


def _bool(value: str) -> bool | None:
    lowered = value.strip().lower()
    return {"true": True, "1": True, "false": False, "0": False}.get(lowered)


def _agency(code: str, name: str, notices: list[Notice]) -> str:
    if code and kind_of(code) is None:
        notices.append(m.notice("agency_code_invalid", name=name, value=code[:60]))
    return code


def _document_id(value: str, name: str, notices: list[Notice]) -> str:
    """DocumentId: "<OrganId>,<yyyy/MM/dd>,<số/ký hiệu>" — or a UUID; a bad date inside is a Notice."""
    parts = value.split(",", 2)
    if len(parts) == 3 and re.fullmatch(r"\d{4}/\d{1,2}/\d{1,2}", parts[1].strip()):
        try:
            dt.datetime.strptime(parts[1].strip(), DATE_FORMAT)
        except ValueError:
            notices.append(m.notice("document_id_date_invalid", name=name, value=value[:80]))
    return value


def _organ(el, name: str, notices: list[Notice]) -> Organ:
    organ_id = _required(el, "OrganId", f"{name}/OrganId")
    return Organ(
        organ_id=_agency(organ_id, f"{name}/OrganId", notices),
        organ_name=_text(el, "OrganName"),
        organization_in_charge=_text(el, "OrganizationInCharge"),
        address=_text(el, "OrganAdd"),
        email=_text(el, "Email"),
        telephone=_text(el, "Telephone"),
        fax=_text(el, "Fax"),
        website=_text(el, "Website"),
    )


def _staff(el) -> StaffInfo | None:
    if el is None:
        return None
    return StaffInfo(
        department=_text(el, "Department"),
        staff=_text(el, "Staff"),
        email=_text(el, "Email"),
        mobile=_text(el, "Mobile"),
    )


def _response_for(el, name: str, notices: list[Notice], *, required: bool) -> ResponseFor:
    organ_id = _required(el, "OrganId", f"{name}/OrganId")
    document_id = _text(el, "DocumentId")
    if required and not document_id:
        raise m.error("missing_element", name=f"{name}/DocumentId")
    return ResponseFor(
        organ_id=_agency(organ_id, f"{name}/OrganId", notices),
        code=_text(el, "Code"),
        promulgation_date=_date(_text(el, "PromulgationDate"), f"{name}/PromulgationDate", notices),
        document_id=_document_id(document_id, f"{name}/DocumentId", notices),
    )


def _traces(header, notices: list[Notice]) -> tuple[Trace, ...]:
    traces = []
    for el in _children(_child(header, "TraceHeaderList"), "TraceHeader"):
        organ_id, stamp = _text(el, "OrganId"), _text(el, "Timestamp")
        try:
            traces.append(Trace(organ_id=organ_id, timestamp=_timestamp(stamp, "TraceHeader/Timestamp")))
        except EdxmlError:
            notices.append(m.notice("trace_invalid", value=f"{organ_id} {stamp}"[:80]))
            continue
        _agency(organ_id, "TraceHeader/OrganId", notices)
    return tuple(traces)


def _business(header, notices: list[Notice]) -> Business:
    el = _path(header, "TraceHeaderList/Bussiness")
    if el is None:
        return Business()
    raw_type = _text(el, "BussinessDocType") or "0"
    try:
        doc_type = BusinessDocType(int(raw_type))
    except ValueError:
        raise m.error("bad_business_type", value=raw_type[:20]) from None
    info = _child(el, "BussinessDocumentInfo")
    receivers = tuple(
        Receiver(
            organ_id=_text(r, "OrganId"),
            receiver_type=_int(_text(r, "ReceiverType"), "Receiver/ReceiverType", notices, 0),
        )
        for r in _children(_child(info, "ReceiverList"), "Receiver")
    )
    replacements = tuple(
        ReplacementInfo(
            document_id=_document_id(_text(r, "DocumentId"), "ReplacementInfo/DocumentId", notices),
            organ_ids=tuple(_text(o) for o in _children(_child(r, "OrganIdList"), "OrganId")),
        )
        for r in _children(_child(el, "ReplacementInfoList"), "ReplacementInfo")
    )
    return Business(
        doc_type=doc_type,
        document_id=_document_id(_text(el, "DocumentId"), "Bussiness/DocumentId", notices),
        reason=_text(el, "BussinessDocReason"),
        paper=_int(_text(el, "Paper"), "Bussiness/Paper", notices, 0),
        staff=_staff(_child(el, "StaffInfo")),
        replacements=replacements,
        document_info=_text(info, "DocumentInfo"),
        document_receiver=_text(info, "DocumentReceiver"),
        receivers=receivers,
    )


def _headers(root):
    header = _path(root, "edXMLEnvelope/edXMLHeader")
    if header is None:
        raise m.error("missing_element", name="edXMLEnvelope/edXMLHeader")
    message = _child(header, "MessageHeader")
    if message is None:
        raise m.error("missing_element", name="MessageHeader")
    return header, message


# ------------------------------------------------------------------------------------------------ package


def _package(root, notices: list[Notice]) -> Package:
    header, mh = _headers(root)
    sender_el = _child(mh, "From")
    if sender_el is None:
        raise m.error("missing_element", name="From/OrganId")
    recipients = tuple(_organ(el, "To", notices) for el in _children(mh, "To"))
    if not recipients:
        raise m.error("missing_element", name="To")
    code_el = _child(mh, "Code")
    code = Code(number=_text(code_el, "CodeNumber"), notation=_text(code_el, "CodeNotation"))
    if code_el is None or not (code.number or code.notation):
        raise m.error("missing_element", name="Code")
    other = _child(mh, "OtherInfo")
    return Package(
        sender=_organ(sender_el, "From", notices),
        recipients=recipients,
        document_id=_document_id(_required(mh, "DocumentId"), "DocumentId", notices),
        code=code,
        promulgation_place=_text(mh, "PromulgationInfo/Place"),
        promulgation_date=_date(
            _required(mh, "PromulgationInfo/PromulgationDate"), "PromulgationInfo/PromulgationDate", None
        ),
        type=_int(_required(mh, "DocumentType/Type"), "DocumentType/Type", None),
        type_detail=_int(_text(mh, "DocumentType/TypeDetail"), "DocumentType/TypeDetail", notices, 0),
        type_name=_text(mh, "DocumentType/TypeName"),
        subject=_required(mh, "Subject"),
        content=_text(mh, "Content"),
        signer=SignerInfo(
            competence=_text(mh, "SignerInfo/Competence"),
            position=_text(mh, "SignerInfo/Position"),
            full_name=_text(mh, "SignerInfo/FullName"),
        ),
        due_date=_date(_text(mh, "DueDate"), "DueDate", notices),
        to_places=tuple(_text(p) for p in _children(_child(mh, "ToPlaces"), "Place") if _text(p)),
        steering_type=_int(_text(mh, "SteeringType"), "SteeringType", notices),
        priority=_priority(_text(other, "Priority"), notices),
        sphere_of_promulgation=_text(other, "SphereOfPromulgation"),
        typer_notation=_text(other, "TyperNotation"),
        promulgation_amount=_int(_text(other, "PromulgationAmount"), "PromulgationAmount", notices),
        page_amount=_int(_text(other, "PageAmount"), "PageAmount", notices),
        direction=_bool(_text(other, "Direction")),
        appendixes=tuple(_text(a) for a in _children(_child(other, "Appendixes"), "Appendix") if _text(a)),
        response_for=tuple(
            _response_for(el, "ResponseFor", notices, required=False) for el in _children(mh, "ResponseFor")
        ),
        traces=_traces(header, notices),
        business=_business(header, notices),
        attachments=_attachments(root, notices),
    )


def _priority(value: str, notices: list[Notice]) -> int:
    priority = _int(value, "Priority", notices, 0)
    if priority not in (0, 1, 2, 3):
        notices.append(m.notice("optional_number_invalid", name="Priority", value=value[:20]))
        return 0
    return priority


# -------------------------------------------------------------------------------------------- attachments


def _cid_key(cid: str) -> str:
    """ContentIds compared without "cid:" and angle brackets (senders write "cid:1", "<1>", "1")."""
    return cid.strip().removeprefix("cid:").strip("<> ")


def _attachments(root, notices: list[Notice]) -> tuple[Attachment, ...]:
    manifest: dict[str, dict] = {}
    for ref in _children(_path(root, "edXMLEnvelope/edXMLBody/edXMLManifest"), "Reference"):
        cid = _required(ref, "ContentId", "edXMLManifest/Reference/ContentId")
        if _cid_key(cid) in manifest:
            raise m.error("attachment_duplicate", cid=cid[:80])
        manifest[_cid_key(cid)] = {
            "name": _text(ref, "AttachmentName"),
            "type": _text(ref, "ContentType"),
            "description": _text(ref, "Description"),
        }
    encoded: dict[str, tuple[str, object]] = {}
    for el in _children(_child(root, "AttachmentEncoded"), "Attachment"):
        cid = _required(el, "ContentId", "AttachmentEncoded/Attachment/ContentId")
        if _cid_key(cid) in encoded:
            raise m.error("attachment_duplicate", cid=cid[:80])
        encoded[_cid_key(cid)] = (cid, el)
        if _cid_key(cid) not in manifest:
            notices.append(m.notice("attachment_unlisted", cid=cid[:80]))
    for key in manifest:
        if key not in encoded:
            raise m.error("attachment_missing", cid=key[:80])
    budget = unpack.limit_setting("EXCHANGE_MAX_ATTACHMENTS_TOTAL_BYTES", 200 * unpack.MB)
    result = []
    for key, (cid, el) in encoded.items():
        listed = manifest.get(key, {})
        name = listed.get("name") or _text(el, "AttachmentName")
        attachment = _attachment(cid, el, name or cid, listed, budget, notices)
        budget -= len(attachment.data)
        result.append(attachment)
    return tuple(result)


def _attachment(cid: str, el, name: str, listed: dict, budget: int, notices: list[Notice]) -> Attachment:
    payload = _child(el, "ContentTransferEncoded")
    if payload is None:
        raise m.error("missing_element", name="Attachment/ContentTransferEncoded")
    data = unpack.unpack(_text(payload), name=name, budget=budget, notices=notices)
    actual = unpack.sniff(data, name)
    unpack.check_declared(listed.get("type") or _text(el, "ContentType"), actual, name, notices)
    return Attachment(
        content_id=cid,
        name=name,
        data=data,
        content_type=actual,
        description=listed.get("description") or _text(el, "Description"),
    )


# ------------------------------------------------------------------------------------------------- status


def _status(root, notices: list[Notice]) -> StatusMessage:
    _header, mh = _headers(root)
    sender_el = _child(mh, "From")
    if sender_el is None:
        raise m.error("missing_element", name="From/OrganId")
    response_el = _child(mh, "ResponseFor")
    if response_el is None:
        raise m.error("missing_element", name="ResponseFor")
    raw_code = _required(mh, "StatusCode")
    if raw_code.isdigit() and len(raw_code) == 1:
        raw_code = raw_code.zfill(2)
    try:
        code = StatusCode(raw_code)
    except ValueError:
        raise m.error("status_code_unknown", value=raw_code[:20]) from None
    description = _text(mh, "Description")
    if code in (StatusCode.REFUSED, StatusCode.CHANGE_REQUESTED) and not description:
        raise m.error("status_reason_missing", value=code.value)
    return StatusMessage(
        sender=_organ(sender_el, "From", notices),
        response_for=_response_for(response_el, "ResponseFor", notices, required=True),
        code=code,
        timestamp=_timestamp(_required(mh, "Timestamp"), "Timestamp"),
        description=description,
        staff=_staff(_child(mh, "StaffInfo")),
    )


# ----------------------------------------------------------------------------------------------- entry points


def _guarded(func, data, **kwargs):
    try:
        return func(data, **kwargs)
    except EdxmlError as exc:
        logger.info("edXML refused: %s", exc.code)
        raise
    except Exception as exc:  # anything unforeseen: refuse, log, never crash the caller
        logger.exception("edXML parse failed unexpectedly")
        raise m.error("internal") from exc


def _parse_package(root, notices: list[Notice], *, verify_pdfs: bool) -> ParsedPackage:
    from documents.exchange.edxml import verify

    package = _package(root, notices)
    check, sig_notices = verify.check_tree(root)
    pdfs = verify.verify_pdf_attachments(package) if verify_pdfs else ()
    return ParsedPackage(
        package=package, xml_signature=check, pdf_signatures=pdfs, notices=(*notices, *sig_notices)
    )


def _parse_status(root, notices: list[Notice]) -> ParsedStatus:
    from documents.exchange.edxml import verify

    status = _status(root, notices)
    check, sig_notices = verify.check_tree(root)
    return ParsedStatus(status=status, xml_signature=check, notices=(*notices, *sig_notices))


def _route(data, *, want: str, verify_pdfs: bool = True):
    notices: list[Notice] = []
    root = read_tree(data, notices)
    _header, message = _headers(root)
    is_status = _child(message, "StatusCode") is not None
    if want == "package" and is_status:
        raise m.error("not_package")
    if want == "status" and not is_status:
        raise m.error("not_status")
    if is_status:
        return _parse_status(root, notices)
    return _parse_package(root, notices, verify_pdfs=verify_pdfs)


def parse_package(data: bytes, *, verify_pdfs: bool = True) -> ParsedPackage:
    """A document package, with its XML signature (and, unless told not to, its PDFs' signatures) checked."""
    return _guarded(_route, data, want="package", verify_pdfs=verify_pdfs)


def parse_status(data: bytes) -> ParsedStatus:
    """A status message, with its XML signature checked."""
    return _guarded(_route, data, want="status")


def parse_any(data: bytes, *, verify_pdfs: bool = True) -> ParsedPackage | ParsedStatus:
    """Whichever of the two ``data`` is (a MessageHeader with a StatusCode is a status)."""
    return _guarded(_route, data, want="any", verify_pdfs=verify_pdfs)
