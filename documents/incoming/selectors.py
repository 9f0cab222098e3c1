"""Reads of the incoming documents pages, filtered inside the SQL to what the user may see (who sees what:
``documents.incoming.models.visible_q``).

A document recalled by its sender (``recalled_at``) stays visible to the same people (by its URL, in the
"recalled" list) but leaves every other list, queue and counter.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.core.exceptions import EmptyResultSet
from django.core.paginator import Page, Paginator
from django.db import connections, router
from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Value, Window
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from documents.incoming.models import (
    INCOMING_OPEN_Q,
    INCOMING_OPEN_STATES,
    IncomingAttachment,
    IncomingDocument,
    incoming_content_type,
    visible_q,
)
from documents.registers.models import Register
from documents.search.query import matches_q
from eoffice.db import Counted, count_each
from eoffice.models import Role, User
from eoffice.params import page_number
from eoffice.search import fold
from workflow.models import (
    Assignment,
    DeadlineStatus,
    WorkflowState,
    deadline_status_expression,
    deadline_status_q,
    held_by_q,
)


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


def incoming_filtered(
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
    now: datetime | None = None,
) -> QuerySet[IncomingDocument]:
    """The documents of a list or queue the user may see, filtered and ordered (no row annotations)."""
    now = now or timezone.now()
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
    return qs.order_by(*order)


def with_row_fields(qs: QuerySet, now: datetime | None = None) -> QuerySet[IncomingDocument]:
    """What a row of the lists shows beside the document: its deadline status, the lead's name, the type."""
    return with_deadline_status(qs, now).annotate(lead_name=_lead_name()).select_related("doc_type")


def incoming_list(*, user: User, **filters) -> QuerySet[IncomingDocument]:
    """The documents of a list or queue (``incoming_filtered``) with what their rows show."""
    now = timezone.now()
    return with_row_fields(incoming_filtered(user=user, now=now, **filters), now)


_IDS_SQL: dict[tuple, tuple[str, tuple]] = {}
"""The compiled statement of a page's ids of an unfiltered list or queue, by everything it is made of: the
person (id, agency, unit, roles, superuser), the queue, the sort, the page, the content type. The same key
gives the same statement, so it is compiled once per process (compiling the visibility filter was a quarter
of a queue's time); the statement runs every time, on the live data. Statements with a time in them (the
overdue queue) are not kept."""
_IDS_SQL_MAX = 5000


def _plain_key(user: User, filters: dict) -> tuple | None:
    if set(filters) - {"queue", "sort"}:
        return None
    return (
        user.pk,
        user.agency_id,
        user.department_id,
        user.is_superuser,
        tuple(sorted(user.roles)),
        filters.get("queue", "all"),
        filters.get("sort", ""),
        incoming_content_type().pk,
    )


def _ids_and_total(filtered, key: tuple | None, start: int, per_page: int) -> tuple[list, int]:
    """The ids of one page and the number of all rows (``COUNT(*) OVER ()``), in one statement."""
    key = (*key, start, per_page) if key else None
    kept = _IDS_SQL.get(key) if key else None
    if kept is None:
        qs = filtered().values_list("pk", Window(Count("pk")))[start : start + per_page]  # noqa: E203
        try:
            kept = qs.query.get_compiler(using=qs.db).as_sql()
        except EmptyResultSet:
            return [], 0
        if key and not any(isinstance(value, (date, datetime)) for value in kept[1]):
            if len(_IDS_SQL) >= _IDS_SQL_MAX:
                _IDS_SQL.clear()
            _IDS_SQL[key] = kept
    with connections[router.db_for_read(IncomingDocument)].cursor() as cursor:
        cursor.execute(*kept)
        rows = cursor.fetchall()
    return [pk for pk, _total in rows], (rows[0][1] if rows else 0)


def incoming_page(*, user: User, number, per_page: int, **filters) -> Page:
    """A page of a list or queue, read as ``eoffice.db.page_of`` reads one: the page's ids and the total in
    one statement (the filter of what the user may see inside it; compiled once per process for an
    unfiltered list, ``_IDS_SQL``), then those rows with what they show (an empty page loads none)."""
    now = timezone.now()
    built = []

    def filtered() -> QuerySet[IncomingDocument]:
        if not built:
            built.append(incoming_filtered(user=user, now=now, **filters))
        return built[0]

    key = _plain_key(user, filters)
    number = page_number(number)
    ids, total = _ids_and_total(filtered, key, (number - 1) * per_page, per_page)
    if not ids and number > 1:
        _ids, total = _ids_and_total(filtered, key, 0, per_page)
        number = max((total + per_page - 1) // per_page, 1)
        ids, total = _ids_and_total(filtered, key, (number - 1) * per_page, per_page)
    rows = with_row_fields(IncomingDocument.objects.filter(pk__in=ids), now) if ids else []
    by_pk = {doc.pk: doc for doc in rows}
    return Page([by_pk[pk] for pk in ids if pk in by_pk], number, Paginator(Counted(total), per_page))


def incoming_access(*, user: User, pk: int, lock: bool = False) -> IncomingDocument:
    """A document the user may see, fetched from the documents they may see (the filter is in the SQL): the
    same 404 for a missing one and for anyone else's (another agency, a secret one not granted). With
    ``lock=True`` its row is locked FOR UPDATE (the caller is inside ``transaction.atomic``): the services
    load the record they change this way."""
    if lock:
        return get_object_or_404(visible_incoming(user).select_for_update(of=("self",)), pk=pk)
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


def attachment_on(*, document: IncomingDocument, pk: int) -> IncomingAttachment:
    """One attachment of the document (404 for another document's)."""
    return get_object_or_404(IncomingAttachment, pk=pk, document=document)


def assignment_on(*, document: IncomingDocument, pk: int) -> Assignment:
    """One part of the document (404 for a part of another record)."""
    return get_object_or_404(Assignment.objects.for_record(document), pk=pk)


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


def unit_heads(department_ids) -> list[User]:
    """The heads of the given units (the holders of a unit's part)."""
    ids = {d for d in department_ids if d}
    if not ids:
        return []
    return list(
        User.objects.filter(
            department_id__in=ids, is_active=True, groups__agency_role__role=Role.DEPARTMENT_HEAD
        ).distinct()
    )


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
