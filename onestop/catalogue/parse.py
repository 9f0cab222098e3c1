"""The import's first half: read an uploaded workbook into typed rows, every problem with its place."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from eoffice.models import Agency, Department
from eoffice.output import excel
from onestop.catalogue.shape import (
    MAX_ROWS,
    PAPER_COLUMNS,
    PROCEDURE_COLUMNS,
    SHEET_PAPERS,
    SHEET_PROCEDURES,
    SHEET_STEPS,
    STEP_COLUMNS,
    Column,
    match_key,
    place,
)
from workflow.files import sniff, validate_upload

logger = logging.getLogger(__name__)


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
    key = match_key(_text(value))
    if key in YES:
        return True
    if key in NO:
        return False
    raise _Cell(_("ghi “Có” hoặc “Không”"))


def _choice(value, choices) -> str:
    key = match_key(_text(value))
    for code, label in choices.choices:
        if key in (match_key(code), match_key(label)):
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
        key = match_key(_text(value))
        if not key:
            return None
        for unit in self.units:
            if key == match_key(unit.abbreviation):
                return unit
        for unit in self.units:
            if key == match_key(unit.name):
                return unit
        raise _Cell(_("không có đơn vị “%(unit)s” trong cơ quan") % {"unit": _text(value)})

    def rows(self, title, columns: list[Column]) -> list[tuple[int, dict]]:
        """[(row number, {key: typed value})] of one sheet; the good rows only (problems are collected)."""
        sheet = self._sheet(title)
        if sheet is None:
            return []
        lines = excel.rows(sheet)
        header = next(lines, None) or ()
        position = {match_key(h): i for i, h in reversed(list(enumerate(header))) if match_key(h)}
        missing = [c for c in columns if c.required and match_key(c.header) not in position]
        if missing:
            self.errors.append(
                _("%(where)s: thiếu cột %(columns)s ở dòng tiêu đề.")
                % {"where": place(title), "columns": ", ".join(f"“{c.header}”" for c in missing)}
            )
            self.unreadable.add(str(title))
            return []
        out = []
        for number, line in enumerate(lines, start=2):
            if number > MAX_ROWS + 1:
                self.errors.append(
                    _("%(where)s: có quá %(max)s dòng.") % {"where": place(title), "max": MAX_ROWS}
                )
                break
            raw = {c.key: _at(line, position.get(match_key(c.header))) for c in columns}
            if all(_text(v) == "" for v in raw.values()):
                continue
            values, good = {}, True
            for column in columns:
                try:
                    values[column.key] = self.cell(column, raw[column.key])
                except _Cell as problem:
                    self.errors.append(f"{place(title, number, column)}: {problem}.")
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
        wanted = match_key(title)
        for ws in excel.sheets(self.wb):
            if match_key(ws.title) == wanted:
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
    try:
        wb = excel.load(upload.read())
    except excel.UnreadableWorkbook:
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
                % {"where": place(SHEET_PROCEDURES, number), "code": code, "first": first_row[code]}
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
                        % {"where": place(title, number), "code": v["procedure"], "sheet": SHEET_PROCEDURES}
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
