"""Resolving a case (issue 17 §2): verification, the case file, dialogue (mandatory at the 2nd instance), the
decision drafted and issued through the outgoing flow, delivery, publication, close; a denunciation's
conclusion, handling and the denouncer's notice (never naming them); withdrawals; a petition's answer; the
second instance. Through the case page's action URLs where a person acts."""

# ruff: noqa: F811
from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from complaints import services
from complaints.models import (
    Case,
    CaseKind,
    CaseMember,
    CaseState,
    CaseStep,
    FormCode,
    Identity,
    RuleCode,
    Stage,
)
from complaints.services.identity import PersonInput
from tests.bombs import small_pdf_bytes
from tests.complaints.conftest import COMPLAINANT, DENOUNCER, make_case, org  # noqa: F401
from tests.complaints.resolution_helpers import ago, ensure_forms, issue
from tests.documents.outgoing.helpers import office  # noqa: F401
from tests.signing.conftest import _signing_settings, authority, pki_dir  # noqa: F401
from workflow.models import Assignment, HistoryEntry

pytestmark = pytest.mark.django_db

PDF = small_pdf_bytes()


@pytest.fixture(autouse=True)
def _forms():
    ensure_forms()


def act(client, case, key, data=None, **files):
    """POST an action of the case page (the messages of earlier requests cleared first)."""
    client.cookies.pop("messages", None)
    session = client.session
    if session.pop("_messages", None) is not None:
        session.save()
    return client.post(reverse("complaints:act", args=[case.pk, key]), {**(data or {}), **files})


def messages_of(response) -> list[str]:
    """The messages of this response (read, so the next request starts with none)."""
    return [str(m) for m in get_messages(response.wsgi_request)]


def _accepted(org, **kw) -> Case:
    kw.setdefault("received_on", dt.date(2026, 11, 2))
    return make_case(org, state=CaseState.ACCEPTED, accepted_at=ago(3), **kw)


def test_complaint_from_verification_to_close_through_the_page(org, login, client):
    reception, verifier, chief = org["reception"], org["verifier"], org["chief"]
    case = _accepted(org)

    # The handler names the verification team; the order is drafted as an outgoing document.
    response = act(
        login(reception),
        case,
        "verification",
        {"verification-lead": verifier.pk, "verification-members": [chief.pk], "verification-order": "on"},
    )
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert messages_of(response) == ["Đã giao xác minh."]
    team = dict(CaseMember.objects.filter(case=case, removed_at__isnull=True).values_list("user_id", "role"))
    assert team == {verifier.pk: CaseMember.Role.LEAD, chief.pk: CaseMember.Role.MEMBER}
    assert case.documents.filter(form=FormCode.VERIFICATION_ORDER, document__isnull=False).exists()

    # The verifier adds evidence (a file checked by content) and the report.
    client = login(verifier)
    response = act(
        client,
        case,
        "case_step",
        {
            "case-step-kind": "evidence",
            "case-step-title": "Biên bản làm việc với UBND xã",
            "case-step-happened_on": "2026-12-01",
        },
        **{"case-step-file": SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf")},
    )
    assert messages_of(response) == ["Đã cập nhật hồ sơ giải quyết."]
    evidence = CaseStep.objects.get(case=case, kind=CaseStep.Kind.EVIDENCE)
    assert evidence.file and evidence.sha256
    act(
        client,
        case,
        "case_step",
        {
            "case-step-kind": "report",
            "case-step-title": "Báo cáo kết quả xác minh",
            "case-step-happened_on": "2026-12-02",
        },
    )
    assert case.steps.filter(kind=CaseStep.Kind.REPORT).exists()

    # A file that is not what it says is refused with a message, nothing saved.
    response = act(
        client,
        case,
        "case_step",
        {"case-step-kind": "evidence", "case-step-title": "Giả", "case-step-happened_on": "2026-12-01"},
        **{
            "case-step-file": SimpleUploadedFile(
                "gia.pdf", b"MZ\x90\x00not a pdf", content_type="application/pdf"
            )
        },
    )
    assert response.status_code == 302 and messages_of(response)
    assert case.steps.filter(kind=CaseStep.Kind.EVIDENCE).count() == 1

    # The evidence file: served to who sees the case, the same 404 for others.
    url = reverse("complaints:step_file", args=[case.pk, evidence.pk])
    response = client.get(url)
    served = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200 and served.startswith(PDF)  # with the print mark added after it
    assert response["Cache-Control"].startswith("max-age=0") or "no-cache" in response["Cache-Control"]
    assert login(org["other_b"]).get(url).status_code == 404
    assert login(org["officer"]).get(url).status_code == 404

    # The decision is drafted by the handler and issued through the outgoing flow: the case is resolved
    # and the sending clock (03 working days) starts.
    response = act(
        login(reception),
        case,
        "decision",
        {"decision-result": "partly", "decision-summary": "Chấp nhận một phần"},
    )
    row = case.documents.get(form=FormCode.COMPLAINT_DECISION)
    assert "Đã soạn dự thảo" in messages_of(response)[0]
    assert Case.objects.get(pk=case.pk).state == CaseState.ACCEPTED  # not before it is issued
    issue(row, org)
    case = Case.objects.get(pk=case.pk)
    assert case.state == CaseState.RESOLVED and case.stage == Stage.DELIVERY and case.resolved_at
    assert case.due_rule.code == RuleCode.COMPLAINT_SEND_1 and case.due_at > case.resolved_at
    row.refresh_from_db()
    assert row.issued_at is not None

    client = login(reception)
    act(
        client,
        case,
        "deliver",
        {
            "deliver-delivered_on": timezone.localdate().isoformat(),
            "deliver-recipients": "Người khiếu nại; UBND xã Yên Phú",
        },
    )
    assert Case.objects.get(pk=case.pk).stage == Stage.PUBLICATION
    act(
        client,
        case,
        "publish",
        {"publish-published_on": timezone.localdate().isoformat(), "publish-method": "Niêm yết tại trụ sở"},
    )
    assert Case.objects.get(pk=case.pk).stage == Stage.DONE
    response = act(client, case, "case_close", {})
    assert messages_of(response) == ["Đã kết thúc vụ việc, lưu hồ sơ."]
    case = Case.objects.get(pk=case.pk)
    assert case.state == CaseState.CLOSED and case.closed_at and case.due_at is None
    lead = Assignment.objects.for_record(case).get(role=Assignment.Kind.LEAD, parent__isnull=True)
    assert lead.status == Assignment.Status.DONE
    actions = set(HistoryEntry.objects.filter(object_id=case.pk).values_list("action", flat=True))
    assert {
        "verification",
        "case_step",
        "document_draft",
        "document_issued",
        "resolve",
        "publication",
        "close",
    } <= actions


def test_a_member_of_the_team_adds_evidence_but_does_not_draft_the_decision(org):
    case = _accepted(org)
    services.case_verification_assign(
        case=case, by=org["reception"], lead=org["verifier"], members=[org["officer"]]
    )
    services.case_step_add(case=case, by=org["officer"], kind="evidence", title="Ảnh chụp hiện trạng")
    with pytest.raises(PermissionDenied):
        services.case_decision_draft(case=case, by=org["officer"], result="wrong", summary="Khiếu nại sai")
    with pytest.raises(PermissionDenied):  # a plan is for those who resolve
        services.case_step_add(case=case, by=org["officer"], kind="plan", title="Kế hoạch")
    assert not case.documents.exists()


def test_outsiders_get_404_on_the_actions(org, login, client):
    case = _accepted(org)
    response = act(
        login(org["other_b"]), case, "decision", {"decision-result": "wrong", "decision-summary": "x"}
    )
    assert response.status_code == 404
    assert not case.documents.exists()


def test_bad_input_is_a_message_not_a_500(org, login, client):
    case = _accepted(org)
    client = login(org["leader"])
    response = act(client, case, "suspend", {"suspend-ground": ""})
    assert response.status_code == 302 and messages_of(response)
    assert Case.objects.get(pk=case.pk).state == CaseState.ACCEPTED
    response = act(client, case, "decision", {"decision-result": "maybe", "decision-summary": "x"})
    assert response.status_code == 302 and messages_of(response)
    assert not case.documents.exists()


def test_second_instance_requires_dialogue_minutes(org):
    # The first instance was received in 2025 (make_case numbers its letters by count, not through the
    # register's counter: a 2026 letter of it would take the number the counter gives next).
    first = make_case(
        org,
        received_on=dt.date(2025, 9, 1),
        state=CaseState.RESOLVED,
        accepted_at=ago(60),
        resolved_at=ago(10),
    )
    second = services.case_second_instance_open(
        case=first,
        by=org["reception"],
        received_on=timezone.localdate(),
        decision_received_on=timezone.localdate() - dt.timedelta(days=9),
        summary="Khiếu nại lần hai quyết định giải quyết khiếu nại lần đầu",
    )
    assert second.instance == 2 and second.previous_id == first.pk and second.letter_id != first.letter_id
    assert second.letter.people.count() == 1 and second.letter.people.get().display_name == COMPLAINT_NAME
    with pytest.raises(ValidationError, match="lần hai"):
        services.case_second_instance_open(
            case=first, by=org["reception"], received_on=timezone.localdate(), summary="Lại"
        )

    Case.objects.filter(pk=second.pk).update(
        state=CaseState.ACCEPTED, accepted_at=ago(2), handler=org["reception"]
    )
    by = org["reception"]
    with pytest.raises(ValidationError, match="đối thoại"):
        services.case_decision_draft(
            case=second, by=by, result="wrong", summary="Giữ nguyên quyết định lần đầu"
        )

    # The parties must be told at least 05 days ahead (the rule's source in the message).
    today = timezone.localdate()
    soon = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=3), dt.time(9)))
    with pytest.raises(ValidationError, match="05 ngày — NĐ 124/2020/NĐ-CP Đ28"):
        services.case_dialogue_schedule(
            case=second, by=by, at=soon, place="Trụ sở Thanh tra", notified_on=today
        )
    later = soon + dt.timedelta(days=3)
    services.case_dialogue_schedule(case=second, by=by, at=later, place="Trụ sở Thanh tra", notified_on=today)
    services.case_dialogue_minutes(case=second, by=by, held_on=today, text="Các bên giữ nguyên ý kiến.")
    row = services.case_decision_draft(
        case=second, by=by, result="wrong", summary="Giữ nguyên quyết định lần đầu"
    )
    assert row.form == FormCode.COMPLAINT_DECISION


COMPLAINT_NAME = COMPLAINANT.name


def test_second_instance_out_of_time_is_refused(org):
    first = make_case(
        org,
        received_on=dt.date(2026, 9, 1),
        state=CaseState.RESOLVED,
        accepted_at=ago(60),
        resolved_at=ago(50),
    )
    with pytest.raises(ValidationError, match="quá thời hạn"):
        services.case_second_instance_open(
            case=first,
            by=org["reception"],
            received_on=timezone.localdate(),
            decision_received_on=timezone.localdate() - dt.timedelta(days=45),
            summary="Khiếu nại lần hai",
        )
    assert not first.next_instances.exists()


def test_denunciation_conclusion_handling_and_notice_without_the_identity(org):
    case = _accepted(org, kind=CaseKind.DENUNCIATION)
    by = org["reception"]
    row = services.case_conclusion_draft(case=case, by=by, result="partly", summary="Tố cáo đúng một phần")
    issue(row, org)
    case = Case.objects.get(pk=case.pk)
    assert case.state == CaseState.RESOLVED and case.stage == Stage.HANDLING
    assert case.due_rule.code == RuleCode.DENUNCIATION_SEND
    services.case_handling_add(case=case, by=by, measure="Kiến nghị xử lý kỷ luật cán bộ vi phạm")
    notice = services.case_denouncer_notice_draft(case=case, by=by)
    doc = notice.document
    texts = [doc.summary, doc.body, doc.addressees, doc.search_text]
    texts += [f"{r.name} {r.email} {r.agency_id}" for r in doc.recipients.all()]
    for text in texts:
        assert (
            DENOUNCER.name not in text and DENOUNCER.id_number not in text and DENOUNCER.address not in text
        )
    issue(notice, org)
    case = Case.objects.get(pk=case.pk)
    assert case.stage == Stage.DONE
    assert case.steps.filter(kind=CaseStep.Kind.DELIVERY).exists()
    # Nothing of the denouncer in the history either.
    for comment, data in HistoryEntry.objects.filter(object_id=case.pk).values_list("comment", "data"):
        blob = f"{comment} {data}"
        assert DENOUNCER.name not in blob and DENOUNCER.id_number not in blob


def test_denunciation_withdrawn_continues_when_the_act_shows_a_violation(org):
    case = _accepted(org, kind=CaseKind.DENUNCIATION)
    by = org["reception"]
    with pytest.raises(ValidationError, match="dấu hiệu vi phạm"):
        services.case_withdraw(case=case, by=by, ground="Người tố cáo rút đơn", continue_resolution=True)
    services.case_withdraw(
        case=case,
        by=by,
        ground="Người tố cáo rút đơn",
        continue_resolution=True,
        violation_ground="Có dấu hiệu chiếm dụng tiền bồi thường",
    )
    case = Case.objects.get(pk=case.pk)
    assert case.state == CaseState.ACCEPTED and case.due_at is not None
    assert case.steps.filter(kind=CaseStep.Kind.WITHDRAWAL, data__continued=True).exists()


def test_complaint_withdrawn_ends_and_its_clock_stops(org, login, client):
    case = _accepted(org)
    response = act(
        login(org["reception"]), case, "withdraw", {"withdraw-ground": "Người khiếu nại có đơn rút"}
    )
    assert messages_of(response) == ["Đã ghi nhận rút đơn; vụ việc kết thúc."]
    case = Case.objects.get(pk=case.pk)
    assert case.state == CaseState.WITHDRAWN and case.due_at is None


def test_partial_withdrawal_continues_for_the_others(org):
    other = PersonInput(name="Trần Thị Cùng", id_number="001090011111", address="Thôn Tây")
    case = _accepted(org, people=[COMPLAINANT, other])
    by = org["reception"]
    first, second = Identity.objects.filter(letter=case.letter).order_by("order")
    services.case_withdraw_partial(case=case, by=by, identities=[second], ground="Bà Cùng rút đơn")
    case = Case.objects.get(pk=case.pk)
    assert case.state == CaseState.ACCEPTED
    assert services.withdrawn_identity_ids(case) == {second.pk}
    with pytest.raises(ValidationError, match="Rút đơn"):
        services.case_withdraw_partial(case=case, by=by, identities=[first], ground="Ông Khiếu rút đơn")
    with pytest.raises(ValidationError, match="đã rút"):
        services.case_withdraw_partial(case=case, by=by, identities=[second], ground="Lần nữa")
    entry = HistoryEntry.objects.get(object_id=case.pk, action="partial_withdrawal")
    assert other.name not in entry.comment and entry.data["remaining"] == 1


def test_stop_ends_the_case(org):
    case = _accepted(org)
    services.case_stop(case=case, by=org["leader"], ground="Người khiếu nại chết, không có người thừa kế")
    case = Case.objects.get(pk=case.pk)
    assert case.state == CaseState.STOPPED and case.due_at is None
    assert case.documents.filter(form=FormCode.STOP).exists()
    with pytest.raises(PermissionDenied):
        services.case_stop(case=_accepted(org), by=org["reception"], ground="Không có thẩm quyền")


def test_petition_routed_answered_and_resolved(org, login, client):
    case = make_case(
        org,
        kind=CaseKind.PETITION,
        content="Kiến nghị sửa đường liên thôn",
        received_on=dt.date(2026, 11, 30),
    )
    by = org["reception"]
    services.case_route(case=case, by=by, department=org["unit"], handler=org["officer"])
    case = Case.objects.get(pk=case.pk)
    assert case.department == org["unit"] and case.handler == org["officer"]
    assert case.due_rule.code == RuleCode.PETITION_ANSWER
    Case.objects.filter(pk=case.pk).update(state=CaseState.ACCEPTED, accepted_at=ago(1), stage=Stage.ANSWER)
    response = act(
        login(org["officer"]),
        case,
        "answer",
        {"answer-summary": "Đường sẽ được sửa trong quý I/2027", "answer-publish_consent": "on"},
    )
    assert "Đã soạn dự thảo" in messages_of(response)[0]
    row = case.documents.get(form=FormCode.PETITION_ANSWER)
    issue(row, org)
    case = Case.objects.get(pk=case.pk)
    assert case.state == CaseState.RESOLVED and case.publish_consent and case.stage == Stage.PUBLICATION
    assert case.due_at is None


def test_a_second_draft_of_the_same_decision_is_refused_while_one_is_pending(org):
    case = _accepted(org)
    services.case_decision_draft(case=case, by=org["reception"], result="wrong", summary="Khiếu nại sai")
    with pytest.raises(ValidationError, match="dự thảo"):
        services.case_decision_draft(case=case, by=org["reception"], result="right", summary="Khiếu nại đúng")


def test_resolution_section_shows_the_file_and_no_protected_identity(org):
    case = _accepted(org, kind=CaseKind.DENUNCIATION)
    services.case_verification_assign(case=case, by=org["reception"], lead=org["verifier"])
    services.case_step_add(case=case, by=org["verifier"], kind="plan", title="Kế hoạch xác minh")
    services.case_mark_complex(case=case, by=org["leader"], ground="Nhiều người bị tố cáo")
    html = render_to_string("complaints/case/_resolution.html", {"case": Case.objects.get(pk=case.pk)})
    assert "Trần Văn Xác Minh" in html and "Kế hoạch xác minh" in html  # the plan's author
    assert "Nhiều người bị tố cáo" in html and "0 / 1 lần được phép" in html
    assert DENOUNCER.name not in html and DENOUNCER.id_number not in html


def test_case_page_offers_the_resolution_actions_by_right(org):
    from complaints.actions import CASE_ACTIONS

    case = _accepted(org, kind=CaseKind.DENUNCIATION, complexity="complex")
    handler_keys = {
        b.key
        for b in [
            *CASE_ACTIONS.page(case, org["reception"]).main,
            *CASE_ACTIONS.page(case, org["reception"]).more,
        ]
    }
    assert {"verification", "case_step", "decision"} <= handler_keys
    assert "extend" not in handler_keys and "suspend" not in handler_keys
    leader_page = CASE_ACTIONS.page(Case.objects.get(pk=case.pk), org["leader"])
    leader_keys = {b.key for b in [*leader_page.main, *leader_page.more]}
    assert {"extend", "suspend", "stop", "complex"} <= leader_keys


def test_case_page_shows_the_resolution_section_to_the_verifier(org, login, client):
    case = _accepted(org, kind=CaseKind.DENUNCIATION)
    services.case_verification_assign(case=case, by=org["reception"], lead=org["verifier"])
    step = services.case_step_add(
        case=case,
        by=org["verifier"],
        kind="evidence",
        title="Sao kê chứng từ chi bồi thường",
        upload=SimpleUploadedFile("sao-ke.pdf", PDF, content_type="application/pdf"),
    )
    response = login(org["verifier"]).get(case.get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="resolution"' in html and "Sao kê chứng từ chi bồi thường" in html
    assert reverse("complaints:step_file", args=[case.pk, step.pk]) in html
    assert 'data-testid="action-case_step"' in html
    assert DENOUNCER.name not in html and DENOUNCER.id_number not in html


def test_step_file_print_link_is_logged_as_a_print_with_the_mark(org, login):
    from eoffice.models import AccessEvent

    case = _accepted(org, kind=CaseKind.DENUNCIATION)
    services.case_verification_assign(case=case, by=org["reception"], lead=org["verifier"])
    step = services.case_step_add(
        case=case,
        by=org["verifier"],
        kind="evidence",
        title="Sao kê chứng từ chi bồi thường",
        upload=SimpleUploadedFile("sao-ke.pdf", PDF, content_type="application/pdf"),
    )
    client = login(org["verifier"])
    url = reverse("complaints:step_file", args=[case.pk, step.pk])
    assert f'href="{url}?print=1"' in client.get(case.get_absolute_url()).content.decode()
    AccessEvent.objects.all().delete()
    printed = client.get(url, {"print": "1"})
    assert printed.status_code == 200
    data = b"".join(printed.streaming_content) if printed.streaming else printed.content
    assert data.startswith(PDF) and len(data) > len(PDF)  # the original bytes, then the mark
    assert list(AccessEvent.objects.values_list("kind", "object_id", "action", "user_id")) == [
        ("complaint", case.pk, "print", org["verifier"].pk)
    ]
