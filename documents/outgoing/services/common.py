"""What every outgoing write shares: the document reloaded through its access helper with its row locked, and
refused when it sits in a case file handed to the archive (IV.1g) — the archived file must stay what the
archive accepted, so such a document is neither edited nor recalled."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from documents.outgoing import selectors
from documents.outgoing.models import OutgoingDocument
from eoffice.models import User


def locked_for(document: OutgoingDocument, by: User) -> OutgoingDocument:
    """``document`` locked (inside the caller's transaction; the same 404 as the page for one the actor may
    not see); a document inside an archived case file is refused (one EXISTS query)."""
    from documents.records.selectors import record_in_archived_file

    locked = selectors.outgoing_access(user=by, pk=document.pk, lock=True)
    if record_in_archived_file("outgoing", locked.pk):
        raise ValidationError(_("Văn bản nằm trong hồ sơ đã nộp lưu, không được thay đổi."))
    return locked


__all__ = ["locked_for"]
