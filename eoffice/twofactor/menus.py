"""The agency admin's menu entry (section "Cơ quan")."""

from django.utils.translation import gettext_lazy as _

from eoffice.menu import MenuItem, register


def register_all() -> None:
    register(
        MenuItem(
            key="twofactor.agency",
            label=_("Xác thực hai lớp"),
            url_name="twofactor_agency",
            icon="shield",
            section="agency",
            order=180,
            roles={"agency_admin"},
            can_open=lambda user: bool(user.agency_id),
        )
    )
