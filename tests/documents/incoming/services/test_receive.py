import hashlib
from datetime import date
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from documents.incoming import services
from documents.models import IncomingDocument, SignatureStatus, Urgency
from documents.registers import numbering
from eoffice.models import Notification
from tests.documents.conftest import jpeg_upload, pdf_bytes, pdf_upload, receive
from workflow.models import HistoryEntry, WorkflowState

pytestmark = pytest.mark.django_db


def test_register_gives_number_hash_and_notifies_leaders(people):
    doc = receive(people["clerk"], n=1, urgency=Urgency.URGENT)
    assert doc.state == WorkflowState.RECEIVED
    assert (doc.number, doc.year) == (1, timezone.localdate().year)
    assert doc.file_sha256 == hashlib.sha256(doc.file.open("rb").read()).hexdigest()
    assert doc.page_count == 1
    assert doc.signature_status == SignatureStatus.UNSIGNED
    assert doc.due_at > doc.received_at
    events = list(HistoryEntry.objects.for_record(doc).values_list("event", "action"))
    assert events == [("created", ""), ("transition", "register_number")]
    titles = Notification.objects.filter(recipient__in=[people["leader"], people["deputy"]])
    assert titles.count() == 2 and "Khẩn" in titles.first().title


def test_urgent_default_deadline_is_shorter(people):
    normal = receive(people["clerk"], n=1)
    urgent = receive(people["clerk"], n=2, urgency=Urgency.FLASH)
    assert urgent.due_at < normal.due_at


def test_receive_without_registering_then_register(people):
    doc = receive(people["clerk"], n=1, register_now=False)
    assert doc.state == WorkflowState.NEW and doc.number is None
    doc = services.incoming_register(document=doc, by=people["clerk"])
    assert doc.number == 1 and doc.state == WorkflowState.RECEIVED


def test_scanned_images_become_one_pdf(people):
    doc = receive(people["clerk"], n=1, main_files=[jpeg_upload("p1.jpg"), jpeg_upload("p2.jpg")])
    data = doc.file.open("rb").read()
    assert data.startswith(b"%PDF-") and doc.page_count == 2


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: SimpleUploadedFile("x.pdf", b"hello, not a pdf"), "PDF hoặc ảnh quét"),
        (lambda: SimpleUploadedFile("x.pdf", b"%PDF-1.7\n garbage garbage"), "bị hỏng"),
        (lambda: SimpleUploadedFile("x.pdf", b""), "rỗng"),
    ],
)
def test_bad_main_file_is_refused_with_a_clear_message(people, upload, message):
    with pytest.raises(ValidationError) as exc:
        receive(people["clerk"], n=1, main_files=[upload()])
    assert message in " ".join(exc.value.messages)
    assert not IncomingDocument.objects.exists()


def test_encrypted_pdf_is_refused(people):
    import io

    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.pdf_utils.writer import copy_into_new_writer

    writer = copy_into_new_writer(PdfFileReader(io.BytesIO(pdf_bytes())))
    writer.encrypt("secret", "secret")
    out = io.BytesIO()
    writer.write(out)
    with pytest.raises(ValidationError) as exc:
        receive(people["clerk"], n=1, main_files=[SimpleUploadedFile("enc.pdf", out.getvalue())])
    assert "mật khẩu" in " ".join(exc.value.messages)


def test_size_limit_is_configurable(people, settings):
    settings.EOFFICE_MAX_UPLOAD_MB = 0
    with pytest.raises(ValidationError) as exc:
        receive(people["clerk"], n=1)
    assert "MB" in " ".join(exc.value.messages)


def test_bad_attachment_refused_and_nothing_saved(people, settings):
    bad = SimpleUploadedFile("virus.docx", b"MZ\x90\x00 not a docx")
    with pytest.raises(ValidationError):
        receive(people["clerk"], n=1, attachments=[bad])
    assert not IncomingDocument.objects.exists()
    assert not list(Path(settings.MEDIA_ROOT).rglob("*.pdf"))


def test_files_removed_when_the_transaction_rolls_back(people, settings, monkeypatch):
    def boom(**kwargs):
        raise RuntimeError("numbering failed")

    monkeypatch.setattr(numbering, "issue", boom)
    with pytest.raises(RuntimeError):
        receive(people["clerk"], n=1, attachments=[pdf_upload("phu-luc.pdf", "Phụ lục")])
    assert not IncomingDocument.objects.exists()
    assert not [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


def test_only_clerks_receive(people):
    with pytest.raises(PermissionDenied):
        receive(people["officer"], n=1)


def test_metadata_errors_are_per_field(people):
    with pytest.raises(ValidationError) as exc:
        receive(
            people["clerk"], n=1, number_symbol=" ", summary="", issuer_name="", issued_date=date(2999, 1, 1)
        )
    assert {"number_symbol", "summary", "issuer_name", "issued_date"} <= set(exc.value.message_dict)


def test_duplicate_warning_then_go_on_keeps_the_link(people):
    first = receive(people["clerk"], n=1)
    with pytest.raises(services.DuplicateWarning) as exc:
        receive(people["clerk"], n=1, allow_duplicate=False)
    assert exc.value.duplicates == [first]
    second = receive(people["clerk"], n=1, allow_duplicate=True)
    assert second.duplicate_of == first and second.number == 2


def test_same_file_is_a_duplicate_even_with_another_symbol(people):
    first = receive(people["clerk"], n=1)
    with pytest.raises(services.DuplicateWarning):
        receive(
            people["clerk"],
            n=1,
            number_symbol="99/XYZ",
            allow_duplicate=False,
            main_files=[pdf_upload(text="Văn bản 1 ")],
        )
    assert first.pk


def test_duplicates_only_within_the_agency(people, people_b):
    receive(people["clerk"], n=1)
    other = receive(people_b["clerk"], n=1, allow_duplicate=False)
    assert other.duplicate_of is None


def test_secret_document_needs_a_named_leader(people):
    with pytest.raises(ValidationError) as exc:
        receive(people["clerk"], n=1, confidentiality=1)
    assert "directing_leader" in exc.value.message_dict


def test_return_to_sender_with_reason(people):
    doc = receive(people["clerk"], n=1)
    with pytest.raises(ValidationError):
        services.incoming_return(document=doc, by=people["clerk"], reason=" ")
    doc = services.incoming_return(document=doc, by=people["clerk"], reason="Gửi nhầm cơ quan")
    assert doc.state == WorkflowState.RETURNED and doc.return_reason == "Gửi nhầm cơ quan"


def test_signed_pdf_verified_on_arrival(people, monkeypatch):
    from signing import verification

    report = verification.VerificationReport(
        sha256="x", size=1, signatures=[verification.SignatureReport(field_name="Sig1", intact=False)]
    )
    monkeypatch.setattr(verification, "verify_pdf", lambda data: report)
    doc = receive(people["clerk"], n=1)
    assert doc.signature_status == SignatureStatus.INVALID
    assert doc.signature_report["signatures"][0]["field_name"] == "Sig1"
