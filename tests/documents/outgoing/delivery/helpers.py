"""Shared by the delivery tests: an issued document built with the ORM (no outgoing services), delivery
and recall as the services run them, reading recipients and their events back."""

from __future__ import annotations

from datetime import timedelta

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from documents.files import sha256_bytes
from documents.models import (
    DocumentType,
    OutgoingDocument,
    OutgoingRecipient,
    OutgoingVersion,
    Register,
)
from documents.outgoing import delivery
from documents.registers import numbering
from eoffice.models import Role
from tests.factories import make_agency, make_department, make_user
from tests.signing.conftest import _signing_settings, pki_dir  # noqa: F401 - the signing tests' settings
from workflow.models import WorkflowState

Kind = OutgoingRecipient.Channel


def _agency_people(name: str, abbreviation: str) -> dict:
    agency = make_agency(name=name, abbreviation=abbreviation)
    unit = make_department(agency=agency, name="Văn phòng", abbreviation="VP")
    return {
        "agency": agency,
        "clerk": make_user(agency=agency, department=unit, roles=[Role.CLERK]),
        "leader": make_user(agency=agency, roles=[Role.LEADER]),
        "officer": make_user(agency=agency, department=unit, roles=[Role.OFFICER]),
    }


_numbers = iter(range(1, 10_000))


def make_issued(
    people, *, pdf: bytes, recipients, confidentiality=0, urgency=0, public_code=""
) -> OutgoingDocument:
    """An issued outgoing document of agency A built with the ORM (no outgoing services), its sealed version
    and its recipients: ("internal", agency) / ("email", name, address) / ("paper", name)."""
    agency = people["clerk"].agency
    n = next(_numbers)
    now = timezone.now()
    doc = OutgoingDocument(
        state=WorkflowState.ISSUED,
        agency=agency,
        doc_type=DocumentType.objects.get_or_create(name="Công văn")[0],
        register=numbering.default_register(agency=agency, kind=Register.Kind.OUTGOING),
        year=now.year,
        number=n,
        number_symbol=f"{n:02d}/SKHĐT-VP",
        issued_at=now - timedelta(hours=1),
        summary=f"V/v triển khai chuyển đổi số năm {now.year}, đợt {n}",
        signer=people["leader"],
        drafted_by=people["officer"],
        issued_by=people["clerk"],
        urgency=urgency,
        confidentiality=confidentiality,
        public_code=public_code,
        released_at=now,
    )
    doc.save()
    version = OutgoingVersion(
        document=doc,
        number=1,
        kind=OutgoingVersion.Kind.SEALED,
        sha256=sha256_bytes(pdf),
        size=len(pdf),
        pages=1,
        created_by=people["clerk"],
    )
    version.file.save("final.pdf", ContentFile(pdf), save=False)
    version.save()
    OutgoingDocument.objects.filter(pk=doc.pk).update(current_version=version)
    doc.refresh_from_db()
    rows = []
    for spec in recipients:
        if spec[0] == "internal":
            rows.append(
                OutgoingRecipient(document=doc, agency=spec[1], name=spec[1].name, channel=Kind.INTERNAL)
            )
        elif spec[0] == "email":
            rows.append(OutgoingRecipient(document=doc, name=spec[1], email=spec[2], channel=Kind.EMAIL))
        else:
            rows.append(OutgoingRecipient(document=doc, name=spec[1], channel=Kind.PAPER))
    OutgoingRecipient.objects.bulk_create(rows)
    return doc


def deliver(doc, people, pdf, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        delivery.deliver(document=doc, pdf=pdf, by=people["clerk"])


def recall(doc, people, reason, django_capture_on_commit_callbacks):
    """What the lead's recall service does around recall_propagate: state RECALLED, reason, then propagate."""
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        OutgoingDocument.objects.filter(pk=doc.pk).update(
            state=WorkflowState.RECALLED, recall_reason=reason, recalled_at=timezone.now()
        )
        doc.refresh_from_db()
        delivery.recall_propagate(document=doc, reason=reason, by=people["clerk"])


def _recipient(doc, **filters) -> OutgoingRecipient:
    return doc.recipients.get(**filters)


def _events(recipient) -> list[str]:
    return list(recipient.events.order_by("at", "id").values_list("status", flat=True))


def _login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client
