"""``{% access_history kind object_id %}``: the "Lịch sử truy cập" block of a record's page (III.5a), shown to
the agency's clerks, leaders, archivists and admins, with the accesses by people of their agency."""

from __future__ import annotations

from django import template

from eoffice import audit

register = template.Library()

LIMIT = 15


@register.inclusion_tag("eoffice/audit/_history.html", takes_context=True)
def access_history(context, kind: str, object_id: int, limit: int = LIMIT) -> dict:
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not audit.may_see_history(user):
        return {"hidden": True}
    events = audit.access_history(kind=kind, object_id=object_id, limit=limit, agency_id=user.agency_id)
    return {"events": events, "limit": limit}
