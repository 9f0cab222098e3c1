"""The sổ xử lý đơn pages through HTTP: the register (filters, search, no protected name, query count), a new
letter with people, contents and scans, the letter page, taking an online letter, the intake actions
posted from the case page and the printed intake forms."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints import services
from complaints.models import (
    Case,
    CaseDocument,
    CaseKind,
    CaseState,
    Field,
    FormCode,
    Letter,
    LetterFile,
    Source,
)
from complaints.services import ContentInput
from tests.complaints.conftest import COMPLAINANT, DENOUNCER, make_case
from tests.complaints.test_letters import pdf_bytes, pdf_upload, register

pytestmark = pytest.mark.django_db
QUERIES = 20


def letter_post(**overrides):
    data = {
        "received_on": timezone.localdate().isoformat(),
        "source": Source.POST,
        "source_org": "",
        "source_reference": "",
        "summary": "Khiếu nại quyết định thu hồi đất và kiến nghị làm đường",
        "signer_count": "",
        "decider": "",
        "people-TOTAL_FORMS": "3",
        "people-INITIAL_FORMS": "0",
        "people-0-name": COMPLAINANT.name,
        "people-0-id_number": COMPLAINANT.id_number,
        "people-0-address": COMPLAINANT.address,
        "people-0-role": "signer",
        "people-1-role": "signer",
        "people-2-role": "signer",
        "contents-TOTAL_FORMS": "3",
        "contents-INITIAL_FORMS": "0",
        "contents-0-kind": CaseKind.COMPLAINT,
        "contents-0-field": Field.LAND,
        "contents-0-content": "Khiếu nại quyết định thu hồi đất số 15",
        "contents-1-kind": CaseKind.PETITION,
        "contents-1-field": Field.OTHER,
        "contents-1-content": "Kiến nghị sửa đường thôn Đông",
        "contents-2-field": Field.OTHER,
    }
    data.update(overrides)
    return data


def test_new_letter_page_registers_with_cases_and_scans(org, login):
    client = login(org["reception"])
    assert client.get(reverse("complaints:letter_new")).status_code == 200
    data = letter_post()
    data["files"] = pdf_upload()
    response = client.post(reverse("complaints:letter_new"), data)
    letter = Letter.objects.get()
    assert response.status_code == 302 and response["Location"] == letter.get_absolute_url()
    assert [c.kind for c in letter.cases.order_by("order")] == [CaseKind.COMPLAINT, CaseKind.PETITION]
    assert letter.files.get().kind == LetterFile.Kind.LETTER
    assert letter.people.get().display_name == COMPLAINANT.name
    page = client.get(letter.get_absolute_url())
    assert page.status_code == 200
    for case in letter.cases.all():
        assert case.code in page.content.decode()


def test_new_letter_refuses_bad_input_with_a_message(org, login):
    client = login(org["reception"])
    bad = letter_post(**{"contents-0-content": "", "contents-1-content": ""})
    response = client.post(reverse("complaints:letter_new"), bad)
    assert response.status_code == 400 and "Đơn phải có ít nhất một nội dung" in response.content.decode()
    fake = letter_post()
    fake["files"] = pdf_upload()
    fake["papers"] = type(pdf_upload())("x.pdf", b"this is not a pdf", content_type="application/pdf")
    response = client.post(reverse("complaints:letter_new"), fake)
    assert response.status_code == 400 and 'data-testid="letter-errors"' in response.content.decode()
    assert not Letter.objects.exists()
    assert login(org["officer"]).get(reverse("complaints:letter_new")).status_code == 403


def test_register_list_filters_search_and_hides_protected_names(org, login, django_assert_max_num_queries):
    register(org, summary="Khiếu nại thu hồi đất")
    register(
        org,
        people=[DENOUNCER],
        summary="Tố cáo cán bộ địa chính",
        contents=[ContentInput(kind=CaseKind.DENUNCIATION, content="Tố cáo")],
        source=Source.POST,
    )
    client = login(org["reception"])
    url = reverse("complaints:letters")
    with django_assert_max_num_queries(QUERIES) as few:
        page = client.get(url).content.decode()
    assert page.count('data-testid="letter-row"') == 2
    assert COMPLAINANT.name in page and DENOUNCER.name not in page and "Người gửi đơn" in page
    for _i in range(5):
        register(org)
    with django_assert_max_num_queries(QUERIES) as many:
        client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)
    by_name = client.get(url, {"q": "Khiếu"}).content.decode()
    assert by_name.count('data-testid="letter-row"') == 6
    assert client.get(url, {"q": "Bí Mật"}).content.decode().count('data-testid="letter-row"') == 0
    assert client.get(url, {"q": "2"}).content.decode().count('data-testid="letter-row"') == 1
    denunciations = client.get(url, {"kind": CaseKind.DENUNCIATION}).content.decode()
    assert denunciations.count('data-testid="letter-row"') == 1 and "Tố cáo cán bộ" in denunciations
    assert client.get(url, {"source": Source.POST, "date_from": "bad"}).status_code == 200
    # Outside the inspectorate: only the letters of cases one handles.
    assert login(org["officer"]).get(url).content.decode().count('data-testid="letter-row"') == 0


def test_letter_page_people_labels_reveal_link_and_duplicates(org, login):
    first = register(org)
    second = register(org)
    client = login(org["reception"])
    page = client.get(second.get_absolute_url()).content.decode()
    assert 'data-testid="duplicate-suggestions"' in page and first.cases.get().code in page
    person = second.people.get()
    assert reverse("complaints:identity", args=[person.pk]) in page
    protected = register(
        org, people=[DENOUNCER], contents=[ContentInput(kind=CaseKind.DENUNCIATION, content="Tố cáo")]
    )
    case = protected.cases.get()
    Case.objects.filter(pk=case.pk).update(handler=org["verifier"])
    verifier_page = login(org["verifier"]).get(protected.get_absolute_url()).content.decode()
    assert DENOUNCER.name not in verifier_page and "Người gửi đơn" in verifier_page
    assert reverse("complaints:identity", args=[protected.people.get().pk]) not in verifier_page
    assert login(org["other_b"]).get(protected.get_absolute_url()).status_code == 404


def test_take_online_letter(org, login):
    letter = services.letter_register(
        by=None,
        agency=org["agency"],
        received_on=timezone.localdate(),
        source=Source.ONLINE,
        summary="Kiến nghị trực tuyến",
        people=[COMPLAINANT],
        contents=[ContentInput(kind=CaseKind.PETITION, content="Kiến nghị")],
    )
    client = login(org["reception"])
    assert 'data-testid="letter-take"' in client.get(letter.get_absolute_url()).content.decode()
    response = client.post(reverse("complaints:letter_take", args=[letter.pk]))
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.received_by == org["reception"]
    again = client.post(reverse("complaints:letter_take", args=[letter.pk]), follow=True)
    assert "Đơn đã có cán bộ nhận xử lý" in again.content.decode()
    assert client.get(reverse("complaints:letter_take", args=[letter.pk])).status_code == 405


def act(client, case, action, data):
    return client.post(reverse("complaints:act", args=[case.pk, action]), data)


def test_intake_actions_through_the_case_actions_view(org, login):
    client = login(org["reception"])
    case = make_case(org)
    response = act(
        client,
        case,
        "classify",
        {
            "classify-kind": CaseKind.COMPLAINT,
            "classify-field": Field.LAND,
            "classify-processable": "yes",
            "classify-competent": "yes",
            "classify-signer_count": "2",
        },
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.processable is True and case.letter.signer_count == 2
    act(client, case, "accept", {"accept-note": "Đủ điều kiện"})
    case.refresh_from_db()
    assert case.state == CaseState.ACCEPTED
    assert CaseDocument.objects.filter(case=case, form=FormCode.ACCEPT_NOTICE).exists()

    other = make_case(org)
    act(client, other, "forward", {"forward-body_name": "UBND huyện Yên Phú", "forward-reason": "Thẩm quyền"})
    other.refresh_from_db()
    assert other.state == CaseState.FORWARDED and other.competent_body == "UBND huyện Yên Phú"

    guided = make_case(org)
    act(client, guided, "guide", {"guide-guidance": "Gửi đơn đến Tòa án nhân dân huyện"})
    guided.refresh_from_db()
    assert guided.state == CaseState.GUIDED
    pdf = client.get(reverse("complaints:case_guidance_pdf", args=[guided.pk]))
    assert pdf.status_code == 200 and pdf.content[:4] == b"%PDF"

    refused = make_case(org)
    response = act(client, refused, "refuse", {"refuse-reason": ""})
    refused.refresh_from_db()
    assert refused.state == CaseState.REGISTERED
    follow_up = timezone.localdate() + dt.timedelta(days=30)
    act(client, refused, "keep", {"keep-reason": "Đơn gửi để biết", "keep-follow_up_on": follow_up})
    refused.refresh_from_db()
    assert refused.state == CaseState.KEPT
    # Not the inspectorate: no intake.
    outsider = make_case(org)
    assert act(login(org["officer"]), outsider, "accept", {}).status_code == 404
    outsider.refresh_from_db()
    assert outsider.state == CaseState.REGISTERED


def test_duplicate_and_split_actions(org, login):
    client = login(org["reception"])
    original = register(org).cases.get()
    later = register(org).cases.get()
    act(client, later, "duplicate", {"duplicate-of": original.pk})
    later.refresh_from_db()
    assert later.state == CaseState.KEPT and later.duplicate_of == original
    case = make_case(org)
    act(
        client,
        case,
        "split",
        {"split-kind": CaseKind.PETITION, "split-field": Field.OTHER, "split-content": "Kiến nghị"},
    )
    assert case.letter.cases.count() == 2


def test_intake_proposal_pdf(org, login):
    case = make_case(org, kind=CaseKind.DENUNCIATION)
    response = login(org["reception"]).get(reverse("complaints:case_intake_proposal", args=[case.pk]))
    assert response.status_code == 200 and response.content[:4] == b"%PDF"
    import io

    from pypdf import PdfReader

    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert DENOUNCER.name not in text
    assert (
        login(org["officer"]).get(reverse("complaints:case_intake_proposal", args=[case.pk])).status_code
        == 404
    )
    assert (
        login(org["reception"]).get(reverse("complaints:case_guidance_pdf", args=[case.pk])).status_code
        == 404
    )
    assert pdf_bytes()[:4] == b"%PDF"


def test_new_letter_of_many_signers_needs_a_representative(org, login):
    client = login(org["reception"])
    response = client.post(reverse("complaints:letter_new"), letter_post(signer_count="7"))
    assert response.status_code == 400 and "người đại diện" in response.content.decode()
    assert not Letter.objects.exists()
    ok = letter_post(**{"signer_count": "7", "people-0-role": "representative"})
    assert client.post(reverse("complaints:letter_new"), ok).status_code == 302
    assert Letter.objects.get().signer_count == 7
