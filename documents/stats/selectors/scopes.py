"""The scopes of the statistics (agency, unit, person) and who may see which."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.http import Http404
from django.utils.translation import gettext as _

from eoffice.models import Agency, Department, Role, User


@dataclass(frozen=True)
class Scope:
    level: str  # "agency", "unit" or "person"
    agency: Agency
    unit: Department | None = None  # level "unit" with no unit: the parts of people of no unit
    person: User | None = None

    @property
    def key(self) -> str:
        if self.level == "unit":
            return f"unit-{self.unit.pk if self.unit else 'none'}"
        if self.level == "person":
            return f"person-{self.person.pk}"
        return "agency"

    @property
    def name(self) -> str:
        if self.level == "unit":
            return self.unit.name if self.unit else str(_("Không thuộc đơn vị nào"))
        if self.level == "person":
            return self.person.get_full_name()
        return self.agency.name


def sees_agency(user: User) -> bool:
    """Leaders and clerks (and a superuser of an agency) see the whole agency, its units and people."""
    return bool(user.agency_id) and (user.is_superuser or user.has_role(Role.LEADER, Role.CLERK))


def headed_unit(user: User) -> int | None:
    return user.department_id if user.department_id and user.has_role(Role.DEPARTMENT_HEAD) else None


def default_scope_key(user: User) -> str:
    if sees_agency(user):
        return "agency"
    if headed_unit(user):
        return f"unit-{user.department_id}"
    return f"person-{user.pk}"


_SCOPE_RE = re.compile(r"(unit|person)-([0-9]{1,12}|none)")


def resolve_scope(user: User, key: str = "") -> Scope | None:
    """The scope ``key`` if the user may see it; None for a user of no agency asking nothing; else 404.

    Nobody sees another agency; a head sees their unit and its people; anyone else only themselves.
    """
    if not user.agency_id:
        if key:
            raise Http404
        return None
    key = key or default_scope_key(user)
    agency = user.agency
    wide = sees_agency(user)
    if key == "agency":
        if not wide:
            raise Http404
        return Scope("agency", agency)
    match = _SCOPE_RE.fullmatch(key)
    if not match:
        raise Http404
    level, ident = match.groups()
    if level == "unit":
        if ident == "none":
            if not wide:
                raise Http404
            return Scope("unit", agency)
        unit = Department.objects.filter(pk=int(ident), agency_id=agency.pk).first()
        if unit is None or not (wide or headed_unit(user) == unit.pk):
            raise Http404
        return Scope("unit", agency, unit=unit)
    if ident == "none":
        raise Http404
    person = User.objects.filter(pk=int(ident), agency_id=agency.pk).select_related("department").first()
    if person is None:
        raise Http404
    allowed = (
        wide or person.pk == user.pk or (headed_unit(user) and headed_unit(user) == person.department_id)
    )
    if not allowed:
        raise Http404
    return Scope("person", agency, person=person)


def parent_scopes(user: User, scope: Scope) -> list[Scope]:
    """The scopes above ``scope`` that the user may open (the breadcrumb)."""
    chain = []
    if scope.level != "agency" and sees_agency(user):
        chain.append(Scope("agency", scope.agency))
    if scope.level == "person":
        unit = scope.person.department
        if unit and (sees_agency(user) or headed_unit(user) == unit.pk):
            chain.append(Scope("unit", scope.agency, unit=unit))
    return chain


def scope_choices(user: User) -> list[tuple[str, str]]:
    """The scopes offered in the chooser: agency and its units, or the head's unit and its people."""
    if not user.agency_id:
        return []
    if sees_agency(user):
        choices = [("agency", _("Toàn cơ quan"))]
        for unit, depth in units_in_order(user.agency_id):
            if unit.is_active:
                choices.append((f"unit-{unit.pk}", ("— " * (depth + 1)) + unit.name))
        choices.append(("unit-none", "— " + _("Không thuộc đơn vị nào")))
        return choices
    unit_id = headed_unit(user)
    if unit_id:
        choices = [(f"unit-{unit_id}", str(user.department))]
        for person in User.objects.filter(department_id=unit_id, is_active=True).order_by("full_name"):
            choices.append((f"person-{person.pk}", "— " + person.get_full_name()))
        return choices
    return [(f"person-{user.pk}", user.get_full_name())]


def units_in_order(agency_id: int) -> list[tuple[Department, int]]:
    """Every unit of the agency, each top-level one followed by its sub-units."""
    units = list(Department.objects.filter(agency_id=agency_id).order_by("order", "name"))
    children: dict[int | None, list[Department]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    ordered = []
    for unit in children.get(None, []):
        ordered.append((unit, 0))
        ordered += [(child, 1) for child in children.get(unit.pk, [])]
    known = {u.pk for u, _depth in ordered}
    ordered += [(u, 0) for u in units if u.pk not in known]
    return ordered
