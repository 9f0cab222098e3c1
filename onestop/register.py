"""What the one-stop statistics print.

- Form 07, Sổ theo dõi hồ sơ (the dossier register) of the dossiers received in a period: PDF (the long-table
  register of ``eoffice.output.register``: ReportLab, A4 landscape, Liberation Serif) and Excel;
- the statistics table: PDF and Excel through ``eoffice.output.report``, as ``documents.stats.exports``.
"""

from __future__ import annotations

from datetime import datetime

from django.db.models import Max, Min, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from eoffice.output import excel
from eoffice.output import register as output_register
from eoffice.output import report as output_report
from eoffice.output.register import register_pdf

from .models import (
    Channel,
    Dossier,
    DossierState,
    DossierStep,
    OnestopConfig,
    Outcome,
    StepKind,
    SupplementRequest,
    Timing,
)
from .stats import selectors as stats
from .stats.selectors import Period, Scope, scoped

BODY = 9.5  # fourteen columns: a size smaller than the document registers
WIDTHS = [10, 27, 30, 12, 23, 24, 22, 18, 18, 18, 18, 18, 13, 14]  # mm, 265 between the margins
CENTERED = {0, 3, 7, 8, 9, 10, 11}
XLSX_WIDTHS = [6, 26, 40, 9, 24, 30, 24, 16, 16, 12, 16, 12, 12, 20]
# The statistics table in the PDF: fifteen columns, a size smaller than the documents' report.
STATS_STYLE = output_report.Style(heading=9.5, number=9, cell=10, pad_x=2)


def title() -> str:
    return _("SỔ THEO DÕI HỒ SƠ")


def columns() -> list[str]:
    return [
        _("STT"),
        _("Mã hồ sơ"),
        _("Tên thủ tục hành chính"),
        _("Số lượng hồ sơ (bộ)"),
        _("Tên cá nhân, tổ chức"),
        _("Địa chỉ, số điện thoại"),
        _("Cơ quan chủ trì giải quyết"),
        _("Ngày nhận hồ sơ"),
        _("Ngày hẹn trả kết quả"),
        _("Ngày chuyển hồ sơ"),
        _("Ngày có kết quả/ yêu cầu trả lại dân bổ sung"),
        _("Ngày nhận kết quả (ngày trả)"),
        _("Ký nhận"),
        _("Ghi chú"),
    ]


def rows(*, scope: Scope, period: Period) -> QuerySet[Dossier]:
    """The dossiers received in the period, in the order of reception, with what the register prints: one
    query (the hand-over to the unit and the last supplement request as subqueries)."""
    handed = (
        DossierStep.objects.filter(dossier=OuterRef("pk"), kind=StepKind.ASSIGN)
        .values("dossier")
        .annotate(first=Min("started_at"))
        .values("first")
    )
    supplement = (
        SupplementRequest.objects.filter(dossier=OuterRef("pk"))
        .values("dossier")
        .annotate(last=Max("requested_at"))
        .values("last")
    )
    return (
        scoped(scope)
        .filter(received_at__gte=period.start, received_at__lt=period.end)
        .select_related("procedure", "department")
        .annotate(handed_at=Subquery(handed), supplement_at=Subquery(supplement))
        .order_by("received_at", "id")
    )


def _local(value: datetime | None) -> datetime | None:
    return timezone.localtime(value) if value else None


def _day(value, with_time: bool = False) -> str:
    value = _local(value)
    if value is None:
        return ""
    return f"{value:%d/%m/%Y %H:%M}" if with_time else f"{value:%d/%m/%Y}"


def result_text(dossier: Dossier) -> str:
    """Ngày có kết quả, or the date the applicant was asked for a supplement when no result yet."""
    if dossier.resolved_at:
        return _day(dossier.resolved_at)
    if getattr(dossier, "supplement_at", None):
        return _("Yêu cầu bổ sung %(date)s") % {"date": _day(dossier.supplement_at)}
    return ""


def note_text(dossier: Dossier) -> str:
    notes = []
    if dossier.outcome == Outcome.REFUSED:
        notes.append(_("Không giải quyết"))
    elif dossier.state == DossierState.STOPPED:
        notes.append(_("Dừng xử lý"))
    elif dossier.state == DossierState.SUPPLEMENT:
        notes.append(_("Chờ bổ sung"))
    if dossier.timing == Timing.LATE:
        notes.append(_("Quá hạn"))
    elif dossier.is_overdue:
        notes.append(_("Đang quá hạn"))
    if dossier.extended:
        notes.append(_("Đã hẹn lại"))
    if dossier.channel == Channel.ONLINE:
        notes.append(_("Nộp trực tuyến"))
    if dossier.note:
        notes.append(dossier.note[:200])
    return "; ".join(notes)


def row_values(number: int, dossier: Dossier) -> list[str]:
    """The printed values of one dossier (the web page, the PDF and the sheet print the same)."""
    contact = "; ".join(p for p in (dossier.applicant_address, dossier.applicant_phone) if p)
    return [
        str(number),
        dossier.code or "",
        dossier.procedure.name,
        "1",
        dossier.applicant_name,
        contact,
        dossier.department.name if dossier.department_id else "",
        _day(dossier.received_at, with_time=True),
        _day(dossier.due_at, with_time=True),
        _day(getattr(dossier, "handed_at", None)),
        result_text(dossier),
        _day(dossier.returned_at),
        "",
        note_text(dossier),
    ]


def table(dossiers) -> list[tuple[Dossier, list[str]]]:
    return [(d, row_values(i, d)) for i, d in enumerate(dossiers, start=1)]


def counter_name(scope: Scope) -> str:
    """The agency's reception and result-return unit as configured (read only: no config row is created)."""
    name = OnestopConfig.objects.filter(agency_id=scope.agency.pk).values_list("counter_name", flat=True)
    return name.first() or OnestopConfig._meta.get_field("counter_name").default


def subtitle(scope: Scope, period: Period) -> str:
    return " · ".join([scope.name, period.label])


def render(*, fmt: str, dossiers, scope: Scope, period: Period, counter_name: str = "") -> tuple:
    stem = f"so-theo-doi-ho-so-{period.date_from:%Y%m%d}-{period.date_to:%Y%m%d}"
    values = [v for _d, v in table(dossiers)]
    subs = [s for s in (counter_name, subtitle(scope, period)) if s]
    if fmt == "xlsx":
        return (
            _xlsx(values, scope, subs),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            f"{stem}.xlsx",
        )
    return pdf(values, agency=scope.agency, subs=subs), "application/pdf", f"{stem}.pdf"


# ---- PDF -------------------------------------------------------------------------------------------------


def pdf(table_values: list[list[str]], *, agency, subs: list[str]) -> bytes:
    foot = _("In lúc %(time)s · %(count)s hồ sơ") % {
        "time": f"{timezone.localtime():%H:%M %d/%m/%Y}",
        "count": len(table_values),
    }
    return register_pdf(
        title_text=title(),
        agency=agency,
        subs=subs,
        columns=columns(),
        table=table_values,
        widths_mm=WIDTHS,
        centered=CENTERED,
        size=BODY,
        empty=_("Không có hồ sơ tiếp nhận trong kỳ này."),
        foot=foot,
    )


# ---- Excel -----------------------------------------------------------------------------------------------

DATE_COLUMNS = {7: True, 8: True, 9: False, 11: False}  # 0-based column → with the time


def _xlsx(table_values: list[list[str]], scope: Scope, subs: list[str]) -> bytes:
    cols = columns()
    wb, ws, first = output_register.sheet(
        sheet_title="So theo doi ho so",
        lines=[scope.agency.name.upper(), title(), " · ".join(subs)],
        columns=cols,
    )
    for values in table_values:
        row = list(values)
        row[0], row[3] = int(row[0]), int(row[3])
        for index, with_time in DATE_COLUMNS.items():
            if row[index]:
                row[index] = datetime.strptime(row[index], "%d/%m/%Y %H:%M" if with_time else "%d/%m/%Y")
        number = excel.append(ws, row)
        for index, with_time in DATE_COLUMNS.items():
            ws.cell(row=number, column=index + 1).number_format = (
                "dd/mm/yyyy hh:mm" if with_time else "dd/mm/yyyy"
            )
    return output_register.finish_sheet(
        wb,
        ws,
        first=first,
        columns=len(cols),
        widths=XLSX_WIDTHS,
        centered=CENTERED,
        freeze_column="C",
        fit_width=True,
    )


# ---- the statistics table --------------------------------------------------------------------------------


def stats_title() -> str:
    return _("BÁO CÁO TÌNH HÌNH GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH")


def stats_header() -> tuple[list[tuple[str, int, int]], list[str]]:
    """The two header rows: (label, rowspan, colspan) of the groups, then the labels under them."""
    top = [
        (str(stats.SHORT["received"]), 2, 1),
        (_("Đã giải quyết trong kỳ"), 1, 4),
        (_("Đang giải quyết (hiện tại)"), 1, 3),
        (_("Từ chối"), 1, 2),
        (str(stats.SHORT["stopped"]), 2, 1),
        (_("Tỷ lệ đúng hạn"), 2, 1),
        (_("Mức độ hài lòng"), 1, 2),
    ]
    under = [str(stats.SHORT[c]) for c in stats.NUMBER_COLUMNS if c not in ("received", "stopped")]
    return top, [*under, _("Điểm trung bình"), str(stats.SHORT["rated"])]


def stats_values(counts: stats.Counts) -> list:
    """A row's printed values, in the columns' order."""
    from documents.stats.exports import rate_text

    return [
        *(counts[c] for c in stats.NUMBER_COLUMNS),
        rate_text(counts),
        stats.rating_text(counts.rating),
        counts["rated"],
    ]


def stats_render(*, report: stats.Report, fmt: str, made_by: str = "") -> tuple[bytes, str, str]:
    """The statistics table as a download (Excel with ``fmt`` "xlsx", else PDF): (content, content type,
    file name)."""
    stem = f"thong-ke-mot-cua-{report.period.date_from:%Y%m%d}-{report.period.date_to:%Y%m%d}"
    return output_report.render(_printed(report, made_by), fmt=fmt, stem=stem, sheet=_stats_sheet(report))


def _scope_line(report: stats.Report) -> str:
    return " · ".join(
        [
            report.scope.name,
            report.period.label,
            _("Theo %(group)s") % {"group": report.group_label.lower()},
        ]
    )


def _printed(report: stats.Report, made_by: str) -> output_report.Report:
    """The statistics table as ``eoffice.output.report`` prints it."""
    top, under = stats_header()
    rows = [output_report.Row(row.label, stats_values(row.counts), sub=row.sub) for row in report.rows]
    if not rows:
        rows.append(output_report.Row(_("Không có hồ sơ nào trong kỳ này."), empty=True))
    rows.append(output_report.Row(_("Tổng cộng"), stats_values(report.total), strong=True))
    columns = 1 + len(stats.NUMBER_COLUMNS) + 3  # the label, the counts, the rate, the rating, the rated
    return output_report.Report(
        title=stats_title(),
        agency=report.scope.agency,
        scope_line=_scope_line(report),
        header_top=[(report.group_label, 2, 1), *top],
        header_under=under,
        widths=[22] + [None] * (columns - 1),
        rows=rows,
        definitions=stats.definitions(report.scope, report.group),
        made_by=made_by,
        style=STATS_STYLE,
    )


def _stats_sheet(report: stats.Report) -> output_report.Sheet:
    """The table as numbers for Excel: the rate a fraction (formatted as a percentage), the rating a
    number."""
    rate_col = 2 + stats.NUMBER_COLUMNS.index("stopped") + 1

    def line(label: str, counts: stats.Counts, strong: bool = False) -> output_report.Row:
        values = stats_values(counts)
        values[rate_col - 2] = counts.rate / 100 if counts.rate is not None else None
        values[rate_col - 1] = counts.rating
        return output_report.Row(label, values, strong=strong)

    rows = [line(f"{row.label} ({row.sub})" if row.sub else row.label, row.counts) for row in report.rows]
    rows.append(line(_("Tổng cộng"), report.total, strong=True))
    return output_report.Sheet(rows=rows, formats={rate_col: "0.0%", rate_col + 1: "0.00"}, column_width=11)
