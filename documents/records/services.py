"""Writes of the case files (hồ sơ công việc): open, add a document (a link, no copy), remove, close."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.incoming.models import IncomingDocument
from documents.incoming.selectors import visible_incoming
from documents.records.models import CaseFile, CaseFileItem
from eoffice.models import Department, Role, User
from workflow import services as wf
from workflow.models import HistoryEntry


def _require_visible(document: IncomingDocument, by: User) -> None:
    if not visible_incoming(by).filter(pk=document.pk).exists():
        raise PermissionDenied(_("Bạn không có quyền với văn bản này."))


def case_file_create(
    *, by: User, year: int, code: str, title: str, retention: str, department: Department | None = None
) -> CaseFile:
    if not by.agency_id:
        raise PermissionDenied
    if not code.strip() or not title.strip():
        raise ValidationError(_("Vui lòng nhập số, ký hiệu và tiêu đề hồ sơ."))
    if retention not in CaseFile.Retention.values:
        raise ValidationError(_("Thời hạn bảo quản không hợp lệ."))
    if department is not None and department.agency_id != by.agency_id:
        raise ValidationError(_("Đơn vị phải thuộc cơ quan."))
    with transaction.atomic():
        if CaseFile.objects.filter(agency_id=by.agency_id, year=year, code__iexact=code.strip()).exists():
            raise ValidationError(_("Số, ký hiệu hồ sơ đã có trong danh mục năm %(year)d.") % {"year": year})
        return CaseFile.objects.create(
            agency_id=by.agency_id,
            year=year,
            code=code.strip(),
            title=title.strip(),
            retention=retention,
            owner=by,
            department=department or by.department,
        )


def _can_manage_case_file(case_file: CaseFile, by: User) -> bool:
    return by.agency_id == case_file.agency_id and (
        case_file.owner_id == by.pk or by.has_role(Role.CLERK, Role.LEADER)
    )


def case_file_add(*, case_file: CaseFile, document: IncomingDocument, by: User) -> CaseFileItem:
    """Put a document in a case file (no copy: a link); a document may be in several files."""
    with transaction.atomic():
        locked = CaseFile.objects.select_for_update().get(pk=case_file.pk)
        if locked.agency_id != by.agency_id:
            raise PermissionDenied
        if not locked.is_open:
            raise ValidationError(_("Hồ sơ đã kết thúc, không thêm được văn bản."))
        _require_visible(document, by)
        if CaseFileItem.objects.filter(case_file=locked, document=document).exists():
            raise ValidationError(_("Văn bản đã có trong hồ sơ này."))
        item = CaseFileItem.objects.create(case_file=locked, document=document, added_by=by)
        wf.history_add(
            record=document,
            event=HistoryEntry.Event.COMMENT,
            actor=by,
            action="case_file",
            comment=_("Đưa vào hồ sơ %(file)s") % {"file": locked},
        )
    return item


def case_file_remove(*, case_file: CaseFile, document: IncomingDocument, by: User) -> None:
    with transaction.atomic():
        locked = CaseFile.objects.select_for_update().get(pk=case_file.pk)
        if not _can_manage_case_file(locked, by):
            raise PermissionDenied
        if not locked.is_open:
            raise ValidationError(_("Hồ sơ đã kết thúc."))
        CaseFileItem.objects.filter(case_file=locked, document=document).delete()


def case_file_set_status(*, case_file: CaseFile, by: User, close: bool) -> CaseFile:
    with transaction.atomic():
        locked = CaseFile.objects.select_for_update().get(pk=case_file.pk)
        if not _can_manage_case_file(locked, by):
            raise PermissionDenied(_("Chỉ người lập hồ sơ, văn thư hoặc lãnh đạo được kết thúc hồ sơ."))
        locked.status = CaseFile.Status.CLOSED if close else CaseFile.Status.OPEN
        locked.closed_at = timezone.now() if close else None
        locked.save(update_fields=["status", "closed_at"])
    return locked
