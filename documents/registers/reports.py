"""The registers of NĐ 30 Phụ lục IV (I: Sổ đăng ký văn bản đi; VI: Sổ đăng ký văn bản đến; VIII: Sổ theo
dõi giải quyết văn bản đến) for a period, as PDF (ReportLab, A4 landscape, Liberation Serif) and Excel
(openpyxl), both through ``eoffice.output``. ``kind`` is "outgoing", "incoming" or "tracking"."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from eoffice.output import excel
from eoffice.output import register as output_register
from eoffice.output.register import CELL, SMALL, printable, register_pdf
from workflow.models import DeadlineStatus


def _d(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value).date()
    return value.strftime("%d/%m/%Y")


def columns(kind: str) -> list[str]:
    if kind == "outgoing":
        return [
            _("Số, ký hiệu văn bản"),
            _("Ngày tháng văn bản"),
            _("Tên loại và trích yếu nội dung văn bản"),
            _("Người ký"),
            _("Nơi nhận văn bản"),
            _("Đơn vị, người nhận bản lưu"),
            _("Số lượng bản"),
            _("Ngày chuyển"),
            _("Ký nhận"),
            _("Ghi chú"),
        ]
    if kind == "tracking":
        return [
            _("Số đến"),
            _("Tên loại, số, ký hiệu, ngày, tháng và tên cơ quan, tổ chức ban hành văn bản"),
            _("Đơn vị hoặc người nhận"),
            _("Thời hạn giải quyết"),
            _("Tiến độ giải quyết"),
            _("Số, ký hiệu văn bản trả lời"),
            _("Ghi chú"),
        ]
    return [
        _("Ngày đến"),
        _("Số đến"),
        _("Tác giả"),
        _("Số, ký hiệu văn bản"),
        _("Ngày tháng văn bản"),
        _("Tên loại và trích yếu nội dung văn bản"),
        _("Đơn vị hoặc người nhận"),
        _("Ngày chuyển"),
        _("Ký nhận"),
        _("Ghi chú"),
    ]


def _progress(doc) -> str:
    status = getattr(doc, "deadline_status", "")
    if doc.state == "archived":
        return _("Đã giải quyết %(date)s") % {"date": _d(doc.completed_at)}
    if doc.state == "returned":
        return _("Đã trả lại nơi gửi")
    label = DeadlineStatus(status).label if status in DeadlineStatus.values else ""
    progress = getattr(doc, "lead_progress", None)
    return f"{label} · {progress}%" if progress else str(label)


def _outgoing_places(doc) -> str:
    """Nơi nhận: the recipients the system delivered to, then the printed distribution lines not yet named."""
    names = [r.name for r in doc.recipients.all()]
    seen = {name.casefold() for name in names}
    for line in (doc.distribution or "").splitlines():
        line = line.strip().lstrip("-–•").strip().rstrip(";.,").strip()
        if line.casefold().startswith("lưu"):  # the archive copy has its own column
            continue
        if line and line.casefold() not in seen:
            names.append(line)
            seen.add(line.casefold())
    return "; ".join(names)


def _outgoing_keeper(doc) -> str:
    """Đơn vị, người nhận bản lưu: the drafting unit and the drafter."""
    unit = doc.department.name if doc.department_id and doc.department else ""
    drafter = doc.drafted_by.full_name if doc.drafted_by_id else ""
    return " / ".join(part for part in (unit, drafter) if part)


def _outgoing_note(doc) -> str:
    notes = []
    if doc.state == "signed":
        notes.append(_("Đã ký, chưa phát hành"))
    if doc.state == "recalled":
        notes.append(_("Đã thu hồi"))
    if doc.paper_location:
        notes.append(_("Bản giấy lưu tại: %(place)s") % {"place": doc.paper_location})
    if doc.is_secret:
        notes.append(_("Văn bản mật"))
    return "; ".join(str(n) for n in notes)


def row_values(kind: str, doc) -> list:
    if kind == "outgoing":
        return [
            doc.number_symbol,
            _d(doc.issued_at),
            f"{doc.doc_type.name}: {doc.summary}",
            doc.signer.full_name if doc.signer_id else "",
            _outgoing_places(doc),
            _outgoing_keeper(doc),
            doc.copies,
            _d(doc.released_at),
            "",
            _outgoing_note(doc),
        ]
    recipient = getattr(doc, "lead_unit", "") or ""
    if kind == "tracking":
        return [
            doc.number_display,
            f"{doc.doc_type.name} số {doc.number_symbol} ngày {_d(doc.issued_date)} của {doc.issuer_name}",
            recipient,
            _d(doc.due_at),
            _progress(doc),
            doc.reply_number_symbol,
            doc.note,
        ]
    return [
        _d(doc.received_at),
        doc.number_display,
        doc.issuer_name,
        doc.number_symbol,
        _d(doc.issued_date),
        f"{doc.doc_type.name}: {doc.summary}",
        recipient,
        _d(getattr(doc, "handed_at", None)),
        "",
        doc.note or (_("Văn bản mật") if doc.is_secret else ""),
    ]


def title(kind: str) -> str:
    if kind == "outgoing":
        return _("SỔ ĐĂNG KÝ VĂN BẢN ĐI")
    return _("SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN") if kind == "tracking" else _("SỔ ĐĂNG KÝ VĂN BẢN ĐẾN")


STEMS = {"outgoing": "so-di", "incoming": "so-den", "tracking": "so-theo-doi"}
# PDF column widths in mm (each kind's add up to the 265 mm between the margins) and the columns printed
# centred (1-based), per kind.
WIDTHS = {
    "outgoing": [26, 21, 56, 27, 40, 29, 16, 21, 13, 16],
    "incoming": [21, 16, 32, 29, 21, 61, 32, 21, 16, 16],
    "tracking": [16, 90, 42, 27, 37, 32, 21],
}
CENTERED = {"outgoing": {2, 7, 8}, "incoming": {1, 2, 5}, "tracking": {1}}
XLSX_WIDTHS = {
    "outgoing": [16, 12, 48, 20, 36, 26, 9, 12, 10, 16],
    "incoming": [12, 8, 26, 16, 12, 48, 24, 12, 10, 16],
    "tracking": [8, 56, 26, 14, 24, 18, 16],
}


def number_range(rows) -> tuple[str, str]:
    """Từ số … đến số … (the cover of every Phụ lục IV register): the first and last number printed."""
    numbers = [doc.number_display for doc in rows if doc.number]
    return (numbers[0], numbers[-1]) if numbers else ("", "")


def table_rows(kind: str, rows) -> list[tuple]:
    """(document, printed values) pairs: the web page shows exactly what the printed register shows."""
    return [(doc, row_values(kind, doc)) for doc in rows]


def render(*, kind: str, fmt: str, rows, agency, register, date_from: date, date_to: date, **_ignored):
    period = _("Từ ngày %(a)s đến ngày %(b)s") % {"a": _d(date_from), "b": _d(date_to)}
    stem = f"{STEMS.get(kind, 'so-den')}-{date_from:%Y%m%d}-{date_to:%Y%m%d}"
    table = [row_values(kind, doc) for doc in rows]
    numbers = number_range(rows)
    if fmt == "xlsx":
        return (
            _xlsx(kind, table, agency, register, period, numbers),
            ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            f"{stem}.xlsx",
        )
    return _pdf(kind, table, agency, register, period, numbers), "application/pdf", f"{stem}.pdf"


def _numbers_line(numbers: tuple[str, str]) -> str:
    if not numbers[0]:
        return ""
    return _("Từ số %(a)s đến số %(b)s") % {"a": numbers[0], "b": numbers[1]}


# ---- PDF: the long-table register of eoffice.output (ReportLab) -------------------------------------------


def _heading_size(kind: str):
    """Short column headings of the incoming registers a size smaller; the outgoing register's all alike."""
    return lambda label: CELL if kind == "outgoing" or len(label) > 12 else SMALL


def _pdf(kind: str, table, agency, register, period: str, numbers: tuple[str, str]) -> bytes:
    subs = [" · ".join(filter(None, [printable(register.name), period]))]
    if line := _numbers_line(numbers):
        subs.append(line)
    foot = _("In lúc %(time)s · %(count)s văn bản") % {
        "time": f"{timezone.localtime():%H:%M %d/%m/%Y}",
        "count": len(table),
    }
    empty = (
        _("Không có văn bản đi trong kỳ này.")
        if kind == "outgoing"
        else _("Không có văn bản đến trong kỳ này.")
    )
    return register_pdf(
        title_text=title(kind),
        agency=agency,
        subs=subs,
        columns=columns(kind),
        table=table,
        widths_mm=WIDTHS.get(kind, WIDTHS["incoming"]),
        centered={i - 1 for i in CENTERED.get(kind, set())},
        size=CELL,
        heading_size=_heading_size(kind),
        empty=empty,
        foot=foot,
    )


def _xlsx(kind: str, table, agency, register, period: str, numbers: tuple[str, str]) -> bytes:
    cols = columns(kind)
    wb, ws, first = output_register.sheet(
        sheet_title={"outgoing": "So di", "tracking": "Theo doi"}.get(kind, "So den"),
        lines=[
            agency.name.upper() if agency else "",
            title(kind),
            " · ".join(filter(None, [register.name, period, _numbers_line(numbers)])),
        ],
        columns=cols,
        fonts=[excel.BOLD, excel.TITLE, None],
    )
    for row in table:
        excel.append(ws, row)
    return output_register.finish_sheet(
        wb,
        ws,
        first=first,
        columns=len(cols),
        widths=XLSX_WIDTHS.get(kind, XLSX_WIDTHS["incoming"]),
        header_vertical="top",
    )
