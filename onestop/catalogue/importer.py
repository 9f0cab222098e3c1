"""The import's second half: check the rows against the database, then write them all or nothing."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from eoffice.models import Agency
from eoffice.search import fold
from onestop.catalogue.parse import PaperRow, ProcedureRow, StepRow, read_workbook
from onestop.catalogue.shape import SHEET_PAPERS, SHEET_PROCEDURES, SHEET_STEPS, match_key, place
from onestop.catalogue.validation import department_problem, steps_problems
from onestop.models import Procedure, ProcedureField, ProcedureStep, RequiredPaper

logger = logging.getLogger(__name__)


@dataclass
class ImportResult:
    errors: list[str] = field(default_factory=list)
    created: list[Procedure] = field(default_factory=list)
    updated: list[Procedure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


def _field_for(row: ProcedureRow, fields: dict[str, ProcedureField], codes: dict[str, ProcedureField]):
    """The field of this name (existing, or new with the given or a derived code)."""
    existing = fields.get(match_key(row.field_name))
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
    fields[match_key(row.field_name)] = new
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
    fields = {match_key(f.name): f for f in ProcedureField.objects.all()}
    codes = {f.code.lower(): f for f in fields.values()}
    for row in procedures:
        where = place(SHEET_PROCEDURES, row.row) if row.row else row.code
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
            paper_where = place(SHEET_PAPERS, paper.row) if paper.row else row.code
            instance = RequiredPaper(
                order=paper.order, name=paper.name, kind=paper.kind, quantity=paper.quantity
            )
            errors += [f"{paper_where}: {p}" for p in _model_problems(instance, ["procedure"])]
        for step in row.steps:
            step_where = place(SHEET_STEPS, step.row) if step.row else row.code
            instance = ProcedureStep(kind=step.kind, name=step.name, hours=step.hours)
            errors += [f"{step_where}: {p}" for p in _model_problems(instance, ["procedure", "department"])]
        if row.code not in partial and procedure.time_value is not None and procedure.time_value > 0:
            steps = [(s.kind, s.department, s.hours) for s in row.steps]
            steps_where = _rows_place(SHEET_STEPS, [s.row for s in row.steps if s.row])
            errors += [
                _("%(where)s (quy trình của thủ tục %(code)s): %(problem)s")
                % {"where": steps_where, "code": row.code, "problem": p}
                for p in steps_problems(procedure, steps)
            ]
    return errors


def _rows_place(sheet, rows: list[int]) -> str:
    if not rows:
        return place(sheet)
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
    fields = {match_key(f.name): f for f in ProcedureField.objects.all()}
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
        pool.setdefault(match_key(paper.name), []).append(paper)
    kept = []
    for row in rows:
        matches = pool.get(match_key(row.name)) or []
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
