"""Published answers to petitions: only a resolved petition or feedback with the sender's consent, the texts
checked for the identity, publish / withdraw through the staff pages, history written, visibility kept."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from complaints import services
from complaints.models import CaseKind, CaseState, ComplaintSettings, PublishedAnswer
from tests.complaints.conftest import COMPLAINANT, make_case
from workflow.models import HistoryEntry

pytestmark = pytest.mark.django_db

PUBLIC = reverse("complaints_public:answers")
QUESTION = "Đề nghị sửa chữa tuyến đường liên thôn bị sạt lở sau mưa lũ."
ANSWER = "Ủy ban đã bố trí kinh phí, dự kiến hoàn thành trong quý I năm 2027."


def petition(org, **fields):
    values = {
        "kind": CaseKind.PETITION,
        "state": CaseState.RESOLVED,
        "resolved_at": timezone.now(),
        "publish_consent": True,
        "result_summary": ANSWER,
        "content": f"Tôi là {COMPLAINT_NAME}, đề nghị sửa đường liên thôn.",
    }
    values.update(fields)
    return make_case(org, **values)


COMPLAINT_NAME = COMPLAINANT.name


def publish_url(case) -> str:
    return reverse("complaints:answer_publish", args=[case.pk])


def test_officer_publishes_and_withdraws_through_the_pages(client, login, org):
    case = petition(org)
    login(org["reception"])
    page = client.get(publish_url(case)).content.decode()
    assert ANSWER in page and 'data-testid="blocked"' not in page
    response = client.post(publish_url(case), {"question": QUESTION, "answer": ANSWER})
    assert response.status_code == 302
    row = PublishedAnswer.objects.get(case=case)
    assert row.question == QUESTION and row.withdrawn_at is None and row.agency_id == org["agency"].pk
    assert HistoryEntry.objects.filter(object_id=case.pk, action="publication").exists()
    public = client.get(PUBLIC).content.decode()
    assert QUESTION in public and ANSWER in public and COMPLAINT_NAME not in public
    staff_list = client.get(reverse("complaints:answers_published")).content.decode()
    assert case.code in staff_list
    response = client.post(reverse("complaints:answer_withdraw", args=[case.pk]), {"reason": "Sai nội dung"})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.withdrawn_at is not None
    assert QUESTION not in client.get(PUBLIC).content.decode()
    assert HistoryEntry.objects.filter(object_id=case.pk, action="answer_withdrawn").exists()
    # publishing again brings it back, with the new text
    client.post(publish_url(case), {"question": QUESTION + " (sửa)", "answer": ANSWER})
    row.refresh_from_db()
    assert row.withdrawn_at is None and row.question.endswith("(sửa)")
    assert PublishedAnswer.objects.count() == 1


@pytest.mark.parametrize(
    "leak",
    [COMPLAINANT.name, COMPLAINANT.id_number, COMPLAINANT.phone, COMPLAINANT.email, "nguyen van khieu"],
)
def test_text_holding_the_identity_is_refused(client, login, org, leak):
    case = petition(org)
    login(org["reception"])
    response = client.post(publish_url(case), {"question": f"{QUESTION} Người gửi: {leak}", "answer": ANSWER})
    assert response.status_code == 200
    assert "còn thông tin cá nhân của người gửi đơn" in response.content.decode()
    assert not PublishedAnswer.objects.exists()


@pytest.mark.parametrize(
    "fields, message",
    [
        ({"publish_consent": False}, "không đồng ý công khai"),
        ({"state": CaseState.ACCEPTED, "resolved_at": None}, "chưa có câu trả lời"),
        ({"kind": CaseKind.COMPLAINT}, "Chỉ công khai câu trả lời kiến nghị"),
    ],
)
def test_only_resolved_petitions_with_consent(org, fields, message):
    case = petition(org, **fields)
    with pytest.raises(ValidationError, match=message):
        services.answer_publish(case=case, by=org["reception"], question=QUESTION, answer=ANSWER)
    assert not PublishedAnswer.objects.exists()


def test_agency_that_does_not_publish(client, login, org):
    ComplaintSettings.objects.create(agency=org["agency"], publish_answers=False)
    case = petition(org)
    login(org["reception"])
    page = client.get(publish_url(case)).content.decode()
    assert "Cơ quan không công khai câu trả lời kiến nghị" in page
    client.post(publish_url(case), {"question": QUESTION, "answer": ANSWER})
    assert not PublishedAnswer.objects.exists()


def test_who_may_publish(client, login, org):
    case = petition(org)
    for user, status in ((org["other_b"], 404), (org["officer"], 404), (org["clerk"], 404)):
        login(user)
        assert client.get(publish_url(case)).status_code == status, user
        assert client.post(publish_url(case), {"question": QUESTION, "answer": ANSWER}).status_code == status
    assert not PublishedAnswer.objects.exists()
    with pytest.raises(Http404):  # not visible to them: the same 404 as a missing case
        services.answer_publish(case=case, by=org["officer"], question=QUESTION, answer=ANSWER)
    login(org["officer"])
    assert client.get(reverse("complaints:answers_published")).status_code == 403
    login(org["leader"])  # the decider
    assert client.post(publish_url(case), {"question": QUESTION, "answer": ANSWER}).status_code == 302


def test_withdraw_of_nothing_published_is_a_message(client, login, org):
    case = petition(org)
    login(org["reception"])
    response = client.post(reverse("complaints:answer_withdraw", args=[case.pk]), follow=True)
    assert "không còn được công khai" in response.content.decode()
    assert client.get(reverse("complaints:answer_withdraw", args=[case.pk])).status_code == 405


def test_staff_list_query_count_does_not_grow(client, login, org, django_assert_max_num_queries):
    login(org["reception"])
    services.answer_publish(case=petition(org), by=org["reception"], question=QUESTION, answer=ANSWER)
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("complaints:answers_published"))
    for _n in range(8):
        services.answer_publish(case=petition(org), by=org["reception"], question=QUESTION, answer=ANSWER)
    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(reverse("complaints:answers_published")).content.decode()
    assert page.count('data-testid="answer-row"') == 9
