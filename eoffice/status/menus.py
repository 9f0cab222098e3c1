"""The menu entry of the system status page (section "Cơ quan", the installation's administrators only)."""

from django.utils.translation import gettext_lazy as _

from eoffice.menu import MenuItem, register


def _can_open(user) -> bool:
    from eoffice.status.selectors import can_see_status

    return can_see_status(user)


def register_all() -> None:
    register(
        MenuItem(
            key="system_status",
            label=_("Tình trạng hệ thống"),
            url_name="system_status",
            icon="chart",
            section="agency",
            order=195,
            can_open=_can_open,
        )
    )
