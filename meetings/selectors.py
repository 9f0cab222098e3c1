"""Reads of the meetings module that more than one page needs: the access helper and the visible set."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from eoffice.models import User

from . import rules
from .models import Meeting

DETAIL_RELATED = ("agency", "department", "room", "chair", "organiser", "contact", "approved_by")


def visible(user: User) -> QuerySet[Meeting]:
    return Meeting.objects.filter(rules.visible_q(user))


def meeting_access(*, user: User, pk: int, lock: bool = False) -> Meeting:
    """One meeting the user may open, with what its page shows joined; the same 404 for missing and for
    not the user's to see. ``lock`` locks its row until the end of the caller's transaction."""
    qs = visible(user).select_related(*DETAIL_RELATED)
    if lock:
        qs = qs.select_for_update(of=("self",))
    return get_object_or_404(qs, pk=pk)
