"""Delivery of an issued copy to the agencies of the installation picked in its Nơi nhận: an incoming
document in each recipient's "chờ vào sổ" queue (the copy's signed PDF, its signatures verified, the clerks
told), with the helpers the outgoing delivery shares (``documents.outgoing.delivery.common``)."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.copies import rules
from documents.copies.models import CopyRecipient, DocumentCopy
from documents.files import sha256_bytes
from documents.incoming import rules as incoming_rules
from documents.incoming import services as incoming_services
from documents.models import Channel, IncomingDocument, IncomingDocumentUserObjectPermission, SignatureStatus
from documents.outgoing.delivery.common import attachment_name, default_registers, label, users_by_agency
from eoffice.models import Role, User
from eoffice.services import notify
from workflow import services as wf
from workflow.models import HistoryEntry


def source_facts(copy: DocumentCopy) -> dict:
    """What the recipient's register needs of the original: type, summary, urgency, secrecy."""
    src = copy.source_outgoing or copy.source_incoming
    return {
        "doc_type_id": src.doc_type_id,
        "summary": src.summary,
        "urgency": src.urgency,
        "confidentiality": src.confidentiality,
        "number_symbol": src.number_symbol,
    }


def summary_line(copy: DocumentCopy) -> str:
    facts = source_facts(copy)
    return _("%(form)s văn bản %(ns)s: %(summary)s") % {
        "form": rules.heading(copy.form).capitalize(),
        "ns": facts["number_symbol"],
        "summary": facts["summary"],
    }


def deliver(*, copy: DocumentCopy, pdf: bytes, stored: list[str], by: User) -> list[CopyRecipient]:
    """Inside the issuing transaction: an incoming document at each recipient agency not yet delivered.
    ``stored`` collects the stored file names so the caller removes them if the transaction rolls back."""
    recipients = list(
        copy.recipients.select_related("agency").filter(agency__isnull=False, incoming__isnull=True)
    )
    if not recipients:
        return []
    facts = source_facts(copy)
    sender = copy.agency
    now = timezone.now()
    status, report = incoming_services.verify_signatures(pdf)
    digest = sha256_bytes(pdf)
    due_at = incoming_rules.default_due_at(urgency=facts["urgency"], received_at=now)
    due_soon_at = incoming_rules.due_soon_mark(due_at, now)
    registers = default_registers([r.agency for r in recipients])
    clerks = users_by_agency([r.agency_id for r in recipients], Role.CLERK)
    file_name = attachment_name(copy.number_symbol)
    summary = summary_line(copy)
    note = _("Nhận bản sao điện tử từ %(sender)s.") % {"sender": sender.name}
    for r in recipients:
        incoming = IncomingDocument(
            agency_id=r.agency_id,
            register=registers[r.agency_id],
            issuer_agency=sender,
            issuer_name=sender.name,
            number_symbol=copy.number_symbol,
            issued_date=timezone.localtime(copy.issued_at).date(),
            doc_type_id=facts["doc_type_id"],
            summary=summary[:1000],
            signer_name=copy.signer.full_name if copy.signer_id else "",
            urgency=facts["urgency"],
            confidentiality=facts["confidentiality"],
            page_count=copy.page_count,
            received_at=now,
            channel=Channel.ELECTRONIC,
            due_at=due_at,
            due_soon_at=due_soon_at,
            file_name=file_name,
            file_sha256=digest,
            file_size=len(pdf),
            signature_status=status,
            signature_report=report,
            received_by=None,
        )
        incoming.file.save(file_name, ContentFile(pdf), save=False)
        stored.append(incoming.file.name)
        incoming.save()
        wf.history_add(
            record=incoming,
            event=HistoryEntry.Event.CREATED,
            actor=None,
            to_state=incoming.state,
            comment=note,
            data={"signature": status, "channel": Channel.ELECTRONIC, "sender": sender.name, "copy": copy.pk},
        )
        if incoming.is_secret:  # the recipient's clerks may open the secret copy to register it
            perm = incoming_services.view_permission()
            IncomingDocumentUserObjectPermission.objects.bulk_create(
                [
                    IncomingDocumentUserObjectPermission(user=u, permission=perm, content_object=incoming)
                    for u in clerks.get(r.agency_id, [])
                ],
                ignore_conflicts=True,
            )
        r.incoming = incoming
        r.delivered_at = now
        r.save(update_fields=["incoming", "delivered_at"])
        notify(
            recipients=clerks.get(r.agency_id, []),
            kind="documents.incoming_arrived",
            title=_("Bản sao văn bản đến chờ vào sổ: %(label)s")
            % {
                "label": label(
                    urgency=incoming.urgency, number_symbol=incoming.number_symbol, summary=summary
                )
            },
            body=_("Từ %(sender)s · %(signature)s")
            % {"sender": sender.name, "signature": SignatureStatus(status).label},
            url=incoming.get_absolute_url(),
        )
    return recipients
