"""Who may see and change a case file (hồ sơ): one access helper, the same 404 for "missing" and "not yours".

Before the archive (open, closed, submitted) a file is seen inside its agency by its owner, the clerks,
leaders, archivists and agency admins, the people of its department (unless its rights are "secret") and the
department's heads. Once archived (or disposed) archivists and leaders read it directly; anybody else
needs an approved borrow request (``BorrowRequest``) running until today or later, unless its rights are
"public". Every read of a file's page is logged (``eoffice.audit.record_access``, kind "casefile"), before
the archive as after it (III.6a, III.6l).

A person with authority (a leader or archivist of the agency) may lock an open or closed file on demand
(IV.1g) and unlock it. The models are frozen, so the lock is the latest "casefile_lock"/"casefile_unlock"
row of the file's history (``workflow.HistoryEntry``): ``lock_entry`` reads it in one query, and
``ensure_changeable`` refuses every write while it is a lock.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.records.levels.access import IN_ARCHIVE, level_q
from documents.records.models import BorrowRequest, CaseFile, UsageRights
from eoffice.audit import record_access
from eoffice.models import Role, User
from workflow.models import HistoryEntry

PRE_ARCHIVE = (CaseFile.Status.OPEN, CaseFile.Status.CLOSED, CaseFile.Status.SUBMITTED)
FROZEN = (CaseFile.Status.SUBMITTED, *IN_ARCHIVE)
LOCKABLE = (CaseFile.Status.OPEN, CaseFile.Status.CLOSED)
LOCK, UNLOCK = "casefile_lock", "casefile_unlock"
_LOCK_CACHE = "_lock_entry"


def visible_q(user: User) -> Q:
    """The files of ``user``'s agency the user may read (the filter is in the SQL)."""
    if not user.is_authenticated or not user.agency_id:
        return Q(pk__in=[])
    roles = user.roles
    agency = Q(agency_id=user.agency_id)
    if roles & {Role.LEADER, Role.ARCHIVIST}:
        return agency & level_q(user)
    if roles & {Role.CLERK, Role.AGENCY_ADMIN}:
        before = Q()
    else:
        before = Q(owner_id=user.pk)
        if user.department_id:
            before |= Q(department_id=user.department_id) & ~Q(rights=UsageRights.SECRET)
            if Role.DEPARTMENT_HEAD in roles:
                before |= Q(department_id=user.department_id)
    borrowed = Exists(
        BorrowRequest.objects.filter(
            case_file_id=OuterRef("pk"),
            requester_id=user.pk,
            status=BorrowRequest.Status.APPROVED,
            until__gte=timezone.localdate(),
        )
    )
    archived = Q(rights=UsageRights.PUBLIC) | Q(borrowed)
    # An information level the administrator defined narrows every rule above (IV.1.a).
    rules = (Q(status__in=PRE_ARCHIVE) & before) | (Q(status__in=IN_ARCHIVE) & archived)
    return agency & level_q(user) & rules


def visible_case_files(user: User) -> QuerySet[CaseFile]:
    return CaseFile.objects.filter(visible_q(user))


def case_file_access(*, user: User, pk: int, lock: bool = False, audit: str | None = "view") -> CaseFile:
    """The case file ``pk`` if ``user`` may read it, else 404 (missing and forbidden alike). ``lock=True``
    (inside the caller's ``transaction.atomic``) locks its row. The read is logged with the action
    ``audit`` ("view", "download", "export"…; ``None`` when the caller logs it itself or only checks the
    right before a write): one INSERT, whatever the file's status. A locked fetch is a write's and is not
    logged."""
    qs = visible_case_files(user)
    if lock:
        return get_object_or_404(qs.select_for_update(of=("self",)), pk=pk)
    case_file = get_object_or_404(
        qs.select_related("agency", "owner", "department", "plan_entry", "plan_entry__plan", "transfer"),
        pk=pk,
    )
    if audit:
        record_access(user=user, kind="casefile", object_id=case_file.pk, action=audit)
    return case_file


def can_manage(user: User, case_file: CaseFile) -> bool:
    """May ``user`` change the file's contents (add, remove, reorder, upload, close, its custom fields)?
    The owner, the clerks and leaders of its agency, while it is open and not locked."""
    return case_file.is_open and is_manager(user, case_file) and lock_entry(case_file) is None


def is_manager(user: User, case_file: CaseFile) -> bool:
    """The owner, a clerk or a leader of the file's agency (whatever the file's status)."""
    if not user.is_authenticated or user.agency_id != case_file.agency_id:
        return False
    return case_file.owner_id == user.pk or user.has_role(Role.CLERK, Role.LEADER)


def can_reopen(user: User, case_file: CaseFile) -> bool:
    return (
        case_file.status == CaseFile.Status.CLOSED
        and is_manager(user, case_file)
        and lock_entry(case_file) is None
    )


def ensure_changeable(case_file: CaseFile) -> None:
    """Raise the frozen error for a file submitted to, accepted by or disposed of by the archive, and the
    lock's error for a file locked on demand (one query; call it on the row locked by the write)."""
    if case_file.is_frozen:
        raise ValidationError(_("Hồ sơ đã nộp lưu, không được thay đổi."))
    entry = lock_entry(case_file)
    if entry is not None:
        raise ValidationError(locked_message(entry))


def lock_entry(case_file: CaseFile) -> HistoryEntry | None:
    """The history row of the lock in force (``None`` when the file is not locked): the latest of the
    file's lock/unlock rows, one indexed query (history_record_idx), remembered on the instance (a page
    asks several times; a write asks on the row it has just locked, a fresh instance)."""
    if case_file.status not in LOCKABLE:
        return None
    if _LOCK_CACHE in case_file.__dict__:
        return case_file.__dict__[_LOCK_CACHE]
    latest = (
        HistoryEntry.objects.for_record(case_file)
        .filter(action__in=(LOCK, UNLOCK))
        .select_related("actor")
        .order_by("-created_at", "-id")
        .first()
    )
    entry = latest if latest is not None and latest.action == LOCK else None
    case_file.__dict__[_LOCK_CACHE] = entry
    return entry


def forget_lock(case_file: CaseFile) -> None:
    """Drop the remembered lock state (after a lock or unlock on this instance)."""
    case_file.__dict__.pop(_LOCK_CACHE, None)


def locked_message(entry: HistoryEntry) -> str:
    return _("Hồ sơ đang bị khóa, không được thay đổi (lý do: %(reason)s). Liên hệ %(who)s để mở khóa.") % {
        "reason": entry.comment or "—",
        "who": entry.actor or _("lãnh đạo hoặc lưu trữ cơ quan"),
    }


def can_lock(user: User, case_file: CaseFile) -> bool:
    """Leaders and archivists of the file's agency lock and unlock an open or closed file (IV.1g)."""
    return bool(
        user.is_authenticated
        and user.agency_id == case_file.agency_id
        and case_file.status in LOCKABLE
        and user.has_role(Role.LEADER, Role.ARCHIVIST)
    )
