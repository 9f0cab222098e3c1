"""The public complaints pages (/don-thu/, no login): filing online with a confirmed e-mail, papers checked
by content, protection asked by a denouncer; the tracking page (what it shows, what it never shows, its
rate limit); the list of published answers."""

from __future__ import annotations

import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from complaints import crypto, services
from complaints.models import (
    Case,
    CaseKind,
    CaseState,
    Identity,
    Letter,
    LetterFile,
    PublishedAnswer,
    Source,
)
from eoffice.models import Notification, OneTimeCode
from tests.complaints.conftest import COMPLAINANT, DENOUNCER, make_case

pytestmark = pytest.mark.django_db

HOME = reverse("complaints_public:home")
SUBMIT = reverse("complaints_public:submit")
FILED = reverse("complaints_public:filed")
TRACK = reverse("complaints_public:track")
ANSWERS = reverse("complaints_public:answers")
EMAIL = "bimat@example.vn"


@pytest.fixture(autouse=True)
def _fresh_limits():
    """The rate-limit counters of the test client's address start at zero in each test."""
    from django.core.cache import cache

    from complaints.public.views import LIMITS

    cache.delete_many([f"ratelimit:complaints:public:{bucket}:127.0.0.1" for bucket in LIMITS])


def pdf_upload(name: str = "don.pdf") -> SimpleUploadedFile:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (120, 160), (250, 250, 250)).save(buf, format="PDF")
    return SimpleUploadedFile(name, buf.getvalue(), content_type="application/pdf")


def exe_as_pdf() -> SimpleUploadedFile:
    return SimpleUploadedFile("to-cao.pdf", b"MZ\x90\x00\x03" + b"\x00" * 300, content_type="application/pdf")


def verify(client, mailoutbox, capture, email: str = EMAIL) -> None:
    with capture(execute=True):
        assert client.post(SUBMIT, {"action": "send", "email": email}).status_code == 302
    (message,) = [m for m in mailoutbox if m.to == [email]][-1:]
    code = re.search(r"\b(\d{6})\b", message.body).group(1)
    assert client.post(SUBMIT, {"action": "verify", "code": code}).status_code == 302


def letter_data(org, person=COMPLAINANT, **extra) -> dict:
    data = {
        "action": "submit",
        "agency": org["agency"].pk,
        "kind": CaseKind.COMPLAINT,
        "name": person.name,
        "id_number": person.id_number,
        "address": person.address,
        "phone": person.phone,
        "field": "land",
        "subject": "Quyết định thu hồi đất số 15/QĐ-UBND",
        "content": "Tôi khiếu nại quyết định thu hồi đất vì không được bồi thường đúng diện tích.",
        "letter_scan": pdf_upload(),
        "pledge": "on",
    }
    data.update(extra)
    return data


def file_letter(client, org, mailoutbox, capture, **extra):
    verify(client, mailoutbox, capture)
    with capture(execute=True):
        response = client.post(SUBMIT, letter_data(org, **extra))
    assert response.status_code == 302, response.content.decode()[:3000]
    assert response["Location"] == FILED
    return Case.objects.select_related("letter").get()


# ---- pages and filing ------------------------------------------------------------------------------------


def test_public_pages_open_without_login(client, org):
    for url in (HOME, SUBMIT, TRACK, ANSWERS, SUBMIT + "?kind=denunciation"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "Gửi đơn kiến nghị, phản ánh, khiếu nại, tố cáo" in client.get(HOME).content.decode()


def test_online_complaint_is_registered_without_officer(
    client, org, mailoutbox, django_capture_on_commit_callbacks
):
    case = file_letter(client, org, mailoutbox, django_capture_on_commit_callbacks)
    letter = case.letter
    assert letter.source == Source.ONLINE and letter.received_by is None
    assert letter.received_on == timezone.localdate()
    assert case.kind == CaseKind.COMPLAINT and case.state == CaseState.REGISTERED
    assert case.handler is None and case.due_at is not None
    (person,) = Identity.objects.filter(letter=letter)
    assert person.display_name == COMPLAINANT.name and not person.protected
    assert crypto.decrypt(person.email_enc) == EMAIL
    assert crypto.decrypt(person.id_number_enc) == COMPLAINANT.id_number
    assert LetterFile.objects.filter(letter=letter, kind=LetterFile.Kind.LETTER).count() == 1
    # the confirmation page and e-mail: the code and the state
    page = client.get(FILED).content.decode()
    assert case.code in page
    (mail,) = [m for m in mailoutbox if "mã tra cứu" in m.subject]
    assert mail.to == [EMAIL] and case.code in mail.body and "Chờ xử lý đơn" in mail.body
    assert COMPLAINANT.name not in mail.body
    # the officers of the inspectorate are told, without the name
    notes = Notification.objects.filter(kind="complaints.case")
    assert {n.recipient_id for n in notes} >= {org["reception"].pk, org["verifier"].pk}
    assert all(COMPLAINANT.name not in f"{n.title} {n.body}" for n in notes)
    # the verification does not carry over to a second letter
    assert "Xác thực thư điện tử" in client.get(SUBMIT).content.decode()


def test_protected_denunciation_leaves_no_identity_in_plain(
    client, org, mailoutbox, django_capture_on_commit_callbacks
):
    case = file_letter(
        client,
        org,
        mailoutbox,
        django_capture_on_commit_callbacks,
        person=DENOUNCER,
        kind=CaseKind.DENUNCIATION,
        subject="Ông trưởng phòng X nhận tiền của doanh nghiệp",
        content="Tố cáo hành vi nhận tiền để cấp phép sai quy định tại phòng X năm 2026.",
        protected="on",
        papers=[pdf_upload("chung-cu.pdf")],
    )
    assert case.protected and case.letter.protected
    (person,) = Identity.objects.filter(letter=case.letter)
    assert person.protected and person.display_name == "" and person.received_by is None
    files = list(LetterFile.objects.filter(letter=case.letter))
    assert len(files) == 2 and all(f.encrypted for f in files)
    assert all("don" not in f.name and "chung-cu" not in f.name for f in files)
    for text in (DENOUNCER.name, DENOUNCER.id_number, DENOUNCER.address):
        assert text not in case.letter.summary and text not in case.content
    assert not OneTimeCode.objects.filter(email__icontains="bimat").exists()
    (mail,) = [m for m in mailoutbox if "mã tra cứu" in m.subject]
    assert DENOUNCER.name not in mail.body and DENOUNCER.address not in mail.body
    notes = Notification.objects.filter(kind="complaints.case")
    assert notes and all(DENOUNCER.name not in f"{n.title} {n.body}" for n in notes)
    track = client.get(TRACK, {"code": case.code}).content.decode()
    assert "Tố cáo" in track and DENOUNCER.name not in track and "phòng X" not in track


def test_a_fake_pdf_is_refused_and_nothing_is_saved(
    client, org, mailoutbox, django_capture_on_commit_callbacks
):
    verify(client, mailoutbox, django_capture_on_commit_callbacks)
    response = client.post(SUBMIT, letter_data(org, letter_scan=exe_as_pdf()))
    assert response.status_code == 200
    page = response.content.decode()
    assert "to-cao.pdf" in page and "chọn lại các tệp" in page
    assert not Letter.objects.exists() and not Case.objects.exists()


def test_missing_fields_give_messages(client, org, mailoutbox, django_capture_on_commit_callbacks):
    verify(client, mailoutbox, django_capture_on_commit_callbacks)
    response = client.post(
        SUBMIT, letter_data(org, name=" ", content="ngắn", id_number="123", pledge="", phone="12ab")
    )
    page = response.content.decode()
    assert response.status_code == 200
    for text in (
        "Số căn cước (CCCD) gồm đúng 12 chữ số",
        "ít nhất 20 ký tự",
        "lời cam đoan",
        "Số điện thoại",
    ):
        assert text in page
    assert not Letter.objects.exists()


def test_filing_needs_a_confirmed_email(client, org, mailoutbox, django_capture_on_commit_callbacks):
    response = client.post(SUBMIT, letter_data(org))
    assert response.status_code == 302 and response["Location"] == SUBMIT
    assert not Letter.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(SUBMIT, {"action": "send", "email": EMAIL})
    response = client.post(SUBMIT, {"action": "verify", "code": "000000"})
    code = re.search(r"\b(\d{6})\b", mailoutbox[-1].body).group(1)
    if code != "000000":
        assert "Mã xác thực không đúng" in response.content.decode()
    assert client.post(SUBMIT, letter_data(org)).status_code == 302
    assert not Letter.objects.exists()


def test_an_agency_without_reception_is_refused(client, org, mailoutbox, django_capture_on_commit_callbacks):
    verify(client, mailoutbox, django_capture_on_commit_callbacks)
    response = client.post(SUBMIT, letter_data(org, agency=org["agency_b"].pk))
    assert response.status_code == 200
    assert "has-error" in response.content.decode()  # agency B has no inspectorate: not offered
    assert not Letter.objects.exists()


def test_code_requests_are_rate_limited(client, org, settings, django_capture_on_commit_callbacks):
    settings.COMPLAINTS_PUBLIC_LIMITS = {"code": (2, 3600)}
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(2):
            assert client.post(SUBMIT, {"action": "send", "email": f"a{n}@example.vn"}).status_code == 302
        response = client.post(SUBMIT, {"action": "send", "email": "a9@example.vn"})
    assert response.status_code == 429
    assert OneTimeCode.objects.count() == 2


# ---- tracking ----------------------------------------------------------------------------------------


def test_tracking_shows_the_state_and_the_deadline_with_its_source(client, org):
    case = make_case(org, content="Khiếu nại việc ông Nguyễn Văn Khiếu bị thu hồi đất")
    response = client.get(TRACK, {"code": case.code.lower().replace("-", " ")})
    page = response.content.decode()
    assert response.status_code == 200
    assert case.code in page and "Khiếu nại" in page and "Chờ xử lý đơn" in page and "Xử lý đơn" in page
    assert timezone.localtime(case.due_at).strftime("%d/%m/%Y") in page
    assert case.due_rule.source in page
    for hidden in (COMPLAINANT.name, "thu hồi đất", org["reception"].full_name, COMPLAINANT.phone):
        assert hidden not in page


def test_tracking_a_resolved_case_shows_the_result(client, org):
    case = make_case(
        org,
        kind=CaseKind.PETITION,
        state=CaseState.CLOSED,
        resolved_at=timezone.now(),
        result_summary="Đã sửa chữa tuyến đường theo kiến nghị.",
    )
    page = client.get(TRACK, {"code": case.code}).content.decode()
    assert "Đã kết thúc" in page and "Đã sửa chữa tuyến đường theo kiến nghị." in page
    assert 'data-testid="due"' not in page


def test_tracking_unknown_and_malformed_codes(client, org):
    make_case(org)
    page = client.get(TRACK, {"code": "KN-AAAA-BBBB"}).content.decode()
    assert "Không tìm thấy đơn với mã này" in page
    page = client.get(TRACK, {"code": "<script>"}).content.decode()
    assert "Mã tra cứu có dạng" in page and "<script>" not in page


def test_tracking_is_rate_limited(client, org, settings):
    settings.COMPLAINTS_PUBLIC_LIMITS = {"track": (3, 600)}
    case = make_case(org)
    for _n in range(3):
        assert client.get(TRACK, {"code": case.code}).status_code == 200
    response = client.get(TRACK, {"code": case.code})
    assert response.status_code == 429
    assert case.code not in response.content.decode()
    assert client.get(TRACK).status_code == 200  # the empty form is not counted


# ---- published answers -----------------------------------------------------------------------------


def _published(org, n: int, *, question: str = "Đề nghị sửa đường liên thôn", withdrawn=False):
    case = make_case(
        org,
        kind=CaseKind.PETITION,
        state=CaseState.RESOLVED,
        resolved_at=timezone.now(),
        publish_consent=True,
        result_summary="Đã sửa",
    )
    return PublishedAnswer.objects.create(
        case=case,
        agency=org["agency"],
        question=f"{question} số {n}",
        answer="Cơ quan đã bố trí kinh phí sửa chữa.",
        published_by=org["reception"],
        withdrawn_at=timezone.now() if withdrawn else None,
    )


def test_answers_list_search_and_withdrawn(client, org):
    _published(org, 1, question="Đề nghị lắp đèn chiếu sáng")
    _published(org, 2)
    _published(org, 3, question="Câu đã gỡ", withdrawn=True)
    page = client.get(ANSWERS).content.decode()
    assert "lắp đèn chiếu sáng" in page and "sửa đường liên thôn" in page and "Câu đã gỡ" not in page
    page = client.get(ANSWERS, {"q": "den chieu sang"}).content.decode()
    assert "lắp đèn chiếu sáng" in page and "sửa đường liên thôn" not in page


def test_answers_list_query_count_does_not_grow(client, org, django_assert_max_num_queries):
    _published(org, 0)
    with CaptureQueriesContext(connection) as few:
        client.get(ANSWERS)
    for n in range(1, 25):
        _published(org, n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(ANSWERS)
    assert response.content.decode().count('data-testid="answer"') == 20
    assert "số 0" in client.get(ANSWERS, {"page": 2}).content.decode()


def test_services_online_submit_refuses_bad_kind(org):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.online_submit(
            agency=org["agency"],
            kind="nonsense",
            email=EMAIL,
            person=COMPLAINANT,
            content="Nội dung đủ dài để gửi đơn trực tuyến.",
        )
    assert not Letter.objects.exists()
