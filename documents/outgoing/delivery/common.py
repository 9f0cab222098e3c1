"""What the delivery modules share: the sender's page link, a document's label in titles, the people
to tell per agency or unit, the recipients' default registers, the attachment's file name, and the
incoming document each recipient agency gets (``Arrival``: outgoing documents and copies alike)."""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from django.core.files.base import ContentFile
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.files import sha256_bytes
from documents.incoming import rules as incoming_rules
from documents.models import (
    Channel,
    IncomingDocument,
    IncomingDocumentUserObjectPermission,
    Register,
    SignatureStatus,
    Urgency,
)
from documents.outgoing.models import (
    OutgoingDocument,
)
from documents.registers import numbering
from eoffice.models import Agency, Role, User
from eoffice.services import notify
from workflow import services as wf
from workflow.models import HistoryEntry


def outgoing_url(document: OutgoingDocument) -> str:
    try:
        return document.get_absolute_url()
    except NoReverseMatch:  # the outgoing pages are not installed
        return ""


def label(*, urgency: int, number_symbol: str, summary: str) -> str:
    prefix = f"[{Urgency(urgency).label}] " if urgency > Urgency.NORMAL else ""
    return f"{prefix}{number_symbol} — {summary[:120]}"


def users_by_agency(agency_ids: Iterable[int], role: str) -> dict[int, list[User]]:
    """Active people holding ``role`` in each agency, in one query."""
    ids = {a for a in agency_ids if a}
    found: dict[int, list[User]] = defaultdict(list)
    if not ids:
        return found
    for user in User.objects.filter(
        agency_id__in=ids, is_active=True, groups__agency_role__role=role
    ).distinct():
        found[user.agency_id].append(user)
    return found


def heads_by_department(department_ids: Iterable[int]) -> dict[int, list[User]]:
    ids = {d for d in department_ids if d}
    found: dict[int, list[User]] = defaultdict(list)
    if not ids:
        return found
    for user in User.objects.filter(
        department_id__in=ids, is_active=True, groups__agency_role__role=Role.DEPARTMENT_HEAD
    ).distinct():
        found[user.department_id].append(user)
    return found


def default_registers(agencies) -> dict[int, Register]:
    """Each recipient agency's default incoming register: one query, created where missing."""
    registers = {
        r.agency_id: r
        for r in Register.objects.filter(
            agency_id__in=[a.pk for a in agencies], kind=Register.Kind.INCOMING, is_default=True
        )
    }
    for agency in agencies:
        if agency.pk not in registers:
            registers[agency.pk] = numbering.default_register(agency=agency)
    return registers


def attachment_name(number_symbol: str) -> str:
    name = re.sub(r"[\\/:*?\"<>|\s]+", "-", number_symbol.strip()).strip("-") or "van-ban"
    return f"{name[:200]}.pdf"


@dataclass
class Arrival:
    """One delivered PDF as it arrives in each recipient agency's "chờ vào sổ" queue: the facts its
    incoming documents share, set once for all the recipients; ``create`` makes one (inside the caller's
    transaction, the stored file name added to ``stored`` for removal on rollback)."""

    sender: Agency
    number_symbol: str
    issued_date: datetime.date
    doc_type_id: int | None
    summary: str
    signer_name: str
    urgency: int
    confidentiality: int
    page_count: int
    pdf: bytes
    signature_status: str
    signature_report: dict
    note: str  # the arrival's history comment
    history: dict = field(default_factory=dict)  # extra data of the history entry
    received_at: datetime.datetime = field(default_factory=timezone.now)

    @cached_property
    def file_name(self) -> str:
        return attachment_name(self.number_symbol)

    @cached_property
    def digest(self) -> str:
        return sha256_bytes(self.pdf)

    @cached_property
    def due_at(self):
        return incoming_rules.default_due_at(urgency=self.urgency, received_at=self.received_at)

    def create(self, *, agency_id: int, register: Register, stored: list[str]) -> IncomingDocument:
        incoming = IncomingDocument(
            agency_id=agency_id,
            register=register,
            issuer_agency=self.sender,
            issuer_name=self.sender.name,
            number_symbol=self.number_symbol,
            issued_date=self.issued_date,
            doc_type_id=self.doc_type_id,
            summary=self.summary[:1000],
            signer_name=self.signer_name,
            urgency=self.urgency,
            confidentiality=self.confidentiality,
            page_count=self.page_count,
            received_at=self.received_at,
            channel=Channel.ELECTRONIC,
            due_at=self.due_at,
            due_soon_at=incoming_rules.due_soon_mark(self.due_at, self.received_at),
            file_name=self.file_name,
            file_sha256=self.digest,
            file_size=len(self.pdf),
            signature_status=self.signature_status,
            signature_report=self.signature_report,
            received_by=None,
        )
        incoming.file.save(self.file_name, ContentFile(self.pdf), save=False)
        stored.append(incoming.file.name)
        incoming.save()
        wf.history_add(
            record=incoming,
            event=HistoryEntry.Event.CREATED,
            actor=None,
            to_state=incoming.state,
            comment=self.note,
            data={
                "signature": self.signature_status,
                "channel": Channel.ELECTRONIC,
                "sender": self.sender.name,
                **self.history,
            },
        )
        return incoming

    def tell_clerks(
        self, incomings: list[IncomingDocument], clerks: dict[int, list[User]], *, title: str
    ) -> None:
        """The recipients' clerks: view rights on a secret document (to register it) and a notification.
        ``title`` is a translated text with ``%(label)s``."""
        secret = [inc for inc in incomings if inc.is_secret]
        if secret:
            from documents.incoming.services import view_permission  # the incoming services import delivery

            perm = view_permission()
            IncomingDocumentUserObjectPermission.objects.bulk_create(
                [
                    IncomingDocumentUserObjectPermission(user=u, permission=perm, content_object=inc)
                    for inc in secret
                    for u in clerks.get(inc.agency_id, [])
                ],
                ignore_conflicts=True,
            )
        body = _("Từ %(sender)s · %(signature)s") % {
            "sender": self.sender.name,
            "signature": SignatureStatus(self.signature_status).label,
        }
        for inc in incomings:
            notify(
                recipients=clerks.get(inc.agency_id, []),
                kind="documents.incoming_arrived",
                title=title
                % {"label": label(urgency=inc.urgency, number_symbol=inc.number_symbol, summary=inc.summary)},
                body=body,
                url=inc.get_absolute_url(),
            )
