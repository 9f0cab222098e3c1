"""The menu entry of the backup page (section "Cơ quan", the installation's administrators only)."""

from django.utils.translation import gettext_lazy as _

from eoffice.menu import MenuItem, register


def _can_open(user) -> bool:
    from eoffice.backup.selectors import can_see_backups

    return can_see_backups(user)


def register_all() -> None:
    register(
        MenuItem(
            key="backup",
            label=_("Sao lưu dữ liệu"),
            url_name="backup_list",
            icon="archive",
            section="agency",
            order=190,
            can_open=_can_open,
        )
    )
