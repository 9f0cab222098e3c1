"""Reads of copies, filtered in the SQL: a copy is seen by the people of the copying agency who may see its
source (a copy of a secret document keeps the source's secrecy)."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from documents.copies.models import DocumentCopy
from documents.incoming import selectors as incoming_selectors
from documents.models import IncomingDocument
from documents.outgoing import selectors as outgoing_selectors
from documents.outgoing.models import OutgoingDocument
from eoffice.models import User
from workflow.models import WorkflowState


def visible_copies(user: User) -> QuerySet[DocumentCopy]:
    if not user.is_authenticated or not user.agency_id:
        return DocumentCopy.objects.none()
    sources = Q(source_incoming__in=incoming_selectors.visible_incoming(user).values("pk")) | Q(
        source_outgoing__in=outgoing_selectors.visible_outgoing(user).values("pk")
    )
    return DocumentCopy.objects.filter(sources, agency_id=user.agency_id)


def copy_access(*, user: User, pk: int, lock: bool = False) -> DocumentCopy:
    """The copy ``pk`` if ``user`` may see it; the same 404 for missing and forbidden."""
    qs = visible_copies(user)
    if lock:
        return get_object_or_404(qs.select_for_update(of=("self",)), pk=pk)
    return get_object_or_404(
        qs.select_related("agency", "signer", "issued_by", "source_outgoing", "source_incoming", "register"),
        pk=pk,
    )


def source_access(
    *, user: User, kind: str, pk: int, lock: bool = False
) -> OutgoingDocument | IncomingDocument:
    """The document to copy: an issued outgoing or a received incoming document the user may see."""
    if kind == "outgoing":
        return outgoing_selectors.outgoing_access(user=user, pk=pk, lock=lock)
    if kind == "incoming":
        return incoming_selectors.incoming_access(user=user, pk=pk, lock=lock)
    raise Http404


def copyable(document) -> bool:
    """Only a finished document with its electronic file can be copied electronically."""
    if isinstance(document, OutgoingDocument):
        return document.state == WorkflowState.ISSUED and bool(document.current_version_id)
    return bool(document.file) and document.number is not None and document.recalled_at is None


def copy_list(*, user: User, form: str = "", year: int | None = None) -> QuerySet[DocumentCopy]:
    qs = visible_copies(user).filter(state=DocumentCopy.State.ISSUED)
    if form:
        qs = qs.filter(form=form)
    if year:
        qs = qs.filter(year=year)
    return qs.select_related("source_outgoing", "source_incoming", "signer").order_by("-issued_at", "-id")


def copies_of(*, user: User, document) -> QuerySet[DocumentCopy]:
    field = "source_outgoing" if isinstance(document, OutgoingDocument) else "source_incoming"
    return copy_list(user=user).filter(**{field: document})


def register_rows(*, user: User, date_from: date, date_to: date, form: str = "") -> QuerySet[DocumentCopy]:
    """Sổ bản sao: the copies issued in the period, in their number's order."""
    qs = visible_copies(user).filter(
        state=DocumentCopy.State.ISSUED, issued_at__date__gte=date_from, issued_at__date__lte=date_to
    )
    if form:
        qs = qs.filter(form=form)
    return (
        qs.select_related("agency", "source_outgoing", "source_incoming", "signer")
        .prefetch_related("recipients")
        .order_by("year", "number")
    )


def recipients_of(copy: DocumentCopy):
    return copy.recipients.select_related("agency", "incoming").order_by("id")
