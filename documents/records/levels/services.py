"""Writes of information levels: the administrator's levels, and a level given to or taken from a file."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from documents.records.levels.access import can_manage_levels, can_set_level
from documents.records.levels.models import InformationLevel
from documents.records.models import CaseFile
from eoffice.models import Department, User
from workflow import services as wf
from workflow.models import HistoryEntry


def _members(*, agency_id: int, users, departments, groups) -> tuple[list, list, list]:
    users = list(users or [])
    departments = list(departments or [])
    if any(u.agency_id != agency_id for u in users) or any(d.agency_id != agency_id for d in departments):
        raise ValidationError(_("Chỉ chọn được người và đơn vị của cơ quan mình."))
    return users, departments, list(groups or [])


def level_save(
    *,
    by: User,
    pk: int | None = None,
    name: str,
    rank: int,
    description: str = "",
    users=(),
    departments=(),
    groups=(),
    is_active: bool = True,
) -> InformationLevel:
    """Create (``pk`` None) or change a level of ``by``'s agency."""
    if not can_manage_levels(by):
        raise PermissionDenied
    name = (name or "").strip()
    if not name:
        raise ValidationError(_("Vui lòng nhập tên cấp độ."))
    users, departments, groups = _members(
        agency_id=by.agency_id, users=users, departments=departments, groups=groups
    )
    try:
        with transaction.atomic():
            if pk is None:
                level = InformationLevel.objects.create(
                    agency_id=by.agency_id, name=name, rank=rank, description=description, is_active=is_active
                )
            else:
                level = InformationLevel.objects.select_for_update().get(pk=pk, agency_id=by.agency_id)
                level.name, level.rank, level.description, level.is_active = (
                    name,
                    rank,
                    description,
                    is_active,
                )
                level.save()
            level.users.set(users)
            level.departments.set(departments)
            level.groups.set(groups)
    except InformationLevel.DoesNotExist as exc:
        raise PermissionDenied from exc
    except IntegrityError as exc:
        raise ValidationError(_("Đã có cấp độ “%(name)s”.") % {"name": name}) from exc
    return level


def casefile_set_level(*, by: User, case_file_pk: int, level_pk: int | None, reason: str) -> CaseFile:
    """Give a file a level of its agency, or take it away (``level_pk`` None); the history says who, why."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Vui lòng nhập lý do."))
    with transaction.atomic():
        try:
            case_file = CaseFile.objects.select_for_update().get(pk=case_file_pk, agency_id=by.agency_id)
        except CaseFile.DoesNotExist as exc:
            raise PermissionDenied from exc
        if not can_set_level(by, case_file):
            raise PermissionDenied
        level = None
        if level_pk is not None:
            level = InformationLevel.objects.filter(
                pk=level_pk, agency_id=by.agency_id, is_active=True
            ).first()
            if level is None:
                raise ValidationError(_("Cấp độ thông tin không hợp lệ."))
        if case_file.info_level_id == (level.pk if level else None):
            return case_file
        before = str(case_file.info_level) if case_file.info_level_id else ""
        case_file.info_level = level
        case_file.save(update_fields=["info_level"])
        wf.history_add(
            record=case_file,
            event=HistoryEntry.Event.COMMENT,
            actor=by,
            action="casefile_level",
            comment=(
                _("Cấp độ thông tin: %(level)s. Lý do: %(reason)s")
                if level
                else _("Bỏ cấp độ thông tin %(before)s. Lý do: %(reason)s")
            )
            % {"level": level, "before": before, "reason": reason},
            data={"level": level.pk if level else None},
        )
    return case_file


def departments_of(user: User):
    return Department.objects.filter(agency_id=user.agency_id, is_active=True).order_by("order", "name")
