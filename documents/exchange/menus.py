"""What the exchange adds to the shell: the "Liên thông" menu entry (the exchange log) for the clerks and
agency admins of an agency, and for a superuser, with the count of packages that failed to leave.

Registered by ``documents.apps.DocumentsConfig.ready`` (``from documents.exchange import menus;
menus.register_all()``) like the other parts of the documents app."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from eoffice.menu import MenuItem
from eoffice.menu import register as register_menu
from eoffice.models import Role
from eoffice.notifications import register_kind


def may_open(user) -> bool:
    """The exchange log's own check (``documents.exchange.views``)."""
    return bool(
        user.is_superuser
        or (user.agency_id and (user.has_role(Role.CLERK) or user.has_role(Role.AGENCY_ADMIN)))
    )


def failed_count(user) -> int:
    """Recipients of the agency's documents that an outside package failed to reach (one query)."""
    from documents.exchange import selectors

    return selectors.delivery_counters(user)["failed"]


def register_all() -> None:
    register_kind("documents.exchange_duplicate", _("Văn bản liên thông nhận trùng mã định danh"))
    register_menu(
        MenuItem(
            key="documents.exchange",
            section="documents",
            label=_("Liên thông"),
            url_name="documents:exchange_log",
            icon="globe",
            order=26,
            can_open=may_open,
            counter=failed_count,
            counter_tone="alert",
        )
    )
