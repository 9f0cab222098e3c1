"""The incoming registers of NĐ 30 Phụ lục IV (VI: Sổ đăng ký văn bản đến; VIII: Sổ theo dõi giải quyết
văn bản đến) for a period, as PDF (WeasyPrint, A4 landscape, Liberation Serif) and Excel (openpyxl)."""

from __future__ import annotations

import io
from datetime import date

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from workflow.models import DeadlineStatus


def _d(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "hour"):
        value = timezone.localtime(value).date()
    return value.strftime("%d/%m/%Y")


def columns(kind: str) -> list[str]:
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


def row_values(kind: str, doc) -> list[str]:
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
    return _("SỔ THEO DÕI GIẢI QUYẾT VĂN BẢN ĐẾN") if kind == "tracking" else _("SỔ ĐĂNG KÝ VĂN BẢN ĐẾN")


def render(*, kind: str, fmt: str, rows, agency, register, date_from: date, date_to: date, **_ignored):
    period = _("Từ ngày %(a)s đến ngày %(b)s") % {"a": _d(date_from), "b": _d(date_to)}
    stem = f"{'so-theo-doi' if kind == 'tracking' else 'so-den'}-{date_from:%Y%m%d}-{date_to:%Y%m%d}"
    table = [row_values(kind, doc) for doc in rows]
    if fmt == "xlsx":
        return (
            _xlsx(kind, table, agency, register, period),
            ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            f"{stem}.xlsx",
        )
    return _pdf(kind, table, agency, register, period), "application/pdf", f"{stem}.pdf"


def _pdf(kind: str, table, agency, register, period: str) -> bytes:
    from weasyprint import HTML

    fonts = settings.BASE_DIR / "static" / "fonts" / "liberation-serif"
    html = render_to_string(
        "documents/register_pdf.html",
        {
            "kind": kind,
            "title": title(kind),
            "columns": columns(kind),
            "rows": table,
            "agency": agency,
            "register": register,
            "period": period,
            "font_regular": (fonts / "LiberationSerif-Regular.ttf").as_uri(),
            "font_bold": (fonts / "LiberationSerif-Bold.ttf").as_uri(),
            "font_italic": (fonts / "LiberationSerif-Italic.ttf").as_uri(),
            "printed": timezone.localtime(),
        },
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def _xlsx(kind: str, table, agency, register, period: str) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter

    wb = Workbook()
    ws = wb.active
    ws.title = "So den" if kind != "tracking" else "Theo doi"
    cols = columns(kind)
    ws.append([agency.name.upper() if agency else ""])
    ws.append([title(kind)])
    ws.append([f"{register.name} · {period}"])
    ws.append([])
    ws.append(cols)
    ws.append([f"({i})" for i in range(1, len(cols) + 1)])
    for row in table:
        ws.append(row)
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    ws["A1"].font = Font(bold=True)
    ws["A2"].font = Font(bold=True, size=14)
    for r in range(5, ws.max_row + 1):
        for c in range(1, len(cols) + 1):
            cell = ws.cell(row=r, column=c)
            cell.border = border
            cell.alignment = Alignment(
                wrap_text=True, vertical="top", horizontal="center" if r <= 6 else None
            )
            if r == 5:
                cell.font = Font(bold=True)
    widths = [12, 8, 26, 16, 12, 48, 24, 12, 10, 16] if kind != "tracking" else [8, 56, 26, 14, 24, 18, 16]
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A7"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.print_title_rows = "5:6"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
