"""Delivery of an issued copy to the agencies of the installation picked in its Nơi nhận: an incoming
document in each recipient's "chờ vào sổ" queue (the copy's signed PDF, its signatures verified, the clerks
told), built by the outgoing delivery's ``Arrival`` (``documents.outgoing.delivery.common``)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from documents.copies import rules
from documents.copies.models import CopyRecipient, DocumentCopy
from documents.incoming import services as incoming_services
from documents.outgoing.delivery.common import Arrival, default_registers, users_by_agency
from eoffice.models import Role, User


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
    status, report = incoming_services.verify_signatures(pdf)
    arrival = Arrival(
        sender=copy.agency,
        number_symbol=copy.number_symbol,
        issued_date=timezone.localtime(copy.issued_at).date(),
        doc_type_id=facts["doc_type_id"],
        summary=summary_line(copy),
        signer_name=copy.signer.full_name if copy.signer_id else "",
        urgency=facts["urgency"],
        confidentiality=facts["confidentiality"],
        page_count=copy.page_count,
        pdf=pdf,
        signature_status=status,
        signature_report=report,
        note=_("Nhận bản sao điện tử từ %(sender)s.") % {"sender": copy.agency.name},
        history={"copy": copy.pk},
    )
    registers = default_registers([r.agency for r in recipients])
    clerks = users_by_agency([r.agency_id for r in recipients], Role.CLERK)
    for r in recipients:
        r.incoming = arrival.create(agency_id=r.agency_id, register=registers[r.agency_id], stored=stored)
        r.delivered_at = arrival.received_at
        r.save(update_fields=["incoming", "delivered_at"])
    arrival.tell_clerks(
        [r.incoming for r in recipients], clerks, title=_("Bản sao văn bản đến chờ vào sổ: %(label)s")
    )
    return recipients
