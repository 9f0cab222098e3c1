"""The archive's menu entries (section "records"), registered by ``documents.apps.DocumentsConfig.ready``:
"Lưu trữ cơ quan" for the archivist (transfers and borrow requests waiting), "Nộp lưu hồ sơ" for owners,
unit heads and clerks, "Khai thác hồ sơ lưu trữ" for everybody of an agency, "Đề nghị hủy tài liệu" for
the head of the agency (pending work on the dashboard)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from eoffice.menu import MenuItem
from eoffice.menu import register as register_menu
from eoffice.models import Role


def _archivist_todo(user) -> int:
    from documents.records.archive import selectors

    return selectors.archivist_todo_count(user)


def _appraisals_pending(user) -> int:
    from documents.records.archive import selectors

    return selectors.pending_appraisal_count(user)


def _appraisals_preview(user, n: int):
    from documents.records.archive import selectors

    return selectors.pending_appraisal_preview(user, n)


def may_transfer(user) -> bool:
    """Unit heads and clerks; an officer once they own a closed file (one indexed query)."""
    if not user.agency_id:
        return False
    if user.has_role(Role.CLERK, Role.DEPARTMENT_HEAD):
        return True
    from documents.records.archive import selectors

    return selectors.owns_files(user)


def has_agency(user) -> bool:
    return bool(user.agency_id)


def register_all() -> None:
    register_menu(
        MenuItem(
            key="records.archive",
            section="records",
            label=_("Lưu trữ cơ quan"),
            url_name="documents:archive_home",
            icon="archive",
            order=40,
            roles={Role.ARCHIVIST},
            counter=_archivist_todo,
            todo=_("hồ sơ nộp lưu, đề nghị khai thác chờ lưu trữ"),
            todo_rank=30,
        )
    )
    register_menu(
        MenuItem(
            key="records.transfer",
            section="records",
            label=_("Nộp lưu hồ sơ"),
            url_name="documents:transfer_create",
            icon="send",
            order=30,
            can_open=may_transfer,
        )
    )
    register_menu(
        MenuItem(
            key="records.catalogue",
            section="records",
            label=_("Khai thác hồ sơ lưu trữ"),
            url_name="documents:archive_catalogue",
            icon="search",
            order=45,
            can_open=has_agency,
        )
    )
    register_menu(
        MenuItem(
            key="records.appraisals",
            section="records",
            label=_("Đề nghị hủy tài liệu"),
            url_name="documents:appraisal_list",
            icon="trash",
            order=50,
            roles={Role.LEADER},
            counter=_appraisals_pending,
            counter_tone="alert",
            todo=_("đề nghị hủy tài liệu hết giá trị chờ quyết định"),
            todo_rank=40,
            preview=_appraisals_preview,
        )
    )
