"""The case files' menu entry (section "records")."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from eoffice.menu import MenuItem
from eoffice.menu import register as register_menu


def register_all() -> None:
    register_menu(
        MenuItem(
            key="documents.case_files",
            section="records",
            label=_("Hồ sơ công việc"),
            url_name="documents:casefile_list",
            icon="folder",
            order=10,
        )
    )
