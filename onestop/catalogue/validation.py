"""The checks every catalogue write shares: the admin's forms and the workbook import."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from eoffice.models import Department
from onestop.models import STEP_ORDER, Procedure, StepKind

REQUIRED_STEPS = [kind for kind in STEP_ORDER if kind != StepKind.REVIEW]


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
