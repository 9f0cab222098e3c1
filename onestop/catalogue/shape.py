"""The workbook's shape: its sheets and columns, shared by the export and the import."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from eoffice.search import fold
from onestop.models import OnlineLevel, PaperKind, StepKind, TimeUnit

MAX_ROWS = 5000

SHEET_PROCEDURES = gettext_lazy("Thủ tục")
SHEET_PAPERS = gettext_lazy("Thành phần hồ sơ")
SHEET_STEPS = gettext_lazy("Quy trình")
SHEET_LISTS = gettext_lazy("Danh mục")


@dataclass(frozen=True)
class Column:
    key: str
    header: object  # lazy text
    width: int
    kind: str = "text"  # text, decimal, int, bool, choice, department
    required: bool = False
    choices: type | None = None


PROCEDURE_COLUMNS = [
    Column("code", gettext_lazy("Mã thủ tục"), 14, required=True),
    Column("name", gettext_lazy("Tên thủ tục"), 60, required=True),
    Column("field_code", gettext_lazy("Mã lĩnh vực"), 12),
    Column("field_name", gettext_lazy("Lĩnh vực"), 36, required=True),
    Column("online_level", gettext_lazy("Mức độ trực tuyến"), 18, "choice", True, OnlineLevel),
    Column("time_value", gettext_lazy("Thời hạn giải quyết"), 12, "decimal", True),
    Column("time_unit", gettext_lazy("Đơn vị thời hạn"), 16, "choice", True, TimeUnit),
    Column("fee_amount", gettext_lazy("Phí, lệ phí (đồng)"), 14, "int"),
    Column("fee_note", gettext_lazy("Ghi chú phí, lệ phí"), 40),
    Column("result_name", gettext_lazy("Kết quả thực hiện"), 40, required=True),
    Column("legal_basis", gettext_lazy("Căn cứ pháp lý"), 60),
    Column("handling_department", gettext_lazy("Đơn vị giải quyết"), 14, "department"),
    Column("is_active", gettext_lazy("Đang áp dụng"), 12, "bool"),
]
PAPER_COLUMNS = [
    Column("procedure", gettext_lazy("Mã thủ tục"), 14, required=True),
    Column("order", gettext_lazy("Thứ tự"), 8, "int"),
    Column("name", gettext_lazy("Tên giấy tờ"), 70, required=True),
    Column("kind", gettext_lazy("Loại bản"), 22, "choice", True, PaperKind),
    Column("quantity", gettext_lazy("Số lượng"), 10, "int"),
    Column("mandatory", gettext_lazy("Bắt buộc"), 10, "bool"),
]
STEP_COLUMNS = [
    Column("procedure", gettext_lazy("Mã thủ tục"), 14, required=True),
    Column("kind", gettext_lazy("Bước"), 28, "choice", True, StepKind),
    Column("name", gettext_lazy("Nội dung công việc"), 60),
    Column("department", gettext_lazy("Đơn vị thực hiện"), 16, "department"),
    Column("hours", gettext_lazy("Thời gian (giờ làm việc)"), 14, "decimal", True),
]
SHEETS = [
    (SHEET_PROCEDURES, PROCEDURE_COLUMNS),
    (SHEET_PAPERS, PAPER_COLUMNS),
    (SHEET_STEPS, STEP_COLUMNS),
]


def yes_no(value: bool) -> str:
    return pgettext("yes/no", "Có") if value else pgettext("yes/no", "Không")


def place(sheet, row: int | None = None, column: Column | None = None) -> str:
    if row is None:
        return _("Sheet “%(sheet)s”") % {"sheet": sheet}
    if column is None:
        return _("Sheet “%(sheet)s”, dòng %(row)s") % {"sheet": sheet, "row": row}
    return _("Sheet “%(sheet)s”, dòng %(row)s, cột “%(column)s”") % {
        "sheet": sheet,
        "row": row,
        "column": column.header,
    }


def match_key(text) -> str:
    return re.sub(r"\s+", " ", fold(str(text or "")).strip())
