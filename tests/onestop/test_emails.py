"""The applicant's emails: sent after the commit of each event, with the tracking link and the event's form
attached as a PDF (01 receipt, 02 supplement, 03 refusal). 04 (apology) and 05 (stop) are official letters:
their event's email carries no unsigned draft, the issued letter is sent when issued (test_letters.py)."""

from __future__ import annotations

import io
import unicodedata

import pytest
from pypdf import PdfReader

from onestop import emails, pdf, services
from onestop.models import Dossier, DossierState
from tests.onestop.conftest import advance, all_papers, receive

pytestmark = pytest.mark.django_db


def text_of(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(unicodedata.normalize("NFC", " ".join(p.extract_text() for p in reader.pages)).split())


def mails_to(mailoutbox, address: str = "an.nguyen@example.com"):
    return [m for m in mailoutbox if m.to == [address]]


def only_pdf(message) -> tuple[str, bytes]:
    assert len(message.attachments) == 1
    name, content, mimetype = message.attachments[0]
    assert mimetype == "application/pdf" and content.startswith(b"%PDF")
    return name, content


def fresh(dossier) -> Dossier:
    return Dossier.objects.get(pk=dossier.pk)


def test_receipt_email_carries_form_01(procedure, people, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = receive(procedure, people)
    (message,) = mails_to(mailoutbox)
    assert dossier.code in message.subject and "Sở Kế hoạch và Đầu tư" in message.subject
    assert message.body.startswith("Kính gửi Ông/Bà Nguyễn Văn An,")
    assert f"Mã hồ sơ: {dossier.code}" in message.body
    assert f"Ngày hẹn trả kết quả: {pdf.when_text(dossier.due_at)}" in message.body
    assert pdf.tracking_url(dossier) in message.body
    name, content = only_pdf(message)
    assert name == f"mau-01-{dossier.code}.pdf"
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text_of(content)


def test_incomplete_email_carries_form_02_with_the_missing_list(
    procedure, people, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = receive(
            procedure,
            people,
            papers=all_papers(procedure)[:1],
            outcome=services.OUTCOME_INCOMPLETE,
            missing="Bản sao giấy tờ pháp lý\nChữ ký của chủ doanh nghiệp",
        )
    (message,) = mails_to(mailoutbox)
    assert "  - Bản sao giấy tờ pháp lý\n  - Chữ ký của chủ doanh nghiệp" in message.body
    assert dossier.reference in message.body
    name, content = only_pdf(message)
    assert name == f"mau-02-{dossier.reference}.pdf"
    text = text_of(content)
    assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in text and "2. Chữ ký của chủ doanh nghiệp" in text


def test_refused_reception_email_carries_form_03(
    procedure, people, mailoutbox, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        receive(procedure, people, outcome=services.OUTCOME_INELIGIBLE, reasons="Không thuộc thẩm quyền")
    (message,) = mails_to(mailoutbox)
    assert "Không thuộc thẩm quyền" in message.body
    name, content = only_pdf(message)
    assert name.startswith("mau-03-")
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in text_of(content)


def test_processing_events_carry_their_forms(
    procedure, people, mailoutbox, django_capture_on_commit_callbacks
):
    dossier = advance(receive(procedure, people), DossierState.PROCESSING, people)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_request_supplement(dossier=dossier, by=people["officer"], content="Bản sao điều lệ")
    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_supplement_received(
            dossier=fresh(dossier), by=people["onestop"], papers=[], note="Đã nộp"
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_extend(
            dossier=fresh(dossier),
            by=people["leader"],
            reason="Chờ ý kiến cơ quan thuế",
            due_at=fresh(dossier).due_at + (fresh(dossier).due_at - fresh(dossier).received_at),
        )
    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_refuse(dossier=fresh(dossier), by=people["officer"], reasons="Tên trùng")
    supplement, extended, refused = mails_to(mailoutbox)
    assert "Bản sao điều lệ" in supplement.body and "tạm dừng" in supplement.body
    assert only_pdf(supplement)[0].startswith("mau-02-")
    assert "Bản sao điều lệ" in text_of(only_pdf(supplement)[1])
    dossier = fresh(dossier)
    assert "Chờ ý kiến cơ quan thuế" in extended.body
    assert f"Ngày hẹn mới: {pdf.when_text(dossier.due_at)}." in extended.body
    # Form 04 is an official letter: no unsigned draft attached, it follows once signed and issued.
    assert extended.attachments == [] and "khi được ký ban hành" in extended.body
    assert "Tên trùng" in refused.body
    name, content = only_pdf(refused)
    assert name == f"mau-03-{dossier.code}.pdf" and "Tên trùng" in text_of(content)


def test_stopped_email_waits_for_the_issued_form_05(
    procedure, people, mailoutbox, django_capture_on_commit_callbacks
):
    dossier = advance(receive(procedure, people), DossierState.UNIT, people)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_stop(dossier=dossier, by=people["leader"], reason="Người nộp rút hồ sơ")
    (message,) = mails_to(mailoutbox)
    assert "Người nộp rút hồ sơ" in message.body
    assert message.attachments == [] and "khi được ký ban hành" in message.body
    assert emails.attachment(dossier, "letter_05") is None  # no issued letter yet: nothing to send


def test_result_email_has_no_attachment(procedure, people, mailoutbox, django_capture_on_commit_callbacks):
    dossier = advance(receive(procedure, people), DossierState.APPROVAL, people)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.dossier_approve(dossier=dossier, by=people["leader"], sign=False)
    (message,) = mails_to(mailoutbox)
    assert "đã có kết quả" in message.body and message.attachments == []


def test_no_email_without_an_address(procedure, people, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        dossier = receive(procedure, people, email="")
    assert mailoutbox == [] and emails.build(dossier.pk, "received") is None


def test_an_organisation_is_addressed_as_such(procedure, people):
    dossier = receive(
        procedure,
        people,
        applicant=services.Applicant(
            name="Công ty TNHH Hòa An", kind="organisation", email="hoaan@example.com"
        ),
    )
    message = emails.build(dossier.pk, "received")
    assert message.body.startswith("Kính gửi Công ty TNHH Hòa An,")
    assert "của Quý tổ chức" in message.body and "Ông/Bà" not in message.body
    assert "Mã số doanh nghiệp/tổ chức" not in text_of(message.attachments[0][1])  # no number given


def test_email_still_goes_when_the_form_fails(procedure, people, monkeypatch, caplog):
    dossier = receive(procedure, people)

    def broken(*args, **kwargs):
        raise RuntimeError("renderer down")

    monkeypatch.setattr(emails, "render_form", broken)
    message = emails.build(dossier.pk, "received")
    assert message is not None and message.attachments == [] and dossier.code in message.body
    assert "not rendered" in caplog.text


def test_every_event_has_a_body(procedure, people):
    dossier = receive(procedure, people)
    for event in services.EMAIL_EVENTS:
        subject, body = emails.subject_and_body(dossier, event)
        assert dossier.code in subject and pdf.tracking_url(dossier) in body
    with pytest.raises(ValueError):
        emails.subject_and_body(dossier, "unknown")


def test_a_refused_applicant_email_is_kept_with_its_form_and_sent_again(
    procedure, people, settings, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from django.core import mail
    from django.utils import timezone

    from eoffice.models import EmailFailure
    from eoffice.tasks import retry_failed_emails
    from tests.eoffice.test_email_delivery import RefusingBackend

    settings.EMAIL_BACKEND = "tests.eoffice.test_email_delivery.RefusingBackend"
    RefusingBackend.refused = {"an.nguyen@example.com"}
    try:
        with django_capture_on_commit_callbacks(execute=True):
            dossier = receive(procedure, people)
        assert mail.outbox == []
        failure = EmailFailure.objects.get()
        assert failure.source == "onestop.received" and dossier.code in failure.subject
        RefusingBackend.refused = set()
        EmailFailure.objects.update(next_attempt_at=timezone.now() - timedelta(seconds=1))
        assert retry_failed_emails()["sent"] == 1
    finally:
        RefusingBackend.refused = set()
    (message,) = mails_to(mail.outbox)
    assert message.subject == failure.subject
    name, content = only_pdf(message)
    assert name == f"mau-01-{dossier.code}.pdf"
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text_of(content)


@pytest.mark.django_db
def test_a_failed_code_email_is_not_kept(settings):
    """A one-time code is a secret, and useless after 10 minutes: a failed send is logged, never stored."""
    from eoffice.models import EmailFailure
    from eoffice.tasks import send_code_email  # the one-stop pages' codes are eoffice.otp's
    from tests.eoffice.test_email_delivery import RefusingBackend

    settings.EMAIL_BACKEND = "tests.eoffice.test_email_delivery.RefusingBackend"
    RefusingBackend.refused = {"an.nguyen@example.com"}
    try:
        assert send_code_email("an.nguyen@example.com", "483920") is False
    finally:
        RefusingBackend.refused = set()
    assert not EmailFailure.objects.exists()
