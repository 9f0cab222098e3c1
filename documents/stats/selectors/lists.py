"""The list behind a number: the queryset the number counted, filtered by the bucket, as page rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import (
    CharField,
    F,
    IntegerField,
    Q,
    QuerySet,
    Value,
)
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.models import IncomingDocument
from documents.stats.selectors.buckets import (
    BUCKET_LABELS,
    BUCKET_PILLS,
    INCOMING,
    PARTS,
    WORK,
    Source,
    bucket_case,
    bucket_q,
    kinds_of,
)
from documents.stats.selectors.periods import Period, in_period
from documents.stats.selectors.querysets import content_types, incoming_qs, parts_qs, work_qs
from documents.stats.selectors.scopes import Scope
from eoffice.models import User
from workflow.models import (
    Assignment,
    WorkItem,
)


@dataclass
class ListItem:
    kind: str  # "incoming" or "work"
    pk: int
    title: str
    ref: str
    day: datetime | None
    due_at: datetime | None
    completed_at: datetime | None
    bucket: str
    holder: str = ""

    @property
    def url(self) -> str:
        from django.urls import reverse

        if self.kind == "incoming":
            return reverse("documents:incoming_detail", args=[self.pk])
        return reverse("workflow:workitem_detail", args=[self.pk])

    @property
    def kind_label(self) -> str:
        return str(_("Văn bản đến") if self.kind == "incoming" else _("Công việc"))

    @property
    def bucket_label(self) -> str:
        return str(BUCKET_LABELS.get(self.bucket, ""))

    @property
    def pill(self) -> str:
        return BUCKET_PILLS.get(self.bucket, "pill-muted")


def records(
    *,
    user: User,
    scope: Scope,
    period: Period,
    kind: str,
    bucket: str,
    by: str = "",
    now: datetime | None = None,
) -> QuerySet:
    """The rows behind a number: the queryset the number counted, filtered by the bucket.

    At agency level (``by=""``) the documents and work items themselves (one ``values()`` queryset, a
    UNION when both kinds are asked); otherwise the lead parts (assignments)."""
    now = now or timezone.now()
    kinds = kinds_of(kind)
    if scope.level == "agency" and not by:
        parts = []
        if "incoming" in kinds:
            qs = in_period(incoming_qs(user, scope.agency.pk), "received_at", period)
            parts.append(_as_rows(qs.filter(bucket_q(INCOMING, bucket, now=now)), INCOMING, "incoming", now))
        if "work" in kinds:
            qs = in_period(work_qs(user, scope.agency.pk), "created_at", period)
            parts.append(_as_rows(qs.filter(bucket_q(WORK, bucket, now=now)), WORK, "work", now))
        combined = parts[0] if len(parts) == 1 else parts[0].union(*parts[1:], all=True)
        return combined.order_by("-r_day", "-r_pk")
    if by == "units" and scope.level != "agency":
        raise Http404
    if by == "people" and not (scope.level == "unit" and scope.unit):
        raise Http404
    qs = in_period(parts_qs(user, scope, kinds, by=by), "assigned_at", period)
    return (
        qs.filter(bucket_q(PARTS, bucket, now=now))
        .annotate(bucket=bucket_case(PARTS, now=now))
        .select_related("assignee", "department", "content_type")
        .order_by("-assigned_at", "-id")
    )


def _as_rows(qs: QuerySet, source: Source, kind: str, now: datetime) -> QuerySet:
    if kind == "incoming":
        ref, title, day, number = F("number_symbol"), F("summary"), F("received_at"), F("number")
    else:
        ref, title, day = Value(""), F("title"), F("created_at")
        number = Value(None, output_field=IntegerField())
    # Every column an annotation, in the same order on both sides of the UNION.
    return qs.annotate(
        r_kind=Value(kind, output_field=CharField()),
        r_pk=F("pk"),
        r_ref=ref,
        r_number=number,
        r_title=title,
        r_day=day,
        r_due=F("due_at"),
        r_completed=F("completed_at"),
        r_bucket=bucket_case(source, now=now),
    ).values("r_kind", "r_pk", "r_ref", "r_number", "r_title", "r_day", "r_due", "r_completed", "r_bucket")


def list_items(page_rows, *, parts: bool) -> list[ListItem]:
    """The rows of one page as ``ListItem``; the holders (lead) of the page's records in one query each."""
    if parts:
        rows = list(page_rows)
        cts = content_types()
        titles = _record_titles(
            incoming=[a.object_id for a in rows if a.content_type_id == cts["incoming"].pk],
            work=[a.object_id for a in rows if a.content_type_id == cts["work"].pk],
        )
        items = []
        for a in rows:
            kind = "incoming" if a.content_type_id == cts["incoming"].pk else "work"
            ref, title = titles.get((kind, a.object_id), ("", ""))
            holder = (
                a.assignee.get_full_name()
                if a.assignee_id
                else (a.department.name if a.department_id else "")
            )
            items.append(
                ListItem(
                    kind=kind,
                    pk=a.object_id,
                    title=title,
                    ref=ref,
                    day=a.assigned_at,
                    due_at=a.due_at,
                    completed_at=a.completed_at,
                    bucket=a.bucket,
                    holder=holder,
                )
            )
        return items
    rows = list(page_rows)
    holders = _lead_holders(
        incoming=[r["r_pk"] for r in rows if r["r_kind"] == "incoming"],
        work=[r["r_pk"] for r in rows if r["r_kind"] == "work"],
    )
    return [
        ListItem(
            kind=r["r_kind"],
            pk=r["r_pk"],
            title=r["r_title"],
            ref=_ref(r),
            day=r["r_day"],
            due_at=r["r_due"],
            completed_at=r["r_completed"],
            bucket=r["r_bucket"],
            holder=holders.get((r["r_kind"], r["r_pk"]), ""),
        )
        for r in rows
    ]


def _ref(row: dict) -> str:
    if row["r_kind"] != "incoming":
        return ""
    number = row.get("r_number")
    prefix = _("Số đến %(n)s") % {"n": f"{number:02d}"} if number else ""
    return " · ".join(part for part in (prefix, row["r_ref"]) if part)


def _record_titles(*, incoming: list[int], work: list[int]) -> dict:
    titles = {}
    if incoming:
        for pk, number, symbol, summary in IncomingDocument.objects.filter(pk__in=incoming).values_list(
            "pk", "number", "number_symbol", "summary"
        ):
            titles["incoming", pk] = (
                _ref({"r_kind": "incoming", "r_number": number, "r_ref": symbol}),
                summary,
            )
    if work:
        for pk, title in WorkItem.objects.filter(pk__in=work).values_list("pk", "title"):
            titles["work", pk] = ("", title)
    return titles


def _lead_holders(*, incoming: list[int], work: list[int]) -> dict:
    """The current holder of the top-level lead of each record: "unit" or "person (unit)"."""
    if not incoming and not work:
        return {}
    cts = content_types()
    q = Q(pk__in=[])
    if incoming:
        q |= Q(content_type=cts["incoming"], object_id__in=incoming)
    if work:
        q |= Q(content_type=cts["work"], object_id__in=work)
    leads = (
        Assignment.objects.filter(q, role=Assignment.Kind.LEAD, parent__isnull=True)
        .exclude(status=Assignment.Status.CANCELLED)
        .select_related("assignee", "department")
    )
    result = {}
    for a in leads:
        kind = "incoming" if a.content_type_id == cts["incoming"].pk else "work"
        result[kind, a.object_id] = a.holder_name
    return result
