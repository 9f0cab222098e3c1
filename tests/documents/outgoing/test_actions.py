"""The outgoing page's actions (documents.outgoing.actions): what the page offers each person, and every
action posted through its URL, including the ones repeated per answer, consultation round and recipient."""

from __future__ import annotations

from datetime import timedelta

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from documents.outgoing import services
from documents.outgoing.actions import OUTGOING_ACTIONS, page_state
from documents.outgoing.models import ConsultationAnswer, DeliveryStatus
from tests.documents.conftest import pdf_bytes
from tests.documents.outgoing.delivery.helpers import (
    _events,
    _recipient,
    deliver,
    make_issued,
)
from tests.documents.outgoing.helpers import _fields, _to_signing
from tests.signing.conftest import _signing_settings, authority, pki_dir  # noqa: F401
from workflow.models import WorkflowState


def _login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _offered(document, user) -> set[str]:
    page = OUTGOING_ACTIONS.page(document, user, state=page_state(document, user))
    return {b.key for b in [*page.main, *page.more]}


def _messages(response) -> list[str]:
    """The messages this post added (the ones of earlier posts not shown yet come first)."""
    shown = [str(m) for m in get_messages(response.wsgi_request)]
    return shown[-1:]


def test_each_person_is_offered_what_they_may_do_now(office, agency_b):
    draft = services.draft_create(by=office["officer"], fields=_fields(office, agency_b))
    assert _offered(draft, office["officer"]) == {"submit", "cancel", "comment", "consult"}
    assert _offered(draft, office["head"]) == {"comment"}  # sees the unit's draft, holds nothing
    signing = _to_signing(office, agency_b)
    assert _offered(signing, office["leader"]) == {"sign", "return", "comment", "consult"}
    assert _offered(signing, office["officer"]) == {"comment"}


def test_the_detail_page_keeps_its_form_ids(office, agency_b, client):
    signing = _to_signing(office, agency_b)
    html = _login(client, office["leader"]).get(signing.get_absolute_url()).content.decode()
    assert 'id="sign_pin"' in html and 'name="pin"' in html and 'id="ret_comment"' in html
    assert f'action="{reverse("documents:outgoing_sign", args=[signing.pk])}"' in html


def test_consultation_answered_and_closed_through_the_page(office, agency_b, client):
    draft = services.draft_create(by=office["officer"], fields=_fields(office, agency_b))
    response = _login(client, office["officer"]).post(
        reverse("documents:outgoing_consult", args=[draft.pk]),
        {
            "question": "Xin ý kiến về danh mục dự án",
            "people": [office["outsider"].pk],
            "deadline": (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M"),
        },
    )
    assert response.status_code == 302 and _messages(response) == ["Đã gửi xin ý kiến."]
    answer = ConsultationAnswer.objects.get(consultation__document=draft)

    outsider = _login(client, office["outsider"])
    html = outsider.get(draft.get_absolute_url()).content.decode()
    assert f'id="ans{answer.pk}_note"' in html
    url = reverse("documents:outgoing_answer", args=[draft.pk, answer.pk])
    response = outsider.post(url, {"answer": "other", "note": "Bỏ dự án số 3"})
    assert _messages(response) == ["Đã gửi ý kiến góp ý."]
    answer.refresh_from_db()
    assert answer.answer == "other" and answer.note == "Bỏ dự án số 3"
    # Somebody else's answer is not theirs to give: the same 404 as a missing one.
    assert _login(client, office["head"]).post(url, {"answer": "agree"}).status_code == 404

    close = reverse("documents:outgoing_consult_close", args=[draft.pk, answer.consultation_id])
    response = _login(client, office["officer"]).post(close, {"summary": "Tiếp thu."})
    assert _messages(response) == ["Đã tổng hợp ý kiến."]
    answer.consultation.refresh_from_db()
    assert answer.consultation.closed_at is not None and "Tiếp thu." in answer.consultation.summary


def test_refused_action_shows_why_and_changes_nothing(office, agency_b, client):
    draft = services.draft_create(by=office["officer"], fields=_fields(office, agency_b))
    client = _login(client, office["officer"])
    response = client.post(reverse("documents:outgoing_return", args=[draft.pk]), {"comment": "Chưa đạt"})
    assert response.status_code == 302 and response["Location"] == draft.get_absolute_url()
    assert _messages(response) == ["Hồ sơ đã được người khác xử lý. Vui lòng tải lại trang."]
    response = client.post(reverse("documents:outgoing_cancel", args=[draft.pk]), {"comment": ""})
    assert _messages(response) == ["Trường này là bắt buộc."]
    draft.refresh_from_db()
    assert draft.state == WorkflowState.NEW
    services.draft_submit(document=draft, by=office["officer"], reviewer=office["head"])
    response = client.post(reverse("documents:outgoing_return", args=[draft.pk]), {"comment": "Chưa đạt"})
    assert _messages(response) == ["Bạn không có quyền thực hiện thao tác này."]
    draft.refresh_from_db()
    assert draft.state == WorkflowState.SUBMITTED
    cancel = reverse("documents:outgoing_cancel", args=[draft.pk])
    assert _login(client, office["clerk_b"]).post(cancel, {"comment": "x"}).status_code == 404


def test_paper_recipient_marked_sent_and_email_resent_by_the_clerk(
    people, settings, mailoutbox, client, django_capture_on_commit_callbacks
):
    from tests.documents.outgoing.delivery.test_email import FailingBackend

    doc = make_issued(
        people,
        pdf=pdf_bytes(),
        recipients=[("email", "Báo Nhân Dân", "toasoan@nhandan.vn"), ("paper", "Công ty Minh Phát")],
    )
    settings.EMAIL_BACKEND = f"{FailingBackend.__module__}.FailingBackend"
    deliver(doc, people, pdf_bytes(), django_capture_on_commit_callbacks)
    email, paper = _recipient(doc, channel="email"), _recipient(doc, channel="paper")
    assert email.status == DeliveryStatus.FAILED

    clerk = _login(client, people["clerk"])
    html = clerk.get(doc.get_absolute_url()).content.decode()
    sent = reverse("documents:recipient_sent", args=[doc.pk, paper.pk])
    resend = reverse("documents:recipient_resend", args=[doc.pk, email.pk])
    assert sent in html and resend in html
    assert _messages(clerk.post(sent)) == ["Đã ghi nhận gửi bản giấy."]
    paper.refresh_from_db()
    assert paper.status == DeliveryStatus.SENT

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with django_capture_on_commit_callbacks(execute=True):
        assert _messages(clerk.post(resend)) == ["Đã gửi lại thư điện tử."]
    email.refresh_from_db()
    assert email.status == DeliveryStatus.SENT and len(mailoutbox) == 1
    assert _events(email) == [DeliveryStatus.FAILED, DeliveryStatus.PENDING, DeliveryStatus.SENT]
    response = _login(client, people["officer"]).post(sent)
    assert _messages(response) == ["Chỉ văn thư của cơ quan ban hành được cập nhật việc gửi văn bản."]
