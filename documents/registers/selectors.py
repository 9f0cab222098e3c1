"""Reads of the registers: the registers a user's agency keeps. The rows of a printed register are read by
each kind's selectors (``documents.incoming.selectors.register_rows``, ``documents.outgoing.selectors``)."""

from __future__ import annotations

from django.db.models import QuerySet

from documents.registers.models import Register
from eoffice.models import User


def registers_for(*, user: User) -> QuerySet[Register]:
    return Register.objects.filter(agency_id=user.agency_id, kind=Register.Kind.INCOMING, is_active=True)
