"""What the one-stop admin pages share: plain selects, the agency-admin test, short times."""

from __future__ import annotations

from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.utils import timezone

from eoffice.models import Role


def plain_select(formfield):
    """No add / change / view buttons beside a select (units and agencies are managed elsewhere)."""
    widget = getattr(formfield, "widget", None)
    if isinstance(widget, RelatedFieldWidgetWrapper):
        widget.can_add_related = widget.can_change_related = False
        widget.can_view_related = widget.can_delete_related = False
    return formfield


def is_agency_admin(request) -> bool:
    user = request.user  # anonymous too: the admin's login page asks
    return getattr(user, "agency_id", None) is not None and user.has_role(Role.AGENCY_ADMIN)


def short_time(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else "—"
