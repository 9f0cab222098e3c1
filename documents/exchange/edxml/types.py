"""The typed structure of an edXML package and of a status message, shared by the builder and the parser.

Field names follow the standard's elements (``OrganId`` → ``organ_id``); dates are ``datetime.date``,
timestamps aware ``datetime.datetime`` in Asia/Ho_Chi_Minh (the standard's ``yyyy/MM/dd HH:mm:ss`` carries
no zone). Everything is immutable: a parsed package is a value the importer reads, never edits.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass, field

NAMESPACE = "http://www.mic.gov.vn/TBT/QCVN_102_2016"
XMLDSIG_NAMESPACE = "http://www.w3.org/2000/09/xmldsig#"
DATE_FORMAT = "%Y/%m/%d"
TIMESTAMP_FORMAT = "%Y/%m/%d %H:%M:%S"


class BusinessDocType(enum.IntEnum):
    """``BussinessDocType``: what the package does to the document it carries."""

    NEW = 0  # văn bản mới
    RECALL = 1  # thu hồi
    UPDATE = 2  # cập nhật
    REPLACE = 3  # thay thế


class StatusCode(enum.StrEnum):
    """The published status codes (QĐ 28/2018/QĐ-TTg, domain-exchange.md). Others are not invented."""

    ARRIVED = "01"  # đã đến, văn thư chưa xử lý
    REFUSED = "02"  # từ chối tiếp nhận (reason required)
    ACCEPTED = "03"  # đã tiếp nhận, vào sổ văn bản đến
    ASSIGNED = "04"  # đã phân công
    PROCESSING = "05"  # đang xử lý
    FINISHED = "06"  # hoàn thành
    CHANGE_REQUESTED = "13"  # bên gửi đề nghị thu hồi / cập nhật (reason)
    CHANGE_ACCEPTED = "15"  # bên nhận đồng ý thu hồi / cập nhật
    CHANGE_REFUSED = "16"  # bên nhận từ chối thu hồi / cập nhật


@dataclass(frozen=True)
class Organ:
    """``From`` / ``To``: an agency. ``organ_id`` is kept as sent (QĐ 20/2020 or 13-character QCVN 102)."""

    organ_id: str
    organ_name: str = ""
    organization_in_charge: str = ""
    address: str = ""
    email: str = ""
    telephone: str = ""
    fax: str = ""
    website: str = ""


@dataclass(frozen=True)
class Code:
    """``Code``: the document's number and notation (số, ký hiệu)."""

    number: str
    notation: str

    @property
    def text(self) -> str:
        return f"{self.number}/{self.notation}" if self.number else self.notation


@dataclass(frozen=True)
class SignerInfo:
    competence: str = ""  # "TL. BỘ TRƯỞNG", "KT. CHỦ TỊCH" …
    position: str = ""
    full_name: str = ""


@dataclass(frozen=True)
class StaffInfo:
    department: str = ""
    staff: str = ""
    email: str = ""
    mobile: str = ""


@dataclass(frozen=True)
class ResponseFor:
    """The document a package or a status answers."""

    organ_id: str
    code: str = ""
    promulgation_date: dt.date | None = None
    document_id: str = ""


@dataclass(frozen=True)
class Trace:
    """One ``TraceHeader``: a hop (the agency that sent or forwarded the package, and when)."""

    organ_id: str
    timestamp: dt.datetime


@dataclass(frozen=True)
class Receiver:
    organ_id: str
    receiver_type: int = 0


@dataclass(frozen=True)
class ReplacementInfo:
    """Type 3: the document replaced, and the agencies it was sent to."""

    document_id: str
    organ_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Business:
    """``Bussiness`` (spelt so in the standard)."""

    doc_type: BusinessDocType = BusinessDocType.NEW
    document_id: str = ""  # for 1/2/3: the document recalled, updated or replaced
    reason: str = ""
    paper: int = 0  # 1: a paper original follows
    staff: StaffInfo | None = None
    replacements: tuple[ReplacementInfo, ...] = ()  # type 3
    document_info: str = ""  # type 2: BussinessDocumentInfo/DocumentInfo
    document_receiver: str = ""  # type 2: BussinessDocumentInfo/DocumentReceiver
    receivers: tuple[Receiver, ...] = ()  # type 2: BussinessDocumentInfo/ReceiverList


@dataclass(frozen=True)
class Attachment:
    """One file: ``data`` is the file itself (the package carries it zipped, then base64-encoded)."""

    content_id: str  # "cid:1"
    name: str
    data: bytes
    content_type: str = "application/pdf"  # the file's own type (the manifest says application/zip)
    description: str = ""


@dataclass(frozen=True)
class Package:
    """A document package (``edXML`` with a ``MessageHeader`` of a document)."""

    sender: Organ
    recipients: tuple[Organ, ...]
    document_id: str  # "<sender OrganId>,<yyyy/MM/dd>,<số/ký hiệu>" (some senders: a UUID)
    code: Code
    promulgation_place: str
    promulgation_date: dt.date
    type: int  # DocumentType/Type (1: văn bản hành chính …)
    type_detail: int
    type_name: str  # "Công văn", "Quyết định" …
    subject: str
    content: str = ""
    signer: SignerInfo = field(default_factory=SignerInfo)
    due_date: dt.date | None = None
    to_places: tuple[str, ...] = ()
    steering_type: int | None = None
    priority: int = 0  # 0 thường, 1 khẩn, 2 thượng khẩn, 3 hỏa tốc
    sphere_of_promulgation: str = ""
    typer_notation: str = ""
    promulgation_amount: int | None = None
    page_amount: int | None = None
    direction: bool | None = None
    appendixes: tuple[str, ...] = ()
    response_for: tuple[ResponseFor, ...] = ()
    traces: tuple[Trace, ...] = ()
    business: Business = field(default_factory=Business)
    attachments: tuple[Attachment, ...] = ()


@dataclass(frozen=True)
class StatusMessage:
    """A status message: the same envelope, header only."""

    sender: Organ
    response_for: ResponseFor
    code: StatusCode
    timestamp: dt.datetime
    description: str = ""
    staff: StaffInfo | None = None


@dataclass(frozen=True)
class SignatureCheck:
    """The outcome of one signature check, reported to the clerk as it is."""

    present: bool
    valid: bool
    algorithm: str = ""  # "rsa-sha256", "rsa-sha1" …
    canonicalization: str = ""  # "exc-c14n", "c14n-1.0" …
    signer: str = ""  # the certificate's subject
    code: str = ""  # a stable code for the log ("xml_signature_invalid" …)
    message: str = ""  # Vietnamese, for the clerk
    trusted: bool = False  # the certificate chains to one of the installation's trust roots


@dataclass(frozen=True)
class Notice:
    """Something the parser accepted but the clerk should know (a stray BOM, an unknown agency code …)."""

    code: str
    message: str


@dataclass(frozen=True)
class ParsedPackage:
    package: Package
    xml_signature: SignatureCheck
    pdf_signatures: tuple[tuple[str, SignatureCheck], ...] = ()  # (attachment content_id, check)
    notices: tuple[Notice, ...] = ()


@dataclass(frozen=True)
class ParsedStatus:
    status: StatusMessage
    xml_signature: SignatureCheck
    notices: tuple[Notice, ...] = ()


class EdxmlError(ValueError):
    """A package or status refused: ``code`` goes to the log, ``message`` (Vietnamese) to the clerk.
    Nothing is imported when it is raised."""

    def __init__(self, code: str, message: str):
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message
