"""Reads of the registers: the registers a user's agency keeps. The rows of a printed register are read by
each kind's selectors (``documents.incoming.selectors.register_rows``, ``documents.outgoing.selectors``).

Secret registers (Điều 16.3, 22.4: secret documents have their own series) are listed apart, and only to
the people who handle secret documents: the clerks who register them and the leaders who direct or sign
them. Their rows are still filtered by each document's own visibility (grants on secret documents)."""

from __future__ import annotations

from django.db.models import QuerySet

from documents.registers.models import Register
from eoffice.models import Role, User


def can_see_secret_registers(user: User) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.agency_id) and user.has_role(
        Role.CLERK, Role.LEADER
    )


def registers_for(*, user: User) -> QuerySet[Register]:
    """The agency's ordinary (not secret) incoming registers: what an incoming document is filed in."""
    return Register.objects.filter(
        agency_id=user.agency_id, kind=Register.Kind.INCOMING, is_active=True, is_secret=False
    )


def printable_registers(*, user: User) -> QuerySet[Register]:
    """The registers ``user`` may print: the ordinary incoming and outgoing ones, and the secret ones for
    those who handle secret documents."""
    registers = Register.objects.filter(
        agency_id=user.agency_id,
        kind__in=[Register.Kind.INCOMING, Register.Kind.OUTGOING],
        is_active=True,
    )
    if not can_see_secret_registers(user):
        registers = registers.filter(is_secret=False)
    return registers.order_by("is_secret", "kind", "-is_default", "name")
