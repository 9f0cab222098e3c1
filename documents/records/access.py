"""Who may see and change a case file (hồ sơ): one access helper, the same 404 for "missing" and "not yours".

Before the archive (open, closed, submitted) a file is seen inside its agency by its owner, the clerks,
leaders, archivists and agency admins, the people of its department (unless its rights are "secret") and the
department's heads. Once archived (or disposed) archivists and leaders read it directly; anybody else
needs an approved borrow request (``BorrowRequest``) running until today or later, unless its rights are
"public". Every read of an archived file is logged (``eoffice.audit.record_access``, kind "casefile").
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.records.models import BorrowRequest, CaseFile, UsageRights
from eoffice.audit import record_access
from eoffice.models import Role, User

PRE_ARCHIVE = (CaseFile.Status.OPEN, CaseFile.Status.CLOSED, CaseFile.Status.SUBMITTED)
IN_ARCHIVE = (CaseFile.Status.ARCHIVED, CaseFile.Status.DISPOSED)


def visible_q(user: User) -> Q:
    """The files of ``user``'s agency the user may read (the filter is in the SQL)."""
    if not user.is_authenticated or not user.agency_id:
        return Q(pk__in=[])
    roles = user.roles
    agency = Q(agency_id=user.agency_id)
    if roles & {Role.LEADER, Role.ARCHIVIST}:
        return agency
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
    return agency & ((Q(status__in=PRE_ARCHIVE) & before) | (Q(status__in=IN_ARCHIVE) & archived))


def visible_case_files(user: User) -> QuerySet[CaseFile]:
    return CaseFile.objects.filter(visible_q(user))


def case_file_access(*, user: User, pk: int, lock: bool = False, audit: str | None = "view") -> CaseFile:
    """The case file ``pk`` if ``user`` may read it, else 404 (missing and forbidden alike). ``lock=True``
    (inside the caller's ``transaction.atomic``) locks its row. A read of an archived file is logged with
    the action ``audit`` ("view", "download", "export"…; ``None`` when the caller logs it itself); a locked
    fetch is a write's and is not logged."""
    qs = visible_case_files(user)
    if lock:
        return get_object_or_404(qs.select_for_update(of=("self",)), pk=pk)
    case_file = get_object_or_404(
        qs.select_related("agency", "owner", "department", "plan_entry", "plan_entry__plan", "transfer"),
        pk=pk,
    )
    if audit and case_file.status in IN_ARCHIVE:
        record_access(user=user, kind="casefile", object_id=case_file.pk, action=audit)
    return case_file


def can_manage(user: User, case_file: CaseFile) -> bool:
    """May ``user`` change the file's contents (add, remove, reorder, upload, close)? The owner, the clerks
    and leaders of its agency, while it is open."""
    return case_file.is_open and is_manager(user, case_file)


def is_manager(user: User, case_file: CaseFile) -> bool:
    """The owner, a clerk or a leader of the file's agency (whatever the file's status)."""
    if not user.is_authenticated or user.agency_id != case_file.agency_id:
        return False
    return case_file.owner_id == user.pk or user.has_role(Role.CLERK, Role.LEADER)


def can_reopen(user: User, case_file: CaseFile) -> bool:
    return case_file.status == CaseFile.Status.CLOSED and is_manager(user, case_file)


def ensure_changeable(case_file: CaseFile) -> None:
    """Raise the frozen error for a file submitted to, accepted by or disposed of by the archive."""
    if case_file.is_frozen:
        raise ValidationError(_("Hồ sơ đã nộp lưu, không được thay đổi."))
