"""Explicit view rights on a secret incoming document, and the log of every view of one."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from documents.incoming.models import IncomingDocument
from documents.incoming.rules import notice_label
from documents.incoming.services.common import grant_view, locked_for
from eoffice.models import Role, User
from eoffice.services import notify
from workflow import services as wf
from workflow.models import HistoryEntry


def incoming_grant(*, document: IncomingDocument, by: User, users: Sequence[User]) -> list[User]:
    """Give people of the agency the right to see a secret document; each change is logged and notified."""
    with transaction.atomic():
        locked = locked_for(document, by, active=False)
        if not locked.is_secret:
            raise ValidationError(_("Chỉ cấp quyền xem riêng cho văn bản mật."))
        if not (by.agency_id == locked.agency_id and by.has_role(Role.LEADER, Role.CLERK)):
            raise PermissionDenied(_("Chỉ lãnh đạo hoặc văn thư được cấp quyền xem văn bản mật."))
        for user in users:
            if user.agency_id != locked.agency_id:
                raise ValidationError(_("Chỉ cấp quyền cho cán bộ của cơ quan."))
        fresh = grant_view(locked, users)
        if fresh:
            wf.history_add(
                record=locked,
                event=HistoryEntry.Event.COMMENT,
                actor=by,
                action="grant",
                comment=_("Cấp quyền xem: %(names)s") % {"names": ", ".join(str(u) for u in fresh)},
                data={"granted": [u.pk for u in fresh]},
            )
            notify(
                recipients=fresh,
                kind="documents.incoming",
                title=_("Được cấp quyền xem văn bản mật: %(label)s") % {"label": notice_label(locked)},
                url=locked.get_absolute_url(),
            )
    return fresh


def incoming_view_logged(*, document: IncomingDocument, user: User, what: str = "") -> None:
    """Every view of a secret document is written to its history."""
    if document.is_secret:
        wf.record_view_log(record=document, user=user, reason=what)
