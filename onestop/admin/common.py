"""What the one-stop admin pages share: plain selects (the core's), the agency-admin test, short times."""

from __future__ import annotations

from eoffice.admin import plain_select, short_time
from eoffice.models import Role

__all__ = ["is_agency_admin", "plain_select", "short_time"]


def is_agency_admin(request) -> bool:
    user = request.user  # anonymous too: the admin's login page asks
    return getattr(user, "agency_id", None) is not None and user.has_role(Role.AGENCY_ADMIN)
