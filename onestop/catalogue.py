"""The procedures catalogue as an Excel workbook, both ways, and the checks every catalogue write shares.

One format: the export writes exactly the sheets and columns that the import reads, so a workbook
exported and imported again gives the same rows.

- "Thủ tục": one row per procedure, keyed by its code within the agency (import upserts by it);
- "Thành phần hồ sơ": the papers, one row each, with the procedure's code;
- "Quy trình": the internal steps, one row each, with the procedure's code.

Choices are written with their Vietnamese labels (the codes are accepted too), yes/no as "Có"/"Không",
units by their abbreviation. The import checks every row first and reports every problem with its sheet and
row; it writes nothing unless the whole workbook is right, and then writes it in one transaction. The
papers and steps of each procedure in the workbook are replaced by the workbook's rows.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext

from eoffice.models import Agency, Department
from eoffice.search import fold
from workflow.files import sniff, validate_upload

from .models import (
    STEP_ORDER,
    OnlineLevel,
    PaperKind,
    Procedure,
    ProcedureField,
    ProcedureStep,
    RequiredPaper,
    StepKind,
    TimeUnit,
)

logger = logging.getLogger(__name__)

MAX_ROWS = 5000
REQUIRED_STEPS = [kind for kind in STEP_ORDER if kind != StepKind.REVIEW]

# ---------------------------------------------------------------------------------------------------
# Checks shared by the admin and the import
# ---------------------------------------------------------------------------------------------------


def hours_text(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _sum_error(procedure: Procedure, hours: list[Decimal]) -> str:
    # Procedure.steps_error's text, with numbers written out (Decimal.normalize() gives "2E+1" for 20).
    total = sum(hours, Decimal(0))
    if total == procedure.legal_hours:
        return ""
    return _("Tổng thời gian các bước (%(total)s giờ) phải bằng thời hạn giải quyết (%(legal)s giờ).") % {
        "total": hours_text(total),
        "legal": hours_text(procedure.legal_hours),
    }


def steps_problems(procedure: Procedure, steps: list[tuple[str, Department | None, Decimal]]) -> list[str]:
    """What is wrong with these internal steps (kind, department, hours) of ``procedure`` ([] if nothing)."""
    problems = []
    kinds = [kind for kind, _department, _hours in steps]
    doubled = sorted({kind for kind in kinds if kinds.count(kind) > 1}, key=STEP_ORDER.index)
    if doubled:
        problems.append(
            _("Mỗi bước chỉ khai báo một lần: %(steps)s.")
            % {"steps": ", ".join(str(StepKind(k).label) for k in doubled)}
        )
    missing = [kind for kind in REQUIRED_STEPS if kind not in kinds]
    if missing:
        problems.append(
            _("Quy trình còn thiếu bước: %(steps)s.")
            % {"steps": ", ".join(str(StepKind(k).label) for k in missing)}
        )
    if procedure.agency_id:
        foreign = sorted(
            {d.name for _kind, d, _hours in steps if d is not None and d.agency_id != procedure.agency_id}
        )
        if foreign:
            problems.append(
                _("Đơn vị thực hiện phải thuộc cơ quan ban hành thủ tục: %(units)s.")
                % {"units": ", ".join(foreign)}
            )
    error = _sum_error(procedure, [hours for _kind, _department, hours in steps])
    if error:
        problems.append(error)
    return problems


def department_problem(procedure: Procedure, department: Department | None) -> str:
    if department is not None and procedure.agency_id and department.agency_id != procedure.agency_id:
        return _("Đơn vị giải quyết phải thuộc cơ quan ban hành thủ tục.")
    return ""


# ---------------------------------------------------------------------------------------------------
# The workbook's shape
# ---------------------------------------------------------------------------------------------------

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


def _number(value: Decimal | int) -> int | float:
    value = Decimal(value)
    return int(value) if value == value.to_integral() else float(value)


# ---------------------------------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------------------------------


def _procedure_values(p: Procedure) -> list:
    return [
        p.code,
        p.name,
        p.field.code,
        p.field.name,
        str(p.get_online_level_display()),
        _number(p.time_value),
        str(p.get_time_unit_display()),
        p.fee_amount,
        p.fee_note,
        p.result_name,
        p.legal_basis,
        p.handling_department.abbreviation if p.handling_department else "",
        yes_no(p.is_active),
    ]


def export_workbook(procedures) -> bytes:
    """The workbook of these procedures (an empty queryset gives the blank template)."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from eoffice.output import excel

    procedures = list(
        procedures.select_related("field", "handling_department").prefetch_related(
            "papers", "steps__department"
        )
    )
    wb, _first = excel.workbook(str(SHEETS[0][0]))
    sheets = []
    for index, (title, columns) in enumerate(SHEETS):
        ws = wb.active if index == 0 else wb.create_sheet(str(title))
        excel.append(ws, [str(c.header) for c in columns])
        sheets.append(ws)
    procedure_sheet, paper_sheet, step_sheet = sheets
    for p in procedures:
        excel.append(procedure_sheet, _procedure_values(p))
        for paper in p.papers.all():
            excel.append(
                paper_sheet,
                [
                    p.code,
                    paper.order,
                    paper.name,
                    str(paper.get_kind_display()),
                    paper.quantity,
                    yes_no(paper.mandatory),
                ],
            )
        for step in sorted(p.steps.all(), key=lambda s: (STEP_ORDER.index(StepKind(s.kind)), s.pk)):
            excel.append(
                step_sheet,
                [
                    p.code,
                    str(step.get_kind_display()),
                    step.name,
                    step.department.abbreviation if step.department else "",
                    _number(step.hours),
                ],
            )

    # Drop-down lists of the choice columns, from a hidden sheet (labels may hold commas).
    lists = wb.create_sheet(str(SHEET_LISTS))
    lists.sheet_state = "hidden"
    ranges = {}
    for col, choices in enumerate(
        [OnlineLevel, TimeUnit, PaperKind, StepKind, None], start=1
    ):  # None: yes/no
        labels = [str(label) for label in choices.labels] if choices else [yes_no(True), yes_no(False)]
        for row, label in enumerate(labels, start=1):
            excel.write(lists, row, col, label)
        letter = get_column_letter(col)
        ranges[choices] = f"'{lists.title}'!${letter}$1:${letter}${len(labels)}"

    header_font = Font(bold=True)
    header_fill = PatternFill("solid", fgColor="E8EEF7")
    for ws, (_title, columns) in zip(sheets, SHEETS, strict=True):
        for number, column in enumerate(columns, start=1):
            letter = get_column_letter(number)
            ws.column_dimensions[letter].width = column.width
            cell = ws.cell(row=1, column=number)
            cell.font = header_font
            cell.fill = header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="center")
            if column.kind in ("choice", "bool"):
                check = DataValidation(type="list", formula1=ranges[column.choices], allow_blank=True)
                check.add(f"{letter}2:{letter}{MAX_ROWS + 1}")
                ws.add_data_validation(check)
        for row in ws.iter_rows(min_row=2):
            for cell in row:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "B2"
    return excel.to_bytes(wb)


# ---------------------------------------------------------------------------------------------------
# Import: read, check, write
# ---------------------------------------------------------------------------------------------------


@dataclass
class PaperRow:
    order: int
    name: str
    kind: str
    quantity: int
    mandatory: bool
    row: int = 0


@dataclass
class StepRow:
    kind: str
    name: str
    department: Department | None
    hours: Decimal
    row: int = 0


@dataclass
class ProcedureRow:
    code: str
    name: str
    field_name: str
    online_level: str
    time_value: Decimal
    time_unit: str
    result_name: str
    field_code: str = ""
    fee_amount: int = 0
    fee_note: str = ""
    legal_basis: str = ""
    handling_department: Department | None = None
    is_active: bool = True
    row: int = 0
    papers: list[PaperRow] = field(default_factory=list)
    steps: list[StepRow] = field(default_factory=list)


@dataclass
class ImportResult:
    errors: list[str] = field(default_factory=list)
    created: list[Procedure] = field(default_factory=list)
    updated: list[Procedure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _where(sheet, row: int | None = None, column: Column | None = None) -> str:
    if row is None:
        return _("Sheet “%(sheet)s”") % {"sheet": sheet}
    if column is None:
        return _("Sheet “%(sheet)s”, dòng %(row)s") % {"sheet": sheet, "row": row}
    return _("Sheet “%(sheet)s”, dòng %(row)s, cột “%(column)s”") % {
        "sheet": sheet,
        "row": row,
        "column": column.header,
    }


def _key(text) -> str:
    return re.sub(r"\s+", " ", fold(str(text or "")).strip())


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return re.sub(r"[ \t]+\n", "\n", str(value)).strip()


class _Cell(ValueError):
    pass


def _decimal(value) -> Decimal:
    if isinstance(value, bool):
        raise _Cell(_("phải là một số"))
    if isinstance(value, int | float):
        number = Decimal(str(value))
    else:
        text = _text(value).replace(" ", "")
        if re.fullmatch(r"\d+,\d+", text):
            text = text.replace(",", ".")
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise _Cell(_("phải là một số")) from None
    if not number.is_finite():
        raise _Cell(_("phải là một số"))
    if number != number.quantize(Decimal("0.1")):
        raise _Cell(_("chỉ được có một chữ số thập phân"))
    return number.quantize(Decimal("0.1"))


def _int(value) -> int:
    if isinstance(value, bool):
        raise _Cell(_("phải là một số nguyên"))
    if isinstance(value, float):
        if not value.is_integer():
            raise _Cell(_("phải là một số nguyên"))
        value = int(value)
    if isinstance(value, int):
        number = value
    else:
        text = _text(value).replace(" ", "").replace(".", "")
        if not re.fullmatch(r"\d+", text):
            raise _Cell(_("phải là một số nguyên không âm"))
        number = int(text)
    if number < 0:
        raise _Cell(_("phải là một số nguyên không âm"))
    return number


YES = {"co", "x", "1", "true", "yes", "dung"}
NO = {"khong", "0", "false", "no", "sai"}


def _bool(value) -> bool:
    if isinstance(value, bool):
        return value
    key = _key(_text(value))
    if key in YES:
        return True
    if key in NO:
        return False
    raise _Cell(_("ghi “Có” hoặc “Không”"))


def _choice(value, choices) -> str:
    key = _key(_text(value))
    for code, label in choices.choices:
        if key in (_key(code), _key(label)):
            return code
    raise _Cell(
        _("phải là một trong: %(values)s") % {"values": "; ".join(str(label) for label in choices.labels)}
    )


def _at(line: tuple, index: int | None):
    return line[index] if index is not None and index < len(line) else None


class _Reader:
    """Reads the sheets into typed rows, collecting every problem with its place."""

    def __init__(self, wb, agency: Agency):
        self.wb = wb
        self.errors: list[str] = []
        self.unreadable: set[str] = set()  # sheets missing or without their columns
        self.skipped: dict[str, set[str]] = {}  # per sheet: the first-column values of rows with a bad cell
        self.units = list(Department.objects.filter(agency=agency))

    def department(self, value) -> Department | None:
        key = _key(_text(value))
        if not key:
            return None
        for unit in self.units:
            if key == _key(unit.abbreviation):
                return unit
        for unit in self.units:
            if key == _key(unit.name):
                return unit
        raise _Cell(_("không có đơn vị “%(unit)s” trong cơ quan") % {"unit": _text(value)})

    def rows(self, title, columns: list[Column]) -> list[tuple[int, dict]]:
        """[(row number, {key: typed value})] of one sheet; the good rows only (problems are collected)."""
        sheet = self._sheet(title)
        if sheet is None:
            return []
        lines = sheet.iter_rows(values_only=True)
        header = next(lines, None) or ()
        position = {_key(h): i for i, h in reversed(list(enumerate(header))) if _key(h)}
        missing = [c for c in columns if c.required and _key(c.header) not in position]
        if missing:
            self.errors.append(
                _("%(where)s: thiếu cột %(columns)s ở dòng tiêu đề.")
                % {"where": _where(title), "columns": ", ".join(f"“{c.header}”" for c in missing)}
            )
            self.unreadable.add(str(title))
            return []
        out = []
        for number, line in enumerate(lines, start=2):
            if number > MAX_ROWS + 1:
                self.errors.append(
                    _("%(where)s: có quá %(max)s dòng.") % {"where": _where(title), "max": MAX_ROWS}
                )
                break
            raw = {c.key: _at(line, position.get(_key(c.header))) for c in columns}
            if all(_text(v) == "" for v in raw.values()):
                continue
            values, good = {}, True
            for column in columns:
                try:
                    values[column.key] = self.cell(column, raw[column.key])
                except _Cell as problem:
                    self.errors.append(f"{_where(title, number, column)}: {problem}.")
                    good = False
            if good:
                out.append((number, values))
            else:
                self.skipped.setdefault(str(title), set()).add(_text(raw[columns[0].key]))
        return out

    def cell(self, column: Column, value):
        empty = _text(value) == ""
        if empty and column.required:
            raise _Cell(_("không được để trống"))
        if column.kind == "text":
            return _text(value)
        if empty:
            return {"int": None, "bool": None, "department": None}.get(column.kind)
        if column.kind == "decimal":
            return _decimal(value)
        if column.kind == "int":
            return _int(value)
        if column.kind == "bool":
            return _bool(value)
        if column.kind == "choice":
            return _choice(value, column.choices)
        return self.department(value)

    def _sheet(self, title):
        wanted = _key(title)
        for ws in self.wb.worksheets:
            if _key(ws.title) == wanted:
                return ws
        self.errors.append(_("Thiếu sheet “%(sheet)s”.") % {"sheet": title})
        self.unreadable.add(str(title))
        return None


def read_workbook(upload, *, agency: Agency) -> tuple[list[ProcedureRow], list[str], set[str]]:
    """The procedures of an uploaded workbook, the problems found while reading it, and the codes whose
    steps could not all be read (their total is not checked: it would only repeat the problem)."""
    try:
        validate_upload(upload)
        upload.seek(0)
        kind = sniff(upload.read(16), upload)
    except ValidationError:
        kind = None
    finally:
        upload.seek(0)
    if kind != "xlsx":
        return [], [_("Tệp tải lên không phải là tệp Excel (.xlsx).")], set()
    from openpyxl import load_workbook

    try:
        wb = load_workbook(upload, read_only=True, data_only=True)
    except Exception:  # a damaged file can fail in many ways inside openpyxl
        logger.info("onestop: unreadable catalogue workbook", exc_info=True)
        return [], [_("Không đọc được tệp Excel. Hãy lưu lại tệp bằng Excel (.xlsx) rồi thử lại.")], set()
    try:
        return _parse(_Reader(wb, agency))
    finally:
        wb.close()


def _parse(reader: _Reader) -> tuple[list[ProcedureRow], list[str], set[str]]:
    procedures: dict[str, ProcedureRow] = {}
    first_row: dict[str, int] = {}
    for number, v in reader.rows(SHEET_PROCEDURES, PROCEDURE_COLUMNS):
        code = v["code"]
        if code in first_row:
            reader.errors.append(
                _("%(where)s: mã thủ tục %(code)s đã có ở dòng %(first)s.")
                % {"where": _where(SHEET_PROCEDURES, number), "code": code, "first": first_row[code]}
            )
            continue
        first_row[code] = number
        procedures[code] = ProcedureRow(
            code=code,
            name=v["name"],
            field_code=v["field_code"],
            field_name=v["field_name"],
            online_level=v["online_level"],
            time_value=v["time_value"],
            time_unit=v["time_unit"],
            fee_amount=v["fee_amount"] or 0,
            fee_note=v["fee_note"],
            result_name=v["result_name"],
            legal_basis=v["legal_basis"],
            handling_department=v["handling_department"],
            is_active=True if v["is_active"] is None else v["is_active"],
            row=number,
        )
    # Codes left out of "Thủ tục" because of a bad cell: their papers and steps are not reported again.
    known = set(procedures) | reader.skipped.get(str(SHEET_PROCEDURES), set())
    for title, columns, build in (
        (SHEET_PAPERS, PAPER_COLUMNS, _paper),
        (SHEET_STEPS, STEP_COLUMNS, _step),
    ):
        for number, v in reader.rows(title, columns):
            procedure = procedures.get(v["procedure"])
            if procedure is None:
                if v["procedure"] not in known and str(SHEET_PROCEDURES) not in reader.unreadable:
                    reader.errors.append(
                        _("%(where)s: mã thủ tục %(code)s không có trong sheet “%(sheet)s”.")
                        % {"where": _where(title, number), "code": v["procedure"], "sheet": SHEET_PROCEDURES}
                    )
                continue
            build(procedure, number, v)
    return list(procedures.values()), reader.errors, reader.skipped.get(str(SHEET_STEPS), set())


def _paper(procedure: ProcedureRow, number: int, v: dict) -> None:
    procedure.papers.append(
        PaperRow(
            order=v["order"] if v["order"] is not None else len(procedure.papers) + 1,
            name=v["name"],
            kind=v["kind"],
            quantity=v["quantity"] if v["quantity"] is not None else 1,
            mandatory=True if v["mandatory"] is None else v["mandatory"],
            row=number,
        )
    )


def _step(procedure: ProcedureRow, number: int, v: dict) -> None:
    procedure.steps.append(
        StepRow(kind=v["kind"], name=v["name"], department=v["department"], hours=v["hours"], row=number)
    )


def _field_for(row: ProcedureRow, fields: dict[str, ProcedureField], codes: dict[str, ProcedureField]):
    """The field of this name (existing, or new with the given or a derived code)."""
    existing = fields.get(_key(row.field_name))
    if existing is not None:
        return existing, ""
    code = row.field_code
    if code and code.lower() in codes:
        return None, _("mã lĩnh vực %(code)s đã dùng cho lĩnh vực “%(name)s”") % {
            "code": code,
            "name": codes[code.lower()].name,
        }
    if not code:
        initials = "".join(w[0] for w in fold(row.field_name).upper().split() if w[0].isalnum())[:20] or "LV"
        code, n = initials, 1
        while code.lower() in codes:
            n += 1
            code = f"{initials}{n}"
    new = ProcedureField(code=code[:30], name=row.field_name[:255])
    fields[_key(row.field_name)] = new
    codes[new.code.lower()] = new
    return new, ""


def _model_problems(instance, exclude: list[str]) -> list[str]:
    try:
        instance.full_clean(exclude=exclude, validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        out = []
        for name, messages in exc.message_dict.items():
            label = instance._meta.get_field(name).verbose_name if name != "__all__" else ""
            out += [f"{label}: {m}" if label else m for m in messages]
        return out
    return []


def check(*, agency: Agency, procedures: list[ProcedureRow], partial: set[str] = frozenset()) -> list[str]:
    """Every problem of these rows for this agency (the workbook is then written only if there is none);
    the steps of the codes in ``partial`` are not added up (some of their rows could not be read)."""
    errors = []
    fields = {_key(f.name): f for f in ProcedureField.objects.all()}
    codes = {f.code.lower(): f for f in fields.values()}
    for row in procedures:
        where = _where(SHEET_PROCEDURES, row.row) if row.row else row.code
        field_obj, problem = _field_for(row, fields, codes)
        if problem:
            errors.append(f"{where}: {problem}.")
        if field_obj is not None and field_obj.pk is None:
            errors += [f"{where}: {p}" for p in _model_problems(field_obj, [])]
        procedure = _build(agency, row, field_obj)
        errors += [f"{where}: {p}" for p in _model_problems(procedure, ["field", "agency"])]
        unit = department_problem(procedure, row.handling_department)
        if unit:
            errors.append(f"{where}: {unit}")
        for paper in row.papers:
            paper_where = _where(SHEET_PAPERS, paper.row) if paper.row else row.code
            instance = RequiredPaper(
                order=paper.order, name=paper.name, kind=paper.kind, quantity=paper.quantity
            )
            errors += [f"{paper_where}: {p}" for p in _model_problems(instance, ["procedure"])]
        for step in row.steps:
            step_where = _where(SHEET_STEPS, step.row) if step.row else row.code
            instance = ProcedureStep(kind=step.kind, name=step.name, hours=step.hours)
            errors += [f"{step_where}: {p}" for p in _model_problems(instance, ["procedure", "department"])]
        if row.code not in partial and procedure.time_value is not None and procedure.time_value > 0:
            steps = [(s.kind, s.department, s.hours) for s in row.steps]
            steps_where = _rows_where(SHEET_STEPS, [s.row for s in row.steps if s.row])
            errors += [
                _("%(where)s (quy trình của thủ tục %(code)s): %(problem)s")
                % {"where": steps_where, "code": row.code, "problem": p}
                for p in steps_problems(procedure, steps)
            ]
    return errors


def _rows_where(sheet, rows: list[int]) -> str:
    if not rows:
        return _where(sheet)
    rows = sorted(rows)
    if rows == list(range(rows[0], rows[-1] + 1)):
        span = str(rows[0]) if len(rows) == 1 else f"{rows[0]}–{rows[-1]}"
    else:
        span = ", ".join(str(r) for r in rows)
    return _("Sheet “%(sheet)s”, dòng %(rows)s") % {"sheet": sheet, "rows": span}


def _build(agency: Agency, row: ProcedureRow, field_obj) -> Procedure:
    procedure = Procedure(agency=agency, code=row.code)
    _assign(procedure, row, field_obj)
    return procedure


def _assign(procedure: Procedure, row: ProcedureRow, field_obj) -> None:
    procedure.name = row.name
    if field_obj is not None and field_obj.pk is not None:
        procedure.field = field_obj
    procedure.online_level = row.online_level
    procedure.time_value = row.time_value
    procedure.time_unit = row.time_unit
    procedure.fee_amount = row.fee_amount
    procedure.fee_note = row.fee_note
    procedure.result_name = row.result_name
    procedure.legal_basis = row.legal_basis
    procedure.handling_department = row.handling_department
    procedure.is_active = row.is_active


def import_procedures(*, agency: Agency, procedures: list[ProcedureRow]) -> ImportResult:
    """Check, then upsert by (agency, code) in one transaction; nothing is written if anything is wrong."""
    result = ImportResult(errors=check(agency=agency, procedures=procedures))
    if result.errors:
        return result
    try:
        with transaction.atomic():
            _write(agency, procedures, result)
    except IntegrityError:
        logger.info("onestop: catalogue import collided", exc_info=True)
        result.created.clear()
        result.updated.clear()
        result.errors.append(_("Danh mục vừa được người khác thay đổi. Vui lòng nhập lại tệp."))
    return result


def _write(agency: Agency, procedures: list[ProcedureRow], result: ImportResult) -> None:
    existing = {
        p.code: p
        for p in Procedure.objects.select_for_update().filter(
            agency=agency, code__in=[row.code for row in procedures]
        )
    }
    fields = {_key(f.name): f for f in ProcedureField.objects.all()}
    codes = {f.code.lower(): f for f in fields.values()}
    for row in procedures:
        field_obj, _problem = _field_for(row, fields, codes)
        if field_obj.pk is None:
            field_obj.save()
        procedure = existing.get(row.code) or Procedure(agency=agency, code=row.code)
        created = procedure.pk is None
        _assign(procedure, row, field_obj)
        procedure.field = field_obj
        procedure.save()
        (result.created if created else result.updated).append(procedure)
        _write_papers(procedure, row.papers)
        _write_steps(procedure, row.steps)


def _write_papers(procedure: Procedure, rows: list[PaperRow]) -> None:
    """Papers are matched by name (dossiers keep their link to a paper that stays); the rest go."""
    pool: dict[str, list[RequiredPaper]] = {}
    for paper in procedure.papers.all():
        pool.setdefault(_key(paper.name), []).append(paper)
    kept = []
    for row in rows:
        matches = pool.get(_key(row.name)) or []
        paper = matches.pop(0) if matches else RequiredPaper(procedure=procedure)
        paper.order, paper.name, paper.kind = row.order, row.name, row.kind
        paper.quantity, paper.mandatory = row.quantity, row.mandatory
        paper.save()
        kept.append(paper.pk)
    procedure.papers.exclude(pk__in=kept).delete()


def _write_steps(procedure: Procedure, rows: list[StepRow]) -> None:
    current = {step.kind: step for step in procedure.steps.all()}
    procedure.steps.exclude(kind__in=[row.kind for row in rows]).delete()
    for row in rows:
        step = current.get(row.kind) or ProcedureStep(procedure=procedure, kind=row.kind)
        step.name, step.department, step.hours = row.name, row.department, row.hours
        step.save()


def import_workbook(upload, *, agency: Agency) -> ImportResult:
    """Read and import an uploaded workbook into ``agency``'s catalogue (all or nothing)."""
    procedures, errors, partial = read_workbook(upload, agency=agency)
    if not procedures and not errors:
        errors = [_("Sheet “%(sheet)s” không có thủ tục nào.") % {"sheet": SHEET_PROCEDURES}]
    if errors:
        # The rows that could be read are checked too: every problem is reported at once.
        errors += check(agency=agency, procedures=procedures, partial=partial)
        return ImportResult(errors=errors)
    return import_procedures(agency=agency, procedures=procedures)
