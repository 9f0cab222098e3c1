"""The statistics as a report: Excel (openpyxl) and PDF (WeasyPrint, A4 landscape, Liberation Serif, as the
registers of ``documents.reports``): title, agency, scope, period, the table, the definitions, the date."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.stats.selectors import BUCKET_SHORT, KIND_CHOICES, Counts, Report

# The numeric columns of every table, in order: (bucket, group) — group None for a column on its own.
COLUMNS = [
    ("all", None),
    ("early", "finished"),
    ("ontime", "finished"),
    ("late", "finished"),
    ("finished", "finished"),
    ("open", "progress"),
    ("overdue", "progress"),
    ("progress", "progress"),
]


def title() -> str:
    return _("BÁO CÁO TÌNH HÌNH XỬ LÝ VĂN BẢN")


def column_labels() -> list[str]:
    """The second header row: the short label of each column under its group."""
    labels = []
    for bucket, _group in COLUMNS:
        if bucket == "all":
            labels.append(_("Tổng số"))
        elif bucket in ("finished", "progress"):
            labels.append(_("Cộng"))
        else:
            labels.append(str(BUCKET_SHORT[bucket]))
    return labels


def kind_label(kind: str) -> str:
    return str(dict(KIND_CHOICES).get(kind, ""))


def rate_text(counts: Counts) -> str:
    rate = counts.rate
    if rate is None:
        return "—"
    return f"{rate:.1f}".replace(".", ",").removesuffix(",0") + "%"


def definitions(level: str) -> list[str]:
    """What each number means (the footnote of the page and of the exports)."""
    lines = []
    if level == "agency":
        lines.append(
            _(
                "Số liệu toàn cơ quan: văn bản đến đã vào sổ có thời gian nhận trong kỳ (không tính văn bản "
                "chờ vào sổ, đã trả lại nơi gửi hoặc bị nơi gửi thu hồi) và công việc được giao trong kỳ "
                "(không tính việc đã hủy). Bảng theo đơn vị tính phần việc chủ trì giao cho đơn vị trong kỳ; "
                "lãnh đạo giao trực tiếp cho một cán bộ thì tính cho đơn vị của cán bộ đó."
            )
        )
    elif level == "unit":
        lines.append(
            _(
                "Số liệu của đơn vị: phần việc chủ trì giao cho đơn vị trong kỳ (lãnh đạo giao trực tiếp cho "
                "một cán bộ thì tính cho đơn vị của cán bộ đó). Bảng theo cán bộ tính phần việc chủ trì mỗi "
                "người đang giữ, kể cả phần việc được trưởng đơn vị chuyển giao."
            )
        )
    else:
        lines.append(
            _(
                "Số liệu của cán bộ: phần việc chủ trì cán bộ giữ được giao trong kỳ, kể cả phần việc được "
                "trưởng đơn vị chuyển giao."
            )
        )
    lines += [
        _(
            "Phân loại theo trạng thái hiện tại. Hoàn thành trước hạn: hoàn thành vào một ngày trước ngày "
            "hết hạn; đúng hạn: hoàn thành không muộn hơn hạn xử lý, việc không có hạn xử lý được tính là "
            "đúng hạn; quá hạn: hoàn thành sau hạn xử lý."
        ),
        _(
            "Đang xử lý trong hạn: chưa hoàn thành và chưa quá hạn tại thời điểm lập báo cáo (kể cả văn bản "
            "chờ chỉ đạo và phần việc đang tạm dừng tính hạn); đang xử lý quá hạn: chưa hoàn thành và đã qua "
            "hạn xử lý. Tổng số = đã hoàn thành + đang xử lý; tỷ lệ đúng hạn = (trước hạn + đúng hạn) / đã "
            "hoàn thành."
        ),
        _(
            "Chỉ tính văn bản, công việc người lập báo cáo được phép xem; văn bản mật chỉ được tính khi "
            "người xem được cấp quyền. Phần việc đã bị hủy (kể cả khi văn bản bị nơi gửi thu hồi) không "
            "được tính."
        ),
    ]
    return lines


def table(report: Report) -> dict:
    """The rows of the printed table: the scope's own line, then its units or people and their total."""

    def values(counts: Counts) -> list:
        return [counts.get(bucket) for bucket, _group in COLUMNS] + [rate_text(counts)]

    scope_label = report.scope.name
    head = [(scope_label, values(report.headline), True)]
    rows = [(("   " * row.depth) + row.label, values(row.counts), False) for row in report.rows]
    if report.rows and report.scope.level != "person":
        rows.append((_("Cộng"), values(report.totals), True))
    return {"head": head, "rows": rows if report.scope.level != "person" else []}


def _scope_line(report: Report) -> str:
    scope = report.scope
    if scope.level == "agency":
        what = _("Phạm vi: toàn cơ quan")
    elif scope.level == "unit":
        what = _("Đơn vị: %(name)s") % {"name": scope.name}
    else:
        unit = scope.person.department.name if scope.person.department_id else ""
        what = _("Cán bộ: %(name)s") % {"name": scope.name} + (f" ({unit})" if unit else "")
    return " · ".join([what, report.period.label, _("Loại: %(kind)s") % {"kind": kind_label(report.kind)}])


def render(*, report: Report, fmt: str, items=None, made_by: str = "") -> tuple[bytes, str, str]:
    stem = f"thong-ke-xu-ly-{report.period.date_from:%Y%m%d}-{report.period.date_to:%Y%m%d}"
    if fmt == "xlsx":
        return (
            _xlsx(report, items, made_by),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            f"{stem}.xlsx",
        )
    return _pdf(report, items, made_by), "application/pdf", f"{stem}.pdf"


def _pdf(report: Report, items, made_by: str) -> bytes:
    from weasyprint import HTML

    fonts = settings.BASE_DIR / "static" / "fonts" / "liberation-serif"
    html = render_to_string(
        "documents/stats/report_pdf.html",
        {
            "title": title(),
            "agency": report.scope.agency,
            "scope_line": _scope_line(report),
            "row_heading": report.row_heading or _("Phạm vi"),
            "labels": column_labels(),
            "table": table(report),
            "items": items or [],
            "definitions": definitions(report.scope.level),
            "made_at": timezone.localtime(),
            "made_by": made_by,
            "font_regular": (fonts / "LiberationSerif-Regular.ttf").as_uri(),
            "font_bold": (fonts / "LiberationSerif-Bold.ttf").as_uri(),
            "font_italic": (fonts / "LiberationSerif-Italic.ttf").as_uri(),
        },
    )
    return HTML(string=html, base_url=str(settings.BASE_DIR)).write_pdf()


def _xlsx(report: Report, items, made_by: str) -> bytes:
    from eoffice.output import excel

    wb, ws = excel.workbook("Thong ke")
    n_cols = 1 + len(COLUMNS) + 1
    excel.heading(ws, [report.scope.agency.name.upper(), title(), _scope_line(report)])
    # two header rows: groups, then the columns under them
    header_top = [report.row_heading or _("Phạm vi"), _("Tổng số")]
    header_top += [_("Đã hoàn thành")] * 4 + [_("Đang xử lý")] * 3 + [_("Tỷ lệ đúng hạn")]
    first_header = excel.append(ws, header_top)
    excel.append(ws, ["", *column_labels(), ""])
    ws.merge_cells(start_row=first_header, end_row=first_header + 1, start_column=1, end_column=1)
    ws.merge_cells(start_row=first_header, end_row=first_header + 1, start_column=2, end_column=2)
    ws.merge_cells(start_row=first_header, end_row=first_header, start_column=3, end_column=6)
    ws.merge_cells(start_row=first_header, end_row=first_header, start_column=7, end_column=9)
    ws.merge_cells(start_row=first_header, end_row=first_header + 1, start_column=10, end_column=10)

    bold_rows = []

    def add(label: str, counts: Counts, bold: bool) -> None:
        row = excel.append(
            ws,
            [
                label,
                *[counts.get(b) for b, _g in COLUMNS],
                (counts.rate / 100) if counts.rate is not None else None,
            ],
        )
        ws.cell(row=row, column=n_cols).number_format = "0.0%"
        if bold:
            bold_rows.append(row)

    add(report.scope.name, report.headline, True)
    if report.scope.level != "person":
        for row in report.rows:
            add(("   " * row.depth) + row.label, row.counts, False)
        if report.rows:
            add(_("Cộng"), report.totals, True)
    excel.grid(
        ws,
        first_row=first_header,
        last_row=ws.max_row,
        columns=n_cols,
        header_rows=2,
        centered=range(2, n_cols + 1),
        bold_rows=bold_rows,
    )

    if items:
        excel.append(ws)
        ws.cell(row=excel.append(ws, [_("Danh sách phần việc")]), column=1).font = excel.BOLD
        row = excel.append(
            ws, [_("Văn bản, công việc"), _("Ngày giao"), _("Hạn xử lý"), _("Ngày hoàn thành"), _("Kết quả")]
        )
        for cell in ws[row]:
            cell.font = excel.BOLD
        for item in items:
            excel.append(
                ws,
                [
                    " · ".join(p for p in (item.ref, item.title) if p),
                    _date(item.day),
                    _date(item.due_at),
                    _date(item.completed_at),
                    item.bucket_label,
                ],
            )
    excel.notes(ws, title=_("Giải thích số liệu:"), lines=definitions(report.scope.level), columns=n_cols)
    made = _("Ngày lập báo cáo: %(date)s") % {"date": timezone.localtime().strftime("%d/%m/%Y %H:%M")}
    excel.made_line(ws, made + (f" · {made_by}" if made_by else ""))
    excel.widths(ws, [44] + [12] * (n_cols - 1))
    excel.page(
        ws, freeze=ws.cell(row=first_header + 2, column=2), title_rows=f"{first_header}:{first_header + 1}"
    )
    return excel.to_bytes(wb)


def _date(value) -> str:
    if value is None:
        return ""
    return timezone.localtime(value).strftime("%d/%m/%Y")
