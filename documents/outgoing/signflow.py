"""The competent person's signature on an outgoing document: the hooks of its ``SignatureRequest``.

``prepare`` runs inside the signing transaction, just before the signature: it takes the number from the
register's counter (row locked until the transaction ends), fixes the issue date, and gives the final PDF
with both printed in it. ``finish`` records the signed PDF and moves the document to "chờ phát hành".
The signing module runs them with the signature in one savepoint: if the signature fails, the number goes
back to the counter (no gap), and nothing of the document changes.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.outgoing import render, rules, signers
from documents.outgoing.models import OutgoingDocument, OutgoingVersion
from documents.outgoing.services.notices import notify_clerks_to_issue
from documents.outgoing.services.versions import add_version, read_bytes
from documents.records.metadata.identifier import outgoing_identifier
from documents.registers import numbering
from signing.appearance import StampBox
from signing.models import SignatureRequest
from workflow import services as wf
from workflow.models import WorkflowState


def _document(request: SignatureRequest) -> OutgoingDocument:
    document = wf.lock_record(OutgoingDocument, OutgoingDocument.objects.get(sign_request=request).pk)
    if document.state != WorkflowState.SIGNING or document.signer_id != request.signer_id:
        raise wf.RecordChanged
    return document


def prepare(request: SignatureRequest) -> tuple[bytes, StampBox | None]:
    document = _document(request)
    signers.confirm(document=document, field="")  # a record expired or revoked since approval refuses it
    register = numbering.outgoing_register(
        agency=document.agency, doc_type=document.doc_type, secret=document.is_secret
    )
    now = timezone.now()
    year, number = numbering.issue(register=register, year=timezone.localtime(now).year)
    symbol = numbering.outgoing_symbol(
        doc_type=document.doc_type, agency=document.agency, department=document.department
    )
    version = document.current_version
    if document.source == OutgoingDocument.Source.TEMPLATE:
        rendered = render.render(
            rules.layout_for(document, number=number, date=timezone.localtime(now).date(), draft=False)
        )
        data, box = rendered.pdf, rendered.signature_box
    else:
        try:
            data = render.stamp_number(
                read_bytes(version.file),
                number_text=numbering.number_symbol(number, symbol),
                date_text=render.format_date(
                    document.place_name or document.agency.place_name, timezone.localtime(now).date()
                ),
            )
        except render.LayoutNotFound as exc:
            raise ValidationError(str(exc)) from exc
        box = version.signature_box
    OutgoingDocument.objects.filter(pk=document.pk).update(
        register=register,
        year=year,
        number=number,
        number_symbol=numbering.number_symbol(number, symbol),
        issued_at=now,
        authorization=document.authorization,
        authority_title=document.authority_title,
        identifier=outgoing_identifier(
            agency_code=document.agency.code,
            issued_at=now,
            number_symbol=numbering.number_symbol(number, symbol),
        ),
    )
    stamp = rules.box_dict(box)
    return data, StampBox.from_dict(stamp) if stamp else None


def finish(request: SignatureRequest, signed: bytes) -> None:
    document = _document(request)
    signer = request.signer
    # The leader's box as placed (the signing module kept it on the request); the seal goes over it.
    box = {"page": request.box["page"], "rect": [request.box[k] for k in ("x1", "y1", "x2", "y2")]}
    version = add_version(
        document,
        data=signed,
        kind=OutgoingVersion.Kind.SIGNED,
        by=signer,
        box=box,
        note=_("Số %(ns)s") % {"ns": document.number_symbol},
    )
    wf.record_transition(
        record=document,
        action="sign",
        by=signer,
        data={"number_symbol": document.number_symbol, "version": version.number, "sha256": version.sha256},
    )
    notify_clerks_to_issue(document=OutgoingDocument.objects.get(pk=document.pk), by=signer)
