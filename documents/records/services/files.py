"""Writes of the case files (hồ sơ): open (from the file plan or ad hoc), file records of any kind and
papers uploaded to the file, number them chronologically, reorder, remove, close and reopen.

Every write is one transaction that locks the file's row (``select_for_update``), refuses any change once
the file is frozen (submitted to, accepted by or disposed of by the archive), writes a history row on the
file and, for a linked record that has a history, on the record.
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.records import access, kinds
from documents.records.archive.rules import transfer_due_for
from documents.records.models import (
    CaseFile,
    CaseFileItem,
    FilePlan,
    FilePlanEntry,
    FilePlanHeading,
    UsageRights,
)
from eoffice import uploads
from eoffice.models import Department, User
from workflow import services as wf
from workflow.models import HistoryEntry, WorkflowRecord

AD_HOC_HEADING = "Hồ sơ bổ sung ngoài danh mục"
PAPER_METADATA = (
    "type_name",
    "code_number",
    "code_notation",
    "issued_date",
    "organ_name",
    "page_amount",
    "language",
    "description",
    "signer_position",
    "signer_name",
    "priority",
)


def _history(record, *, by: User, action: str, comment: str, event: str = HistoryEntry.Event.UPDATED):
    wf.history_add(record=record, event=event, actor=by, action=action, comment=comment)


def _lock(case_file: CaseFile, by: User, *, need_open: bool = True) -> CaseFile:
    """The file's row, locked; the actor's right and the file's state checked (inside ``atomic``)."""
    locked = CaseFile.objects.select_for_update().get(pk=case_file.pk)
    if by.agency_id != locked.agency_id:
        raise PermissionDenied(_("Bạn không có quyền với hồ sơ này."))
    access.ensure_changeable(locked)
    if not access.is_manager(by, locked):
        raise PermissionDenied(_("Chỉ người lập hồ sơ, văn thư hoặc lãnh đạo được thay đổi hồ sơ."))
    if need_open and not locked.is_open:
        raise ValidationError(_("Hồ sơ đã kết thúc, không thay đổi được. Mở lại hồ sơ để cập nhật."))
    return locked


def file_totals(case_file: CaseFile) -> tuple[int, int]:
    """The file's "Tổng số văn bản" and "Tổng số trang" (Phần II Mục III fields 9, 10), one rule for the
    stored ``doc_total``/``page_total`` and for every output (the cover and the table of contents of the
    export print these very numbers):

    - every item is a document, with or without a file, its record gone or not;
    - its pages are its recorded "Số trang" (``page_amount``: counted from the PDF or the image when it was
      filed, or typed for a paper); an item whose page count is unknown adds none;
    - the cover and the table of contents an export adds are not pages of the file.

    The page ranges of the exported table are another thing: where each document lands in that PDF."""
    totals = CaseFileItem.objects.filter(case_file=case_file).aggregate(
        n=Count("id"), pages=Sum("page_amount")
    )
    return totals["n"] or 0, totals["pages"] or 0


def _update_totals(case_file: CaseFile) -> None:
    case_file.doc_total, case_file.page_total = file_totals(case_file)
    case_file.save(update_fields=["doc_total", "page_total"])


def _insert_position(case_file: CaseFile, sort_date: datetime) -> int:
    """The ordinal a new item dated ``sort_date`` takes: after the last item not later than it; the items
    from there on move down one place."""
    before = CaseFileItem.objects.filter(case_file=case_file, sort_date__lte=sort_date).aggregate(
        n=Max("ordinal")
    )["n"]
    position = (before or 0) + 1
    CaseFileItem.objects.filter(case_file=case_file, ordinal__gte=position).update(ordinal=F("ordinal") + 1)
    return position


def _code_taken(agency_id: int, year: int, code: str) -> ValidationError:
    return ValidationError(
        _("Số và ký hiệu hồ sơ “%(code)s” đã có trong năm %(year)d. Vui lòng chọn số, ký hiệu khác.")
        % {"code": code, "year": year}
    )


def _ad_hoc_entry(*, plan: FilePlan, code: str, title: str, retention: str, department, by: User):
    """Add an ad-hoc file to the year's plan under the heading "Hồ sơ bổ sung ngoài danh mục"."""
    if len(code) > FilePlanEntry._meta.get_field("code").max_length:
        raise ValidationError(_("Số và ký hiệu hồ sơ trong danh mục không quá 20 ký tự."))
    if FilePlanEntry.objects.filter(plan=plan, code__iexact=code).exists():
        raise _code_taken(plan.agency_id, plan.year, code)
    heading = FilePlanHeading.objects.filter(plan=plan, parent=None, title=AD_HOC_HEADING).first()
    if heading is None:
        last = FilePlanHeading.objects.filter(plan=plan, parent=None).aggregate(n=Max("position"))["n"]
        heading = FilePlanHeading.objects.create(plan=plan, title=AD_HOC_HEADING, position=(last or 0) + 1)
    numbers = FilePlanEntry.objects.filter(plan=plan).aggregate(n=Max("number"), p=Max("position"))
    return FilePlanEntry.objects.create(
        plan=plan,
        heading=heading,
        number=(numbers["n"] or 0) + 1,
        position=(numbers["p"] or 0) + 1,
        code=code,
        title=title[:500],
        retention=retention,
        department=department,
        responsible=by,
        ad_hoc=True,
    )


def case_file_open(
    *,
    by: User,
    title: str = "",
    retention: str = "",
    year: int | None = None,
    code: str = "",
    plan_entry: FilePlanEntry | None = None,
    department: Department | None = None,
    rights: str = UsageRights.RESTRICTED,
    description: str = "",
) -> CaseFile:
    """Open a case file: from an entry of the file plan (its code, title, retention and unit), or ad hoc
    (the person's title, retention and code; added to the year's plan as an ad-hoc entry when it exists)."""
    if not by.agency_id:
        raise PermissionDenied(_("Tài khoản chưa thuộc cơ quan nào."))
    if rights not in UsageRights.values:
        raise ValidationError(_("Chế độ sử dụng không hợp lệ."))
    if department is not None and department.agency_id != by.agency_id:
        raise ValidationError(_("Đơn vị phải thuộc cơ quan của bạn."))
    with transaction.atomic():
        if plan_entry is not None:
            entry = FilePlanEntry.objects.select_related("plan").get(pk=plan_entry.pk)
            if entry.plan.agency_id != by.agency_id:
                raise PermissionDenied(_("Hồ sơ trong danh mục không thuộc cơ quan của bạn."))
            code, title, retention = entry.code, entry.title, entry.retention
            year = entry.plan.year
            department = entry.department or department or by.department
        else:
            code, title = code.strip(), title.strip()
            year = year or timezone.localdate().year
            if not code or not title:
                raise ValidationError(_("Vui lòng nhập số, ký hiệu và tiêu đề hồ sơ."))
            if retention not in CaseFile.Retention.values:
                raise ValidationError(_("Thời hạn bảo quản không hợp lệ."))
            department = department or by.department
        if CaseFile.objects.filter(agency_id=by.agency_id, year=year, code__iexact=code).exists():
            raise _code_taken(by.agency_id, year, code)
        if plan_entry is None:
            plan = FilePlan.objects.select_for_update().filter(agency_id=by.agency_id, year=year).first()
            if plan is not None:
                plan_entry = _ad_hoc_entry(
                    plan=plan, code=code, title=title, retention=retention, department=department, by=by
                )
        try:
            with transaction.atomic():
                case_file = CaseFile.objects.create(
                    agency_id=by.agency_id,
                    department=department,
                    plan_entry=plan_entry,
                    year=year,
                    code=code,
                    title=title[:500],
                    retention=retention,
                    rights=rights,
                    description=description.strip()[:500],
                    owner=by,
                )
        except IntegrityError as exc:
            raise _code_taken(by.agency_id, year, code) from exc
        _history(
            case_file,
            by=by,
            action="casefile_open",
            event=HistoryEntry.Event.CREATED,
            comment=_("Mở hồ sơ theo danh mục") if plan_entry and not plan_entry.ad_hoc else _("Mở hồ sơ"),
        )
    return case_file


def case_file_update(*, case_file: CaseFile, by: User, title: str, description: str = "") -> CaseFile:
    """Rename the file or change its note (while it is open)."""
    title = title.strip()
    if not title:
        raise ValidationError(_("Vui lòng nhập tiêu đề hồ sơ."))
    with transaction.atomic():
        locked = _lock(case_file, by)
        locked.title, locked.description = title[:500], description.strip()[:500]
        locked.save(update_fields=["title", "description"])
        _history(locked, by=by, action="casefile_update", comment=_("Cập nhật tiêu đề, ghi chú hồ sơ"))
    return locked


def case_file_add_record(*, case_file: CaseFile, kind: str, object_id: int, by: User) -> CaseFileItem:
    """File a record of a registered kind (a link, no copy; a record may sit in several files)."""
    try:
        fileable = kinds.get(kind)
    except KeyError as exc:
        raise ValidationError(_("Loại tài liệu không hợp lệ.")) from exc
    with transaction.atomic():
        locked = _lock(case_file, by)
        try:
            record = fileable.access(by, int(object_id))
        except (Http404, ValueError, TypeError) as exc:
            raise PermissionDenied(_("Bạn không có quyền với tài liệu này.")) from exc
        if fileable.agency_id(record) != locked.agency_id:
            raise ValidationError(_("Tài liệu không thuộc cơ quan của hồ sơ."))
        if CaseFileItem.objects.filter(case_file=locked, kind=kind, object_id=record.pk).exists():
            raise ValidationError(_("Tài liệu đã có trong hồ sơ này."))
        snapshot = fileable.snapshot(record).as_fields()
        item = CaseFileItem.objects.create(
            case_file=locked,
            kind=kind,
            object_id=record.pk,
            ordinal=_insert_position(locked, snapshot["sort_date"]),
            added_by=by,
            **snapshot,
        )
        _update_totals(locked)
        _history(
            locked,
            by=by,
            action="casefile_add",
            comment=_("Thêm %(kind)s: %(subject)s") % {"kind": fileable.label, "subject": item.subject[:200]},
        )
        if isinstance(record, WorkflowRecord):
            _history(
                record,
                by=by,
                action="case_file",
                event=HistoryEntry.Event.COMMENT,
                comment=_("Đưa vào hồ sơ %(file)s") % {"file": locked},
            )
    return item


def case_file_add_paper(*, case_file: CaseFile, upload, subject: str, by: User, **metadata) -> CaseFileItem:
    """Upload a paper to the file itself (kind "paper"): checked by its content, hashed (SHA-256)."""
    unknown = set(metadata) - set(PAPER_METADATA)
    if unknown:
        raise TypeError(f"unknown metadata: {sorted(unknown)}")
    subject = (subject or "").strip()
    if not subject:
        raise ValidationError(_("Vui lòng nhập trích yếu nội dung của tài liệu."))
    if upload is None:
        raise ValidationError(_("Vui lòng chọn tệp tài liệu."))
    file_kind = uploads.check_upload(upload, kinds=uploads.ATTACHMENT_KINDS)
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    digest = hashlib.sha256(data).hexdigest()
    if not metadata.get("page_amount"):
        metadata["page_amount"] = uploads.pdf_pages(data) if file_kind == "pdf" else 1
    issued = metadata.get("issued_date")
    if issued:
        sort_date = timezone.make_aware(datetime.combine(issued, datetime.min.time()))
    else:
        sort_date = timezone.now()
    fields = {k: v for k, v in metadata.items() if v not in (None, "")}
    stored = ""
    try:
        with transaction.atomic():
            locked = _lock(case_file, by)
            item = CaseFileItem(
                case_file=locked,
                kind=kinds.PAPER,
                ordinal=_insert_position(locked, sort_date),
                sort_date=sort_date,
                subject=subject[:1000],
                file_name=upload.name.rsplit("/", 1)[-1][:255],
                file_sha256=digest,
                added_by=by,
                **fields,
            )
            item.file.save(item.file_name, upload, save=False)
            stored = item.file.name
            item.save()
            _update_totals(locked)
            _history(
                locked,
                by=by,
                action="casefile_add",
                comment=_("Tải lên tài liệu: %(s)s") % {"s": subject[:200]},
            )
    except BaseException:
        if stored:  # the row was not written: the stored copy goes too
            CaseFileItem._meta.get_field("file").storage.delete(stored)
        raise
    return item


def _renumber_after(case_file: CaseFile, ordinal: int) -> None:
    CaseFileItem.objects.filter(case_file=case_file, ordinal__gt=ordinal).update(ordinal=F("ordinal") - 1)


def case_file_remove_item(*, case_file: CaseFile, item: CaseFileItem, by: User) -> None:
    """Take an item out of the file (the record itself stays in its module); the items after it move up."""
    with transaction.atomic():
        locked = _lock(case_file, by)
        item = CaseFileItem.objects.filter(case_file=locked, pk=item.pk).first()
        if item is None:
            raise ValidationError(_("Tài liệu không có trong hồ sơ này."))
        ordinal, stored = item.ordinal, item.file.name if item.file else ""
        record = _record_of(item)
        item.delete()
        _renumber_after(locked, ordinal)
        _update_totals(locked)
        _history(
            locked,
            by=by,
            action="casefile_remove",
            comment=_("Bỏ khỏi hồ sơ: %(s)s") % {"s": item.subject[:200]},
        )
        if isinstance(record, WorkflowRecord):
            _history(
                record,
                by=by,
                action="case_file",
                event=HistoryEntry.Event.COMMENT,
                comment=_("Bỏ khỏi hồ sơ %(file)s") % {"file": locked},
            )
        if stored:
            storage = CaseFileItem._meta.get_field("file").storage
            transaction.on_commit(lambda: storage.delete(stored))


def _record_of(item: CaseFileItem):
    if item.kind == kinds.PAPER or item.object_id is None:
        return None
    try:
        return kinds.get(item.kind).model.objects.filter(pk=item.object_id).first()
    except KeyError:
        return None


def case_file_move_item(*, case_file: CaseFile, item: CaseFileItem, up: bool, by: User) -> None:
    """Swap an item with the one before (``up``) or after it."""
    with transaction.atomic():
        locked = _lock(case_file, by)
        item = CaseFileItem.objects.filter(case_file=locked, pk=item.pk).first()
        if item is None:
            raise ValidationError(_("Tài liệu không có trong hồ sơ này."))
        neighbour = (
            CaseFileItem.objects.filter(case_file=locked, ordinal__lt=item.ordinal).order_by("-ordinal")
            if up
            else CaseFileItem.objects.filter(case_file=locked, ordinal__gt=item.ordinal).order_by("ordinal")
        ).first()
        if neighbour is None:
            return
        item.ordinal, neighbour.ordinal = neighbour.ordinal, item.ordinal
        CaseFileItem.objects.bulk_update([item, neighbour], ["ordinal"])
        _history(
            locked,
            by=by,
            action="casefile_order",
            comment=_("Đổi thứ tự: %(s)s → số %(n)d") % {"s": item.subject[:120], "n": item.ordinal},
        )


def case_file_sort_chronologically(*, case_file: CaseFile, by: User) -> None:
    """Number the items again by their dates (then by when they were filed)."""
    with transaction.atomic():
        locked = _lock(case_file, by)
        items = list(CaseFileItem.objects.filter(case_file=locked).order_by("sort_date", "added_at", "id"))
        for n, item in enumerate(items, start=1):
            item.ordinal = n
        CaseFileItem.objects.bulk_update(items, ["ordinal"])
        _history(locked, by=by, action="casefile_order", comment=_("Sắp xếp văn bản theo thời gian"))


def case_file_close(*, case_file: CaseFile, by: User) -> CaseFile:
    """The work has ended: the file is closed; its transfer to the archive falls due a year later."""
    with transaction.atomic():
        locked = _lock(case_file, by)
        locked.status = CaseFile.Status.CLOSED
        locked.closed_at = timezone.now()
        locked.transfer_due = transfer_due_for(locked.closed_at)
        locked.save(update_fields=["status", "closed_at", "transfer_due"])
        _history(
            locked,
            by=by,
            action="casefile_close",
            comment=_("Kết thúc hồ sơ; hạn nộp lưu %(due)s") % {"due": f"{locked.transfer_due:%d/%m/%Y}"},
        )
    return locked


def case_file_reopen(*, case_file: CaseFile, by: User) -> CaseFile:
    with transaction.atomic():
        locked = _lock(case_file, by, need_open=False)
        if locked.status != CaseFile.Status.CLOSED:
            raise ValidationError(_("Chỉ mở lại được hồ sơ đã kết thúc."))
        locked.status = CaseFile.Status.OPEN
        locked.closed_at = None
        locked.transfer_due = None
        locked.transfer_warned_at = None
        locked.save(update_fields=["status", "closed_at", "transfer_due", "transfer_warned_at"])
        _history(locked, by=by, action="casefile_reopen", comment=_("Mở lại hồ sơ"))
    return locked


def _lock_for_authority(case_file: CaseFile, by: User) -> CaseFile:
    locked = CaseFile.objects.select_for_update().get(pk=case_file.pk)
    if locked.is_frozen:
        raise ValidationError(_("Hồ sơ đã nộp lưu, không được thay đổi."))
    if not access.can_lock(by, locked):
        raise PermissionDenied(_("Chỉ lãnh đạo hoặc lưu trữ cơ quan được khóa, mở khóa hồ sơ."))
    return locked


def case_file_lock(*, case_file: CaseFile, by: User, reason: str) -> CaseFile:
    """Khóa hồ sơ (IV.1g): a leader or archivist stops every change to an open or closed file, with the
    reason, until it is unlocked. Recorded as a history row ("casefile_lock"; models are frozen)."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Vui lòng nêu lý do khóa hồ sơ."))
    with transaction.atomic():
        locked = _lock_for_authority(case_file, by)
        if access.lock_entry(locked) is not None:
            raise ValidationError(_("Hồ sơ đã bị khóa."))
        _history(locked, by=by, action=access.LOCK, comment=reason[:1000])
        access.forget_lock(locked)
    return locked


def case_file_unlock(*, case_file: CaseFile, by: User, reason: str = "") -> CaseFile:
    """Mở khóa hồ sơ: the file takes changes again (a history row "casefile_unlock")."""
    with transaction.atomic():
        locked = _lock_for_authority(case_file, by)
        if access.lock_entry(locked) is None:
            raise ValidationError(_("Hồ sơ không bị khóa."))
        _history(locked, by=by, action=access.UNLOCK, comment=(reason or "").strip()[:1000])
        access.forget_lock(locked)
    return locked


def case_file_refresh_snapshots(*, case_file: CaseFile) -> int:
    """Take the linked records' metadata again (before the transfer); a record gone keeps its snapshot.
    Returns the number of items refreshed."""
    refreshed = 0
    with transaction.atomic():
        locked = CaseFile.objects.select_for_update().get(pk=case_file.pk)
        access.ensure_changeable(locked)
        items = list(CaseFileItem.objects.filter(case_file=locked).exclude(kind=kinds.PAPER))
        by_kind: dict[str, list[CaseFileItem]] = {}
        for item in items:
            by_kind.setdefault(item.kind, []).append(item)
        changed = []
        for key, group in by_kind.items():
            try:
                fileable = kinds.get(key)
            except KeyError:
                continue
            records = fileable.model.objects.in_bulk([i.object_id for i in group])
            for item in group:
                record = records.get(item.object_id)
                if record is None:
                    continue
                for name, value in fileable.snapshot(record).as_fields().items():
                    setattr(item, name, value)
                changed.append(item)
        if changed:
            names = list(kinds.Snapshot.__dataclass_fields__)
            CaseFileItem.objects.bulk_update(changed, names)
            refreshed = len(changed)
        _update_totals(locked)
    return refreshed


__all__ = [
    "AD_HOC_HEADING",
    "case_file_add_paper",
    "case_file_add_record",
    "case_file_close",
    "case_file_lock",
    "case_file_move_item",
    "case_file_open",
    "case_file_refresh_snapshots",
    "case_file_remove_item",
    "case_file_reopen",
    "case_file_sort_chronologically",
    "case_file_unlock",
    "case_file_update",
    "transfer_due_for",
]
