"""Reads of the case queue, the menu counter and the dashboard widget: the deadline status of a case derived
in SQL (as the workflow engine derives it for other records), "my cases", the counts by status. Visibility
is always ``rules.visible_q`` inside the query."""

from __future__ import annotations

from datetime import datetime

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Subquery
from django.db.models.lookups import IsNull
from django.utils import timezone

from documents.search.sources import sql_fold
from eoffice.search import fold
from workflow.models import DeadlineStatus, deadline_status_expression, deadline_status_q

from . import rules
from .models import OPEN_CASE_STATES, Case, CaseMember, CaseState, Identity

# A kept letter followed up by a date runs a clock too (lưu đơn, theo dõi: the follow-up date).
OPEN_Q = Q(state__in=OPEN_CASE_STATES) | Q(state=CaseState.KEPT, due_at__isnull=False)
# A suspended case keeps its paused_at until it continues; its clock does not run.
PAUSED_Q = Q(paused_at__isnull=False) | Q(state=CaseState.SUSPENDED)
PAGE_SIZE = 25
# The statuses of the widget and of the queue's filter, in the order they are shown.
STATUSES = (
    DeadlineStatus.OVERDUE,
    DeadlineStatus.DUE_SOON,
    DeadlineStatus.ON_TIME,
    DeadlineStatus.PAUSED,
    DeadlineStatus.NO_DEADLINE,
    DeadlineStatus.DONE,
)


def with_deadline_status(qs: QuerySet[Case], now: datetime | None = None) -> QuerySet[Case]:
    return qs.annotate(
        deadline_status=deadline_status_expression(
            now=now or timezone.now(), open_q=OPEN_Q, paused_q=PAUSED_Q
        )
    )


def status_q(status: str, now: datetime | None = None) -> Q:
    return deadline_status_q(status, now=now or timezone.now(), open_q=OPEN_Q, paused_q=PAUSED_Q)


def mine_q(user) -> Q:
    """The cases the person works on: handler, or a member of the verification team."""
    member = CaseMember.objects.filter(case_id=OuterRef("pk"), user_id=user.pk, removed_at__isnull=True)
    return Q(handler_id=user.pk) | Q(Exists(member))


def visible(user) -> QuerySet[Case]:
    return Case.objects.filter(rules.visible_q(user))


def may_open_queue(user) -> bool:
    """Officers and deciders of an agency, and whoever handles, verifies or heads the unit of a case."""
    if not getattr(user, "is_authenticated", False) or not user.agency_id:
        return False
    return rules.is_staff_of(user) or visible(user).exists()


def attention_count(user) -> int:
    """The menu's badge: the open cases the person sees whose deadline is near or past (one query)."""
    if not getattr(user, "is_authenticated", False) or not user.agency_id:
        return 0
    now = timezone.now()
    urgent = status_q(DeadlineStatus.DUE_SOON, now) | status_q(DeadlineStatus.OVERDUE, now)
    return visible(user).filter(urgent).count()


def attention_rows(user, n: int) -> list[tuple[str, str]]:
    """The dashboard card's preview: the first cases due (code and kind only — never a person)."""
    now = timezone.now()
    urgent = status_q(DeadlineStatus.DUE_SOON, now) | status_q(DeadlineStatus.OVERDUE, now)
    rows = visible(user).filter(urgent).order_by("due_at", "pk").only("pk", "code", "kind")[:n]
    return [(f"{c.code} · {c.get_kind_display()}", c.get_absolute_url()) for c in rows]


def my_counts(user) -> dict[str, int]:
    """The person's own open cases by deadline status (one query)."""
    now = timezone.now()
    aggregates = {
        status: Count("pk", filter=status_q(status, now))
        for status in STATUSES
        if status != DeadlineStatus.DONE
    }
    return visible(user).filter(mine_q(user), OPEN_Q).aggregate(**aggregates)


def word_q(word: str) -> Q:
    """A case whose code, subject or content (the stored folded ``search_text``) or the display name of an
    unprotected person of its letter holds ``word``, folded (a protected person has no display name)."""
    folded = fold(word)
    names = (
        Identity.objects.filter(letter_id=OuterRef("letter_id"), protected=False)
        .exclude(display_name="")
        .annotate(_folded=sql_fold(F("display_name")))
        .filter(_folded__contains=folded)
        .values("pk")[:1]
    )
    # A correlated scalar subquery, not EXISTS: inside the OR, PostgreSQL hashes an EXISTS over the folded
    # names of every identity of the installation (1.4 s at province scale); this reads only the candidate
    # case's letter's people through their letter index (bench/results/complaints-10k.md).
    return Q(search_text__contains=folded) | Q(IsNull(Subquery(names), False))
