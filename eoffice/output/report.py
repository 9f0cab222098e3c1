"""The statistics report of every app, as PDF (WeasyPrint, ``templates/eoffice/output/report_pdf.html``, A4
landscape) and as an Excel sheet (``eoffice.output.excel``): the agency, the title, the scope line, a table
with two header rows, optional lists under it, what the numbers mean, when and by whom it was made.

An app fills a ``Report`` with its own labels and printed values, and a ``Sheet`` with the same rows as
numbers for Excel, and calls ``render``; nothing here knows what is counted.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from . import excel
from . import pdf as output_pdf

TEMPLATE = "eoffice/output/report_pdf.html"


@dataclass(frozen=True)
class Row:
    """A line of the table: its label (and a smaller second line ``sub``), then its printed values; with
    ``empty`` the label alone across the table, in italics (the "nothing in this period" message)."""

    label: str
    values: Sequence = ()
    sub: str = ""
    strong: bool = False
    empty: bool = False


@dataclass(frozen=True)
class Listing:
    """A plain table under the report (the items behind the numbers): a title, headings, widths in %."""

    title: str
    headings: Sequence[str]
    widths: Sequence[float]
    rows: Sequence[Sequence]


@dataclass(frozen=True)
class Style:
    """Font sizes (pt) of the PDF table's headings, numbering row and cells; the cells' side padding."""

    heading: float = 10.5
    number: float = 9.5
    cell: float = 10.5
    pad_x: float = 3


@dataclass(frozen=True)
class Report:
    """``header_top``: the first header row as (label, rowspan, colspan), the row labels' heading first;
    ``header_under``: the labels of the second row, under the groups; ``widths``: each column's width in %
    of the table in the PDF (None: shared out), one per column."""

    title: str
    agency: object  # name, parent_id, parent.name
    scope_line: str
    header_top: Sequence[tuple[str, int, int]]
    header_under: Sequence[str]
    widths: Sequence[float | None]
    rows: Sequence[Row]
    definitions: Sequence[str]
    made_by: str = ""
    lists: Sequence[Listing] = ()
    style: Style = field(default_factory=Style)

    @property
    def columns(self) -> int:
        return len(self.widths)


@dataclass(frozen=True)
class Sheet:
    """The report's table in Excel: each row's values as numbers (a rate as a fraction, 0.5 for 50%), the
    number format of some columns (1-based column → Excel format, "0.0%" for a rate) on every row of the
    table, the width of the columns after the labels, and the lists written under the table."""

    rows: Sequence[Row]
    formats: Mapping[int, str]
    column_width: float
    lists: Sequence[Listing] = ()


def render(report: Report, *, fmt: str, stem: str, sheet: Sheet) -> tuple[bytes, str, str]:
    """The report as a download: (content, content type, file name ``<stem>.xlsx`` or ``<stem>.pdf``);
    ``fmt`` "xlsx" gives the workbook of ``sheet``, anything else the PDF of ``report``."""
    if fmt == "xlsx":
        return xlsx(report, sheet), excel.CONTENT_TYPE, f"{stem}.xlsx"
    return pdf(report), "application/pdf", f"{stem}.pdf"


def pdf(report: Report) -> bytes:
    html_text = render_to_string(TEMPLATE, {"r": report, "made_at": timezone.localtime()})
    return output_pdf.write(html_text)


# ---- Excel ---------------------------------------------------------------------------------------------


def xlsx(report: Report, table: Sheet) -> bytes:
    """The workbook: the heading and header rows of ``report``, the rows of ``table`` in a grid (the strong
    ones bold), its lists, then the notes and the page set-up."""
    wb, ws, first = sheet(report)
    bold_rows = []
    for line in table.rows:
        row = excel.append(ws, [line.label, *line.values])
        for column, number_format in table.formats.items():
            ws.cell(row=row, column=column).number_format = number_format
        if line.strong:
            bold_rows.append(row)
    grid(ws, report, first=first, bold_rows=bold_rows)
    for listing in table.lists:
        excel.append(ws)
        ws.cell(row=excel.append(ws, [listing.title]), column=1).font = excel.BOLD
        for cell in ws[excel.append(ws, listing.headings)]:
            cell.font = excel.BOLD
        for values in listing.rows:
            excel.append(ws, values)
    return finish(wb, ws, report, first=first, column_width=table.column_width)


def sheet(report: Report, *, sheet_title: str = "Thong ke"):
    """A workbook with the report's heading and the two header rows (merged as in the PDF); returns
    (workbook, sheet, the first header row). The app appends its rows, then calls ``grid`` and ``finish``."""
    wb, ws = excel.workbook(sheet_title)
    excel.heading(ws, [report.agency.name.upper(), report.title, report.scope_line])
    first = excel.next_row(ws)
    column, under = 1, iter(report.header_under)
    for label, rowspan, colspan in report.header_top:
        excel.write(ws, first, column, label)
        if rowspan == 2:
            ws.merge_cells(start_row=first, end_row=first + 1, start_column=column, end_column=column)
        else:
            if colspan > 1:
                ws.merge_cells(
                    start_row=first, end_row=first, start_column=column, end_column=column + colspan - 1
                )
            for offset in range(colspan):
                excel.write(ws, first + 1, column + offset, next(under))
        column += colspan
    excel.continue_after(ws, first + 1)
    return wb, ws, first


def grid(ws, report: Report, *, first: int, bold_rows: Sequence[int] = ()) -> None:
    """Borders and alignment of the table, from its header at ``first`` to the last row written so far."""
    excel.grid(
        ws,
        first_row=first,
        last_row=ws.max_row,
        columns=report.columns,
        header_rows=2,
        centered=range(2, report.columns + 1),
        bold_rows=bold_rows,
    )


def finish(wb, ws, report: Report, *, first: int, column_width: float) -> bytes:
    """What the numbers mean, when and by whom the report was made, the column widths, the page set-up
    (the header rows repeated, the labels and headers frozen); the workbook's bytes."""
    excel.notes(ws, title=_("Giải thích số liệu:"), lines=report.definitions, columns=report.columns)
    made = _("Ngày lập báo cáo: %(date)s") % {"date": timezone.localtime().strftime("%d/%m/%Y %H:%M")}
    excel.made_line(ws, made + (f" · {report.made_by}" if report.made_by else ""))
    excel.widths(ws, [44] + [column_width] * (report.columns - 1))
    excel.page(ws, freeze=ws.cell(row=first + 2, column=2), title_rows=f"{first}:{first + 1}")
    return excel.to_bytes(wb)
