"""The statistics as a report, printed by ``eoffice.output.report`` (PDF and Excel): title, agency, scope,
period, the table, the items behind it, the definitions, the date."""

from __future__ import annotations

from django.template.defaultfilters import date as date_filter
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.stats.selectors import BUCKET_SHORT, KIND_CHOICES, Counts, Report
from eoffice.output import report as output_report

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
    """The report as a download (Excel with ``fmt`` "xlsx", else PDF): (content, content type, file name)."""
    stem = f"thong-ke-xu-ly-{report.period.date_from:%Y%m%d}-{report.period.date_to:%Y%m%d}"
    return output_report.render(
        _printed(report, items, made_by), fmt=fmt, stem=stem, sheet=_sheet(report, items)
    )


def _printed(report: Report, items, made_by: str) -> output_report.Report:
    """The report as ``eoffice.output.report`` prints it."""
    labels = column_labels()
    printed = table(report)
    lists = []
    if items:
        lists.append(
            output_report.Listing(
                title=_("Danh sách phần việc"),
                headings=item_headings(),
                widths=[49, 11, 11, 11, 18],
                rows=[
                    [
                        _item_label(item),
                        date_filter(item.day, "d/m/Y"),
                        date_filter(item.due_at, "d/m/Y"),
                        date_filter(item.completed_at, "d/m/Y"),
                        item.bucket_label,
                    ]
                    for item in items
                ],
            )
        )
    return output_report.Report(
        title=title(),
        agency=report.scope.agency,
        scope_line=_scope_line(report),
        header_top=[
            (report.row_heading or _("Phạm vi"), 2, 1),
            (labels[0], 2, 1),
            (_("Đã hoàn thành"), 1, 4),
            (_("Đang xử lý"), 1, 3),
            (_("Tỷ lệ đúng hạn"), 2, 1),
        ],
        header_under=labels[1:],
        widths=[28] + [7.5] * len(labels) + [12],
        rows=[
            output_report.Row(label, values, strong=strong)
            for label, values, strong in printed["head"] + printed["rows"]
        ],
        definitions=definitions(report.scope.level),
        made_by=made_by,
        lists=lists,
    )


def item_headings() -> list[str]:
    """The headings of the list of items under the table."""
    return [_("Văn bản, công việc"), _("Ngày giao"), _("Hạn xử lý"), _("Ngày hoàn thành"), _("Kết quả")]


def _item_label(item) -> str:
    if item.kind == "work":
        return f"{_('Công việc')}: {item.title}"
    return f"{item.ref} · {item.title}" if item.ref else item.title


def _sheet(report: Report, items) -> output_report.Sheet:
    """The table as numbers for Excel (the rate a fraction, formatted as a percentage) and the items."""

    def line(label: str, counts: Counts, strong: bool) -> output_report.Row:
        rate = (counts.rate / 100) if counts.rate is not None else None
        return output_report.Row(label, [*(counts.get(b) for b, _g in COLUMNS), rate], strong=strong)

    rows = [line(report.scope.name, report.headline, True)]
    if report.scope.level != "person":
        rows += [line(("   " * row.depth) + row.label, row.counts, False) for row in report.rows]
        if report.rows:
            rows.append(line(_("Cộng"), report.totals, True))
    lists = []
    if items:
        lists.append(
            output_report.Listing(
                title=_("Danh sách phần việc"),
                headings=item_headings(),
                widths=(),
                rows=[
                    [
                        " · ".join(p for p in (item.ref, item.title) if p),
                        _date(item.day),
                        _date(item.due_at),
                        _date(item.completed_at),
                        item.bucket_label,
                    ]
                    for item in items
                ],
            )
        )
    return output_report.Sheet(rows=rows, formats={len(COLUMNS) + 2: "0.0%"}, column_width=12, lists=lists)


def _date(value) -> str:
    if value is None:
        return ""
    return timezone.localtime(value).strftime("%d/%m/%Y")
