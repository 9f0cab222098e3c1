"""Reads of the case files (hồ sơ): the list with its filters and the person's statistics, a file's items
with each linked record's visibility resolved once per kind, the files holding a record, and the "file this"
block of a record's page. Every queryset is filtered to what the user may see (``access.visible_q``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.urls import reverse
from django.utils import timezone

from documents.records import access, kinds
from documents.records.models import CaseFile, CaseFileItem, FilePlanEntry
from eoffice.models import Role, User
from workflow.models import CLOSED_STATES

STATUS_FILTERS = tuple(CaseFile.Status.values)


def case_file_list(
    *,
    user: User,
    year: int | None = None,
    status: str = "",
    mine: bool = False,
    department_id: int | None = None,
) -> QuerySet[CaseFile]:
    qs = access.visible_case_files(user)
    if year:
        qs = qs.filter(year=year)
    if status in STATUS_FILTERS:
        qs = qs.filter(status=status)
    if mine:
        qs = qs.filter(owner_id=user.pk)
    if department_id:
        qs = qs.filter(department_id=department_id)
    return qs.select_related("owner", "department").order_by("-year", "code", "id")


def years_of(*, user: User) -> list[int]:
    return list(access.visible_case_files(user).order_by("-year").values_list("year", flat=True).distinct())


def my_statistics(*, user: User) -> dict:
    """ "Hồ sơ của tôi" (III.4đ): the person's files counted by status, and the documents in them."""
    rows = (
        CaseFile.objects.filter(agency_id=user.agency_id, owner_id=user.pk)
        .values("status")
        .annotate(n=Count("id"), docs=Sum("doc_total"), pages=Sum("page_total"))
    )
    by_status = {row["status"]: row for row in rows}
    statuses = [
        {
            "key": key,
            "label": label,
            "n": by_status.get(key, {}).get("n", 0),
            "docs": by_status.get(key, {}).get("docs") or 0,
        }
        for key, label in CaseFile.Status.choices
    ]
    return {
        "statuses": statuses,
        "files": sum(s["n"] for s in statuses),
        "docs": sum(s["docs"] for s in statuses),
        "pages": sum((row["pages"] or 0) for row in by_status.values()),
    }


def plan_entries_to_open(*, user: User, year: int | None = None) -> QuerySet[FilePlanEntry]:
    """The entries of the year's file plan that have no case file yet and that this person may open: the
    clerks and leaders any, others those of their unit, of nobody's unit, or named as responsible."""
    year = year or timezone.localdate().year
    qs = FilePlanEntry.objects.filter(plan__agency_id=user.agency_id, plan__year=year).exclude(
        Exists(CaseFile.objects.filter(plan_entry_id=OuterRef("pk")))
    )
    if not user.has_role(Role.CLERK, Role.LEADER):
        qs = qs.filter(
            Q(department_id=user.department_id) | Q(department__isnull=True) | Q(responsible_id=user.pk)
        )
    return qs.select_related("plan").order_by("number", "id")


def open_targets(*, user: User) -> QuerySet[CaseFile]:
    """The open files this person may add records to (owner, or any as a clerk or leader)."""
    qs = access.visible_case_files(user).filter(status=CaseFile.Status.OPEN)
    if not user.has_role(Role.CLERK, Role.LEADER):
        qs = qs.filter(owner_id=user.pk)
    return qs.order_by("-year", "code")


@dataclass
class ItemRow:
    """An item of a file as the page shows it: its snapshot, and whether the user may open the record."""

    item: CaseFileItem
    kind_label: str
    can_open: bool
    open_url: str

    def __getattr__(self, name):
        return getattr(self.item, name)


def case_file_items(*, user: User, case_file: CaseFile) -> list[ItemRow]:
    """The items of a file in ordinal order. A linked record opens only for a user its own module lets see
    it: ``visible_ids`` once per kind (the page's queries do not grow with the items)."""
    items = list(CaseFileItem.objects.filter(case_file=case_file).order_by("ordinal", "id"))
    ids_by_kind: dict[str, set[int]] = {}
    for item in items:
        if item.kind != kinds.PAPER and item.object_id is not None:
            ids_by_kind.setdefault(item.kind, set()).add(item.object_id)
    visible: dict[str, set[int]] = {}
    labels: dict[str, str] = {kinds.PAPER: _paper_label()}
    for key, ids in ids_by_kind.items():
        try:
            fileable = kinds.get(key)
        except KeyError:
            visible[key] = set()
            labels[key] = key
            continue
        visible[key] = set(fileable.visible_ids(user, ids))
        labels[key] = str(fileable.label)
    rows = []
    for item in items:
        open_url = reverse("documents:casefile_item_open", args=[case_file.pk, item.pk])
        if item.kind == kinds.PAPER:
            can_open = bool(item.file)
        else:
            can_open = item.object_id in visible.get(item.kind, set())
        rows.append(ItemRow(item, labels.get(item.kind, item.kind), can_open, open_url if can_open else ""))
    return rows


def _paper_label() -> str:
    from django.utils.translation import gettext

    return gettext("Tài liệu tải lên")


def item_of(*, case_file: CaseFile, pk: int) -> CaseFileItem:
    from django.shortcuts import get_object_or_404

    return get_object_or_404(CaseFileItem, case_file=case_file, pk=pk)


def record_case_files(*, user: User, kind: str, object_id: int) -> QuerySet[CaseFile]:
    """The files holding a record that this person may see."""
    return (
        access.visible_case_files(user)
        .filter(
            Exists(CaseFileItem.objects.filter(case_file_id=OuterRef("pk"), kind=kind, object_id=object_id))
        )
        .order_by("-year", "code")
    )


def file_this_context(*, user: User, kind: str, record, prominent: bool | None = None) -> dict:
    """The context of ``documents/records/_file_this.html``: the files that hold the record (links), the
    open files this person may still add it to, the link to open a new file. ``prominent`` (default: the
    record's work has ended and no file holds it yet) shows the block as the page's next step."""
    holders = list(record_case_files(user=user, kind=kind, object_id=record.pk))
    held = {f.pk for f in holders}
    targets = [f for f in open_targets(user=user) if f.pk not in held] if user.agency_id else []
    if prominent is None:
        finished = getattr(record, "state", None) in CLOSED_STATES or bool(
            getattr(record, "completed_at", None)
        )
        prominent = finished and not holders
    return {
        "kind": kind,
        "object_id": record.pk,
        "holders": holders,
        "targets": targets,
        "prominent": prominent,
        "can_open_new": bool(user.agency_id),
        "next": record.get_absolute_url() if hasattr(record, "get_absolute_url") else "",
        "post_url": reverse("documents:casefile_file_record"),
        "new_url": reverse("documents:casefile_list") + "#open-file",
    }


def record_in_archived_file(kind: str, object_id: int) -> bool:
    """Does a file handed to the archive (submitted, archived or disposed of) hold the record? Its module
    then refuses any change to it (IV.1g): the archived file must stay what the archive accepted. One
    EXISTS query."""
    return CaseFileItem.objects.filter(
        kind=kind, object_id=object_id, case_file__status__in=access.FROZEN
    ).exists()
