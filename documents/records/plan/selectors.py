"""Every read of the file-plan pages: the plans a person may see, one plan laid out as its headings and
entries (with the case files opened from them), its counts and its timeline. The visibility filter is in
the SQL; the layout of a plan costs a fixed number of queries whatever its size."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from documents.records.models import FilePlan, FilePlanEntry, FilePlanHeading, Retention
from documents.records.plan import rules
from eoffice.models import User


def visible_plans(user: User) -> QuerySet[FilePlan]:
    """The plans of the user's agency: all of them for the office, leaders, heads and archivists, the
    approved ones for everybody else (they open their files from them)."""
    if not getattr(user, "is_authenticated", False) or not user.agency_id:
        return FilePlan.objects.none()
    plans = FilePlan.objects.filter(agency_id=user.agency_id)
    if not rules.reads_all(user):
        plans = plans.filter(status=FilePlan.Status.APPROVED)
    return plans


def plan_access(*, user: User, pk: int, lock: bool = False) -> FilePlan:
    """The plan ``pk`` if the user may see it (the same 404 for "missing" and "not yours")."""
    plans = visible_plans(user).select_related("agency", "agency__parent", "decision", "created_by")
    if lock:
        plans = plans.select_for_update(of=("self",))
    return get_object_or_404(plans, pk=pk)


def entry_access(*, user: User, pk: int, lock: bool = False) -> FilePlanEntry:
    """An entry of a plan the user may see (404 otherwise)."""
    entries = FilePlanEntry.objects.filter(plan__in=visible_plans(user)).select_related("plan", "heading")
    if lock:
        entries = entries.select_for_update(of=("self",))
    return get_object_or_404(entries, pk=pk)


def heading_access(*, user: User, pk: int) -> FilePlanHeading:
    headings = FilePlanHeading.objects.filter(plan__in=visible_plans(user)).select_related("plan", "parent")
    return get_object_or_404(headings, pk=pk)


def plan_list(*, user: User) -> QuerySet[FilePlan]:
    """The list page: the plans by year, newest first, with their entry counts (one query)."""
    return (
        visible_plans(user)
        .select_related("decision")
        .annotate(
            n_entries=Count("entries", distinct=True),
            n_ad_hoc=Count("entries", filter=Q(entries__ad_hoc=True), distinct=True),
        )
        .order_by("-year")
    )


def plan_for_year(*, user: User, year: int) -> FilePlan | None:
    return visible_plans(user).filter(year=year).first()


# --- one plan laid out ---------------------------------------------------------------------------------


@dataclass
class Small:
    heading: FilePlanHeading
    number: int
    entries: list[FilePlanEntry] = field(default_factory=list)


@dataclass
class Large:
    heading: FilePlanHeading
    number: int
    entries: list[FilePlanEntry] = field(default_factory=list)  # directly under the large heading
    children: list[Small] = field(default_factory=list)

    @property
    def numeral(self) -> str:
        return rules.roman(self.number)

    @property
    def all_entries(self) -> list[FilePlanEntry]:
        return self.entries + [e for small in self.children for e in small.entries]


@dataclass
class Layout:
    plan: FilePlan
    larges: list[Large]

    @property
    def entries(self) -> list[FilePlanEntry]:
        """Every entry in the order of the plan: large heading, its own entries, then its small headings'."""
        return [e for large in self.larges for e in large.all_entries]

    @property
    def counts(self) -> dict[str, int]:
        """The closing line of the printed plan: files in all, kept permanently, kept for a term."""
        entries = self.entries
        permanent = sum(1 for e in entries if e.retention == Retention.PERMANENT)
        return {"total": len(entries), "permanent": permanent, "fixed": len(entries) - permanent}


def layout(
    plan: FilePlan,
    *,
    headings: list[FilePlanHeading] | None = None,
    entries: list[FilePlanEntry] | None = None,
) -> Layout:
    """The plan's tree in print order, from rows already loaded (or two queries). Entries sit under their
    heading in position order; headings in position order, small ones inside their large one."""
    if headings is None:
        headings = list(FilePlanHeading.objects.filter(plan=plan).order_by("position", "id"))
    if entries is None:
        entries = list(FilePlanEntry.objects.filter(plan=plan).order_by("position", "id"))
    by_heading: dict[int, list[FilePlanEntry]] = {}
    for entry in sorted(entries, key=lambda e: (e.position, e.pk or 0)):
        by_heading.setdefault(entry.heading_id, []).append(entry)
    ordered = sorted(headings, key=lambda h: (h.position, h.pk or 0))
    larges = [
        Large(heading=h, number=i, entries=by_heading.get(h.pk, []))
        for i, h in enumerate((h for h in ordered if h.parent_id is None), start=1)
    ]
    index = {large.heading.pk: large for large in larges}
    for h in ordered:
        parent = index.get(h.parent_id) if h.parent_id else None
        if parent is not None:
            parent.children.append(
                Small(heading=h, number=len(parent.children) + 1, entries=by_heading.get(h.pk, []))
            )
    return Layout(plan=plan, larges=larges)


def plan_page(*, user: User, plan: FilePlan) -> Layout:
    """The plan page's tree with, on each entry, the case files opened from it that the user may see
    (``entry.files``): four queries whatever the number of headings, entries and files."""
    from documents.records import access

    headings = list(
        FilePlanHeading.objects.filter(plan=plan).select_related("department").order_by("position", "id")
    )
    files = access.visible_case_files(user).select_related("owner").order_by("opened_at", "id")
    entries = list(
        FilePlanEntry.objects.filter(plan=plan)
        .select_related("department", "responsible")
        .prefetch_related(Prefetch("case_files", queryset=files, to_attr="files"))
        .order_by("position", "id")
    )
    return layout(plan, headings=headings, entries=entries)


def print_layout(*, plan: FilePlan) -> Layout:
    """The printed plan's tree (no case files): three queries."""
    headings = list(FilePlanHeading.objects.filter(plan=plan).order_by("position", "id"))
    entries = list(
        FilePlanEntry.objects.filter(plan=plan)
        .select_related("responsible", "department")
        .order_by("position")
    )
    return layout(plan, headings=headings, entries=entries)


HISTORY_LABELS = {
    "create": _("Lập dự thảo danh mục"),
    "copy": _("Lập dự thảo từ danh mục năm trước"),
    "numbering": _("Đổi cách đánh số hồ sơ"),
    "submit": _("Trình ban hành"),
    "approve": _("Quyết định được phát hành, danh mục có hiệu lực"),
    "decision_cancelled": _("Hủy dự thảo quyết định, danh mục trở về dự thảo"),
    "decision_recalled": _("Thu hồi quyết định, danh mục trở về dự thảo"),
    "ad_hoc": _("Bổ sung hồ sơ phát sinh"),
}


def plan_history(*, plan: FilePlan) -> list:
    """The plan's timeline, newest first, each row with its label and the statuses it went between."""
    from workflow import selectors as wf_selectors

    statuses = dict(FilePlan.Status.choices)
    rows = list(wf_selectors.history_for(record=plan))
    for row in rows:
        row.plan_label = HISTORY_LABELS.get(row.action) or row.get_event_display()
        row.plan_from = statuses.get(row.from_state, "")
        row.plan_to = statuses.get(row.to_state, "")
    return rows


def agency_leaders(agency_id: int) -> QuerySet[User]:
    """Who may sign the decision: the agency's active leaders, the head (position not "Phó …") first."""
    from eoffice.models import Role

    return (
        User.objects.filter(
            agency_id=agency_id,
            is_active=True,
            groups__agency_role__role=Role.LEADER,
            groups__agency_role__agency_id=agency_id,
        )
        .distinct()
        .order_by("full_name", "pk")
    )


def default_signer(agency_id: int) -> User | None:
    people = list(agency_leaders(agency_id))
    heads = [u for u in people if not (u.position or "").lower().startswith("phó")]
    return (heads or people or [None])[0]
