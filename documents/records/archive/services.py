"""Writes of the agency archive: the transfer announcement, transfer (nộp lưu), the archivist's acceptance or
return, borrowing, appraisal and disposal, and the two daily scans (transfer warnings, retention ended).

Keyword-only, one ``transaction.atomic`` each, the actor's right checked here; every state change of a case
file writes a history row (``workflow.services.history_add``)."""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.records import kinds
from documents.records.archive import rules
from documents.records.models import (
    Appraisal,
    AppraisalItem,
    BorrowRequest,
    CaseFile,
    CaseFileItem,
    Transfer,
    UsageRights,
)
from eoffice.models import Department, Role, User
from eoffice.services import notify
from workflow import services as wf
from workflow.models import HistoryEntry

logger = logging.getLogger(__name__)

SCAN_BATCH = 200
ARCHIVE_CODE_LOCK = 0x6172_6368  # advisory lock namespace of the archive codes ("arch")


# --- who is who -------------------------------------------------------------------------------------


def is_archivist(user: User) -> bool:
    return bool(user.is_authenticated and user.agency_id and user.has_role(Role.ARCHIVIST))


def is_leader(user: User) -> bool:
    return bool(user.is_authenticated and user.agency_id and user.has_role(Role.LEADER))


def role_holders(agency_id: int, role: str) -> list[User]:
    return list(
        User.objects.filter(
            agency_id=agency_id,
            is_active=True,
            groups__agency_role__role=role,
            groups__agency_role__agency_id=agency_id,
        ).distinct()
    )


def may_transfer(user: User, case_file: CaseFile) -> bool:
    """The file's owner, the head of its unit, or a clerk of its agency may hand it to the archive."""
    if not user.is_authenticated or user.agency_id != case_file.agency_id:
        return False
    if case_file.owner_id == user.pk or user.has_role(Role.CLERK):
        return True
    return bool(
        user.has_role(Role.DEPARTMENT_HEAD)
        and user.department_id
        and case_file.department_id == user.department_id
    )


def _require_archivist(user: User) -> None:
    if not is_archivist(user):
        raise PermissionDenied(_("Chỉ cán bộ lưu trữ cơ quan được thực hiện thao tác này."))


def _history(case_file: CaseFile, *, by: User | None, action: str, before: str, comment: str = "") -> None:
    wf.history_add(
        record=case_file,
        event=HistoryEntry.Event.TRANSITION,
        actor=by,
        action=action,
        from_state=before,
        to_state=case_file.status,
        comment=comment,
    )


def path(name: str, *args) -> str:
    return reverse(name, args=args)


# --- announcement and transfer ----------------------------------------------------------------------


def transfer_announce(*, by: User, year: int, due: date, department: Department | None = None) -> int:
    """ "Thông báo danh mục hồ sơ nộp lưu": the closed, not transferred files of ``year`` (of ``department``,
    or of every unit) are due on ``due``; their owners are told. Returns the number of files."""
    _require_archivist(by)
    if due < timezone.localdate():
        raise ValidationError(_("Hạn nộp lưu phải từ hôm nay trở đi."))
    if department is not None and department.agency_id != by.agency_id:
        raise PermissionDenied(_("Đơn vị không thuộc cơ quan của bạn."))
    now = timezone.now()
    with transaction.atomic():
        qs = CaseFile.objects.filter(
            agency_id=by.agency_id, year=year, status=CaseFile.Status.CLOSED, transfer__isnull=True
        )
        if department is not None:
            qs = qs.filter(department=department)
        files = list(qs.select_for_update(of=("self",)).select_related("owner"))
        if not files:
            raise ValidationError(_("Không có hồ sơ đã kết thúc nào chưa nộp lưu của năm và đơn vị đã chọn."))
        CaseFile.objects.filter(pk__in=[f.pk for f in files]).update(transfer_due=due, transfer_warned_at=now)
        unit = department.name if department else _("các đơn vị")
        for f in files:
            wf.history_add(
                record=f,
                event=HistoryEntry.Event.DEADLINE,
                actor=by,
                action="transfer_announce",
                comment=_("Lưu trữ cơ quan thông báo hạn nộp lưu %(due)s") % {"due": f"{due:%d/%m/%Y}"},
            )
        by_owner: dict[int, list[CaseFile]] = {}
        for f in files:
            by_owner.setdefault(f.owner_id, []).append(f)
        for owned in by_owner.values():
            notify(
                recipients=[owned[0].owner],
                kind="records.transfer_announce",
                title=_("Thông báo danh mục hồ sơ nộp lưu năm %(year)s: hạn %(due)s")
                % {"year": year, "due": f"{due:%d/%m/%Y}"},
                body=_("%(n)d hồ sơ của %(unit)s phải nộp lưu trước ngày %(due)s: %(files)s")
                % {
                    "n": len(owned),
                    "unit": unit,
                    "due": f"{due:%d/%m/%Y}",
                    "files": "; ".join(f.code for f in owned[:10]),
                },
                url=path("documents:transfer_create"),
            )
    return len(files)


def _refresh_snapshots(case_file: CaseFile) -> None:
    """The linked records' metadata taken once more before the file is handed over (helper 2's service)."""
    from documents.records.services import files as file_services

    file_services.case_file_refresh_snapshots(case_file=case_file)


def transfer_create(*, by: User, file_ids: Iterable[int], note: str = "") -> Transfer:
    """Nộp lưu: closed files of one unit handed to the archive with their list; archivists are told."""
    ids = sorted({int(pk) for pk in file_ids})
    if not ids:
        raise ValidationError(_("Chọn ít nhất một hồ sơ để nộp lưu."))
    with transaction.atomic():
        files = list(
            CaseFile.objects.select_for_update(of=("self",))
            .filter(pk__in=ids, agency_id=by.agency_id)
            .order_by("code")
        )
        if len(files) != len(ids):
            raise ValidationError(_("Có hồ sơ không tồn tại hoặc không thuộc cơ quan của bạn."))
        for f in files:
            if not may_transfer(by, f):
                raise PermissionDenied(
                    _("Bạn không được nộp lưu hồ sơ %(code)s (chỉ người lập, trưởng đơn vị hoặc văn thư).")
                    % {"code": f.code}
                )
            if f.status != CaseFile.Status.CLOSED or f.transfer_id:
                raise ValidationError(
                    _("Hồ sơ %(code)s chưa kết thúc hoặc đã nộp lưu; chỉ nộp lưu hồ sơ đã kết thúc.")
                    % {"code": f.code}
                )
        units = {f.department_id for f in files}
        if len(units) > 1:
            raise ValidationError(_("Mỗi lần nộp lưu chỉ gồm hồ sơ của một đơn vị."))
        for f in files:
            _refresh_snapshots(f)
        transfer = Transfer.objects.create(
            agency_id=by.agency_id,
            department_id=units.pop(),
            submitted_by=by,
            note=note.strip(),
            file_ids=[f.pk for f in files],
        )
        for f in files:
            before = f.status
            f.status = CaseFile.Status.SUBMITTED
            f.transfer = transfer
            f.save(update_fields=["status", "transfer"])
            _history(f, by=by, action="transfer_submit", before=before, comment=note.strip())
        notify(
            recipients=role_holders(by.agency_id, Role.ARCHIVIST),
            kind="records.transfer_submitted",
            title=_("Hồ sơ nộp lưu chờ tiếp nhận: %(n)d hồ sơ của %(who)s") % {"n": len(files), "who": by},
            body=note.strip(),
            url=transfer.get_absolute_url(),
        )
    return transfer


def _lock_transfer(transfer: Transfer, by: User) -> Transfer:
    _require_archivist(by)
    locked = Transfer.objects.select_for_update().get(pk=transfer.pk)
    if locked.agency_id != by.agency_id:
        raise PermissionDenied
    if locked.status != Transfer.Status.SUBMITTED:
        raise ValidationError(_("Đợt nộp lưu này đã được xử lý."))
    return locked


def _next_archive_codes(agency_id: int, year: int, n: int) -> list[str]:
    """``n`` new archive codes LT.<year>.<0001…> of the agency (an advisory lock keeps them unique)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [ARCHIVE_CODE_LOCK, agency_id])
    prefix = f"LT.{year}."
    taken = CaseFile.objects.filter(agency_id=agency_id, archive_code__startswith=prefix).values_list(
        "archive_code", flat=True
    )
    last = max((int(code[len(prefix) :]) for code in taken if code[len(prefix) :].isdigit()), default=0)
    return [f"{prefix}{last + i:04d}" for i in range(1, n + 1)]


def transfer_accept(*, transfer: Transfer, by: User, note: str = "") -> Transfer:
    """The archivist accepts: the files are archived (frozen), coded, their retention end computed."""
    now = timezone.now()
    with transaction.atomic():
        locked = _lock_transfer(transfer, by)
        files = list(
            CaseFile.objects.select_for_update(of=("self",))
            .filter(transfer=locked, status=CaseFile.Status.SUBMITTED)
            .order_by("code", "pk")
        )
        codes = _next_archive_codes(locked.agency_id, timezone.localtime(now).year, len(files))
        for f, code in zip(files, codes, strict=True):
            before = f.status
            f.status = CaseFile.Status.ARCHIVED
            f.archived_at = now
            f.archive_code = code
            f.retention_until = rules.retention_until_for(f)
            f.save(update_fields=["status", "archived_at", "archive_code", "retention_until"])
            _history(
                f,
                by=by,
                action="transfer_accept",
                before=before,
                comment=_("Lưu trữ cơ quan tiếp nhận, mã lưu trữ %(code)s") % {"code": code},
            )
        locked.status = Transfer.Status.ACCEPTED
        locked.decided_by = by
        locked.decided_at = now
        locked.decision_note = note.strip()
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        owners = User.objects.filter(pk__in={f.owner_id for f in files} | {locked.submitted_by_id})
        notify(
            recipients=owners,
            kind="records.transfer_accepted",
            title=_("Lưu trữ cơ quan đã tiếp nhận %(n)d hồ sơ nộp lưu") % {"n": len(files)},
            body=note.strip(),
            url=locked.get_absolute_url(),
        )
    return locked


def transfer_return(*, transfer: Transfer, by: User, reason: str) -> Transfer:
    """The archivist returns the files with the reason: they are closed again, to be completed."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Vui lòng nhập lý do trả lại."))
    with transaction.atomic():
        locked = _lock_transfer(transfer, by)
        files = list(
            CaseFile.objects.select_for_update(of=("self",))
            .filter(transfer=locked, status=CaseFile.Status.SUBMITTED)
            .select_related("owner")
        )
        for f in files:
            before = f.status
            f.status = CaseFile.Status.CLOSED
            f.transfer = None
            f.save(update_fields=["status", "transfer"])
            _history(f, by=by, action="transfer_return", before=before, comment=reason)
        locked.status = Transfer.Status.RETURNED
        locked.decided_by = by
        locked.decided_at = timezone.now()
        locked.decision_note = reason
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
        notify(
            recipients=[*(f.owner for f in files), locked.submitted_by],
            kind="records.transfer_returned",
            title=_("Lưu trữ cơ quan trả lại hồ sơ nộp lưu"),
            body=reason,
            url=locked.get_absolute_url(),
        )
    return locked


# --- borrowing ----------------------------------------------------------------------------------------


def can_read_archived(user: User, case_file: CaseFile) -> bool:
    """Reads it without a borrow request: archivists, leaders, or anybody of the agency when public."""
    return bool(
        user.agency_id == case_file.agency_id
        and (user.has_role(Role.ARCHIVIST, Role.LEADER) or case_file.rights == UsageRights.PUBLIC)
    )


def borrow_request(*, case_file: CaseFile, by: User, purpose: str, until: date) -> BorrowRequest:
    """Phiếu yêu cầu khai thác: someone not entitled asks the archive to read an archived file."""
    purpose = (purpose or "").strip()
    if not purpose:
        raise ValidationError(_("Vui lòng nêu mục đích khai thác."))
    if until < timezone.localdate():
        raise ValidationError(_("Ngày khai thác đến phải từ hôm nay trở đi."))
    with transaction.atomic():
        locked = CaseFile.objects.select_for_update().get(pk=case_file.pk)
        if locked.agency_id != by.agency_id:
            raise PermissionDenied
        if locked.status != CaseFile.Status.ARCHIVED:
            raise ValidationError(_("Chỉ đề nghị khai thác hồ sơ đang bảo quản tại lưu trữ cơ quan."))
        if can_read_archived(by, locked):
            raise ValidationError(_("Bạn đã được xem hồ sơ này, không cần đề nghị khai thác."))
        if BorrowRequest.objects.filter(
            case_file=locked, requester=by, status=BorrowRequest.Status.PENDING
        ).exists():
            raise ValidationError(_("Bạn đã có một đề nghị khai thác hồ sơ này đang chờ duyệt."))
        borrow = BorrowRequest.objects.create(case_file=locked, requester=by, purpose=purpose, until=until)
        notify(
            recipients=role_holders(locked.agency_id, Role.ARCHIVIST),
            kind="records.borrow_requested",
            title=_("Đề nghị khai thác hồ sơ %(code)s của %(who)s") % {"code": locked.code, "who": by},
            body=purpose,
            url=path("documents:archive_borrows"),
        )
    return borrow


def borrow_decide(
    *, borrow: BorrowRequest, by: User, approve: bool, until: date | None = None, note: str = ""
) -> BorrowRequest:
    """The archivist approves (until a date) or refuses; the requester is told."""
    _require_archivist(by)
    note = (note or "").strip()
    with transaction.atomic():
        locked = (
            BorrowRequest.objects.select_for_update(of=("self",))
            .select_related("case_file")
            .get(pk=borrow.pk)
        )
        if locked.case_file.agency_id != by.agency_id:
            raise PermissionDenied
        if locked.status != BorrowRequest.Status.PENDING:
            raise ValidationError(_("Đề nghị khai thác này đã được xử lý."))
        if approve:
            until = until or locked.until
            if until is None or until < timezone.localdate():
                raise ValidationError(_("Ngày khai thác đến phải từ hôm nay trở đi."))
            locked.status = BorrowRequest.Status.APPROVED
            locked.until = until
        else:
            if not note:
                raise ValidationError(_("Vui lòng nêu lý do từ chối."))
            locked.status = BorrowRequest.Status.REFUSED
        locked.decided_by = by
        locked.decided_at = timezone.now()
        locked.decision_note = note
        locked.save(update_fields=["status", "until", "decided_by", "decided_at", "decision_note"])
        f = locked.case_file
        if approve:
            title = _("Được khai thác hồ sơ %(code)s đến ngày %(until)s") % {
                "code": f.code,
                "until": f"{locked.until:%d/%m/%Y}",
            }
            url = f.get_absolute_url()
        else:
            title = _("Đề nghị khai thác hồ sơ %(code)s bị từ chối") % {"code": f.code}
            url = path("documents:archive_catalogue")
        notify(recipients=[locked.requester], kind="records.borrow_decided", title=title, body=note, url=url)
    return locked


# --- appraisal and disposal ---------------------------------------------------------------------------


def appraisal_propose(*, by: User, file_ids: Iterable[int], reason: str) -> Appraisal:
    """The archivist proposes files whose fixed retention has ended for the head of the agency's decision."""
    _require_archivist(by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Vui lòng nêu lý do đề nghị hủy."))
    ids = sorted({int(pk) for pk in file_ids})
    if not ids:
        raise ValidationError(_("Chọn ít nhất một hồ sơ."))
    today = timezone.localdate()
    with transaction.atomic():
        files = list(
            CaseFile.objects.select_for_update(of=("self",)).filter(pk__in=ids, agency_id=by.agency_id)
        )
        if len(files) != len(ids):
            raise ValidationError(_("Có hồ sơ không tồn tại hoặc không thuộc cơ quan của bạn."))
        for f in files:
            if not rules.retention_ended(f, today):
                raise ValidationError(
                    _("Hồ sơ %(code)s chưa hết thời hạn bảo quản, không đề nghị hủy được.") % {"code": f.code}
                )
        pending = AppraisalItem.objects.filter(
            case_file_id__in=ids, appraisal__status=Appraisal.Status.PROPOSED
        ).select_related("case_file")
        clash = next(iter(pending), None)
        if clash is not None:
            raise ValidationError(
                _("Hồ sơ %(code)s đã có trong một đề nghị hủy đang chờ quyết định.")
                % {"code": clash.case_file.code}
            )
        appraisal = Appraisal.objects.create(agency_id=by.agency_id, proposed_by=by, reason=reason)
        AppraisalItem.objects.bulk_create([AppraisalItem(appraisal=appraisal, case_file=f) for f in files])
        for f in files:
            wf.history_add(
                record=f,
                event=HistoryEntry.Event.COMMENT,
                actor=by,
                action="appraisal_propose",
                comment=_("Đề nghị hủy: %(reason)s") % {"reason": reason},
            )
        notify(
            recipients=role_holders(by.agency_id, Role.LEADER),
            kind="records.appraisal_proposed",
            title=_("Đề nghị hủy %(n)d hồ sơ hết thời hạn bảo quản") % {"n": len(files)},
            body=reason,
            url=path("documents:appraisal_detail", appraisal.pk),
        )
    return appraisal


def appraisal_decide(
    *,
    appraisal: Appraisal,
    by: User,
    decision_number: str,
    verdicts: Mapping[int, tuple[str, int | None]],
    note: str = "",
) -> Appraisal:
    """The head of the agency decides, file by file: destroy, or keep ``n`` more years; the decision number
    is recorded. A destroyed file becomes DISPOSED: its own uploaded papers are deleted from storage (after
    the commit), the metadata, the items and this decision stay as the record of the destruction."""
    if not is_leader(by):
        raise PermissionDenied(_("Chỉ lãnh đạo cơ quan được quyết định hủy tài liệu."))
    decision_number = (decision_number or "").strip()
    if not decision_number:
        raise ValidationError(_("Vui lòng nhập số quyết định."))
    now = timezone.now()
    with transaction.atomic():
        locked = Appraisal.objects.select_for_update().get(pk=appraisal.pk)
        if locked.agency_id != by.agency_id:
            raise PermissionDenied
        if locked.status != Appraisal.Status.PROPOSED:
            raise ValidationError(_("Đề nghị này đã có quyết định."))
        items = list(
            AppraisalItem.objects.select_for_update(of=("self",))
            .filter(appraisal=locked)
            .select_related("case_file")
        )
        for item in items:
            verdict, years = verdicts.get(item.case_file_id, ("", None))
            if verdict not in (AppraisalItem.Verdict.DESTROY, AppraisalItem.Verdict.EXTEND):
                raise ValidationError(
                    _("Chưa có quyết định cho hồ sơ %(code)s.") % {"code": item.case_file.code}
                )
            if verdict == AppraisalItem.Verdict.EXTEND and not (years and 0 < years <= 100):
                raise ValidationError(
                    _("Nhập số năm tiếp tục bảo quản (1–100) cho hồ sơ %(code)s.")
                    % {"code": item.case_file.code}
                )
            item.verdict = verdict
            item.extend_years = years if verdict == AppraisalItem.Verdict.EXTEND else None
        AppraisalItem.objects.bulk_update(items, ["verdict", "extend_years"])
        destroyed: list[int] = []
        stored: list[tuple] = []
        files = CaseFile.objects.select_for_update(of=("self",)).in_bulk([i.case_file_id for i in items])
        for item in items:
            f = files[item.case_file_id]
            before = f.status
            label = _("theo Quyết định số %(n)s") % {"n": decision_number}
            if item.verdict == AppraisalItem.Verdict.DESTROY:
                f.status = CaseFile.Status.DISPOSED
                f.disposed_at = now
                f.save(update_fields=["status", "disposed_at"])
                destroyed.append(f.pk)
                _history(
                    f, by=by, action="appraisal_destroy", before=before, comment=_("Hủy %(l)s") % {"l": label}
                )
            else:
                f.retention_until = rules.extended_until(f.retention_until, item.extend_years)
                f.save(update_fields=["retention_until"])
                wf.history_add(
                    record=f,
                    event=HistoryEntry.Event.DEADLINE,
                    actor=by,
                    action="appraisal_extend",
                    comment=_("Tiếp tục bảo quản đến %(until)s %(l)s")
                    % {"until": f"{f.retention_until:%d/%m/%Y}", "l": label},
                )
        papers = CaseFileItem.objects.filter(case_file_id__in=destroyed, kind=kinds.PAPER).exclude(file="")
        for paper in papers:
            stored.append((paper.file.storage, paper.file.name))
        papers.update(file="")
        locked.status = Appraisal.Status.DECIDED
        locked.decided_by = by
        locked.decided_at = now
        locked.decision_number = decision_number
        locked.decision_note = (note or "").strip()
        locked.save(update_fields=["status", "decided_by", "decided_at", "decision_number", "decision_note"])
        transaction.on_commit(lambda: _delete_stored(stored))
        notify(
            recipients=[locked.proposed_by],
            kind="records.appraisal_decided",
            title=_("Quyết định số %(n)s về đề nghị hủy tài liệu: hủy %(d)d, tiếp tục bảo quản %(k)d")
            % {"n": decision_number, "d": len(destroyed), "k": len(items) - len(destroyed)},
            url=path("documents:appraisal_detail", locked.pk),
        )
    return locked


def _delete_stored(stored: list[tuple]) -> None:
    for storage, name in stored:
        try:
            storage.delete(name)
        except OSError:  # the row no longer points at it; a leftover file is logged, not fatal
            logger.exception("could not delete disposed paper %s", name)
