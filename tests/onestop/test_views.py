"""The staff pages of the one-stop module through HTTP: the counter screen, the lists, the dossier page with
its actions, and the files."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from eoffice.models import Role
from onestop import services
from onestop.models import Dossier, DossierPaper, DossierState, SupplementRequest
from tests.factories import make_user
from tests.onestop.conftest import advance, jpeg_upload, make_procedure, pdf_upload, receive

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _counter_data(procedure, /, *, tick=None, outcome="valid", **extra) -> dict:
    """What the counter screen posts: the applicant, the ticked papers (all by default), the outcome."""
    papers = list(procedure.papers.all())
    tick = papers if tick is None else tick
    data = {
        "procedure": str(procedure.pk),
        "channel": "counter",
        "applicant_kind": "person",
        "applicant_name": "Nguyễn Văn An",
        "applicant_id_number": "001086012345",
        "applicant_phone": "0912 345 678",
        "applicant_email": "an.nguyen@example.com",
        "applicant_address": "Số 5 Lê Lợi, Huế",
        "summary": "Thành lập doanh nghiệp tư nhân An Phát",
        "note": "",
        "outcome": outcome,
        "missing": "",
        "reasons": "",
    }
    for paper in papers:
        data[f"paper-{paper.pk}-kind"] = paper.kind
        data[f"paper-{paper.pk}-quantity"] = "1"
        if paper in tick:
            data[f"paper-{paper.pk}-received"] = "on"
    data.update(extra)
    return data


# ---- the counter screen ---------------------------------------------------------------------------


def test_counter_screen_is_for_onestop_officers_only(client, people, procedure):
    for who in ("head", "officer", "leader"):
        _login(client, people[who])
        assert client.get(reverse("onestop:receive")).status_code == 403
        url = reverse("onestop:receive_papers") + f"?procedure={procedure.pk}"
        assert client.get(url).status_code == 403
        assert client.post(reverse("onestop:receive"), _counter_data(procedure)).status_code == 403
    assert not Dossier.objects.exists()
    _login(client, people["onestop"])
    html = client.get(reverse("onestop:receive")).content.decode()
    assert procedure.name in html and 'name="outcome"' in html


def test_checklist_partial_shows_papers_and_appointment(client, people, procedure, agency_b):
    _login(client, people["onestop"])
    url = reverse("onestop:receive_papers")
    html = client.get(url, {"procedure": procedure.pk}).content.decode()
    for paper in procedure.papers.all():
        assert paper.name in html and f'name="paper-{paper.pk}-received"' in html
    assert 'data-testid="appointment-preview"' in html and 'hx-swap-oob="true"' in html
    assert "3 ngày làm việc" in html
    # another agency's procedure draws nothing
    foreign = make_procedure(agency_b, code="9.999999")
    html = client.get(url, {"procedure": foreign.pk}).content.decode()
    assert foreign.papers.first().name not in html and "appointment-preview" not in html


def test_counter_reception_valid(client, people, procedure):
    _login(client, people["onestop"])
    data = _counter_data(
        procedure,
        **{
            f"paper-{procedure.papers.first().pk}-file": jpeg_upload(),
            "extra-0-name": "Bản sao hợp đồng thuê nhà",
            "extra-0-kind": "copy",
            "extra-0-quantity": "2",
        },
    )
    response = client.post(reverse("onestop:receive"), data)
    dossier = Dossier.objects.get()
    assert response.status_code == 302 and response.url == f"{dossier.get_absolute_url()}?new=1"
    assert dossier.state == DossierState.RECEIVED and dossier.code and dossier.due_at
    assert dossier.applicant_name == "Nguyễn Văn An" and dossier.applicant_phone == "0912 345 678"
    assert dossier.received_by == people["onestop"]
    papers = {p.name: p for p in dossier.papers.all()}
    assert len(papers) == 4 and all(p.received for p in papers.values())
    assert papers[procedure.papers.first().name].file
    assert papers["Bản sao hợp đồng thuê nhà"].quantity == 2
    assert dossier.code in " ".join(_messages(response))
    page = client.get(response.url).content.decode()
    assert 'data-testid="print-after-receive"' in page
    assert reverse("onestop:form", args=[dossier.pk, 1]) in page


def test_counter_reception_incomplete(client, people, procedure):
    _login(client, people["onestop"])
    first, second, _optional = procedure.papers.all()
    response = client.post(
        reverse("onestop:receive"), _counter_data(procedure, tick=[first], outcome="incomplete")
    )
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert dossier.state == DossierState.INCOMPLETE and dossier.code is None
    assert dossier.missing_papers == second.name  # pre-filled from the unticked mandatory paper
    missing = dossier.papers.get(required=second)
    assert missing.received is False
    assert not dossier.papers.filter(required=_optional).exists()
    page = client.get(response.url).content.decode()
    assert reverse("onestop:form", args=[dossier.pk, 2]) in page
    # back with the missing paper: the counter screen starts from the earlier dossier's applicant
    again = client.get(reverse("onestop:receive"), {"from": dossier.pk}).content.decode()
    assert 'value="Nguyễn Văn An"' in again and second.name in again and "Số 5 Lê Lợi, Huế" in again


def test_counter_reception_ineligible(client, people, procedure):
    _login(client, people["onestop"])
    data = _counter_data(procedure, outcome="ineligible", reasons="Thủ tục không thuộc thẩm quyền của Sở.")
    response = client.post(reverse("onestop:receive"), data)
    dossier = Dossier.objects.get()
    assert response.status_code == 302
    assert dossier.state == DossierState.REFUSED and "thẩm quyền" in dossier.refusal_reason
    assert reverse("onestop:form", args=[dossier.pk, 3]) in client.get(response.url).content.decode()


@pytest.mark.parametrize(
    "change, expected",
    [
        ({"applicant_name": ""}, "Trường này là bắt buộc"),
        ({"outcome": "ineligible", "reasons": "  "}, "Vui lòng nêu rõ lý do từ chối tiếp nhận."),
        ({"applicant_email": "not-an-email"}, "thư điện tử"),
        ({"applicant_phone": "abc"}, "Số điện thoại không hợp lệ."),
        ({"extra-0-name": "Giấy khác", "extra-0-quantity": "0"}, "Số lượng từ 1 đến 99."),
        ({"procedure": "999999"}, "Hãy chọn một lựa chọn hợp lệ"),
    ],
)
def test_counter_errors_keep_what_was_typed_and_save_nothing(client, people, procedure, change, expected):
    _login(client, people["onestop"])
    response = client.post(reverse("onestop:receive"), _counter_data(procedure, **change))
    assert response.status_code == 200
    html = response.content.decode()
    assert expected.lower() in html.lower()
    assert "Thành lập doanh nghiệp tư nhân An Phát" in html  # the summary typed
    assert "Số 5 Lê Lợi, Huế" in html
    assert not Dossier.objects.exists() and not DossierPaper.objects.exists()


def test_counter_valid_with_a_missing_mandatory_paper_is_refused_by_the_service(client, people, procedure):
    _login(client, people["onestop"])
    first = procedure.papers.first()
    response = client.post(reverse("onestop:receive"), _counter_data(procedure, tick=[first]))
    html = response.content.decode()
    assert response.status_code == 200 and "Hồ sơ còn thiếu giấy tờ bắt buộc" in html
    assert f'name="paper-{first.pk}-received" checked' in html  # the ticks are kept
    assert not Dossier.objects.exists() and not DossierPaper.objects.exists()


def test_counter_bad_scan_is_refused_before_anything_is_saved(client, people, procedure):
    _login(client, people["onestop"])
    paper = procedure.papers.first()
    bad = SimpleUploadedFile("scan.pdf", b"this is not a pdf at all", content_type="application/pdf")
    response = client.post(
        reverse("onestop:receive"), _counter_data(procedure, **{f"paper-{paper.pk}-file": bad})
    )
    html = response.content.decode()
    assert response.status_code == 200 and "PDF, PNG hoặc JPEG" in html and "chọn lại" in html
    assert not Dossier.objects.exists() and not DossierPaper.objects.exists()


# ---- lists ----------------------------------------------------------------------------------------


def _list_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def _processing(procedure, people, n: int):
    for _i in range(n):
        advance(receive(procedure, people), DossierState.PROCESSING, people)


@pytest.mark.parametrize("who", ["onestop", "head", "officer", "leader"])
def test_list_query_count_does_not_grow_with_rows(client, people, procedure, who):
    _processing(procedure, people, 2)
    _login(client, people[who])
    urls = [
        reverse("onestop:list"),
        reverse("onestop:queue", args=["open"]),
        reverse("onestop:list") + "?q=an",
    ]
    few = [_list_queries(client, url) for url in urls]
    _processing(procedure, people, 10)
    many = [_list_queries(client, url) for url in urls]
    assert many == few, (few, many)
    html = client.get(urls[0]).content.decode()
    assert html.count('class="os-code"') == 12


def test_list_filters(client, people, procedure):
    an = receive(procedure, people)
    ngoc = receive(procedure, people, applicant=services.Applicant(name="Trần Thị Bích Ngọc"))
    refused = receive(procedure, people, outcome=services.OUTCOME_INELIGIBLE, reasons="Sai thẩm quyền")
    _login(client, people["onestop"])
    url = reverse("onestop:list")

    def codes(**params) -> str:
        response = client.get(url, params)
        assert response.status_code == 200
        return response.content.decode()

    html = codes(q="nguyen van an")  # folded, like the applicant would type it
    assert an.code in html and ngoc.code not in html
    html = codes(q="BICH ngoc")
    assert ngoc.code in html and an.code not in html
    assert an.code in codes(q=an.code[-11:])
    html = codes(state="refused")
    assert refused.reference in html and an.code not in html
    assert an.code in codes(q="dang ky thanh lap")
    assert an.code in codes(field=str(procedure.field_id))
    html = codes(q="bich ngoc", field="999999")  # a bad value is dropped, the other filters stay
    assert ngoc.code in html and an.code not in html
    today = timezone.localdate()
    assert an.code in codes(date_from=str(today), date_to=str(today))
    assert an.code not in codes(date_from=str(today + timedelta(days=1)))
    assert codes(date_from="not-a-date", state="nope")  # bad filters are ignored, not a 500
    assert client.get(reverse("onestop:queue", args=["nope"])).status_code == 404


def test_lists_show_only_what_the_person_may_see(client, people, procedure, agency_b):
    mine = advance(receive(procedure, people), DossierState.PROCESSING, people)
    waiting = receive(procedure, people)
    outsider = make_user(agency=agency_b, roles=[Role.ONESTOP_OFFICER])
    _login(client, outsider)
    html = client.get(reverse("onestop:list")).content.decode()
    assert mine.code not in html and waiting.code not in html
    _login(client, people["officer2"])
    html = client.get(reverse("onestop:list")).content.decode()
    assert mine.code not in html
    _login(client, people["officer"])
    html = client.get(reverse("onestop:queue", args=["todo"])).content.decode()
    assert mine.code in html and waiting.code not in html


# ---- the dossier page and its actions -------------------------------------------------------------


def test_detail_is_404_for_people_who_may_not_see_it(client, people, procedure, agency_b):
    dossier = advance(receive(procedure, people), DossierState.PROCESSING, people)
    for user in (people["officer2"], make_user(agency=agency_b, roles=[Role.LEADER, Role.ONESTOP_OFFICER])):
        _login(client, user)
        assert client.get(dossier.get_absolute_url()).status_code == 404
        response = client.post(reverse("onestop:act", args=[dossier.pk, "stop"]), {"reason": "x"})
        assert response.status_code == 404
    dossier.refresh_from_db()
    assert dossier.state == DossierState.PROCESSING
    for who in ("onestop", "head", "officer", "leader"):
        _login(client, people[who])
        assert client.get(dossier.get_absolute_url()).status_code == 200


def _act(client, dossier, action, data=None, *, follow=False):
    return client.post(reverse("onestop:act", args=[dossier.pk, action]), data or {}, follow=follow)


def _state(dossier) -> str:
    dossier.refresh_from_db()
    return dossier.state


def test_processing_actions_move_the_dossier_and_refuse_the_wrong_person(client, people, procedure):
    dossier = receive(procedure, people)
    unit = people["unit"]

    # hand to the unit: the head may not, the counter may
    _login(client, people["head"])
    assert client.get(dossier.get_absolute_url()).status_code == 404  # not the unit's yet
    _login(client, people["onestop"])
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert 'data-testid="action-hand_to_unit"' in page and 'data-testid="action-assign"' not in page
    response = _act(client, dossier, "hand_to_unit", {"department": unit.pk, "note": "Chuyển xử lý"})
    assert response.status_code == 302 and _state(dossier) == DossierState.UNIT
    assert "Đã chuyển hồ sơ" in " ".join(_messages(response))

    # assign: the counter may not (error, no move); the head may
    response = _act(client, dossier, "assign", {"officer": people["officer"].pk})
    assert _state(dossier) == DossierState.UNIT
    assert "không có quyền" in " ".join(_messages(response))
    _login(client, people["head"])
    _act(client, dossier, "assign", {"officer": people["officer2"].pk})  # not of the unit
    assert _state(dossier) == DossierState.UNIT
    _act(client, dossier, "assign", {"officer": people["officer"].pk, "note": "Thụ lý"})
    assert _state(dossier) == DossierState.PROCESSING and dossier.holder == people["officer"]

    # submit: a result file is needed; the head is not the holder (the procedure has a review step)
    _login(client, people["officer"])
    response = _act(client, dossier, "submit", {"result_number": "01"})
    assert _state(dossier) == DossierState.PROCESSING and _messages(response)
    bad = SimpleUploadedFile("kq.pdf", b"GIF89a not a pdf", content_type="application/pdf")
    _act(client, dossier, "submit", {"result_file": bad})
    assert _state(dossier) == DossierState.PROCESSING
    _login(client, people["head"])
    _act(client, dossier, "submit", {"result_file": pdf_upload()})
    assert _state(dossier) == DossierState.PROCESSING
    _login(client, people["officer"])
    _act(client, dossier, "submit", {"result_file": pdf_upload(), "result_number": "0101234567"})
    assert _state(dossier) == DossierState.REVIEW and dossier.result_file

    # review: forward to the leader (the officer may not); the leader sends back; forward again
    _act(client, dossier, "forward", {"leader": people["leader"].pk})
    assert _state(dossier) == DossierState.REVIEW
    _login(client, people["head"])
    _act(client, dossier, "forward", {"leader": people["officer"].pk})  # not a leader
    assert _state(dossier) == DossierState.REVIEW
    _act(client, dossier, "forward", {"leader": people["leader"].pk, "note": "Đề nghị phê duyệt"})
    assert _state(dossier) == DossierState.APPROVAL and dossier.holder == people["leader"]
    _login(client, people["leader"])
    _act(client, dossier, "send_back", {"note": ""})  # a note is required
    assert _state(dossier) == DossierState.APPROVAL
    _act(client, dossier, "send_back", {"note": "Sửa tên doanh nghiệp"})
    assert _state(dossier) == DossierState.PROCESSING and dossier.holder == people["officer"]
    _login(client, people["officer"])
    _act(client, dossier, "submit", {"note": "Đã sửa"})  # the draft already there is kept
    _login(client, people["head"])
    _act(client, dossier, "forward", {"leader": people["leader"].pk})
    assert _state(dossier) == DossierState.APPROVAL

    # approve: only the leader
    _login(client, people["onestop"])
    _act(client, dossier, "approve", {"mode": "paper"})
    assert _state(dossier) == DossierState.APPROVAL
    _login(client, people["leader"])
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert 'data-testid="approve-sign"' in page and 'data-testid="approve-paper"' in page
    _act(client, dossier, "approve", {"mode": "paper", "note": "Đồng ý"})
    assert _state(dossier) == DossierState.RETURNING

    # hand over at the counter with the applicant's rating
    _act(client, dossier, "hand_over", {"returned_to": "Nguyễn Văn An"})
    assert _state(dossier) == DossierState.RETURNING
    _login(client, people["onestop"])
    _act(client, dossier, "hand_over", {"returned_to": ""})
    assert _state(dossier) == DossierState.RETURNING
    response = _act(
        client,
        dossier,
        "hand_over",
        {"returned_to": "Nguyễn Văn An", "rating": "5", "comment": "Nhanh, chu đáo"},
    )
    assert _state(dossier) == DossierState.RETURNED
    assert dossier.rating == 5 and dossier.returned_to == "Nguyễn Văn An"
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert 'data-testid="rating"' in page and 'data-testid="actions"' not in page


def test_submit_without_a_review_step_goes_to_the_chosen_leader(client, people, agency_a):
    procedure = make_procedure(agency_a, unit=people["unit"], review=False, code="1.005380")
    dossier = advance(receive(procedure, people), DossierState.PROCESSING, people)
    _login(client, people["officer"])
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert 'name="leader"' in page and "Trình lãnh đạo phê duyệt" in page
    _act(client, dossier, "submit", {"result_file": pdf_upload()})  # no leader chosen
    assert _state(dossier) == DossierState.PROCESSING
    _act(client, dossier, "submit", {"result_file": pdf_upload(), "leader": people["leader"].pk})
    assert _state(dossier) == DossierState.APPROVAL and dossier.holder == people["leader"]


def test_approve_with_digital_signature_waits_for_the_signature(client, people, procedure):
    dossier = advance(receive(procedure, people), DossierState.APPROVAL, people)
    _login(client, people["leader"])
    response = _act(client, dossier, "approve", {"mode": "sign"})
    assert response.status_code == 302 and _state(dossier) == DossierState.SIGNING
    assert dossier.sign_request is not None and dossier.sign_request.signer == people["leader"]
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert 'data-testid="signing-banner"' in page and reverse("signing:pending") in page
    assert 'data-testid="action-cancel_signing"' in page
    _login(client, people["onestop"])
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert 'data-testid="signing-banner"' in page and reverse("signing:pending") not in page
    assert 'data-testid="action-cancel_signing"' not in page
    _act(client, dossier, "cancel_signing", {"note": "x"})  # not the signer: refused
    assert _state(dossier) == DossierState.SIGNING
    _login(client, people["leader"])
    _act(client, dossier, "cancel_signing", {"note": "Sửa lại kết quả"})
    assert _state(dossier) == DossierState.APPROVAL


def test_supplement_pause_and_answer(client, people, procedure):
    dossier = advance(receive(procedure, people), DossierState.PROCESSING, people)
    _login(client, people["onestop"])
    _act(client, dossier, "supplement", {"content": "Bổ sung CCCD"})  # the counter may not ask
    assert _state(dossier) == DossierState.PROCESSING
    _login(client, people["officer"])
    _act(client, dossier, "supplement", {"content": ""})
    assert _state(dossier) == DossierState.PROCESSING
    _act(client, dossier, "supplement", {"content": "Bổ sung bản sao CCCD còn hiệu lực"})
    assert _state(dossier) == DossierState.SUPPLEMENT and dossier.is_paused
    _login(client, people["onestop"])
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert 'data-testid="open-supplement"' in page and "tạm dừng" in page.lower()
    _act(client, dossier, "supplement_received", {})  # nothing recorded
    assert _state(dossier) == DossierState.SUPPLEMENT
    response = _act(
        client,
        dossier,
        "supplement_received",
        {"names": "Bản sao CCCD\nGiấy xác nhận cư trú", "files": jpeg_upload(), "note": "Nhận tại quầy"},
    )
    assert _state(dossier) == DossierState.PROCESSING and not dossier.is_paused
    assert "tính tiếp" in " ".join(_messages(response))
    added = dossier.papers.filter(supplement__isnull=False).order_by("id")
    assert [p.name for p in added] == ["Bản sao CCCD", "Giấy xác nhận cư trú"] and added[0].file
    assert SupplementRequest.objects.get(dossier=dossier).answered_at is not None


def test_extend_once_refuse_and_stop(client, people, procedure):
    dossier = advance(receive(procedure, people), DossierState.PROCESSING, people)
    _login(client, people["officer"])
    old_due = dossier.due_at
    new_due = timezone.localtime(old_due + timedelta(days=7)).strftime("%Y-%m-%dT%H:%M")
    _act(client, dossier, "extend", {"reason": "", "due_at": new_due})
    dossier.refresh_from_db()
    assert not dossier.extended
    early = timezone.localtime(old_due - timedelta(days=1)).strftime("%Y-%m-%dT%H:%M")
    response = _act(client, dossier, "extend", {"reason": "Cần xác minh", "due_at": early})
    dossier.refresh_from_db()
    assert not dossier.extended and "sau ngày hẹn hiện tại" in " ".join(_messages(response))
    _act(client, dossier, "extend", {"reason": "Cần xác minh thực địa", "due_at": new_due})
    dossier.refresh_from_db()
    assert dossier.extended and dossier.due_at > old_due
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert 'data-testid="more-extend"' not in page  # only once
    assert reverse("onestop:form", args=[dossier.pk, 4]) in page

    # the officer2 of another unit may do nothing; the officer refuses with reasons
    _login(client, people["officer2"])
    assert _act(client, dossier, "refuse", {"reasons": "x"}).status_code == 404
    _login(client, people["officer"])
    _act(client, dossier, "refuse", {"reasons": ""})
    assert _state(dossier) == DossierState.PROCESSING
    _act(client, dossier, "refuse", {"reasons": "Ngành nghề kinh doanh bị cấm"})
    assert _state(dossier) == DossierState.RETURNING and dossier.outcome == "refused"

    other = advance(receive(procedure, people), DossierState.PROCESSING, people)
    _login(client, people["officer"])
    _act(client, other, "stop", {"reason": "Người nộp rút hồ sơ"})  # the officer may not stop
    assert _state(other) == DossierState.PROCESSING
    _login(client, people["leader"])
    _act(client, other, "stop", {"reason": "Người nộp rút hồ sơ"})
    assert _state(other) == DossierState.STOPPED and other.stop_reason == "Người nộp rút hồ sơ"


def test_online_check(client, people, procedure):
    papers = [
        services.PaperInput(name=p.name, required=p, file=pdf_upload())
        for p in procedure.papers.filter(mandatory=True)
    ]
    applicant = services.Applicant(name="Lý Thường Kiệt", email="ltk@example.com")
    dossier = services.online_submit(procedure=procedure, applicant=applicant, papers=papers)
    _login(client, people["head"])
    assert client.get(dossier.get_absolute_url()).status_code == 404
    _login(client, people["onestop"])
    page = client.get(dossier.get_absolute_url()).content.decode()
    assert 'data-testid="action-check"' in page
    assert reverse("onestop:paper_file", args=[dossier.pk, dossier.papers.first().pk]) in page
    response = client.post(
        reverse("onestop:check", args=[dossier.pk]), {"outcome": "ineligible", "reasons": ""}
    )
    assert _state(dossier) == DossierState.SUBMITTED and _messages(response)
    response = client.post(reverse("onestop:check", args=[dossier.pk]), {"outcome": "valid"})
    assert response.status_code == 302 and _state(dossier) == DossierState.RECEIVED and dossier.code
    # a second check of the same submission: a clear message, not a 500
    response = client.post(reverse("onestop:check", args=[dossier.pk]), {"outcome": "valid"})
    assert response.status_code == 302 and "người khác xử lý" in " ".join(_messages(response))


def test_actions_are_post_only_and_named(client, people, procedure):
    dossier = receive(procedure, people)
    _login(client, people["onestop"])
    assert client.get(reverse("onestop:act", args=[dossier.pk, "stop"])).status_code == 405
    assert client.get(reverse("onestop:check", args=[dossier.pk])).status_code == 405
    assert _act(client, dossier, "delete").status_code == 404
    assert _state(dossier) == DossierState.RECEIVED


@pytest.mark.parametrize(
    "state", [DossierState.UNIT, DossierState.REVIEW, DossierState.APPROVAL, DossierState.RETURNED]
)
def test_detail_renders_for_everyone_in_every_state(client, people, procedure, state):
    dossier = advance(receive(procedure, people), state, people)
    expected = {
        DossierState.UNIT: ("head", "action-assign"),
        DossierState.REVIEW: ("head", "action-forward"),
        DossierState.APPROVAL: ("leader", "action-approve"),
    }
    for who in ("onestop", "head", "officer", "leader"):
        _login(client, people[who])
        response = client.get(dossier.get_absolute_url())
        if who == "officer" and state == DossierState.UNIT:  # not assigned yet: not theirs to see
            assert response.status_code == 404
            continue
        assert response.status_code == 200
        html = response.content.decode()
        if state in expected:
            owner, marker = expected[state]
            assert (marker in html) == (who == owner), (who, state)


# ---- files ----------------------------------------------------------------------------------------


def test_files_are_served_only_to_people_who_see_the_dossier(client, people, procedure, agency_b):
    first, *others = procedure.papers.all()
    papers = [services.PaperInput(name=first.name, required=first, file=jpeg_upload())]
    papers += [services.PaperInput(name=p.name, required=p) for p in others]
    dossier = advance(receive(procedure, people, papers=papers), DossierState.RETURNING, people)
    paper = dossier.papers.exclude(file="").get()
    urls = [
        reverse("onestop:paper_file", args=[dossier.pk, paper.pk]),
        reverse("onestop:result_file", args=[dossier.pk]),
        reverse("onestop:form", args=[dossier.pk, 1]),
    ]
    for user in (people["officer2"], make_user(agency=agency_b, roles=[Role.ONESTOP_OFFICER])):
        _login(client, user)
        for url in urls:
            assert client.get(url).status_code == 404, url
    _login(client, people["officer"])
    response = client.get(urls[0])
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "private, no-store"
    assert response.getvalue()[:2] == b"\xff\xd8"
    response = client.get(urls[1])
    assert response.status_code == 200 and response.getvalue().startswith(b"%PDF")
    response = client.get(urls[2])
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF") and "inline" in response["Content-Disposition"]
    # a paper of another dossier through this dossier's address; a form that does not apply
    other = receive(procedure, people)
    assert client.get(reverse("onestop:paper_file", args=[other.pk, paper.pk])).status_code == 404
    assert client.get(reverse("onestop:form", args=[dossier.pk, 5])).status_code == 404
