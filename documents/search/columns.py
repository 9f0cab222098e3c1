"""The columns a person may choose for the search results (III.6đ) and its exports (III.6h).

Each column has a key (kept in the query string as ``cols``, hence in saved searches), a heading, a
relative width for the printed exports and a function giving a result's printed value. With no column
chosen the page shows its result cards and the exports print ``DEFAULT``: the columns the Excel export
always had.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from documents.search.sources import SearchResult


def _date(value) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def _text_label(status: str) -> str:
    from documents.models import TextStatus

    return str(TextStatus(status).label) if status in TextStatus.values else status


def _state(r: SearchResult) -> str:
    state = str(r.state_label)
    if r.recalled and r.kind == "incoming":  # an outgoing one says so in its state ("Đã thu hồi")
        state = f"{state} · {_('Đã bị thu hồi')}"
    return state


@dataclass(frozen=True)
class Column:
    key: str
    label: object
    width: float  # relative width in the printed exports
    value: Callable[[SearchResult], object]
    numeric: bool = False


COLUMNS: list[Column] = [
    Column("kind", gettext_lazy("Văn bản"), 13, lambda r: str(r.kind_label)),
    Column("number", gettext_lazy("Số, ký hiệu"), 20, lambda r: r.number_symbol or _("Dự thảo")),
    Column("date", gettext_lazy("Ngày ban hành"), 13, lambda r: _date(r.date)),
    Column("issuer", gettext_lazy("Cơ quan ban hành"), 30, lambda r: r.issuer),
    Column("summary", gettext_lazy("Trích yếu"), 60, lambda r: r.summary),
    Column("signer", gettext_lazy("Người ký"), 22, lambda r: r.signer),
    Column("doc_type", gettext_lazy("Loại văn bản"), 16, lambda r: r.doc_type),
    Column("state", gettext_lazy("Trạng thái"), 18, _state),
    Column("text", gettext_lazy("Nội dung toàn văn"), 24, lambda r: _text_label(r.text_status)),
    Column("identifier", gettext_lazy("Mã định danh văn bản"), 30, lambda r: r.identifier),
    Column("arrival", gettext_lazy("Số đến"), 10, lambda r: r.arrival_number, numeric=True),
    Column("arrival_date", gettext_lazy("Ngày đến"), 13, lambda r: _date(r.arrival_date)),
    Column("urgency", gettext_lazy("Độ khẩn"), 12, lambda r: r.urgency_label),
    Column("secrecy", gettext_lazy("Độ mật"), 12, lambda r: r.secret_label),
    Column("recipients", gettext_lazy("Nơi nhận"), 34, lambda r: "; ".join(r.recipients)),
    Column("deadline", gettext_lazy("Hạn xử lý"), 13, lambda r: _date(r.due_date)),
    Column("case_files", gettext_lazy("Hồ sơ"), 30, lambda r: "; ".join(r.case_files)),
    Column("pages", gettext_lazy("Số trang"), 9, lambda r: r.page_amount or "", numeric=True),
    # Phần II Mục III: a case file's own fields (empty for documents).
    Column("file_year", gettext_lazy("Năm hình thành hồ sơ"), 10, lambda r: r.file_year or "", numeric=True),
    Column("retention", gettext_lazy("Thời hạn bảo quản"), 13, lambda r: r.retention_label),
    Column("rights", gettext_lazy("Chế độ sử dụng"), 13, lambda r: r.rights_label),
    Column("owner", gettext_lazy("Người lập hồ sơ"), 22, lambda r: r.owner_name),
    Column("file_end", gettext_lazy("Ngày kết thúc hồ sơ"), 13, lambda r: _date(r.end_date)),
    Column(
        "file_docs", gettext_lazy("Số văn bản trong hồ sơ"), 10, lambda r: r.doc_total or "", numeric=True
    ),
]
BY_KEY = {c.key: c for c in COLUMNS}
DEFAULT = ("kind", "number", "date", "issuer", "summary", "signer", "doc_type", "state", "text")
# The columns the results page has anyway in its first cells (the row number, the link with the summary).
CHOICES = [(c.key, c.label) for c in COLUMNS]


def chosen(keys: Sequence[str] | None) -> list[Column]:
    """The chosen columns in the registry's order (the exports' default set when none is chosen)."""
    wanted = set(keys or DEFAULT)
    return [c for c in COLUMNS if c.key in wanted]
