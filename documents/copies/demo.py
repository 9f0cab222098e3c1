"""Demo data of copies: a sao y of the first issued document of Sở Kế hoạch và Đầu tư, made by its clerk
through ``copy_issue`` (numbered, signed with the demo seal credential, delivered), so that Sổ bản sao and
the copy's page show something in ``make run``. Called by the outgoing demo after its documents."""

from __future__ import annotations

from django.conf import settings

from documents.copies.models import DocumentCopy
from documents.copies.services import CopyFields, copy_issue
from documents.outgoing.models import OutgoingDocument
from eoffice.models import User
from workflow.models import WorkflowState


def demo_copy(*, document: OutgoingDocument, clerk: User, signer: User, pin: str) -> DocumentCopy:
    recipients = [r.agency for r in document.recipients.select_related("agency") if r.agency_id][:1]
    fields = CopyFields(
        form="SY",
        signer=signer,
        signer_title=signer.position or "Giám đốc",
        recipient_agencies=recipients,
        other_recipients="Phòng Đăng ký kinh doanh",
    )
    return copy_issue(source=document, fields=fields, by=clerk, pin=pin)


def seed_copies(stdout) -> None:
    from eoffice.demo import SKHDT

    clerk = User.objects.filter(username="vanthu.skhdt", agency__code=SKHDT).first()
    signer = User.objects.filter(username="giamdoc.skhdt", agency__code=SKHDT).first()
    if clerk is None or signer is None or DocumentCopy.objects.filter(agency_id=clerk.agency_id).exists():
        return
    document = (
        OutgoingDocument.objects.filter(agency_id=clerk.agency_id, state=WorkflowState.ISSUED)
        .order_by("issued_at", "pk")
        .first()
    )
    if document is None:
        return
    copy = demo_copy(document=document, clerk=clerk, signer=signer, pin=settings.SIGNING_DEMO_PIN)
    stdout.write(f"  copies: 1 ({copy.number_symbol})\n")
