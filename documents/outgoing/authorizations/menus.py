"""The menu entry of "Giao ký, ủy quyền ký" (agency admin and leaders)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from eoffice.menu import MenuItem
from eoffice.menu import register as register_menu
from eoffice.models import Role


def register_all() -> None:
    register_menu(
        MenuItem(
            key="documents.authorizations",
            section="agency",
            label=_("Giao ký, ủy quyền ký"),
            url_name="documents:authorization_list",
            icon="pen",
            order=92,
            roles=frozenset({Role.AGENCY_ADMIN, Role.LEADER}),
        )
    )
