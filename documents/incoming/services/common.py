"""What every incoming service shares: the record locked through its access helper, the report of a step to
the sender (an outgoing document of this installation), explicit view rights on a secret document."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _

from documents.incoming.models import (
    IncomingDocument,
    IncomingDocumentUserObjectPermission,
    incoming_content_type,
)
from documents.incoming.rules import require_active
from documents.incoming.selectors import incoming_access
from eoffice.models import User


def locked_for(document: IncomingDocument, by: User, *, active: bool = True) -> IncomingDocument:
    """The document reloaded through its access helper with the row locked (inside the caller's
    transaction). One the actor may not see is refused as any step they may not take; ``active``: no step
    on a document its sender has recalled."""
    try:
        locked = incoming_access(user=by, pk=document.pk, lock=True)
    except Http404:
        raise PermissionDenied(_("Bạn không có quyền với văn bản này.")) from None
    if active:
        require_active(locked)
        from documents.records.selectors import record_in_archived_file

        if record_in_archived_file("incoming", locked.pk):
            raise ValidationError(_("Văn bản nằm trong hồ sơ đã nộp lưu, không được thay đổi."))
    return locked


def sync_sender(document: IncomingDocument, status: str, by: User | None, note: str = "") -> None:
    """Tell the sender (an outgoing document of this installation) what happened to its document."""
    from documents.outgoing.delivery import sync_from_incoming

    sync_from_incoming(incoming=document, status=status, by=by, note=note)


def view_permission() -> Permission:
    return Permission.objects.get(content_type=incoming_content_type(), codename="view_incomingdocument")


def grant_view(document: IncomingDocument, users: Sequence[User | None]) -> list[User]:
    """Give explicit view rights on a secret document (direct-FK guardian table); returns the new ones."""
    if not document.is_secret:
        return []
    perm = view_permission()
    wanted = {u.pk: u for u in users if u is not None and u.pk}
    have = set(
        IncomingDocumentUserObjectPermission.objects.filter(
            content_object=document, permission=perm, user_id__in=list(wanted)
        ).values_list("user_id", flat=True)
    )
    fresh = [u for pk, u in wanted.items() if pk not in have]
    IncomingDocumentUserObjectPermission.objects.bulk_create(
        [
            IncomingDocumentUserObjectPermission(user=u, permission=perm, content_object=document)
            for u in fresh
        ],
        ignore_conflicts=True,
    )
    return fresh
