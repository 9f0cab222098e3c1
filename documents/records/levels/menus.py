"""The administrator's menu entry for information levels (IV.1.a)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from eoffice.menu import MenuItem
from eoffice.menu import register as register_menu
from eoffice.models import Role


def register_all() -> None:
    register_menu(
        MenuItem(
            key="documents.info_levels",
            section="agency",
            label=_("Cấp độ thông tin hồ sơ"),
            url_name="documents:info_levels",
            icon="lock",
            order=91,
            roles=frozenset({Role.AGENCY_ADMIN}),
        )
    )
