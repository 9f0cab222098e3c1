"""The notice of acceptance owed to a denouncer (Luật Tố cáo Đ29 khoản 3: 05 working days from the acceptance
decision, rule ``denunciation_notify``): a due step on the case page with its legal source, overdue
highlighted; the notice drafted from its form through the outgoing flow; its issue marks the step done."""

from __future__ import annotations

import datetime as dt

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from complaints import deadlines, services
from complaints.models import Case, CaseDocument, CaseKind, CaseStep, FormCode, Letter, RuleCode
from tests.complaints.conftest import DENOUNCER, make_case
from tests.complaints.resolution_helpers import ensure_forms, issue

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _forms(db):
    ensure_forms()


def act(client, case, key, data=None):
    client.cookies.pop("messages", None)
    return client.post(reverse("complaints:act", args=[case.pk, key]), data or {})


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def accepted_denunciation(org) -> Case:
    case = make_case(org, kind=CaseKind.DENUNCIATION, content="Tố cáo cán bộ địa chính nhận tiền")
    return services.case_accept(case=case, by=org["reception"])


def test_the_step_is_due_five_working_days_after_acceptance_and_shown_with_its_source(org, login):
    case = accepted_denunciation(org)
    step = services.denunciation_notice_step(case)
    rule = deadlines.rule_in_force(RuleCode.DENUNCIATION_NOTIFY, on=case.letter.received_on)
    assert (rule.days, rule.unit) == (5, "working_days")
    assert step.due_at == deadlines.add_period(case.accepted_at, 5, "working_days")
    assert not step.decision_issued and step.status == "due"
    assert "Luật Tố cáo" in step.label and step.label.endswith("Đ29")

    page = login(org["reception"]).get(case.get_absolute_url()).content.decode()
    assert 'data-testid="due-steps"' in page and 'data-testid="draft-accept-notice"' in page
    assert "05 ngày làm việc" in page and "Đ29" in page
    assert step.due_at.astimezone(timezone.get_current_timezone()).strftime("%d/%m/%Y") in page


def test_the_clock_runs_from_the_decision_once_issued(org):
    case = accepted_denunciation(org)
    decision = CaseDocument.objects.get(case=case, form=FormCode.DENUNCIATION_ACCEPT)
    issue(decision, org)
    decision.refresh_from_db()
    step = services.denunciation_notice_step(Case.objects.get(pk=case.pk))
    assert step.decision_issued
    assert step.due_at == deadlines.add_period(decision.issued_at, 5, "working_days")


def test_the_notice_is_drafted_once_without_the_name_and_its_issue_marks_the_step_done(org, login):
    case = accepted_denunciation(org)
    client = login(org["reception"])
    response = act(client, case, "accept_notice")
    assert "Đã soạn dự thảo" in messages_of(response)[0]
    row = CaseDocument.objects.get(case=case, form=FormCode.DENUNCIATION_ACCEPT_NOTICE)
    doc = row.document
    names = " ".join(doc.recipients.values_list("name", flat=True))
    text = f"{doc.body} {doc.summary} {doc.addressees} {names}"
    assert "Người tố cáo" in doc.addressees and case.code in doc.body
    assert DENOUNCER.name not in text and DENOUNCER.address not in text
    assert doc.doc_type.abbreviation == "TB"

    response = act(client, case, "accept_notice")
    assert "Đã có dự thảo" in " ".join(messages_of(response))
    assert CaseDocument.objects.filter(case=case, form=FormCode.DENUNCIATION_ACCEPT_NOTICE).count() == 1

    issue(row, org)
    step = services.denunciation_notice_step(Case.objects.get(pk=case.pk))
    assert step.done and step.status == "done"
    done = CaseStep.objects.get(case=case, kind=CaseStep.Kind.DELIVERY)
    assert "thông báo việc thụ lý tố cáo" in done.title and done.data["late"] is False
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'data-testid="draft-accept-notice"' not in page and 'data-testid="due-steps"' not in page
    with pytest.raises(ValidationError, match="đã được phát hành"):
        services.case_denunciation_notice_draft(case=case, by=org["reception"])


def test_an_overdue_notice_is_highlighted(org, login):
    case = accepted_denunciation(org)
    Case.objects.filter(pk=case.pk).update(accepted_at=timezone.now() - dt.timedelta(days=30))
    case.refresh_from_db()
    assert services.denunciation_notice_step(case).status == "overdue"
    page = login(org["reception"]).get(case.get_absolute_url()).content.decode()
    assert "cp-step-overdue" in page and "Quá hạn" in page


def test_no_step_for_a_complaint_or_an_anonymous_letter_and_no_draft_for_who_may_not(org, login):
    complaint = services.case_accept(case=make_case(org), by=org["chief"])
    assert services.denunciation_notice_step(complaint) is None
    with pytest.raises(ValidationError, match="không phải tố cáo"):
        services.case_denunciation_notice_draft(case=complaint, by=org["chief"])
    anonymous = make_case(org, kind=CaseKind.DENUNCIATION, people=[])
    Letter.objects.filter(pk=anonymous.letter_id).update(anonymous=True)
    anonymous = services.case_accept(case=anonymous, by=org["chief"], note="Có chứng cứ cụ thể")
    assert not CaseDocument.objects.filter(case=anonymous, form=FormCode.DENUNCIATION_ACCEPT).exists()
    assert services.denunciation_notice_step(anonymous) is None
    case = accepted_denunciation(org)
    response = act(login(org["officer"]), case, "accept_notice")
    assert response.status_code == 404
    assert not CaseDocument.objects.filter(case=case, form=FormCode.DENUNCIATION_ACCEPT_NOTICE).exists()
