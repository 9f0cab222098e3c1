"""The notifications the outgoing services send to the people concerned."""

from __future__ import annotations

from django.utils.translation import gettext as _

from documents.outgoing import rules
from documents.outgoing.models import (
    OutgoingDocument,
)
from eoffice.models import Role, User
from eoffice.services import notify


def notify_one(user: User | None, *, by: User, kind: str, title: str, document: OutgoingDocument) -> None:
    if user is not None and user.pk != by.pk:
        notify(
            recipients=[user],
            kind=kind,
            title=title,
            body=document.summary[:200],
            url=document.get_absolute_url(),
        )


def notify_clerks_to_issue(*, document: OutgoingDocument, by: User) -> None:
    clerks = User.objects.filter(
        agency_id=document.agency_id, is_active=True, groups__agency_role__role=Role.CLERK
    ).distinct()
    notify(
        recipients=[u for u in clerks if u.pk != by.pk],
        kind="documents.outgoing",
        title=_("Văn bản chờ phát hành: %(label)s") % {"label": rules.label(document)},
        body=document.summary[:200],
        url=document.get_absolute_url(),
    )
