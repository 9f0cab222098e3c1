"""Reads of the documents pages, filtered inside the SQL to what the user may see.

Who sees an incoming document (all within the user's own agency):
- normal documents: the clerks and leaders of the agency; the people assigned (lead, coordinate, for
  information, forwarded), the heads of the units assigned or of the people assigned; the person who
  received it;
- secret documents (độ mật): only people granted explicitly (direct-FK guardian tables), never anyone
  else, not even as a count.

A document recalled by its sender (``recalled_at``) stays visible to the same people (by its URL, in the
"recalled" list) but leaves every other list, queue and counter.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from documents.common import Confidentiality
from documents.incoming.models import (
    INCOMING_OPEN_Q,
    INCOMING_OPEN_STATES,
    IncomingDocument,
    IncomingDocumentGroupObjectPermission,
    IncomingDocumentUserObjectPermission,
    incoming_content_type,
)
from documents.registers.models import Register
from documents.search.query import matches_q
from eoffice.db import count_each
from eoffice.models import Role, User
from eoffice.search import fold
from workflow.models import (
    Assignment,
    DeadlineStatus,
    WorkflowState,
    deadline_status_expression,
    deadline_status_q,
    held_by_q,
)

VIEW_PERMISSION = "view_incomingdocument"


# Every filter below is an uncorrelated ``pk IN (SELECT …)``: PostgreSQL computes the small set once (from
# the assignment, grant and receipt indexes) and joins it, instead of probing a correlated EXISTS for every
# document of the agency — the difference between 1 ms and 1 s for an officer of an agency with 50,000
# documents (bench/results/pages.md).


def _granted_ids(user: User) -> QuerySet:
    by_user = IncomingDocumentUserObjectPermission.objects.filter(
        user_id=user.pk, permission__codename=VIEW_PERMISSION
    )
    by_group = IncomingDocumentGroupObjectPermission.objects.filter(
        group__user=user.pk, permission__codename=VIEW_PERMISSION
    )
    return (
        by_user.values("content_object_id").order_by().union(by_group.values("content_object_id"), all=True)
    )


def _held_ids(user: User) -> QuerySet:
    """Documents with a part held by the user, by their unit (as its head), or by a person of that unit."""
    holder = held_by_q(user)
    if user.department_id and user.has_role(Role.DEPARTMENT_HEAD):
        holder |= Q(department_id=user.department_id)
    return (
        Assignment.objects.filter(holder, content_type=incoming_content_type()).values("object_id").order_by()
    )


def _candidate_ids(user: User) -> QuerySet:
    """Everything a person who is neither clerk nor leader might see: held, received, or granted."""
    received = IncomingDocument.objects.filter(received_by_id=user.pk).values("pk").order_by()
    return _held_ids(user).union(received, _granted_ids(user), all=True)


def _involved_probe(user: User) -> Q:
    """The same people as ``_candidate_ids``, checked row by row (correlated EXISTS on the assignment
    index): cheaper when the caller's filter leaves few rows, e.g. the agency's overdue documents."""
    holder = held_by_q(user)
    if user.department_id and user.has_role(Role.DEPARTMENT_HEAD):
        holder |= Q(department_id=user.department_id)
    held = Assignment.objects.filter(holder, content_type=incoming_content_type(), object_id=OuterRef("pk"))
    return Q(Exists(held)) | Q(received_by_id=user.pk) | Q(pk__in=_granted_ids(user))


def visible_q(user: User, *, scope: str = "") -> Q:
    """What ``user`` may see, as a filter PostgreSQL can serve from indexes at any size.

    ``scope`` says what the caller's own filter already does, so that the check of a person's involvement
    takes the cheap shape: "held" — it keeps only documents where the user holds a part (the todo,
    progress and info queues), so no further check is needed; "few" — it leaves few rows (the overdue
    queue, read from its partial index), so each is probed; otherwise the set of the documents the person
    is involved in is computed once and joined."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    normal = Q(confidentiality=Confidentiality.NORMAL)
    granted = Q(pk__in=_granted_ids(user))
    if user.is_superuser:
        return normal | granted
    if not user.agency_id:
        return Q(pk__in=[])
    agency = Q(agency_id=user.agency_id)
    if user.has_role(Role.CLERK):
        return agency & (normal | granted)
    if user.has_role(Role.LEADER):
        return agency & ((normal & ~Q(state=WorkflowState.NEW)) | granted)
    if scope == "held":
        return agency & (normal | granted)
    if scope == "few":
        return agency & _involved_probe(user) & (normal | granted)
    return agency & Q(pk__in=_candidate_ids(user)) & (normal | granted)


def visible_incoming(user: User, *, queue: str = "") -> QuerySet[IncomingDocument]:
    scope = "held" if queue in HELD_QUEUES else "few" if queue in FEW_QUEUES else ""
    return IncomingDocument.objects.filter(visible_q(user, scope=scope))


# --- queues --------------------------------------------------------------------------------------

# Queues whose filter keeps only documents where the user holds a part (so they may see them).
HELD_QUEUES = ("todo", "progress", "info")
# Queues read from a partial index that leaves few rows (the agency's open documents past their deadline).
FEW_QUEUES = ("overdue",)
QUEUES = ("register", "direction", "todo", "progress", "done", "overdue", "info", "all", "recalled")

# Not recalled by its sender: the documents of every active list, queue and counter.
ACTIVE_Q = Q(recalled_at__isnull=True)


def _my_open_parts(user: User) -> QuerySet:
    """Documents where the user holds an open lead/coordinate part not handed on (ids, uncorrelated)."""
    return (
        Assignment.objects.filter(content_type=incoming_content_type())
        .filter(held_by_q(user), status=Assignment.Status.OPEN)
        .exclude(role=Assignment.Kind.INFORM)
        .exclude(children__status=Assignment.Status.OPEN)
        .values("object_id")
        .order_by()
    )


def queue_q(user: User, queue: str, *, now: datetime | None = None) -> Q:
    if queue == "recalled":
        return Q(recalled_at__isnull=False)
    return ACTIVE_Q & _queue_q(user, queue, now=now or timezone.now())


def _queue_q(user: User, queue: str, *, now: datetime) -> Q:
    if queue == "register":
        return Q(state=WorkflowState.NEW) if user.has_role(Role.CLERK) else Q(pk__in=[])
    if queue == "direction":
        if not user.has_role(Role.LEADER):
            return Q(pk__in=[])
        return Q(state=WorkflowState.RECEIVED) & (
            Q(directing_leader__isnull=True) | Q(directing_leader_id=user.pk) | Q(delegated_by_id=user.pk)
        )
    if queue == "todo":
        return Q(state=WorkflowState.ASSIGNED) & Q(pk__in=_my_open_parts(user))
    if queue == "progress":
        return Q(state=WorkflowState.PROCESSING) & Q(pk__in=_my_open_parts(user))
    if queue == "done":
        return Q(state=WorkflowState.ARCHIVED)
    if queue == "overdue":
        return deadline_status_q(DeadlineStatus.OVERDUE, now=now, open_q=INCOMING_OPEN_Q)
    if queue == "info":
        return Q(pk__in=_informed(user))
    return Q()


def _informed(user: User, **filters) -> QuerySet:
    return (
        Assignment.objects.filter(
            held_by_q(user), content_type=incoming_content_type(), role=Assignment.Kind.INFORM, **filters
        )
        .values("object_id")
        .order_by()
    )


def _count_q(user: User, queue: str, now: datetime) -> Q:
    """The filter behind a queue's badge ("info" counts only the parts not yet closed)."""
    if queue == "info":
        return ACTIVE_Q & Q(pk__in=_informed(user, status=Assignment.Status.OPEN))
    return queue_q(user, queue, now=now)


BADGE_QUEUES = ("register", "direction", "todo", "progress", "overdue", "info")


def queue_counts(
    user: User, queues: tuple[str, ...] = BADGE_QUEUES, *, fresh: bool = False
) -> dict[str, int]:
    """The counts of ``queues`` in one round trip (``eoffice.db.count_each``: one COUNT per queue, each
    planned on its own index). The badges (the default queues) are counted once per request — the menu and
    the dashboard both ask — and kept on the user object, which lives as long as the request."""
    keep = not fresh and queues == BADGE_QUEUES
    if keep and (kept := getattr(user, "_incoming_queue_counts", None)) is not None:
        return kept
    counts = dict.fromkeys(queues, 0)
    if user.agency_id or user.is_superuser:
        now = timezone.now()
        qs = {key: visible_incoming(user, queue=key).filter(_count_q(user, key, now)) for key in queues}
        counts.update(count_each(qs))
    if keep:
        user._incoming_queue_counts = counts
    return counts


def queue_count(user: User, queue: str) -> int:
    """One queue counted now, by the same query as its badge."""
    return queue_counts(user, (queue,), fresh=True)[queue]


SORTS = {
    "received": ("received_at", "id"),
    "-received": ("-received_at", "-id"),
    "number": ("year", "number", "id"),
    "-number": ("-year", "-number", "-id"),
    "due": (F("due_at").asc(nulls_last=True), "-id"),
    "urgency": ("-urgency", "received_at", "id"),
    "-recalled": ("-recalled_at", "-id"),
}
DEFAULT_SORT = {
    "direction": "urgency",
    "overdue": "due",
    "todo": "urgency",
    "progress": "due",
    "recalled": "-recalled",
}


def _lead_name():
    leads = (
        Assignment.objects.filter(
            content_type=incoming_content_type(), object_id=OuterRef("pk"), role=Assignment.Kind.LEAD
        )
        .exclude(status=Assignment.Status.CANCELLED)
        .order_by("-parent_id", "-id")
    )
    return Coalesce(
        Subquery(leads.filter(assignee__isnull=False).values("assignee__full_name")[:1]),
        Subquery(leads.values("department__name")[:1]),
        Value(""),
    )


# Whose deadline runs: the open documents, and those received but not yet registered (the clerk's "Chờ vào
# sổ" queue: the deadline runs from receipt, and one already past it shows "Quá hạn" there too).
DEADLINE_RUNNING_Q = Q(state__in=(WorkflowState.NEW, *INCOMING_OPEN_STATES))


def with_deadline_status(qs: QuerySet, now: datetime | None = None) -> QuerySet:
    """The deadline status of each document, in the SQL (every list and queue shows it, no query per row)."""
    return qs.annotate(deadline_status=deadline_status_expression(now=now, open_q=DEADLINE_RUNNING_Q))


def incoming_list(
    *,
    user: User,
    queue: str = "all",
    date_from: date | None = None,
    date_to: date | None = None,
    doc_type=None,
    issuer: str = "",
    urgency: int | None = None,
    state: str = "",
    deadline: str = "",
    q: str = "",
    register: Register | None = None,
    sort: str = "",
) -> QuerySet[IncomingDocument]:
    now = timezone.now()
    qs = visible_incoming(user, queue=queue).filter(queue_q(user, queue, now=now))
    tz = timezone.get_current_timezone()
    if date_from:
        qs = qs.filter(received_at__gte=datetime.combine(date_from, time.min, tzinfo=tz))
    if date_to:
        qs = qs.filter(received_at__lte=datetime.combine(date_to, time.max, tzinfo=tz))
    if doc_type:
        qs = qs.filter(doc_type=doc_type)
    if issuer:
        qs = qs.filter(search_text__contains=fold(issuer))
    if urgency is not None:
        qs = qs.filter(urgency=urgency)
    if state:
        qs = qs.filter(state=state)
    if register is not None:
        qs = qs.filter(register=register)
    if deadline in DeadlineStatus.values:
        qs = qs.filter(deadline_status_q(deadline, now=now, open_q=DEADLINE_RUNNING_Q))
    if (text_q := matches_q(q)) is not None:
        qs = qs.filter(text_q)
    order = SORTS.get(sort) or SORTS[DEFAULT_SORT.get(queue, "-received")]
    return (
        with_deadline_status(qs, now)
        .annotate(lead_name=_lead_name())
        .select_related("doc_type")
        .order_by(*order)
    )


def incoming_get(*, user: User, pk: int) -> IncomingDocument:
    """A document the user may see; 404 for anyone else (another agency, a secret one not granted)."""
    qs = with_deadline_status(visible_incoming(user)).select_related(
        "doc_type",
        "register",
        "issuer_agency",
        "received_by",
        "directing_leader",
        "directed_by",
        "duplicate_of",
    )
    return get_object_or_404(qs, pk=pk)


def assignments_for(*, document: IncomingDocument) -> QuerySet[Assignment]:
    return (
        Assignment.objects.for_record(document)
        .with_deadline_status()
        .select_related("assignee", "department", "assigned_by", "parent__assignee", "parent__department")
        .order_by("role", "assigned_at", "id")
    )


def my_parts(*, document: IncomingDocument, user: User) -> list[Assignment]:
    """The user's open parts on the document (handed-on parts excluded)."""
    return list(
        Assignment.objects.for_record(document)
        .open()
        .filter(held_by_q(user))
        .exclude(children__status=Assignment.Status.OPEN)
        .select_related("department")
        .order_by("role", "id")
    )


def duplicates_of(
    *, agency_id: int, number_symbol: str, issuer_name: str, issuer_agency_id: int | None, sha256: str
) -> QuerySet[IncomingDocument]:
    """Likely duplicates: same file, or same number + symbol + issuing agency (NĐ 30 Phụ lục VI)."""
    same_issuer = (
        Q(issuer_agency_id=issuer_agency_id)
        if issuer_agency_id
        else Q(issuer_name__iexact=issuer_name.strip())
    )
    match = Q(file_sha256=sha256) if sha256 else Q(pk__in=[])
    if number_symbol.strip():
        match |= Q(number_symbol__iexact=number_symbol.strip()) & same_issuer
    return (
        IncomingDocument.objects.filter(agency_id=agency_id)
        .filter(match)
        .exclude(state=WorkflowState.RETURNED)
        .order_by("-received_at")
    )


def leaders_of(agency_id: int) -> QuerySet[User]:
    return User.objects.filter(
        agency_id=agency_id, is_active=True, groups__agency_role__role=Role.LEADER
    ).distinct()


def people_of(agency_id: int) -> QuerySet[User]:
    return User.objects.filter(agency_id=agency_id, is_active=True).select_related("department")


def register_rows(*, user: User, register: Register, date_from: date, date_to: date):
    """The registered documents of a period, in number order, for the printed registers."""
    tz = timezone.get_current_timezone()
    leads = Assignment.objects.filter(
        content_type=incoming_content_type(),
        object_id=OuterRef("pk"),
        role=Assignment.Kind.LEAD,
        parent__isnull=True,
    ).exclude(status=Assignment.Status.CANCELLED)
    return (
        with_deadline_status(visible_incoming(user))
        .filter(
            register=register,
            number__isnull=False,
            received_at__gte=datetime.combine(date_from, time.min, tzinfo=tz),
            received_at__lte=datetime.combine(date_to, time.max, tzinfo=tz),
        )
        .annotate(
            lead_name=_lead_name(),
            lead_unit=Coalesce(
                Subquery(leads.values("department__name")[:1]),
                Subquery(leads.values("assignee__full_name")[:1]),
                Value(""),
            ),
            handed_at=Subquery(leads.values("assigned_at")[:1]),
            lead_progress=Subquery(leads.values("progress")[:1]),
        )
        .select_related("doc_type")
        .order_by("year", "number")
    )
