"""The search results as an Excel workbook, written through ``eoffice.output.excel``: the criteria, one row
per document."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone
from django.utils.translation import gettext as _

from documents.search import selectors
from documents.search.sources import SearchResult

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WIDTHS = (6, 13, 20, 13, 30, 60, 22, 16, 18, 24)


def columns() -> list[str]:
    return [
        _("STT"),
        _("Văn bản"),
        _("Số, ký hiệu"),
        _("Ngày ban hành"),
        _("Cơ quan ban hành"),
        _("Trích yếu"),
        _("Người ký"),
        _("Loại văn bản"),
        _("Trạng thái"),
        _("Nội dung toàn văn"),
    ]


def _text_label(status: str) -> str:
    from documents.models import TextStatus

    return str(TextStatus(status).label) if status in TextStatus.values else status


def row_values(n: int, r: SearchResult) -> list:
    state = str(r.state_label)
    if r.recalled and r.kind == "incoming":  # an outgoing one says so in its state ("Đã thu hồi")
        state = f"{state} · {_('Đã bị thu hồi')}"
    return [
        n,
        str(r.kind_label),
        r.number_symbol or _("Dự thảo"),
        r.date.strftime("%d/%m/%Y") if r.date else "",
        r.issuer,
        r.summary,
        r.signer,
        r.doc_type,
        state,
        _text_label(r.text_status),
    ]


def criteria_text(form) -> str:
    """The filled fields of the search form, "Label: value" joined."""
    parts = []
    for name, field in form.fields.items():
        value = form.cleaned_data.get(name)
        if value in (None, ""):
            continue
        if hasattr(field, "choices") and not hasattr(value, "pk"):
            flat = {}
            for key, label in field.choices:
                if isinstance(label, list | tuple):
                    flat.update({k: f"{key} – {v}" for k, v in label})
                else:
                    flat[key] = label
            value = flat.get(value, value)
        elif hasattr(value, "strftime"):
            value = value.strftime("%d/%m/%Y")
        parts.append(f"{field.label}: {value}")
    return " · ".join(parts)


def xlsx(*, rows: Sequence[SearchResult], more: bool, form, user) -> bytes:
    from eoffice.output import excel

    wb, ws = excel.workbook("Tra cuu")
    cols = columns()
    excel.heading(
        ws,
        [
            _("KẾT QUẢ TRA CỨU VĂN BẢN"),
            criteria_text(form),
            _("Xuất lúc %(time)s bởi %(name)s · %(n)s văn bản")
            % {
                "time": timezone.localtime().strftime("%H:%M %d/%m/%Y"),
                "name": user.get_full_name(),
                "n": len(rows),
            },
        ],
        fonts=[excel.TITLE],
    )
    header_row = last_row = excel.append(ws, cols)
    for n, r in enumerate(rows, start=1):
        last_row = excel.append(ws, row_values(n, r))
    excel.grid(
        ws,
        first_row=header_row,
        last_row=last_row,
        columns=len(cols),
        header_rows=1,
        header_vertical="top",
    )
    if more:
        excel.warning_line(
            ws,
            _(
                "Chỉ xuất %(limit)s kết quả đầu tiên; còn nhiều kết quả khác. "
                "Hãy thu hẹp điều kiện tìm kiếm để xuất đủ."
            )
            % {"limit": f"{selectors.EXPORT_LIMIT:,}".replace(",", ".")},
        )
    excel.widths(ws, WIDTHS)
    excel.page(ws, freeze=ws.cell(row=header_row + 1, column=1))
    return excel.to_bytes(wb)
