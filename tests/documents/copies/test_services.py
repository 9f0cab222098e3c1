import io
import subprocess
import threading

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.urls import reverse

from documents.copies import services
from documents.copies.models import CopyRecipient, DocumentCopy
from documents.models import IncomingDocument
from documents.registers import numbering
from documents.registers.models import Register, RegisterCounter
from eoffice.models import Notification
from signing.engine import SigningError
from tests.documents.copies.conftest import PIN, fields, pdf_text, read
from workflow.models import HistoryEntry


def test_sao_y_numbered_signed_and_laid_out(office, incoming, tmp_path):
    copy = services.copy_issue(source=incoming, fields=fields(office), by=office["clerk"], pin=PIN)
    assert (copy.number, copy.number_symbol, copy.state) == (1, "01/SY-SKHĐT", DocumentCopy.State.ISSUED)
    assert copy.register.kind == Register.Kind.COPY
    data = read(copy.file)
    # Phụ lục I Phần II II.2.a: the copy block on the same sheet, right under the original's last line.
    assert copy.page_count == 3
    assert "Văn bản gốc trang 3" in last_page_text(data) and "SAO Y" in last_page_text(data)
    text = pdf_text(data)
    assert "SAO Y" in text and "Số: 01/SY-SKHĐT" in text and "Văn bản gốc trang 3" in text
    assert "Nơi nhận" in text and "Lưu: VT." in text
    path = tmp_path / "copy.pdf"
    path.write_bytes(data)
    out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    assert "Signature is Valid" in out


def last_page_text(data: bytes) -> str:
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(data)).pages[-1].extract_text() or ""


def test_copy_block_on_its_own_page_when_the_last_page_is_full(office):
    """No room under the original's last line (a full page, a scan): the block goes on a page of its own."""
    from django.core.files.uploadedfile import SimpleUploadedFile
    from weasyprint import HTML

    from tests.documents.conftest import receive

    style = "<style>@page { size: A4; margin: 20mm }</style>"
    page = '<p>Dòng đầu của văn bản gốc</p><div style="height: 235mm; background: #ddd"></div>'
    full = HTML(string=f"<html><head>{style}</head><body>{page}</body></html>").write_pdf()
    source = receive(office["clerk"], main_files=[SimpleUploadedFile("goc.pdf", full, "application/pdf")])
    copy = services.copy_issue(source=source, fields=fields(office), by=office["clerk"], pin=PIN)
    data = read(copy.file)
    assert copy.page_count == 2  # the original's page, then the block's
    last = last_page_text(data)
    assert "SAO Y" in last and "Dòng" not in last


def test_one_series_for_every_form_and_a_new_one_each_year(office, incoming, monkeypatch):
    clerk = office["clerk"]
    a = services.copy_issue(source=incoming, fields=fields(office), by=clerk, pin=PIN)
    b = services.copy_issue(source=incoming, fields=fields(office, form="SL"), by=clerk, pin=PIN)
    c = services.copy_issue(source=incoming, fields=fields(office, form="TS", pages="2"), by=clerk, pin=PIN)
    assert [x.number_symbol for x in (a, b, c)] == ["01/SY-SKHĐT", "02/SL-SKHĐT", "03/TrS-SKHĐT"]
    monkeypatch.setattr(numbering, "current_year", lambda: a.year + 1)
    d = services.copy_issue(source=incoming, fields=fields(office), by=clerk, pin=PIN)
    assert (d.year, d.number) == (a.year + 1, 1)


def test_trich_sao_takes_only_the_chosen_pages(office, incoming):
    copy = services.copy_issue(
        source=incoming, fields=fields(office, form="TS", pages="3-3, 1"), by=office["clerk"], pin=PIN
    )
    text = pdf_text(read(copy.file))
    assert copy.page_count == 2  # the pages taken; the block under the last one
    assert "TRÍCH SAO" in last_page_text(read(copy.file)) and "trang 1" in last_page_text(read(copy.file))
    assert "trang 3" in text and "trang 1" in text and "trang 2" not in text
    assert "TRÍCH SAO" in text and "Trích trang 3-3, 1" in text


@pytest.mark.parametrize(
    ("extra", "pin", "field"),
    [
        ({}, "", "pin"),
        ({"form": "TS", "pages": "9-2"}, PIN, "pages"),
        ({"form": "TS", "pages": "5"}, PIN, "pages"),
    ],
)
def test_bad_input_saves_nothing(office, incoming, extra, pin, field):
    with pytest.raises(ValidationError) as exc:
        services.copy_issue(source=incoming, fields=fields(office, **extra), by=office["clerk"], pin=pin)
    assert field in exc.value.message_dict
    assert not DocumentCopy.objects.exists()
    assert not RegisterCounter.objects.filter(register__kind=Register.Kind.COPY, last_number__gt=0).exists()


def test_wrong_pin_saves_nothing(office, incoming):
    with pytest.raises(SigningError):
        services.copy_issue(source=incoming, fields=fields(office), by=office["clerk"], pin="000000")
    assert not DocumentCopy.objects.exists()


def test_officer_cannot_copy(office, incoming):
    with pytest.raises(PermissionDenied):
        services.copy_issue(source=incoming, fields=fields(office), by=office["officer"], pin=PIN)


def test_internal_recipient_gets_an_incoming_document(office, incoming, agency_b):
    copy = services.copy_issue(
        source=incoming,
        fields=fields(office, recipient_agencies=[agency_b], other_recipients="- Công ty Minh Phát;\n"),
        by=office["clerk"],
        pin=PIN,
    )
    rows = list(copy.recipients.order_by("id"))
    assert [(r.agency_id, r.name) for r in rows] == [
        (agency_b.pk, agency_b.name),
        (None, "Công ty Minh Phát"),
    ]
    arrived = IncomingDocument.objects.get(agency=agency_b)
    assert rows[0].incoming == arrived and rows[0].delivered_at
    assert arrived.number_symbol == "01/SY-SKHĐT" and arrived.issuer_agency_id == office["clerk"].agency_id
    assert arrived.signature_status == "valid"
    assert read(arrived.file) == read(copy.file)
    text = pdf_text(read(copy.file))
    assert agency_b.name in text and "Công ty Minh Phát" in text
    assert office["clerk_b"].notifications.exists() if hasattr(office["clerk_b"], "notifications") else True


def test_recipient_clerk_is_told_and_the_arrival_recorded(office, incoming, agency_b):
    """The copy arrives through the same constructor as an outgoing document (``Arrival``): the history
    entry names the copy, the recipient's clerk gets the copy's own notification, the deadline is set."""
    copy = services.copy_issue(
        source=incoming, fields=fields(office, recipient_agencies=[agency_b]), by=office["clerk"], pin=PIN
    )
    arrived = IncomingDocument.objects.get(agency=agency_b)
    assert arrived.summary.startswith("Sao y văn bản ") and arrived.page_count == copy.page_count
    assert arrived.due_at is not None and arrived.due_at > arrived.received_at
    created = HistoryEntry.objects.for_record(arrived).get(event=HistoryEntry.Event.CREATED)
    assert created.data["copy"] == copy.pk and created.data["sender"] == copy.agency.name
    assert "bản sao" in created.comment
    note = Notification.objects.get(recipient=office["clerk_b"], kind="documents.incoming_arrived")
    assert note.title.startswith("Bản sao văn bản đến chờ vào sổ: ") and copy.number_symbol in note.title
    assert note.url == arrived.get_absolute_url()
    assert not Notification.objects.filter(
        recipient=office["clerk"], kind="documents.incoming_arrived"
    ).exists()


def test_copy_of_an_issued_outgoing_document(office, agency_b, tmp_path, login):
    from documents.models import DocumentType
    from documents.outgoing import services as outgoing
    from documents.outgoing.services import DraftFields

    draft = DraftFields(
        doc_type=DocumentType.objects.get_or_create(name="Công văn")[0],
        summary="Đề nghị phối hợp rà soát danh mục dự án",
        body="<p>Đề nghị Quý cơ quan phối hợp.</p>",
        addressees=agency_b.name,
        distribution="Như trên",
        signer=office["leader"],
        recipient_agencies=[agency_b],
    )
    doc = outgoing.draft_create(by=office["officer"], fields=draft)
    doc = outgoing.draft_submit(document=doc, by=office["officer"], reviewer=office["head"])
    doc = outgoing.draft_approve(document=doc, by=office["head"])
    doc = outgoing.document_sign(document=doc, by=office["leader"], pin=PIN)
    doc = outgoing.document_issue(document=doc, by=office["clerk"], pin=PIN)
    button = reverse("documents:copy_create", args=["outgoing", doc.pk])
    assert button in login(office["clerk"]).get(doc.get_absolute_url()).content.decode()
    assert button not in login(office["officer"]).get(doc.get_absolute_url()).content.decode()
    copy = services.copy_issue(source=doc, fields=fields(office), by=office["clerk"], pin=PIN)
    assert copy.source_outgoing == doc
    assert copy.number_symbol in login(office["clerk"]).get(doc.get_absolute_url()).content.decode()
    path = tmp_path / "copy.pdf"
    path.write_bytes(read(copy.file))
    out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    assert out.count("Signature #") == 1 and "Signature is Valid" in out
    assert doc.number_symbol in pdf_text(read(copy.file))


@pytest.mark.django_db(transaction=True)
def test_two_clerks_at_once_get_consecutive_numbers(office, incoming):
    from eoffice.models import Role
    from tests.factories import make_user
    from tests.signing.factories import make_credential  # noqa: F401

    second = make_user(agency=office["clerk"].agency, roles=[Role.CLERK], username="clerk2")
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run(user):
        try:
            barrier.wait()
            results.append(
                services.copy_issue(source=incoming, fields=fields(office), by=user, pin=PIN).number
            )
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(u,)) for u in (office["clerk"], second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(results) == [1, 2]
    assert CopyRecipient.objects.count() == 0


def test_signer_block_follows_the_prefix(office, incoming):
    clerk = office["clerk"]
    with pytest.raises(ValidationError) as exc:
        services.copy_issue(source=incoming, fields=fields(office, signer_authority="TL."), by=clerk, pin=PIN)
    assert "authority_title" in exc.value.message_dict
    copy = services.copy_issue(
        source=incoming,
        fields=fields(
            office, signer_authority="TL.", authority_title="Giám đốc", signer_title="Chánh Văn phòng"
        ),
        by=clerk,
        pin=PIN,
    )
    text = pdf_text(read(copy.file))
    assert "TL. GIÁM ĐỐC" in text and "CHÁNH VĂN PHÒNG" in text and office["leader"].full_name in text


def test_demo_copy_of_an_issued_document(office, agency_b):
    from documents.copies.demo import demo_copy, seed_copies
    from documents.models import DocumentType
    from documents.outgoing import services as outgoing
    from documents.outgoing.services import DraftFields

    draft = DraftFields(
        doc_type=DocumentType.objects.get_or_create(name="Công văn")[0],
        summary="Báo cáo tình hình giải ngân",
        body="<p>Báo cáo.</p>",
        addressees=agency_b.name,
        distribution="Như trên",
        signer=office["leader"],
        recipient_agencies=[agency_b],
    )
    doc = outgoing.draft_create(by=office["officer"], fields=draft)
    doc = outgoing.draft_submit(document=doc, by=office["officer"], reviewer=office["head"])
    doc = outgoing.draft_approve(document=doc, by=office["head"])
    doc = outgoing.document_sign(document=doc, by=office["leader"], pin=PIN)
    doc = outgoing.document_issue(document=doc, by=office["clerk"], pin=PIN)
    copy = demo_copy(document=doc, clerk=office["clerk"], signer=office["leader"], pin=PIN)
    assert [r.name for r in copy.recipients.order_by("id")] == [agency_b.name, "Phòng Đăng ký kinh doanh"]
    assert copy.recipients.get(agency=agency_b).incoming.agency_id == agency_b.pk
    seed_copies(io.StringIO())  # no demo agency here: nothing more is made
    assert DocumentCopy.objects.count() == 1
