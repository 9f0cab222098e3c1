"""Who may do what with a file plan, and the numerals of its headings and files (no queries but roles)."""

from __future__ import annotations

from documents.records.models import FilePlan, FilePlanEntry
from eoffice.models import Role, User

# The office drafts the plan; these read every plan of their agency, drafts included.
DRAFTERS = frozenset({Role.CLERK, Role.AGENCY_ADMIN})
READERS = DRAFTERS | {Role.LEADER, Role.ARCHIVIST, Role.DEPARTMENT_HEAD}

_ROMAN = (
    (1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
    (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"),
)  # fmt: skip


def roman(number: int) -> str:
    """1 → "I", 14 → "XIV" (large headings are numbered in Roman numerals, Phụ lục V I.1)."""
    out = []
    for value, letters in _ROMAN:
        count, number = divmod(number, value)
        out.append(letters * count)
    return "".join(out)


def entry_code(number: int, abbreviation: str) -> str:
    """Số và ký hiệu hồ sơ: the number on two digits and the large heading's abbreviation ("01.TCCB")."""
    abbreviation = (abbreviation or "").strip()
    return f"{number:02d}.{abbreviation}" if abbreviation else f"{number:02d}"


def in_agency(user: User, agency_id: int) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.agency_id == agency_id)


def can_draft(user: User, agency_id: int | None = None) -> bool:
    """The office of the agency: clerks and agency admins."""
    agency_id = agency_id if agency_id is not None else getattr(user, "agency_id", None)
    return bool(agency_id) and in_agency(user, agency_id) and user.has_role(*DRAFTERS)


def reads_all(user: User) -> bool:
    """Sees the drafts as well as the approved plans of the agency."""
    return bool(getattr(user, "agency_id", None)) and user.has_role(*READERS)


def can_edit(user: User, plan: FilePlan) -> bool:
    return plan.status == FilePlan.Status.DRAFT and can_draft(user, plan.agency_id)


def can_open_file(user: User, entry: FilePlanEntry, plan: FilePlan) -> bool:
    """ "Mở hồ sơ" from an approved plan's entry: the person responsible, the people of its unit, clerks."""
    if plan.status != FilePlan.Status.APPROVED or not in_agency(user, plan.agency_id):
        return False
    if entry.responsible_id == user.pk or user.has_role(Role.CLERK):
        return True
    return bool(entry.department_id) and entry.department_id == user.department_id
