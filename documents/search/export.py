"""The search results as an Excel workbook (``eoffice.output.excel``), a PDF (``eoffice.output.register``,
the long-table printer) and a Word document (``documents.search.docx``): the criteria, one row per
document, in the columns the person chose (``documents.search.columns``; the former set when none)."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils import timezone
from django.utils.translation import gettext as _

from documents.search import columns as search_columns
from documents.search import selectors
from documents.search.sources import SearchResult

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
WIDTHS = (6, 13, 20, 13, 30, 60, 22, 16, 18, 24)
CENTRED = ("date", "arrival_date", "deadline", "urgency", "secrecy")  # short columns centred in the PDF


def columns(keys: Sequence[str] = ()) -> list[str]:
    """The headings: STT, then the chosen columns."""
    if keys:
        return [_("STT"), *(str(c.label) for c in search_columns.chosen(keys))]
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


def row_values(n: int, r: SearchResult, keys: Sequence[str] = ()) -> list:
    if keys:
        return [n, *(c.value(r) for c in search_columns.chosen(keys))]
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
        if name == "cols" or value in (None, "", [], ()):
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


def _made_line(rows, user) -> str:
    return _("Xuất lúc %(time)s bởi %(name)s · %(n)s văn bản") % {
        "time": timezone.localtime().strftime("%H:%M %d/%m/%Y"),
        "name": user.get_full_name(),
        "n": len(rows),
    }


def _more_line() -> str:
    return _(
        "Chỉ xuất %(limit)s kết quả đầu tiên; còn nhiều kết quả khác. "
        "Hãy thu hẹp điều kiện tìm kiếm để xuất đủ."
    ) % {"limit": f"{selectors.EXPORT_LIMIT:,}".replace(",", ".")}


def _widths(keys: Sequence[str]) -> list[float]:
    if not keys:
        return list(WIDTHS)
    return [6, *(c.width for c in search_columns.chosen(keys))]


def xlsx(*, rows: Sequence[SearchResult], more: bool, form, user, keys: Sequence[str] = ()) -> bytes:
    from eoffice.output import excel

    wb, ws = excel.workbook("Tra cuu")
    cols = columns(keys)
    excel.heading(
        ws,
        [_("KẾT QUẢ TRA CỨU VĂN BẢN"), criteria_text(form), _made_line(rows, user)],
        fonts=[excel.TITLE],
    )
    header_row = last_row = excel.append(ws, cols)
    for n, r in enumerate(rows, start=1):
        last_row = excel.append(ws, row_values(n, r, keys))
    excel.grid(
        ws,
        first_row=header_row,
        last_row=last_row,
        columns=len(cols),
        header_rows=1,
        header_vertical="top",
    )
    if more:
        excel.warning_line(ws, _more_line())
    excel.widths(ws, _widths(keys))
    excel.page(ws, freeze=ws.cell(row=header_row + 1, column=1))
    return excel.to_bytes(wb)


def pdf(*, rows: Sequence[SearchResult], more: bool, form, user, agency, keys: Sequence[str] = ()) -> bytes:
    """The results as a landscape A4 table (the register printer: fast for thousands of rows)."""
    from eoffice.output import register

    widths = _widths(keys)
    scale = (register.CONTENT_W / register.MM) / sum(widths)
    subs = [line for line in (criteria_text(form), _made_line(rows, user)) if line]
    if more:
        subs.append(_more_line())
    table = [[str(v) if v is not None else "" for v in row_values(n, r, keys)] for n, r in enumerate(rows, 1)]
    return register.register_pdf(
        title_text=_("KẾT QUẢ TRA CỨU VĂN BẢN"),
        agency=agency,
        subs=subs,
        columns=columns(keys),
        table=table,
        widths_mm=[w * scale for w in widths],
        centered={
            0,
            *(i for i, c in enumerate(search_columns.chosen(keys), 1) if c.numeric or c.key in CENTRED),
        },
        size=9.5 if len(widths) <= 10 else 8.5,
        empty=_("Không có văn bản nào."),
        foot=_("Tra cứu văn bản"),
    )


def doc(*, rows: Sequence[SearchResult], more: bool, form, user, keys: Sequence[str] = ()) -> bytes:
    """The results as a ``.doc``: an RTF document Word opens as one (``documents.search.rtf``), the same
    heading, criteria and table as the .docx."""
    from documents.search import rtf

    lines = [line for line in (criteria_text(form), _made_line(rows, user)) if line]
    if more:
        lines.append(_more_line())
    table = [[str(v) if v is not None else "" for v in row_values(n, r, keys)] for n, r in enumerate(rows, 1)]
    return rtf.table_document(
        title=_("KẾT QUẢ TRA CỨU VĂN BẢN"),
        lines=lines,
        headings=columns(keys),
        rows=table,
        widths=_widths(keys),
    )


def docx(*, rows: Sequence[SearchResult], more: bool, form, user, keys: Sequence[str] = ()) -> bytes:
    """The results as a Word document: a heading, the criteria and a table (``documents.search.docx``)."""
    from documents.search import docx as docx_writer

    lines = [line for line in (criteria_text(form), _made_line(rows, user)) if line]
    if more:
        lines.append(_more_line())
    table = [[str(v) if v is not None else "" for v in row_values(n, r, keys)] for n, r in enumerate(rows, 1)]
    return docx_writer.table_document(
        title=_("KẾT QUẢ TRA CỨU VĂN BẢN"),
        lines=lines,
        headings=columns(keys),
        rows=table,
        widths=_widths(keys),
    )
