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

By sub-domain: ``shape`` (sheets and columns), ``export``, ``parse`` (read an upload into typed rows),
``importer`` (check against the database, write all or nothing), ``validation`` (the checks the admin
shares). The workbook is written and read through ``eoffice.output.excel``, never openpyxl directly.
"""

from onestop.catalogue.export import export_workbook
from onestop.catalogue.importer import ImportResult, check, import_procedures, import_workbook
from onestop.catalogue.parse import PaperRow, ProcedureRow, StepRow, read_workbook
from onestop.catalogue.shape import (
    MAX_ROWS,
    PAPER_COLUMNS,
    PROCEDURE_COLUMNS,
    SHEET_LISTS,
    SHEET_PAPERS,
    SHEET_PROCEDURES,
    SHEET_STEPS,
    SHEETS,
    STEP_COLUMNS,
    Column,
    yes_no,
)
from onestop.catalogue.validation import REQUIRED_STEPS, department_problem, hours_text, steps_problems

__all__ = [
    "MAX_ROWS",
    "PAPER_COLUMNS",
    "PROCEDURE_COLUMNS",
    "REQUIRED_STEPS",
    "SHEETS",
    "SHEET_LISTS",
    "SHEET_PAPERS",
    "SHEET_PROCEDURES",
    "SHEET_STEPS",
    "STEP_COLUMNS",
    "Column",
    "ImportResult",
    "PaperRow",
    "ProcedureRow",
    "StepRow",
    "check",
    "department_problem",
    "export_workbook",
    "hours_text",
    "import_procedures",
    "import_workbook",
    "read_workbook",
    "steps_problems",
    "yes_no",
]
