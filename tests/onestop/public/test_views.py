"""The public one-stop pages (no login): catalogue, online submission, tracking, rating, online supplement."""

from __future__ import annotations

import re
import time
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from eoffice import otp
from eoffice.models import OneTimeCode
from onestop import selectors, services
from onestop.models import (
    Dossier,
    DossierPaper,
    DossierState,
    Procedure,
    ProcedureField,
    RequiredPaper,
)
from onestop.public import views as public_views
from tests.factories import make_agency
from tests.onestop.conftest import advance, jpeg_upload, make_procedure, pdf_upload, receive

pytestmark = pytest.mark.django_db

LIST = reverse("onestop_public:procedures")
TRACK = reverse("onestop_public:track")
RATE = reverse("onestop_public:rate")
SUPPLEMENT = reverse("onestop_public:supplement")
NOT_FOUND = "Không tìm thấy hồ sơ với mã này"


def submit_url(procedure) -> str:
    return reverse("onestop_public:submit", args=[procedure.pk])


def exe_as_pdf(name: str = "giay-de-nghi.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 200, content_type="application/pdf"
    )


def code_from(mailoutbox, email: str) -> str:
    (message,) = [m for m in mailoutbox if m.to == [email.lower()]][-1:]
    return re.search(r"\b(\d{6})\b", message.body).group(1)


def verify_email(client, procedure, mailoutbox, capture, email="hong.nhung@example.com") -> str:
    with capture(execute=True):
        response = client.post(submit_url(procedure), {"action": "send", "email": email})
    assert response.status_code == 302
    response = client.post(submit_url(procedure), {"action": "verify", "code": code_from(mailoutbox, email)})
    assert response.status_code == 302
    return email


def applicant_data(procedure, **extra) -> dict:
    papers = list(procedure.papers.order_by("order"))
    data = {
        "action": "submit",
        "applicant_kind": "person",
        "applicant_name": "Lê Thị Hồng Nhung",
        "id_number": "001190012345",
        "address": "Số 7 Nguyễn Trãi, phường Hòa Bình",
        "phone": "0903 123 456",
        "summary": "Thành lập doanh nghiệp tư nhân Hồng Nhung",
        f"paper_{papers[0].pk}": pdf_upload("de-nghi.pdf"),
        f"paper_{papers[1].pk}": jpeg_upload("cccd.jpg"),
    }
    data.update(extra)
    return data


def online_dossier(procedure, email="binh.tran@example.com") -> Dossier:
    return services.online_submit(
        procedure=procedure,
        applicant=services.Applicant(
            name="Trần Văn Bình",
            id_number="001086099999",
            address="12 Hai Bà Trưng",
            phone="0987654321",
            email=email,
        ),
        papers=[
            services.PaperInput(name=p.name, required=p, file=pdf_upload())
            for p in procedure.papers.filter(mandatory=True)
        ],
    )


# ---- catalogue -----------------------------------------------------------------------------------


def test_public_pages_open_without_login(client, procedure):
    for url in (LIST, procedure.get_absolute_url(), submit_url(procedure), TRACK):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "Dịch vụ công trực tuyến" in client.get(LIST).content.decode()


def _list_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_procedure_list_query_count_does_not_grow(client, agency_a, people):
    make_procedure(agency_a, unit=people["unit"])
    few = _list_queries(client, LIST)
    other = make_agency(name="Sở Tư pháp", code="000.00.07.H26")
    field = ProcedureField.objects.create(code="HT", name="Hộ tịch")
    for n in range(30):
        Procedure.objects.create(
            agency=other if n % 2 else agency_a,
            code=f"9.{n:06d}",
            name=f"Thủ tục thử nghiệm số {n}",
            field=field,
            time_value=Decimal(5),
            result_name="Kết quả",
        )
    many = _list_queries(client, LIST)
    assert many == few
    assert _list_queries(client, LIST + "?page=2&q=thu+nghiem") == _list_queries(
        client, LIST + "?q=thu+nghiem"
    )


def test_procedure_list_search_folds_diacritics_and_filters(client, agency_a, people):
    procedure = make_procedure(agency_a, unit=people["unit"])
    other = make_agency(name="Sở Tư pháp", code="000.00.07.H26")
    field = ProcedureField.objects.create(code="LLTP", name="Lý lịch tư pháp")
    lltp = Procedure.objects.create(
        agency=other,
        code="2.000488",
        name="Cấp Phiếu lý lịch tư pháp",
        field=field,
        time_value=10,
        result_name="x",
    )
    Procedure.objects.create(
        agency=other, code="2.000999", name="Thủ tục đã bãi bỏ", field=field, time_value=10, result_name="x",
        is_active=False,
    )  # fmt: skip

    def names(query: str) -> str:
        return client.get(LIST + query).content.decode()

    assert procedure.name in names("?q=DANG+KY+thanh+lap")
    assert lltp.name not in names("?q=DANG+KY+thanh+lap")
    assert procedure.name in names("?q=đăng+kÝ")
    assert lltp.name in names("?q=ly+lich") and procedure.name not in names("?q=ly+lich")
    assert lltp.name in names("?q=2.000488")
    assert lltp.name in names(f"?agency={other.pk}") and procedure.name not in names(f"?agency={other.pk}")
    assert procedure.name in names(f"?field={procedure.field_id}") and lltp.name not in names(
        f"?field={procedure.field_id}"
    )
    everything = names("")
    assert "Thủ tục đã bãi bỏ" not in everything
    assert "50.000 đồng" in everything and "Toàn trình" in everything and "3 ngày làm việc" in everything


def test_procedure_detail(client, agency_a, people):
    procedure = make_procedure(agency_a, unit=people["unit"])
    config = selectors.config_for(agency_a)
    config.counter_address = "Tầng 1, Trung tâm Phục vụ hành chính công"
    config.save()
    procedure.legal_basis = "Luật Doanh nghiệp số 59/2020/QH14"
    procedure.save()
    html = client.get(procedure.get_absolute_url()).content.decode()
    for text in (
        "Giấy đề nghị đăng ký doanh nghiệp",
        "Bản sao giấy tờ pháp lý",
        "Văn bản ủy quyền",
        "Nếu có",
        "Bắt buộc",
        "Bản sao",
        "3 ngày làm việc",
        "50.000 đồng",
        "Giấy chứng nhận đăng ký doanh nghiệp",
        "Luật Doanh nghiệp số 59/2020/QH14",
        "Tầng 1, Trung tâm Phục vụ hành chính công",
    ):
        assert text in html, text
    assert submit_url(procedure) in html

    offline = make_procedure(agency_a, unit=people["unit"], code="2.009999", online=False)
    html = client.get(offline.get_absolute_url()).content.decode()
    assert submit_url(offline) not in html
    response = client.get(submit_url(offline))
    assert response.status_code == 302 and response.url == offline.get_absolute_url()

    offline.is_active = False
    offline.save()
    assert client.get(offline.get_absolute_url()).status_code == 404


# ---- online submission ---------------------------------------------------------------------------


def test_online_submission_end_to_end(client, procedure, mailoutbox, django_capture_on_commit_callbacks):
    html = client.get(submit_url(procedure)).content.decode()
    assert 'name="email"' in html and 'name="applicant_name"' not in html

    email = verify_email(
        client, procedure, mailoutbox, django_capture_on_commit_callbacks, "Hong.Nhung@Example.com"
    )
    assert email.lower() == "hong.nhung@example.com"
    html = client.get(submit_url(procedure)).content.decode()
    assert "hong.nhung@example.com" in html and 'name="applicant_name"' in html

    data = applicant_data(procedure, extra=[jpeg_upload("phu-luc.jpg")])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(submit_url(procedure), data)
    assert response.status_code == 302 and response.url == reverse("onestop_public:submitted")

    dossier = Dossier.objects.get()
    assert dossier.state == DossierState.SUBMITTED
    assert dossier.channel == "online"
    assert dossier.applicant_email == "hong.nhung@example.com"
    assert dossier.applicant_name == "Lê Thị Hồng Nhung"
    assert dossier.applicant_id_number == "001190012345"
    assert dossier.applicant_phone == "0903123456"
    assert re.fullmatch(r"TN-[0-9A-F]{8}", dossier.reference)
    papers = list(dossier.papers.order_by("id"))
    assert [p.required_id for p in papers[:2]] == list(
        procedure.papers.filter(mandatory=True).order_by("order").values_list("pk", flat=True)
    )
    assert all(p.file and p.sha256 for p in papers) and len(papers) == 3
    assert papers[2].required_id is None and "phu-luc.jpg" in papers[2].name

    page = client.get(response.url).content.decode()
    assert dossier.reference in page
    assert f"{TRACK}?code={dossier.reference}" in page
    confirmation = [m for m in mailoutbox if dossier.reference in m.body]
    assert confirmation and confirmation[0].to == ["hong.nhung@example.com"]
    assert f"{TRACK}?code={dossier.reference}" in confirmation[0].body


def test_wrong_code_is_refused_and_attempts_are_limited(
    client, procedure, mailoutbox, django_capture_on_commit_callbacks
):
    email = "an@example.com"
    with django_capture_on_commit_callbacks(execute=True):
        client.post(submit_url(procedure), {"action": "send", "email": email})
    good = code_from(mailoutbox, email)
    wrong = f"{(int(good) + 1) % 10**6:06d}"
    for _attempt in range(otp.ATTEMPTS):
        response = client.post(submit_url(procedure), {"action": "verify", "code": wrong})
        assert response.status_code == 200
        assert "Mã xác thực không đúng hoặc đã hết hạn" in response.content.decode()
    response = client.post(submit_url(procedure), {"action": "verify", "code": good})
    assert "Mã xác thực không đúng hoặc đã hết hạn" in response.content.decode()
    assert 'name="applicant_name"' not in client.get(submit_url(procedure)).content.decode()
    assert (
        "Mã xác thực gồm 6 chữ số"
        in client.post(submit_url(procedure), {"action": "verify", "code": "12ab"}).content.decode()
    )

    # The form cannot be sent without a verified email.
    client.post(submit_url(procedure), applicant_data(procedure))
    assert not Dossier.objects.exists()


def test_code_requests_are_limited(client, procedure, mailoutbox, django_capture_on_commit_callbacks):
    for _n in range(otp.PER_HOUR):
        client.post(submit_url(procedure), {"action": "send", "email": "spam@example.com"})
    response = client.post(submit_url(procedure), {"action": "send", "email": "spam@example.com"})
    assert "Đã gửi quá nhiều mã" in response.content.decode()
    key = otp.address_key(services.OTP_PURPOSE, "spam@example.com")
    assert OneTimeCode.objects.filter(purpose=services.OTP_PURPOSE, email=key).count() == otp.PER_HOUR
    assert OneTimeCode.objects.count() == otp.PER_HOUR


def test_codes_are_the_shared_one_time_codes_kept_apart_by_purpose(
    client, procedure, mailoutbox, django_capture_on_commit_callbacks
):
    email = "hoa.le@example.com"
    with django_capture_on_commit_callbacks(execute=True):
        otp.send(purpose="complaints", email=email)  # a code of the complaints pages, same address
    other = code_from(mailoutbox, email)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(submit_url(procedure), {"action": "send", "email": email})
    good = code_from(mailoutbox, email)
    row = OneTimeCode.objects.get(purpose=services.OTP_PURPOSE)
    assert row.email == otp.address_key(services.OTP_PURPOSE, email) and "hoa.le" not in row.email
    assert good not in row.code_hash
    if other != good:
        response = client.post(submit_url(procedure), {"action": "verify", "code": other})
        assert "Mã xác thực không đúng hoặc đã hết hạn" in response.content.decode()
    response = client.post(submit_url(procedure), {"action": "verify", "code": good})
    assert response.status_code == 302
    assert 'name="applicant_name"' in client.get(submit_url(procedure)).content.decode()
    assert OneTimeCode.objects.get(purpose="complaints").used_at is None


def test_verified_email_expires(client, procedure, mailoutbox, django_capture_on_commit_callbacks):
    verify_email(client, procedure, mailoutbox, django_capture_on_commit_callbacks)
    session = client.session
    session[public_views.SESSION_VERIFIED]["until"] = time.time() - 1
    session.save()
    html = client.get(submit_url(procedure)).content.decode()
    assert 'name="applicant_name"' not in html and 'name="email"' in html

    # Sent after the verification ran out: nothing saved, the typed text comes back once verified again.
    response = client.post(submit_url(procedure), applicant_data(procedure), follow=True)
    assert "Phiên xác thực thư điện tử đã hết hạn" in response.content.decode()
    assert not Dossier.objects.exists()
    mailoutbox.clear()
    verify_email(client, procedure, mailoutbox, django_capture_on_commit_callbacks)
    html = client.get(submit_url(procedure)).content.decode()
    assert 'value="Lê Thị Hồng Nhung"' in html and 'value="001190012345"' in html
    assert "Thành lập doanh nghiệp tư nhân Hồng Nhung" in html


def test_bad_upload_is_rejected_and_typed_data_kept(
    client, procedure, mailoutbox, django_capture_on_commit_callbacks, tmp_path
):
    verify_email(client, procedure, mailoutbox, django_capture_on_commit_callbacks)
    first = procedure.papers.order_by("order").first()
    response = client.post(
        submit_url(procedure), applicant_data(procedure, **{f"paper_{first.pk}": exe_as_pdf()})
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "Tệp “giay-de-nghi.pdf” không phải là tệp PDF, PNG hoặc JPEG hợp lệ." in html
    assert "vui lòng chọn lại các tệp" in html
    assert 'value="Lê Thị Hồng Nhung"' in html and 'value="001190012345"' in html
    assert "Thành lập doanh nghiệp tư nhân Hồng Nhung" in html
    assert not Dossier.objects.exists() and not DossierPaper.objects.exists()
    assert not any((tmp_path / "media").rglob("*.pdf"))

    # An extra file is checked the same way.
    response = client.post(submit_url(procedure), applicant_data(procedure, extra=[exe_as_pdf("them.pdf")]))
    assert "Tệp “them.pdf” không phải là tệp PDF, PNG hoặc JPEG hợp lệ." in response.content.decode()
    assert not Dossier.objects.exists()


def test_applicant_fields_are_validated(client, procedure, mailoutbox, django_capture_on_commit_callbacks):
    verify_email(client, procedure, mailoutbox, django_capture_on_commit_callbacks)
    mandatory = procedure.papers.filter(mandatory=True).order_by("order")
    data = applicant_data(procedure, id_number="12345", phone="12345")
    del data[f"paper_{mandatory[1].pk}"]
    html = client.post(submit_url(procedure), data).content.decode()
    assert "Số căn cước (CCCD) gồm đúng 12 chữ số." in html
    assert "Số điện thoại không hợp lệ" in html
    assert "Trường này là bắt buộc." in html
    data = applicant_data(procedure, applicant_kind="organisation", id_number="001190012345")
    assert "Mã số thuế gồm 10 chữ số" in client.post(submit_url(procedure), data).content.decode()
    assert not Dossier.objects.exists()

    data = applicant_data(
        procedure, applicant_kind="organisation", id_number="0101234567-001", phone="+84903123456"
    )
    assert client.post(submit_url(procedure), data).status_code == 302
    dossier = Dossier.objects.get()
    assert dossier.applicant_kind == "organisation" and dossier.applicant_id_number == "0101234567-001"
    assert dossier.applicant_phone == "0903123456"


# ---- tracking ------------------------------------------------------------------------------------


PERSONAL = ("001086012345", "0912345678", "an.nguyen@example.com", "Số 5 Lê Lợi", "Nguyễn Văn An")


def test_tracking_shows_masked_name_and_nothing_personal(client, procedure, people):
    dossier = advance(receive(procedure, people), DossierState.PROCESSING, people)
    response = client.get(TRACK, {"code": dossier.code})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Nguyễn V** A*" in html
    for secret in PERSONAL:
        assert secret not in html, secret
    for person in ("onestop", "head", "officer", "leader"):
        assert people[person].full_name not in html, person
    assert "Đang thụ lý" in html and procedure.name in html
    assert "Phòng Đăng ký kinh doanh" in html and "Bộ phận Một cửa" in html
    assert "Thẩm định, xử lý hồ sơ" in html
    assert "/onestop/" not in html  # no link into the staff pages (papers, files)

    # Lower case and spaces around the code are accepted.
    assert "Nguyễn V** A*" in client.get(TRACK, {"code": f"  {dossier.code.lower()} "}).content.decode()


def test_tracking_by_reference_before_receipt(client, procedure, people):
    dossier = online_dossier(procedure)
    html = client.get(TRACK, {"code": dossier.reference}).content.decode()
    assert "Trần V** B***" in html and "Chờ tiếp nhận" in html
    for secret in ("001086099999", "0987654321", "binh.tran@example.com", "12 Hai Bà Trưng"):
        assert secret not in html


def test_unknown_and_malformed_codes_give_the_same_answer(client, procedure, people):
    receive(procedure, people)
    answers = set()
    for code in ("000.00.31.H26-990101-9999", "TN-00000000", "<script>alert(1)</script>", "x" * 59, "%%%"):
        response = client.get(TRACK, {"code": code})
        html = response.content.decode()
        assert NOT_FOUND in html
        body = re.search(r'data-testid="not-found">(.*?)</div>', html).group(1)
        answers.add((response.status_code, body))
    assert len(answers) == 1
    assert "<script>alert" not in client.get(TRACK, {"code": "<script>alert(1)</script>"}).content.decode()


def test_tracking_is_rate_limited_per_client(client, procedure, people, settings):
    settings.ONESTOP_PUBLIC_LIMITS = {"track": (3, 600)}
    dossier = receive(procedure, people)
    for _n in range(3):
        assert client.get(TRACK, {"code": "nope"}, REMOTE_ADDR="10.0.0.1").status_code == 200
    response = client.get(TRACK, {"code": dossier.code}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429
    html = response.content.decode()
    assert "Bạn đã tra cứu quá nhiều lần" in html and "Nguyễn V** A*" not in html
    assert client.get(TRACK, {"code": dossier.code}, REMOTE_ADDR="10.0.0.2").status_code == 200
    assert client.get(TRACK, REMOTE_ADDR="10.0.0.1").status_code == 200  # the empty form is not a lookup


def test_tracking_tells_what_is_asked(client, procedure, people):
    incomplete = receive(
        procedure,
        people,
        outcome=services.OUTCOME_INCOMPLETE,
        missing="Bản sao căn cước còn thiếu",
        papers=[],
    )
    html = client.get(TRACK, {"code": incomplete.reference}).content.decode()
    assert "Bản sao căn cước còn thiếu" in html and "Bạn cần bổ sung hồ sơ" in html

    paused = advance(receive(procedure, people), DossierState.PROCESSING, people)
    services.dossier_request_supplement(
        dossier=paused, by=people["officer"], content="Nộp lại bản sao rõ nét"
    )
    html = client.get(TRACK, {"code": paused.code}).content.decode()
    assert "Nộp lại bản sao rõ nét" in html
    assert "Tạm dừng tính thời gian chờ bổ sung" in html
    assert "Vui lòng nộp giấy tờ bổ sung tại bộ phận một cửa" in html  # a counter dossier: no online answer

    returning = advance(receive(procedure, people), DossierState.RETURNING, people)
    html = client.get(TRACK, {"code": returning.code}).content.decode()
    assert "Mời nhận kết quả" in html and "Giải quyết" in html
    assert 'name="rating"' not in html


# ---- rating --------------------------------------------------------------------------------------


def test_rating_once(client, procedure, people):
    dossier = advance(receive(procedure, people), DossierState.RETURNED, people)
    html = client.get(TRACK, {"code": dossier.code}).content.decode()
    assert 'name="rating"' in html and RATE in html

    response = client.post(RATE, {"code": dossier.code, "rating": "4", "comment": "Cán bộ nhiệt tình"})
    assert response.status_code == 302 and dossier.code in response.url
    dossier.refresh_from_db()
    assert dossier.rating == 4 and dossier.rating_comment == "Cán bộ nhiệt tình"
    html = client.get(response.url).content.decode()
    assert "Cảm ơn bạn đã đánh giá" in html and 'name="rating"' not in html and "4/5" in html

    response = client.post(RATE, {"code": dossier.code, "rating": "1"}, follow=True)
    assert "Hồ sơ này đã được đánh giá." in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.rating == 4


def test_rating_refused_before_return_and_checked(client, procedure, people):
    dossier = advance(receive(procedure, people), DossierState.RETURNING, people)
    response = client.post(RATE, {"code": dossier.code, "rating": "5"}, follow=True)
    assert "Chỉ đánh giá được khi đã nhận kết quả." in response.content.decode()
    assert client.post(RATE, {"code": "TN-00000000", "rating": "5"}).status_code == 404
    returned = advance(dossier, DossierState.RETURNED, people)
    response = client.post(RATE, {"code": returned.code, "rating": "9"}, follow=True)
    assert "Vui lòng chọn mức độ hài lòng" in response.content.decode()
    returned.refresh_from_db()
    assert returned.rating is None
    assert client.get(RATE).status_code == 405


def test_rating_needs_csrf_and_is_rate_limited(procedure, people, settings):
    dossier = advance(receive(procedure, people), DossierState.RETURNED, people)
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(RATE, {"code": dossier.code, "rating": "5"}).status_code == 403
    settings.ONESTOP_PUBLIC_LIMITS = {"rate": (2, 600)}
    client = Client()
    client.post(RATE, {"code": "x", "rating": "5"})
    client.post(RATE, {"code": "x", "rating": "5"})
    assert client.post(RATE, {"code": dossier.code, "rating": "5"}).status_code == 429
    dossier.refresh_from_db()
    assert dossier.rating is None


# ---- online supplement ---------------------------------------------------------------------------


def test_online_supplement(client, procedure, people, mailoutbox, django_capture_on_commit_callbacks):
    dossier = online_dossier(procedure)
    dossier = services.dossier_check(dossier=dossier, by=people["onestop"], outcome=services.OUTCOME_VALID)
    dossier = advance(dossier, DossierState.PROCESSING, people)
    services.dossier_request_supplement(
        dossier=dossier, by=people["officer"], content="Nộp lại văn bản ủy quyền"
    )
    track = {"code": dossier.code}

    html = client.get(TRACK, track).content.decode()
    assert "Bổ sung trực tuyến" in html and 'name="files"' not in html
    # Uploading before the email is confirmed does nothing.
    client.post(SUPPLEMENT, {**track, "action": "upload", "files": [pdf_upload("uq.pdf")]})
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.SUPPLEMENT

    with django_capture_on_commit_callbacks(execute=True):
        client.post(SUPPLEMENT, {**track, "action": "send"})
    code = code_from(mailoutbox, "binh.tran@example.com")
    client.post(
        SUPPLEMENT, {**track, "action": "verify", "otp-code": "000000" if code != "000000" else "111111"}
    )
    assert 'name="files"' not in client.get(TRACK, track).content.decode()
    client.post(SUPPLEMENT, {**track, "action": "verify", "otp-code": code})
    assert 'name="files"' in client.get(TRACK, track).content.decode()

    response = client.post(
        SUPPLEMENT, {**track, "action": "upload", "files": [exe_as_pdf("uq.pdf")]}, follow=True
    )
    assert "không phải là tệp PDF, PNG hoặc JPEG" in response.content.decode()
    assert Dossier.objects.get(pk=dossier.pk).state == DossierState.SUPPLEMENT

    response = client.post(
        SUPPLEMENT,
        {
            **track,
            "action": "upload",
            "files": [pdf_upload("uq.pdf"), jpeg_upload("uq2.jpg")],
            "note": "Đã ký",
        },
        follow=True,
    )
    assert "Đã gửi giấy tờ bổ sung" in response.content.decode()
    dossier.refresh_from_db()
    assert dossier.state == DossierState.PROCESSING and dossier.paused_at is None
    request = dossier.supplements.get()
    assert request.answered_via == "online" and request.answer_note == "Đã ký"
    assert request.papers.count() == 2 and all(p.file for p in request.papers.all())


def test_counter_dossier_cannot_be_supplemented_online(client, procedure, people):
    dossier = advance(receive(procedure, people), DossierState.PROCESSING, people)
    services.dossier_request_supplement(dossier=dossier, by=people["officer"], content="Nộp lại")
    response = client.post(SUPPLEMENT, {"code": dossier.code, "action": "send"}, follow=True)
    assert "Hồ sơ này không chờ bổ sung trực tuyến." in response.content.decode()
    assert not OneTimeCode.objects.exists()


def test_required_paper_order_is_kept_in_form(
    client, procedure, mailoutbox, django_capture_on_commit_callbacks
):
    RequiredPaper.objects.create(procedure=procedure, order=0, name="Tờ khai đầu tiên", mandatory=False)
    verify_email(client, procedure, mailoutbox, django_capture_on_commit_callbacks)
    html = client.get(submit_url(procedure)).content.decode()
    assert html.index("Tờ khai đầu tiên") < html.index("Giấy đề nghị đăng ký doanh nghiệp")
