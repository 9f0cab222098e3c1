"""Reads of the complaints module that more than one page needs: the access helpers and the visible sets.
Each raises the same 404 for "missing" and "not yours"; ``lock`` locks the row until the end of the
caller's transaction."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from eoffice.models import User

from . import rules
from .models import Case, Letter, ReceptionSession, Visit

CASE_RELATED = (
    "agency",
    "letter",
    "handler",
    "department",
    "decider",
    "due_rule",
    "previous",
    "duplicate_of",
)


def visible_cases(user: User) -> QuerySet[Case]:
    return Case.objects.filter(rules.visible_q(user))


def visible_letters(user: User) -> QuerySet[Letter]:
    return Letter.objects.filter(rules.letter_visible_q(user))


def visible_visits(user: User) -> QuerySet[Visit]:
    """The sổ tiếp công dân: the agency's officers and deciders."""
    if not rules.is_staff_of(user):
        return Visit.objects.none()
    return Visit.objects.filter(agency_id=user.agency_id)


def case_access(*, user: User, pk: int, lock: bool = False) -> Case:
    qs = visible_cases(user).select_related(*CASE_RELATED)
    if lock:
        qs = qs.select_for_update(of=("self",))
    return get_object_or_404(qs, pk=pk)


def letter_access(*, user: User, pk: int, lock: bool = False) -> Letter:
    qs = visible_letters(user).select_related("agency", "received_by", "decider", "visit", "duplicate_of")
    if lock:
        qs = qs.select_for_update(of=("self",))
    return get_object_or_404(qs, pk=pk)


def visit_access(*, user: User, pk: int, lock: bool = False) -> Visit:
    qs = visible_visits(user).select_related("agency", "officer", "session")
    if lock:
        qs = qs.select_for_update(of=("self",))
    return get_object_or_404(qs, pk=pk)


def session_access(*, user: User, pk: int, lock: bool = False) -> ReceptionSession:
    """A reception session of the user's agency (any signed-in member of it may read the schedule)."""
    if not getattr(user, "is_authenticated", False) or not user.agency_id:
        raise Http404
    qs = ReceptionSession.objects.filter(agency_id=user.agency_id).select_related("leader")
    if lock:
        qs = qs.select_for_update(of=("self",))
    return get_object_or_404(qs, pk=pk)
