"""The case files' menu entry (section "records") and the labels of their history rows."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from eoffice.menu import MenuItem
from eoffice.menu import register as register_menu
from eoffice.models import Role
from workflow.models import ACTIONS, ActionInfo

HISTORY_LABELS = {
    "casefile_open": _("Mở hồ sơ"),
    "casefile_update": _("Cập nhật hồ sơ"),
    "casefile_add": _("Thêm vào hồ sơ"),
    "casefile_remove": _("Bỏ khỏi hồ sơ"),
    "casefile_order": _("Sắp xếp văn bản trong hồ sơ"),
    "casefile_close": _("Kết thúc hồ sơ"),
    "casefile_reopen": _("Mở lại hồ sơ"),
    "casefile_lock": _("Khóa hồ sơ"),
    "casefile_unlock": _("Mở khóa hồ sơ"),
    "case_file": _("Lưu vào hồ sơ công việc"),
    "casefile_import": _("Nhập từ gói hồ sơ"),
}


def register_all() -> None:
    for name, label in HISTORY_LABELS.items():
        ACTIONS.setdefault(name, ActionInfo(label))
    register_menu(
        MenuItem(
            key="documents.case_files",
            section="records",
            label=_("Hồ sơ công việc"),
            url_name="documents:casefile_list",
            icon="folder",
            order=10,
            can_open=lambda user: bool(user.agency_id),  # case files belong to an agency
        )
    )
    register_menu(
        MenuItem(
            key="documents.case_file_import",
            section="records",
            label=_("Nhập gói hồ sơ"),
            url_name="documents:casefile_import",
            icon="upload",
            order=11,
            can_open=lambda user: bool(user.agency_id) and user.has_role(Role.ARCHIVIST, Role.CLERK),
        )
    )
