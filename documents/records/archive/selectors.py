"""Reads of the agency archive; every queryset is already filtered (in SQL) to what the user may see."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, Exists, F, Func, IntegerField, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from documents.records.archive.services import is_archivist, is_leader
from documents.records.models import (
    Appraisal,
    AppraisalItem,
    BorrowRequest,
    CaseFile,
    Retention,
    Transfer,
    UsageRights,
)
from eoffice.models import AccessEvent, Role, User


def _none(model) -> QuerySet:
    return model.objects.none()


# --- transfers ---------------------------------------------------------------------------------------


def _with_count(qs: QuerySet[Transfer]) -> QuerySet[Transfer]:
    return qs.select_related("department", "submitted_by", "decided_by").annotate(
        n_files=Func(F("file_ids"), function="jsonb_array_length", output_field=IntegerField())
    )


def visible_transfers(user: User) -> QuerySet[Transfer]:
    """Archivists, leaders and clerks: the agency's transfers; a unit head: the unit's; others: their own."""
    if not user.is_authenticated or not user.agency_id:
        return _none(Transfer)
    qs = Transfer.objects.filter(agency_id=user.agency_id)
    if user.has_role(Role.ARCHIVIST, Role.LEADER, Role.CLERK):
        return qs
    mine = Q(submitted_by=user)
    if user.has_role(Role.DEPARTMENT_HEAD) and user.department_id:
        mine |= Q(department_id=user.department_id)
    return qs.filter(mine)


def pending_transfers(user: User) -> QuerySet[Transfer]:
    if not is_archivist(user):
        return _none(Transfer)
    return _with_count(Transfer.objects.filter(agency_id=user.agency_id, status=Transfer.Status.SUBMITTED))


def pending_transfer_count(user: User) -> int:
    if not is_archivist(user):
        return 0
    return Transfer.objects.filter(agency_id=user.agency_id, status=Transfer.Status.SUBMITTED).count()


def recent_transfers(user: User, *, limit: int = 20) -> list[Transfer]:
    return list(_with_count(visible_transfers(user)).order_by("-submitted_at")[:limit])


def transfer_access(*, user: User, pk: int) -> Transfer:
    return get_object_or_404(_with_count(visible_transfers(user)), pk=pk)


def transfer_files(transfer: Transfer) -> list[CaseFile]:
    """The files handed over this time (kept in ``file_ids`` even when the transfer was returned)."""
    return list(
        CaseFile.objects.filter(pk__in=transfer.file_ids, agency_id=transfer.agency_id)
        .select_related("owner", "department")
        .order_by("code", "pk")
    )


def transferable_files(user: User) -> QuerySet[CaseFile]:
    """Closed files not yet handed over that ``user`` may transfer (owner, unit head, clerk)."""
    if not user.is_authenticated or not user.agency_id:
        return _none(CaseFile)
    qs = CaseFile.objects.filter(
        agency_id=user.agency_id, status=CaseFile.Status.CLOSED, transfer__isnull=True
    )
    if not user.has_role(Role.CLERK):
        mine = Q(owner=user)
        if user.has_role(Role.DEPARTMENT_HEAD) and user.department_id:
            mine |= Q(department_id=user.department_id)
        qs = qs.filter(mine)
    return qs.select_related("owner", "department").order_by("transfer_due", "department__name", "code")


def owns_files(user: User) -> bool:
    """Has ``user`` any file past "open" (whose transfer page they need)? One indexed query."""
    return CaseFile.objects.filter(owner=user).exclude(status=CaseFile.Status.OPEN).exists()


# --- archived files ----------------------------------------------------------------------------------


def archived_files(
    user: User,
    *,
    q: str = "",
    year: int | None = None,
    retention: str = "",
    status: str = CaseFile.Status.ARCHIVED,
) -> QuerySet[CaseFile]:
    """The archive's files for archivists and leaders, searched by code, title, year, retention."""
    if not (is_archivist(user) or is_leader(user)):
        return _none(CaseFile)
    statuses = (
        [status]
        if status in (CaseFile.Status.ARCHIVED, CaseFile.Status.DISPOSED)
        else [
            CaseFile.Status.ARCHIVED,
            CaseFile.Status.DISPOSED,
        ]
    )
    qs = CaseFile.objects.filter(agency_id=user.agency_id, status__in=statuses)
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(archive_code__icontains=q) | Q(title__icontains=q))
    if year:
        qs = qs.filter(year=year)
    if retention in Retention.values:
        qs = qs.filter(retention=retention)
    return qs.select_related("department", "owner").order_by("-archived_at", "-pk")


def catalogue(user: User, *, q: str = "") -> QuerySet[CaseFile]:
    """What anybody of the agency may ask to borrow: the archived files (secret ones only for archivists
    and leaders, who read them anyway)."""
    if not user.is_authenticated or not user.agency_id:
        return _none(CaseFile)
    qs = CaseFile.objects.filter(agency_id=user.agency_id, status=CaseFile.Status.ARCHIVED)
    if not (is_archivist(user) or is_leader(user)):
        qs = qs.exclude(rights=UsageRights.SECRET)
    if q:
        qs = qs.filter(Q(code__icontains=q) | Q(archive_code__icontains=q) | Q(title__icontains=q))
    active = BorrowRequest.objects.filter(
        case_file_id=OuterRef("pk"),
        requester_id=user.pk,
        status=BorrowRequest.Status.APPROVED,
        until__gte=timezone.localdate(),
    )
    pending = BorrowRequest.objects.filter(
        case_file_id=OuterRef("pk"), requester_id=user.pk, status=BorrowRequest.Status.PENDING
    )
    return (
        qs.select_related("department")
        .annotate(borrowed=Exists(active), asked=Exists(pending))
        .order_by("-year", "code", "pk")
    )


def archive_file(*, user: User, pk: int) -> CaseFile:
    """An archived or disposed file of the archivist's agency (404 otherwise)."""
    if not (is_archivist(user) or is_leader(user)):
        raise Http404
    return get_object_or_404(
        CaseFile.objects.select_related("owner", "department", "transfer"),
        pk=pk,
        agency_id=user.agency_id,
        status__in=(CaseFile.Status.ARCHIVED, CaseFile.Status.DISPOSED),
    )


def borrowable_file(*, user: User, pk: int) -> CaseFile:
    """The archived file ``pk`` of the user's agency, as the catalogue shows it (404 otherwise)."""
    return get_object_or_404(catalogue(user), pk=pk)


def access_log(case_file: CaseFile) -> QuerySet[AccessEvent]:
    """Who read the file and when (AccessEvent rows of kind "casefile")."""
    return (
        AccessEvent.objects.filter(kind="casefile", object_id=case_file.pk)
        .select_related("user", "user__department")
        .order_by("-at", "-id")
    )


def file_borrows(case_file: CaseFile) -> list[BorrowRequest]:
    return list(case_file.borrow_requests.select_related("requester", "decided_by").order_by("-requested_at"))


# --- borrowing ---------------------------------------------------------------------------------------


def pending_borrows(user: User) -> QuerySet[BorrowRequest]:
    if not is_archivist(user):
        return _none(BorrowRequest)
    return (
        BorrowRequest.objects.filter(case_file__agency_id=user.agency_id, status=BorrowRequest.Status.PENDING)
        .select_related("case_file", "requester", "requester__department")
        .order_by("requested_at")
    )


def recent_borrows(user: User, *, limit: int = 30) -> list[BorrowRequest]:
    if not is_archivist(user):
        return []
    return list(
        BorrowRequest.objects.filter(case_file__agency_id=user.agency_id)
        .exclude(status=BorrowRequest.Status.PENDING)
        .select_related("case_file", "requester", "decided_by")
        .order_by("-decided_at")[:limit]
    )


def my_borrows(user: User) -> list[BorrowRequest]:
    return list(
        BorrowRequest.objects.filter(requester=user)
        .select_related("case_file")
        .order_by("-requested_at")[:30]
    )


def borrow_access(*, user: User, pk: int) -> BorrowRequest:
    if not is_archivist(user):
        raise Http404
    return get_object_or_404(BorrowRequest, pk=pk, case_file__agency_id=user.agency_id)


def archivist_todo_count(user: User) -> int:
    """Transfers and borrow requests waiting for the archivist (one query)."""
    if not is_archivist(user):
        return 0
    counts = Transfer.objects.filter(agency_id=user.agency_id, status=Transfer.Status.SUBMITTED).aggregate(
        n=Count("pk")
    )["n"]
    return (
        counts
        + BorrowRequest.objects.filter(
            case_file__agency_id=user.agency_id, status=BorrowRequest.Status.PENDING
        ).count()
    )


# --- retention and appraisal --------------------------------------------------------------------------


def expired_files(user: User, *, today: date | None = None) -> QuerySet[CaseFile]:
    """Archived files whose fixed retention has ended and that no pending appraisal holds yet."""
    if not is_archivist(user):
        return _none(CaseFile)
    today = today or timezone.localdate()
    held = AppraisalItem.objects.filter(
        case_file_id=OuterRef("pk"), appraisal__status=Appraisal.Status.PROPOSED
    )
    return (
        CaseFile.objects.filter(
            agency_id=user.agency_id, status=CaseFile.Status.ARCHIVED, retention_until__lt=today
        )
        .exclude(Exists(held))
        .select_related("department")
        .order_by("retention_until", "archive_code", "pk")
    )


def visible_appraisals(user: User) -> QuerySet[Appraisal]:
    if not (is_archivist(user) or is_leader(user)):
        return _none(Appraisal)
    return (
        Appraisal.objects.filter(agency_id=user.agency_id)
        .select_related("proposed_by", "decided_by")
        .annotate(n_files=Count("items"))
        .order_by("-proposed_at")
    )


def pending_appraisal_count(user: User) -> int:
    if not is_leader(user):
        return 0
    return Appraisal.objects.filter(agency_id=user.agency_id, status=Appraisal.Status.PROPOSED).count()


def pending_appraisal_preview(user: User, n: int) -> list[tuple[str, str]]:
    if not is_leader(user):
        return []
    return [
        (f"#{a.pk} · {a.reason[:80]}", a_url)
        for a in Appraisal.objects.filter(
            agency_id=user.agency_id, status=Appraisal.Status.PROPOSED
        ).order_by("proposed_at")[:n]
        for a_url in [_appraisal_url(a.pk)]
    ]


def _appraisal_url(pk: int) -> str:
    from django.urls import reverse

    return reverse("documents:appraisal_detail", args=[pk])


def appraisal_access(*, user: User, pk: int) -> Appraisal:
    return get_object_or_404(visible_appraisals(user), pk=pk)


def appraisal_items(appraisal: Appraisal) -> list[AppraisalItem]:
    return list(
        appraisal.items.select_related("case_file", "case_file__department").order_by(
            "case_file__archive_code", "case_file__code"
        )
    )
