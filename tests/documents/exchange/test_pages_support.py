"""What the page tests share (no tests here): a URLconf with the exchange pages mounted in the
``documents`` namespace as ``documents/urls.py`` will mount them, and the rows the pages show — outgoing
documents with recipients reached by exchange, outbox and inbox messages with their stored files, an
incoming document that came by exchange."""

# ruff: noqa: F811

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib import admin
from django.core.files.base import ContentFile
from django.urls import include, path
from django.utils import timezone

from documents import urls as documents_urls
from documents.exchange import admin as exchange_admin  # noqa: F401 (registers the exchange models)
from documents.exchange import urls as exchange_urls
from documents.exchange.models import ExternalAgency, InboxMessage, MessageKind, OutboxMessage
from documents.models import DocumentType
from documents.outgoing import services as outgoing_services
from documents.outgoing.models import OutgoingRecipient
from documents.outgoing.services import DraftFields
from eoffice import urls as project_urls
from eoffice.models import Role
from tests.factories import make_agency, make_user

URLCONF = "tests.documents.exchange.test_pages_support"

# the admin's URLs again: eoffice.urls built them before this module's admin registered its models
urlpatterns = [
    path("admin/", admin.site.urls),
    *[p for p in project_urls.urlpatterns if str(p.pattern) != "documents/"],
    path(
        "documents/",
        include(([*exchange_urls.urlpatterns, *documents_urls.urlpatterns], "documents")),
    ),
]

EDXML = b'<?xml version="1.0" encoding="UTF-8"?><edXML:edXML xmlns:edXML="http://www.mic.gov.vn/TBT/QCVN_102_2016"/>'


@pytest.fixture
def sender(agency_a):
    clerk = make_user(agency=agency_a, roles=[Role.CLERK], full_name="Đặng Thị Hương")
    officer = make_user(agency=agency_a, roles=[Role.OFFICER], full_name="Phan Minh Đức")
    admin = make_user(agency=agency_a, roles=[Role.AGENCY_ADMIN], full_name="Quản Trị Viên")
    return {"clerk": clerk, "officer": officer, "admin": admin, "agency": agency_a}


@pytest.fixture
def other(db):
    agency = make_agency(name="Sở Tài chính tỉnh Bình Sơn", code="000.00.35.H27")
    return {"agency": agency, "clerk": make_user(agency=agency, roles=[Role.CLERK])}


def outside(n: int = 1, **extra) -> ExternalAgency:
    values = {"code": f"000.00.{n % 100:02d}.G22", "name": f"Bộ Thử nghiệm {n}", "transport": "axis"}
    values.update(extra)
    return ExternalAgency.objects.create(**values)


def outgoing_document(officer, summary: str = "Đề nghị phối hợp rà soát dự án đầu tư công"):
    doc_type = DocumentType.objects.get_or_create(name="Công văn", defaults={"abbreviation": "CV"})[0]
    return outgoing_services.draft_create(
        by=officer, fields=DraftFields(doc_type=doc_type, summary=summary, recipient_agencies=[])
    )


def exchange_recipient(document, external, **extra) -> OutgoingRecipient:
    return OutgoingRecipient.objects.create(
        document=document,
        external_agency=external,
        name=external.name,
        channel=OutgoingRecipient.Channel.EXCHANGE,
        **extra,
    )


def with_file(message, data: bytes = EDXML):
    message.sha256 = f"{message.pk:064d}"
    message.size = len(data)
    message.file.save(f"m{message.pk}.edxml", ContentFile(data), save=True)
    return message


def package_out(recipient, *, state=OutboxMessage.State.SENT, file=True, **extra) -> OutboxMessage:
    document = recipient.document
    message = OutboxMessage.objects.create(
        kind=MessageKind.PACKAGE,
        agency_id=document.agency_id,
        external_agency=recipient.external_agency,
        transport="axis",
        recipient=recipient,
        state=state,
        document_id=f"{document.agency.code},2026/12/07,{document.pk}/SKHĐT-VP",
        **extra,
    )
    return with_file(message) if file else message


def message_in(agency, *, kind=MessageKind.PACKAGE, state=InboxMessage.State.IMPORTED, at=None, **extra):
    values = {
        "kind": kind,
        "transport": "axis",
        "remote_id": f"R-{InboxMessage.objects.count() + 1}-{timezone.now().timestamp()}",
        "sha256": "",
        "state": state,
        "agency": agency,
        "sender_code": "000.00.00.G22",
        "sender_name": "Bộ Thông tin và Truyền thông",
        "document_id": "000.00.00.G22,2026/12/01,123/BTTTT-VP",
        "business_type": 0 if kind == MessageKind.PACKAGE else None,
        "received_at": at or timezone.now(),
    }
    values.update(extra)
    message = InboxMessage(**values)
    message.file.save("in.edxml", ContentFile(EDXML), save=False)
    message.size = len(EDXML)
    message.save()
    return message


def days_ago(n: int) -> dt.datetime:
    return timezone.now() - dt.timedelta(days=n)
