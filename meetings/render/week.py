"""The weekly schedule as a document: the PDF in the agency's header style (A4 landscape; the Decree-30
agency block of ``eoffice/output``, "LỊCH CÔNG TÁC TUẦN" and the week, the table, the duty roster and
the reception days; ``templates/meetings/schedule/week_pdf.html``) and the Excel workbook
(``eoffice.output.excel``).
Both print the rows the page shows the same person (a secret meeting they may not open stays "Lịch họp").
"""

from __future__ import annotations

import unicodedata

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from eoffice.output import excel
from eoffice.output import pdf as output_pdf
from eoffice.output.header import parent_line
from meetings.week import WeekView

TEMPLATE = "meetings/schedule/week_pdf.html"
PDF_TYPE = "application/pdf"


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


def headings() -> list[str]:
    return [
        _("Ngày"),
        _("Thời gian"),
        _("Nội dung"),
        _("Chủ trì"),
        _("Thành phần"),
        _("Địa điểm"),
        _("Chuẩn bị"),
        _("Ghi chú"),
    ]


def subtitle(view: WeekView) -> str:
    """The scope and the week under the title: "Tuần 46, từ ngày 11/11/2024 đến ngày 17/11/2024"."""
    week = _("Tuần %(n)s, %(range)s") % {"n": view.week.number, "range": view.week.range_label}
    scope = view.scope
    if scope.kind == "leader":
        return _("Của %(name)s — %(week)s") % {"name": scope.leader.get_full_name(), "week": week}
    if scope.kind == "unit":
        return _("Của %(unit)s — %(week)s") % {"unit": scope.unit.name, "week": week}
    if scope.kind == "mine" and scope.viewer is not None:
        return _("Của %(name)s — %(week)s") % {"name": scope.viewer.get_full_name(), "week": week}
    return week


def _date_line(view: WeekView) -> str:
    agency = view.agency
    at = timezone.localtime(view.published.published_at) if view.published else timezone.localtime()
    place = _nfc(agency.place_name) if agency is not None else ""
    day = f"ngày {at:%d} tháng {at:%m} năm {at:%Y}"
    return f"{place}, {day}" if place else day.capitalize()


def filename(view: WeekView, fmt: str) -> str:
    scope, kind = view.scope, ""
    if scope.kind == "leader":
        kind = f"-ld{scope.leader.pk}"
    elif scope.kind == "unit":
        kind = f"-dv{scope.unit.pk}"
    elif scope.kind == "mine":
        kind = "-cua-toi"
    return f"lich-cong-tac-{view.week.start:%Y-%m-%d}{kind}.{fmt}"


def export(view: WeekView, *, fmt: str) -> tuple[bytes, str, str]:
    """(content, content type, file name) of the week as ``fmt`` "pdf" or "xlsx"."""
    if fmt == "xlsx":
        return xlsx(view), excel.CONTENT_TYPE, filename(view, "xlsx")
    return pdf(view), PDF_TYPE, filename(view, "pdf")


# ---- PDF -----------------------------------------------------------------------------------------------


def pdf_context(view: WeekView) -> dict:
    agency = view.agency
    return {
        "view": view,
        "headings": headings(),
        "parent": parent_line(agency.parent_name) if agency is not None and agency.parent_id else "",
        "agency_upper": _nfc(agency.name).upper() if agency is not None else "",
        "date_line": _date_line(view),
        "subtitle": subtitle(view),
        "made_at": timezone.localtime(),
    }


def pdf(view: WeekView) -> bytes:
    return output_pdf.write(
        render_to_string(TEMPLATE, pdf_context(view)), stylesheets=[output_pdf.header_stylesheet()]
    )


# ---- Excel ---------------------------------------------------------------------------------------------

WIDTHS = (13, 13, 42, 22, 34, 20, 28, 20)


def _row_values(day_label: str, row) -> list:
    marks = ", ".join(row.marks)
    if row.masked:
        return [day_label, f"{row.session} {row.time}", row.title, "", "", "", "", marks]
    notes = "\n".join(x for x in (marks, row.postpone_reason if row.postponed else "", row.notes) if x)
    return [
        day_label,
        f"{row.session} {row.time}",
        row.title,
        row.chair,
        row.people_text,
        row.place,
        row.prepare_text,
        notes,
    ]


def xlsx(view: WeekView) -> bytes:
    wb, ws = excel.workbook(_("Lịch tuần"))
    agency = view.agency
    status = (
        _("Ban hành lúc %(at)s") % {"at": f"{timezone.localtime(view.published.published_at):%H:%M %d/%m/%Y}"}
        if view.published
        else _("Dự kiến — chưa ban hành")
    )
    lines = [_nfc(agency.name).upper() if agency is not None else "", _("LỊCH CÔNG TÁC TUẦN"), subtitle(view)]
    excel.heading(ws, [*lines, status] if view.scope.kind != "mine" else lines)
    first = excel.append(ws, headings())
    last = first
    for day in view.days:
        if not day.rows:
            last = excel.append(ws, [day.label, "", _("Không có lịch")])
            continue
        day_first = None
        for row in day.rows:
            last = excel.append(ws, _row_values(day.label, row))
            day_first = day_first or last
        if last > day_first:
            ws.merge_cells(start_row=day_first, start_column=1, end_row=last, end_column=1)
    excel.grid(ws, first_row=first, last_row=last, columns=len(WIDTHS), centered=(1, 2))
    if view.duty:
        excel.append(ws)
        title = excel.append(ws, [_("LỊCH TRỰC LÃNH ĐẠO")])
        ws.cell(row=title, column=1).font = excel.BOLD
        top = excel.append(ws, [_("Ngày"), _("Lãnh đạo trực"), _("Điện thoại"), _("Ghi chú")])
        end = top
        for shift in view.duty:
            end = excel.append(ws, [shift.date, shift.person.get_full_name(), shift.phone, shift.note])
            ws.cell(row=end, column=1).number_format = "DD/MM/YYYY"
        excel.grid(ws, first_row=top, last_row=end, columns=4)
    if view.receptions:
        excel.append(ws)
        title = excel.append(ws, [_("LỊCH TIẾP CÔNG DÂN")])
        ws.cell(row=title, column=1).font = excel.BOLD
        top = excel.append(ws, [_("Ngày"), _("Thời gian"), _("Lãnh đạo tiếp"), _("Địa điểm"), _("Ghi chú")])
        end = top
        for r in view.receptions:
            end = excel.append(ws, [r.date, r.time, r.leader, r.place, r.note])
            ws.cell(row=end, column=1).number_format = "DD/MM/YYYY"
        excel.grid(ws, first_row=top, last_row=end, columns=5)
    excel.widths(ws, WIDTHS)
    excel.page(ws, freeze=ws.cell(row=first + 1, column=1), title_rows=f"{first}:{first}", fit_width=True)
    return excel.to_bytes(wb)
