"""Reads of the workflow pages, already limited in SQL to what the user may see."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from eoffice.models import NotificationPreference, Role, User
from eoffice.notifications import KINDS
from workflow.models import (
    WORKITEM_OPEN,
    Assignment,
    DeadlineStatus,
    HistoryEntry,
    WorkflowRecord,
    WorkItem,
    deadline_status_q,
    held_by_q,
    workitem_with_deadline_status,
)


def my_work(*, user: User, status: str | None = None) -> QuerySet[Assignment]:
    """The person's open assignments across every record kind, most urgent first."""
    qs = Assignment.objects.open().filter(held_by_q(user), agency_id=user.agency_id)
    if status:
        qs = qs.with_status(status)
    return (
        qs.with_deadline_status()
        .select_related("assignee", "department", "assigned_by", "content_type")
        .prefetch_related("record")
        .order_by(F("due_at").asc(nulls_last=True), "assigned_at", "id")
    )


def my_work_counts(*, user: User) -> dict:
    now = timezone.now()
    base = Assignment.objects.open().filter(held_by_q(user), agency_id=user.agency_id)
    return base.aggregate(
        total=Count("id"),
        overdue=Count(
            "id",
            filter=deadline_status_q(
                DeadlineStatus.OVERDUE, now=now, open_q=Q(status="open"), paused_q=Q(paused_at__isnull=False)
            ),
        ),
        due_soon=Count(
            "id",
            filter=deadline_status_q(
                DeadlineStatus.DUE_SOON, now=now, open_q=Q(status="open"), paused_q=Q(paused_at__isnull=False)
            ),
        ),
    )


def my_work_badges(user: User) -> dict:
    """``my_work_counts`` once per request (the menu's two badges and the dashboard widget all ask): kept on
    the user object, which lives as long as the request."""
    counts = getattr(user, "_my_work_counts", None)
    if counts is None:
        counts = my_work_counts(user=user) if user.agency_id else {"total": 0, "overdue": 0, "due_soon": 0}
        user._my_work_counts = counts
    return counts


def my_work_open_count(user: User) -> int:
    return my_work_counts(user=user)["total"] if user.agency_id else 0


def my_work_overdue_count(user: User) -> int:
    return my_work_counts(user=user)["overdue"] if user.agency_id else 0


def assignments_for(*, record) -> QuerySet[Assignment]:
    return (
        Assignment.objects.for_record(record)
        .with_deadline_status()
        .select_related("assignee", "department", "assigned_by", "parent")
        .order_by("role", "assigned_at", "id")
    )


def my_assignments_on(*, record, user: User) -> list[Assignment]:
    return list(Assignment.objects.for_record(record).open().filter(held_by_q(user)).order_by("role"))


def department_heads(department_ids: Iterable[int]) -> dict[int, list[User]]:
    ids = {d for d in department_ids if d}
    heads: dict[int, list[User]] = {}
    if not ids:
        return heads
    for user in User.objects.filter(
        department_id__in=ids,
        is_active=True,
        groups__agency_role__role=Role.DEPARTMENT_HEAD,
    ).distinct():
        heads.setdefault(user.department_id, []).append(user)
    return heads


def assignment_holders(assignments: Sequence[Assignment]) -> dict[int, list[User]]:
    """Who holds each assignment: the person, or the heads of the assigned unit."""
    heads = department_heads(a.department_id for a in assignments if not a.assignee_id)
    return {a.pk: [a.assignee] if a.assignee_id else heads.get(a.department_id, []) for a in assignments}


def history_for(*, record) -> QuerySet[HistoryEntry]:
    return HistoryEntry.objects.for_record(record).select_related("actor").order_by("-created_at", "-id")


def history_entry_for_file(*, user: User, pk: int) -> HistoryEntry:
    """A history row whose attachment the user may download: 404 unless the record is visible to them."""
    entry = get_object_or_404(HistoryEntry.objects.select_related("content_type"), pk=pk)
    model = entry.content_type.model_class()
    if model is None or not issubclass(model, WorkflowRecord) or not entry.attachment:
        raise Http404
    if not model.visible_to(user).filter(pk=entry.object_id).exists():
        raise Http404
    return entry


WORK_SCOPES = ("mine", "given", "unit")


def _lead_name_subquery():
    leads = Assignment.objects.filter(
        content_type__app_label="workflow",
        content_type__model="workitem",
        object_id=OuterRef("pk"),
        role=Assignment.Kind.LEAD,
        parent__isnull=True,
    ).exclude(status=Assignment.Status.CANCELLED)
    return Coalesce(
        Subquery(leads.values("assignee__full_name")[:1]),
        Subquery(leads.values("department__name")[:1]),
        Value(""),
    )


def work_item_list(
    *, user: User, scope: str = "mine", state: str | None = None, deadline: str | None = None
) -> QuerySet[WorkItem]:
    qs = WorkItem.visible_to(user)
    if scope == "given":
        qs = qs.filter(created_by_id=user.pk)
    elif scope == "unit":
        if not user.department_id or not user.has_role(Role.DEPARTMENT_HEAD, Role.LEADER):
            return WorkItem.objects.none()
        unit_assigned = Assignment.objects.filter(
            content_type__app_label="workflow",
            content_type__model="workitem",
            object_id=OuterRef("pk"),
            department_id=user.department_id,
        )
        qs = qs.filter(Q(department_id=user.department_id) | Q(pk__in=unit_assigned.values("object_id")))
    else:
        mine = Assignment.objects.filter(
            held_by_q(user), content_type__app_label="workflow", content_type__model="workitem"
        ).exclude(status=Assignment.Status.CANCELLED)
        qs = qs.filter(pk__in=mine.values("object_id"))
    if state:
        qs = qs.filter(state=state)
    if deadline:
        qs = qs.filter(deadline_status_q(deadline, open_q=WORKITEM_OPEN))
    ordering = (F("due_at").asc(nulls_last=True), "-id") if deadline else ("-created_at", "-id")
    return (
        workitem_with_deadline_status(qs)
        .annotate(lead_name=_lead_name_subquery())
        .select_related("created_by", "department")
        .order_by(*ordering)
    )


def work_item_access(*, user: User, pk: int, lock: bool = False) -> WorkItem:
    """A work item the user may see, fetched from the items they may see (the filter is in the SQL): the
    same 404 for a missing one and for anyone else's (another agency included). With ``lock=True`` its row
    is locked FOR UPDATE (the caller is inside ``transaction.atomic``): the services load the item a person
    acts on this way."""
    items = WorkItem.visible_to(user) if user.is_authenticated else WorkItem.objects.none()
    if lock:
        return get_object_or_404(items.select_for_update(of=("self",)), pk=pk)
    return get_object_or_404(
        workitem_with_deadline_status(items).select_related("created_by", "department"), pk=pk
    )


def assignment_access(*, user: User, pk: int, lock: bool = False) -> Assignment:
    """An open part (assignment) the user holds, in person or as the head of the assigned unit: the same 404
    for a missing one, a closed one and anyone else's. With ``lock=True`` its row is locked FOR UPDATE (the
    caller is inside ``transaction.atomic``)."""
    if not user.is_authenticated:
        parts = Assignment.objects.none()
    else:
        parts = Assignment.objects.open().filter(held_by_q(user), agency_id=user.agency_id)
    if lock:
        parts = parts.select_for_update(of=("self",))
    return get_object_or_404(parts, pk=pk)


def assignable_people(*, user: User) -> QuerySet[User]:
    return User.objects.filter(agency_id=user.agency_id, is_active=True).select_related("department")


def department_people(*, department_id: int | None, agency_id: int | None) -> QuerySet[User]:
    return User.objects.filter(department_id=department_id, agency_id=agency_id, is_active=True)


def notification_preferences(*, user: User) -> list[dict]:
    chosen = dict(NotificationPreference.objects.filter(user=user).values_list("kind", "email"))
    return [
        {"code": code, "label": kind.label, "email": chosen.get(code, kind.email_default)}
        for code, kind in sorted(KINDS.items(), key=lambda kv: str(kv[1].label))
    ]
