"""The rules of incoming documents that services and pages share: who may take a clerk's step, whether a
document still accepts steps, what a received document must carry, its default deadline, and how a
notification names it. Reads nothing but the objects they are given (no query, no write)."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.common import Channel, Confidentiality, Urgency
from documents.incoming.models import IncomingDocument
from documents.registers.models import Register
from eoffice.models import Role, User
from workflow import calendar
from workflow.rules import deadline_marks

# Default processing time by urgency, in working days (configurable: DOCUMENTS_DEADLINE_WORKING_DAYS).
DEFAULT_DEADLINE_DAYS = {Urgency.NORMAL: 10, Urgency.URGENT: 3, Urgency.VERY_URGENT: 2, Urgency.FLASH: 1}


def require_clerk(by: User, agency_id: int | None) -> None:
    if not (by.agency_id and by.agency_id == agency_id and by.has_role(Role.CLERK)):
        raise PermissionDenied(_("Chỉ văn thư của cơ quan được tiếp nhận, vào sổ văn bản đến."))


def require_active(document: IncomingDocument) -> None:
    """No step on a document its sender has recalled (only the recall's confirmation)."""
    if document.recalled_at is not None:
        raise ValidationError(_("Văn bản đã bị nơi gửi thu hồi, không thể xử lý tiếp."), code="recalled")


def notice_label(document: IncomingDocument) -> str:
    """How a notification names the document: urgency, number and symbol, the start of its summary."""
    prefix = ""
    if document.urgency > Urgency.NORMAL:
        prefix = f"[{Urgency(document.urgency).label}] "
    return f"{prefix}{document.number_symbol} — {document.summary[:120]}"


def due_soon_mark(due_at: datetime | None, start: datetime):
    soon, _escalate = deadline_marks(due_at=due_at, start=start)
    return soon


def default_due_at(*, urgency: int, received_at: datetime) -> datetime:
    days = getattr(settings, "DOCUMENTS_DEADLINE_WORKING_DAYS", None) or DEFAULT_DEADLINE_DAYS
    n = int(days.get(urgency, days.get(int(urgency), 10)))
    return calendar.add_working_days(received_at, n, end_of_day=True)


def check_receive(
    *,
    agency_id: int | None,
    issuer_name: str,
    number_symbol: str,
    summary: str,
    issued_date: date,
    received_at: datetime,
    urgency: int,
    confidentiality: int,
    channel: str,
    due_at: datetime | None,
    directing_leader: User | None,
    register: Register | None,
    now: datetime,
) -> None:
    """What a received document must carry (NĐ 30 Điều 20): every fault at once, by field."""
    errors: dict[str, str] = {}
    if not issuer_name:
        errors["issuer_name"] = _("Vui lòng chọn hoặc nhập cơ quan ban hành.")
    if not number_symbol.strip():
        errors["number_symbol"] = _("Vui lòng nhập số, ký hiệu của văn bản.")
    if not summary.strip():
        errors["summary"] = _("Vui lòng nhập trích yếu nội dung.")
    if received_at > now + timezone.timedelta(minutes=5):
        errors["received_at"] = _("Thời gian nhận không được ở tương lai.")
    if issued_date > timezone.localtime(received_at).date():
        errors["issued_date"] = _("Ngày ban hành không được sau ngày nhận văn bản.")
    if urgency not in Urgency.values:
        errors["urgency"] = _("Độ khẩn không hợp lệ.")
    if confidentiality not in Confidentiality.values:
        errors["confidentiality"] = _("Độ mật không hợp lệ.")
    if channel not in Channel.values:
        errors["channel"] = _("Hình thức nhận không hợp lệ.")
    if due_at is not None and due_at <= received_at:
        errors["due_at"] = _("Hạn xử lý phải sau thời gian nhận.")
    if directing_leader is not None and not (
        directing_leader.agency_id == agency_id and directing_leader.has_role(Role.LEADER)
    ):
        errors["directing_leader"] = _("Người chỉ đạo phải là lãnh đạo của cơ quan.")
    if confidentiality > Confidentiality.NORMAL and directing_leader is None:
        errors["directing_leader"] = _("Văn bản mật phải trình đích danh một lãnh đạo.")
    if register is not None and (register.agency_id != agency_id or register.kind != Register.Kind.INCOMING):
        errors["register"] = _("Sổ văn bản đến không hợp lệ.")
    if errors:
        raise ValidationError(errors)
