"""Every write of the file plan: keyword-only, one transaction, the plan locked through its access helper,
the actor's right checked, a history row for each step of its life (created, copied, submitted, approved,
returned to a draft).

Numbering (Phụ lục V I.2): the files are numbered from 01 in print order (large heading, its own entries,
then its small headings' entries), continuously in the whole plan or afresh in each large heading, and
their symbol is the number and the large heading's abbreviation (``01.TCCB``). A draft is renumbered after
every change; an approved plan never is (its codes are on the case files). Ad-hoc entries are added by
the case-file service (``documents.records.services.files.case_file_open``) and keep their code.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.records.models import FilePlan, FilePlanEntry, FilePlanHeading, Retention
from documents.records.plan import rules, selectors
from eoffice.models import Department, User
from workflow import services as wf
from workflow.models import HistoryEntry

DRAFT_ONLY = "Danh mục hồ sơ đã trình ban hành hoặc đã ban hành, chỉ sửa được khi còn là dự thảo."


def locked_plan(*, by: User, plan: FilePlan, edit: bool = True) -> FilePlan:
    """The plan locked for ``by``; with ``edit`` the office only, and only while it is a draft."""
    locked = selectors.plan_access(user=by, pk=plan.pk, lock=True)
    if edit:
        if not rules.can_draft(by, locked.agency_id):
            raise PermissionDenied(_("Chỉ văn thư, quản trị cơ quan soạn danh mục hồ sơ."))
        if locked.status != FilePlan.Status.DRAFT:
            raise ValidationError(_(DRAFT_ONLY))
    return locked


def history_write(plan: FilePlan, by: User | None, action: str, *, event=HistoryEntry.Event.TRANSITION, **kw):
    return wf.history_add(record=plan, event=event, actor=by, action=action, **kw)


def _check_year(year: int) -> None:
    if not 2000 <= (year or 0) <= 2100:
        raise ValidationError({"year": _("Năm không hợp lệ.")})


# --- numbering -------------------------------------------------------------------------------------------


def renumber(plan: FilePlan) -> None:
    """Give every planned entry of the draft ``plan`` its number and symbol in print order (inside the
    caller's transaction). Ad-hoc entries keep the code their case file was opened with, and the numbers
    skip it. Codes are unique in a plan: they go through a temporary value so that no two rows collide."""
    tree = selectors.layout(plan)
    taken = {e.code for e in tree.entries if e.ad_hoc}
    entries = []
    counter = 0
    for large in tree.larges:
        if plan.numbering == FilePlan.Numbering.HEADING:
            counter = 0
        for entry in large.all_entries:
            if entry.ad_hoc:
                continue
            counter += 1
            while rules.entry_code(counter, large.heading.abbreviation) in taken:
                counter += 1
            entry.number = counter
            entry.code = rules.entry_code(counter, large.heading.abbreviation)
            entries.append(entry)
    if not entries:
        return
    final = {e.pk: e.code for e in entries}
    for e in entries:
        e.code = f"~{e.pk}"
    FilePlanEntry.objects.bulk_update(entries, ["code"])
    for e in entries:
        e.code = final[e.pk]
    FilePlanEntry.objects.bulk_update(entries, ["number", "code"])


def plan_set_numbering(*, by: User, plan: FilePlan, numbering: str) -> FilePlan:
    if numbering not in FilePlan.Numbering.values:
        raise ValidationError({"numbering": _("Cách đánh số không hợp lệ.")})
    with transaction.atomic():
        locked = locked_plan(by=by, plan=plan)
        if locked.numbering != numbering:
            locked.numbering = numbering
            locked.save(update_fields=["numbering", "updated_at"])
            renumber(locked)
            history_write(
                locked,
                by,
                "numbering",
                event=HistoryEntry.Event.UPDATED,
                comment=str(FilePlan.Numbering(numbering).label),
            )
    return locked


# --- creating a plan -------------------------------------------------------------------------------------


def plan_create(*, by: User, year: int, numbering: str = FilePlan.Numbering.PLAN) -> FilePlan:
    """An empty draft for ``year`` of ``by``'s agency (the office)."""
    _check_year(year)
    if not rules.can_draft(by):
        raise PermissionDenied(_("Chỉ văn thư, quản trị cơ quan soạn danh mục hồ sơ."))
    if numbering not in FilePlan.Numbering.values:
        raise ValidationError({"numbering": _("Cách đánh số không hợp lệ.")})
    with transaction.atomic():
        if FilePlan.objects.select_for_update().filter(agency_id=by.agency_id, year=year).exists():
            raise ValidationError({"year": _("Cơ quan đã có danh mục hồ sơ năm %(year)s.") % {"year": year}})
        plan = FilePlan.objects.create(agency_id=by.agency_id, year=year, numbering=numbering, created_by=by)
        history_write(plan, by, "create", event=HistoryEntry.Event.CREATED, to_state=plan.status)
    return plan


def plan_copy_forward(*, by: User, year: int) -> FilePlan:
    """A draft for ``year`` from the agency's plan of the year before: its numbering, headings and entries
    (ad-hoc ones become planned ones; a person who left the agency is left blank), not its case files."""
    _check_year(year)
    if not rules.can_draft(by):
        raise PermissionDenied(_("Chỉ văn thư, quản trị cơ quan soạn danh mục hồ sơ."))
    with transaction.atomic():
        source = FilePlan.objects.filter(agency_id=by.agency_id, year=year - 1).first()
        if source is None:
            raise ValidationError(_("Chưa có danh mục hồ sơ năm %(year)s để sao.") % {"year": year - 1})
        if FilePlan.objects.select_for_update().filter(agency_id=by.agency_id, year=year).exists():
            raise ValidationError({"year": _("Cơ quan đã có danh mục hồ sơ năm %(year)s.") % {"year": year}})
        plan = FilePlan.objects.create(
            agency_id=by.agency_id, year=year, numbering=source.numbering, copied_from=source, created_by=by
        )
        old = selectors.layout(source)
        heading_map: dict[int, FilePlanHeading] = {}
        for large in old.larges:
            heading_map[large.heading.pk] = _copy_heading(large.heading, plan, None)
            for small in large.children:
                heading_map[small.heading.pk] = _copy_heading(
                    small.heading, plan, heading_map[large.heading.pk]
                )
        entries = old.entries
        staying = set(
            User.objects.filter(
                pk__in={e.responsible_id for e in entries if e.responsible_id},
                agency_id=by.agency_id,
                is_active=True,
            ).values_list("pk", flat=True)
        )
        FilePlanEntry.objects.bulk_create(
            FilePlanEntry(
                plan=plan,
                heading=heading_map[e.heading_id],
                position=position,
                number=position,
                code=f"~{position}",
                title=e.title,
                retention=e.retention,
                department_id=e.department_id,
                responsible_id=e.responsible_id if e.responsible_id in staying else None,
                note=e.note,
            )
            for position, e in enumerate(entries, start=1)
        )
        renumber(plan)
        history_write(
            plan,
            by,
            "copy",
            event=HistoryEntry.Event.CREATED,
            to_state=plan.status,
            comment=_("Sao từ danh mục hồ sơ năm %(year)s") % {"year": source.year},
            data={"copied_from": source.pk},
        )
    return plan


def _copy_heading(
    heading: FilePlanHeading, plan: FilePlan, parent: FilePlanHeading | None
) -> FilePlanHeading:
    return FilePlanHeading.objects.create(
        plan=plan,
        parent=parent,
        position=heading.position,
        title=heading.title,
        abbreviation=heading.abbreviation,
        department_id=heading.department_id,
    )


# --- headings -----------------------------------------------------------------------------------------


def _check_department(department: Department | None, plan: FilePlan, field: str = "department") -> None:
    if department is not None and department.agency_id != plan.agency_id:
        raise ValidationError({field: _("Đơn vị phải thuộc cơ quan.")})


def heading_save(
    *,
    by: User,
    plan: FilePlan,
    title: str,
    abbreviation: str = "",
    parent: FilePlanHeading | None = None,
    department: Department | None = None,
    heading: FilePlanHeading | None = None,
) -> FilePlanHeading:
    """Add a heading to the draft (at the end of its level) or change ``heading``. A large heading needs
    its abbreviation (it goes into the symbols of its files); a small one sits in a large one."""
    title, abbreviation = (title or "").strip(), (abbreviation or "").strip().upper()
    errors = {}
    if not title:
        errors["title"] = _("Vui lòng nhập tên đề mục.")
    if parent is None and not abbreviation:
        errors["abbreviation"] = _("Đề mục lớn cần chữ viết tắt (dùng trong ký hiệu hồ sơ, ví dụ TCCB).")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        locked = locked_plan(by=by, plan=plan)
        _check_department(department, locked)
        if parent is not None and (parent.plan_id != locked.pk or parent.parent_id is not None):
            raise ValidationError({"parent": _("Đề mục nhỏ phải nằm trong một đề mục lớn của danh mục này.")})
        if heading is None:
            siblings = FilePlanHeading.objects.filter(plan=locked, parent=parent)
            heading = FilePlanHeading(
                plan=locked, position=(siblings.aggregate(m=Max("position"))["m"] or 0) + 1
            )
        else:
            heading = FilePlanHeading.objects.select_for_update().get(pk=heading.pk, plan=locked)
            if parent is not None and (parent.pk == heading.pk or heading.children.exists()):
                raise ValidationError(
                    {"parent": _("Đề mục lớn đang có đề mục nhỏ, không chuyển thành đề mục nhỏ.")}
                )
            if parent != heading.parent:
                siblings = FilePlanHeading.objects.filter(plan=locked, parent=parent)
                heading.position = (siblings.aggregate(m=Max("position"))["m"] or 0) + 1
        heading.parent = parent
        heading.title = title[:300]
        heading.abbreviation = abbreviation[:20] if parent is None else ""
        heading.department = department
        heading.save()
        renumber(locked)
    return heading


def heading_delete(*, by: User, heading: FilePlanHeading) -> None:
    with transaction.atomic():
        locked_plan(by=by, plan=heading.plan)
        heading = FilePlanHeading.objects.select_for_update().get(pk=heading.pk)
        if heading.children.exists() or heading.entries.exists():
            raise ValidationError(_("Đề mục còn đề mục nhỏ hoặc hồ sơ, hãy chuyển hoặc xóa chúng trước."))
        heading.delete()
        renumber(heading.plan)


def heading_move(*, by: User, heading: FilePlanHeading, up: bool) -> None:
    """Swap the heading with the one before (``up``) or after it at its level; the files follow."""
    with transaction.atomic():
        locked = locked_plan(by=by, plan=heading.plan)
        siblings = list(
            FilePlanHeading.objects.select_for_update()
            .filter(plan=locked, parent_id=heading.parent_id)
            .order_by("position", "id")
        )
        _swap(siblings, heading.pk, up)
        FilePlanHeading.objects.bulk_update(siblings, ["position"])
        renumber(locked)


def _swap(rows: list, pk: int, up: bool) -> None:
    """Reposition ``rows`` 1..n with the row ``pk`` moved one place up or down (nothing at an end)."""
    index = next(i for i, row in enumerate(rows) if row.pk == pk)
    other = index - 1 if up else index + 1
    if 0 <= other < len(rows):
        rows[index], rows[other] = rows[other], rows[index]
    for position, row in enumerate(rows, start=1):
        row.position = position


# --- entries --------------------------------------------------------------------------------------------


def _check_entry(
    plan: FilePlan, *, heading: FilePlanHeading, title: str, retention: str, department, responsible
) -> None:
    errors = {}
    if heading is None or heading.plan_id != plan.pk:
        errors["heading"] = _("Vui lòng chọn đề mục của danh mục này.")
    if not (title or "").strip():
        errors["title"] = _("Vui lòng nhập tiêu đề hồ sơ.")
    if retention not in Retention.values:
        errors["retention"] = _("Vui lòng chọn thời hạn bảo quản.")
    if department is not None and department.agency_id != plan.agency_id:
        errors["department"] = _("Đơn vị phải thuộc cơ quan.")
    if responsible is not None and (responsible.agency_id != plan.agency_id or not responsible.is_active):
        errors["responsible"] = _("Người lập hồ sơ phải là cán bộ đang làm việc của cơ quan.")
    if errors:
        raise ValidationError(errors)


def entry_save(
    *,
    by: User,
    plan: FilePlan,
    heading: FilePlanHeading,
    title: str,
    retention: str,
    department: Department | None = None,
    responsible: User | None = None,
    note: str = "",
    entry: FilePlanEntry | None = None,
) -> FilePlanEntry:
    """Add a planned file at the end of ``heading`` or change ``entry``; the draft is renumbered."""
    with transaction.atomic():
        locked = locked_plan(by=by, plan=plan)
        _check_entry(
            locked,
            heading=heading,
            title=title,
            retention=retention,
            department=department,
            responsible=responsible,
        )
        if entry is None:
            entry = FilePlanEntry(plan=locked, number=0, code=f"~new{timezone.now():%H%M%S%f}")
        else:
            entry = FilePlanEntry.objects.select_for_update().get(pk=entry.pk, plan=locked)
        if entry.pk is None or entry.heading_id != heading.pk:
            last = FilePlanEntry.objects.filter(heading=heading).aggregate(m=Max("position"))["m"]
            entry.position = (last or 0) + 1
        entry.heading = heading
        entry.title = title.strip()[:500]
        entry.retention = retention
        entry.department = department if department is not None else heading.department
        entry.responsible = responsible
        entry.note = (note or "").strip()[:500]
        entry.save()
        renumber(locked)
        entry.refresh_from_db()
    return entry


def entry_delete(*, by: User, entry: FilePlanEntry) -> None:
    with transaction.atomic():
        locked = locked_plan(by=by, plan=entry.plan)
        entry = FilePlanEntry.objects.select_for_update().get(pk=entry.pk, plan=locked)
        if entry.case_files.exists():
            raise ValidationError(_("Đã có hồ sơ mở theo mục này, không xóa được."))
        entry.delete()
        renumber(locked)


def entry_move(*, by: User, entry: FilePlanEntry, up: bool) -> None:
    """Move the file one place up or down inside its heading; the draft is renumbered."""
    with transaction.atomic():
        locked = locked_plan(by=by, plan=entry.plan)
        rows = list(
            FilePlanEntry.objects.select_for_update()
            .filter(plan=locked, heading_id=entry.heading_id)
            .order_by("position", "id")
        )
        _swap(rows, entry.pk, up)
        FilePlanEntry.objects.bulk_update(rows, ["position"])
        renumber(locked)
