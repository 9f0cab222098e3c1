"""The export: the workbook of some procedures (the blank template when there is none)."""

from __future__ import annotations

from decimal import Decimal

from eoffice.output import excel
from onestop.catalogue.shape import (
    MAX_ROWS,
    SHEET_LISTS,
    SHEETS,
    yes_no,
)
from onestop.models import STEP_ORDER, OnlineLevel, PaperKind, Procedure, StepKind, TimeUnit


def _number(value: Decimal | int) -> int | float:
    value = Decimal(value)
    return int(value) if value == value.to_integral() else float(value)


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
    procedures = list(
        procedures.select_related("field", "handling_department").prefetch_related(
            "papers", "steps__department"
        )
    )
    wb, first = excel.workbook(str(SHEETS[0][0]))
    sheets = []
    for index, (title, columns) in enumerate(SHEETS):
        ws = first if index == 0 else excel.add_sheet(wb, str(title))
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
    choices = [OnlineLevel, TimeUnit, PaperKind, StepKind, None]  # None: yes/no
    lists = [[str(label) for label in c.labels] if c else [yes_no(True), yes_no(False)] for c in choices]
    ranges = dict(zip(choices, excel.hidden_lists(wb, str(SHEET_LISTS), lists), strict=True))

    for ws, (_title, columns) in zip(sheets, SHEETS, strict=True):
        excel.widths(ws, [column.width for column in columns])
        excel.header_row(ws, columns=len(columns))
        for number, column in enumerate(columns, start=1):
            if column.kind in ("choice", "bool"):
                excel.dropdown(
                    ws, column=number, source=ranges[column.choices], first_row=2, last_row=MAX_ROWS + 1
                )
        excel.wrap_body(ws, first_row=2)
        excel.freeze(ws, "B2")
    return excel.to_bytes(wb)
