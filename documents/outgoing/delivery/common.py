"""What the delivery modules share: the sender's page link, a document's label in titles, the people
to tell per agency or unit, the recipients' default registers, the attachment's file name."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable

from django.urls import NoReverseMatch

from documents.models import (
    Register,
    Urgency,
)
from documents.outgoing.models import (
    OutgoingDocument,
)
from documents.registers import numbering
from eoffice.models import Role, User


def outgoing_url(document: OutgoingDocument) -> str:
    try:
        return document.get_absolute_url()
    except NoReverseMatch:  # the outgoing pages are not installed
        return ""


def label(*, urgency: int, number_symbol: str, summary: str) -> str:
    prefix = f"[{Urgency(urgency).label}] " if urgency > Urgency.NORMAL else ""
    return f"{prefix}{number_symbol} — {summary[:120]}"


def users_by_agency(agency_ids: Iterable[int], role: str) -> dict[int, list[User]]:
    """Active people holding ``role`` in each agency, in one query."""
    ids = {a for a in agency_ids if a}
    found: dict[int, list[User]] = defaultdict(list)
    if not ids:
        return found
    for user in User.objects.filter(
        agency_id__in=ids, is_active=True, groups__agency_role__role=role
    ).distinct():
        found[user.agency_id].append(user)
    return found


def heads_by_department(department_ids: Iterable[int]) -> dict[int, list[User]]:
    ids = {d for d in department_ids if d}
    found: dict[int, list[User]] = defaultdict(list)
    if not ids:
        return found
    for user in User.objects.filter(
        department_id__in=ids, is_active=True, groups__agency_role__role=Role.DEPARTMENT_HEAD
    ).distinct():
        found[user.department_id].append(user)
    return found


def default_registers(agencies) -> dict[int, Register]:
    """Each recipient agency's default incoming register: one query, created where missing."""
    registers = {
        r.agency_id: r
        for r in Register.objects.filter(
            agency_id__in=[a.pk for a in agencies], kind=Register.Kind.INCOMING, is_default=True
        )
    }
    for agency in agencies:
        if agency.pk not in registers:
            registers[agency.pk] = numbering.default_register(agency=agency)
    return registers


def attachment_name(number_symbol: str) -> str:
    name = re.sub(r"[\\/:*?\"<>|\s]+", "-", number_symbol.strip()).strip("-") or "van-ban"
    return f"{name[:200]}.pdf"
