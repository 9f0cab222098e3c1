"""The intake outcomes: accept (notice / decision drafted, handler, accepted_at, resolution clock), refuse,
forward only once, guide (printed), keep; duplicates never handled twice; anonymous denunciations."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from complaints import services
from complaints.models import (
    Case,
    CaseDocument,
    CaseKind,
    CaseState,
    Field,
    FormCode,
    IntakeOutcome,
    NotProcessable,
    Stage,
)
from complaints.services import ContentInput
from tests.complaints.conftest import COMPLAINANT, DENOUNCER, make_case
from tests.complaints.test_letters import register
from workflow.models import Assignment, HistoryEntry

pytestmark = pytest.mark.django_db


def transitions(case):
    return list(
        HistoryEntry.objects.filter(object_id=case.pk, event=HistoryEntry.Event.TRANSITION).values_list(
            "action", flat=True
        )
    )


def test_accept_complaint_drafts_notice_and_starts_resolution_clock(org):
    case = make_case(org)
    intake_due = case.due_at
    accepted = services.case_accept(
        case=case, by=org["reception"], handler=org["verifier"], note="Đủ điều kiện"
    )
    assert accepted.state == CaseState.ACCEPTED and accepted.outcome == IntakeOutcome.ACCEPT
    assert accepted.stage == Stage.VERIFICATION
    assert accepted.accepted_at is not None and accepted.outcome_at is not None
    assert accepted.handler == org["verifier"] and accepted.decider == org["leader"]
    assert accepted.due_at is not None and accepted.due_at > intake_due
    doc = CaseDocument.objects.get(case=case)
    assert doc.form == FormCode.ACCEPT_NOTICE and doc.document is not None
    assert doc.document.signer == org["leader"]
    assert list(doc.document.recipients.values_list("name", flat=True)) == [COMPLAINANT.name]
    assert transitions(case) == ["accept"]
    lead = Assignment.objects.for_record(case).get(parent__isnull=True, role=Assignment.Kind.LEAD)
    assert lead.assignee == org["verifier"] and lead.due_at == accepted.due_at
    with pytest.raises(ValidationError):
        services.case_accept(case=case, by=org["reception"])


def test_accept_denunciation_drafts_decision_without_the_name(org):
    case = make_case(org, kind=CaseKind.DENUNCIATION)
    services.case_accept(case=case, by=org["chief"])
    doc = CaseDocument.objects.get(case=case)
    assert doc.form == FormCode.DENUNCIATION_ACCEPT
    names = " ".join(doc.document.recipients.values_list("name", flat=True))
    text = f"{doc.document.body} {doc.document.summary} {names}"
    assert DENOUNCER.name not in text and DENOUNCER.id_number not in text


def test_accept_refused_when_not_processable_or_not_competent_or_not_allowed(org):
    case = make_case(org)
    services.case_classify(
        case=case,
        by=org["reception"],
        kind=CaseKind.COMPLAINT,
        field=Field.LAND,
        processable=False,
        not_processable_reason=NotProcessable.NO_ACT,
    )
    with pytest.raises(ValidationError, match="không đủ điều kiện"):
        services.case_accept(case=case, by=org["reception"])
    other = make_case(org)
    with pytest.raises(Http404):
        services.case_accept(case=other, by=org["officer"])
    with pytest.raises(Http404):
        services.case_accept(case=other, by=org["other_b"])
    other.refresh_from_db()
    assert other.state == CaseState.REGISTERED and not CaseDocument.objects.exists()


def test_anonymous_denunciation_only_for_management_inspection(org):
    letter = register(
        org,
        people=(),
        anonymous=True,
        contents=[ContentInput(kind=CaseKind.DENUNCIATION, content="Tố cáo nặc danh cán bộ xã")],
    )
    case = letter.cases.get()
    with pytest.raises(ValidationError, match="nặc danh"):
        services.case_accept(case=case, by=org["reception"])
    accepted = services.case_accept(case=case, by=org["reception"], note="Có chứng cứ cụ thể")
    assert accepted.state == CaseState.ACCEPTED
    assert not CaseDocument.objects.filter(case=case, form=FormCode.DENUNCIATION_ACCEPT).exists()


def test_refuse_drafts_notice_with_reason(org):
    case = make_case(org)
    with pytest.raises(ValidationError):
        services.case_refuse(case=case, by=org["reception"], reason=" ")
    refused = services.case_refuse(case=case, by=org["reception"], reason="Hết thời hiệu khiếu nại")
    assert refused.state == CaseState.REFUSED and refused.outcome_reason == "Hết thời hiệu khiếu nại"
    assert refused.due_at is None
    doc = CaseDocument.objects.get(case=case)
    assert doc.form == FormCode.REFUSE_NOTICE and "Hết thời hiệu" in doc.document.body
    assert transitions(case) == ["refuse"]


def test_forward_to_agency_once_only(org):
    case = make_case(org)
    forwarded = services.case_forward(
        case=case, by=org["reception"], agency=org["agency_b"], reason="Thuộc thẩm quyền Sở B"
    )
    assert forwarded.state == CaseState.FORWARDED and forwarded.forwarded_agency == org["agency_b"]
    assert forwarded.competent is False and forwarded.competent_body == org["agency_b"].name
    doc = CaseDocument.objects.get(case=case)
    assert doc.form == FormCode.FORWARD
    assert list(doc.document.recipients.values_list("agency", flat=True)) == [org["agency_b"].pk]
    # The same content again (a later letter of the same person, linked as a duplicate): never twice.
    again = make_case(org)
    services.case_mark_duplicate(case=again, of=case, by=org["reception"])
    third = make_case(org)
    Case.objects.filter(pk=third.pk).update(duplicate_of=case)
    with pytest.raises(ValidationError, match="chỉ chuyển một lần"):
        services.case_forward(case=third, by=org["reception"], body_name="UBND huyện", reason="x")
    with pytest.raises(ValidationError):
        services.case_forward(case=make_case(org), by=org["reception"], reason="x")
    with pytest.raises(ValidationError):
        services.case_forward(case=make_case(org), by=org["reception"], agency=org["agency"], reason="x")


def test_forward_outside_body_on_paper(org):
    case = make_case(org, kind=CaseKind.DENUNCIATION)
    forwarded = services.case_forward(
        case=case, by=org["reception"], body_name="Công an tỉnh", reason="Có dấu hiệu tội phạm"
    )
    doc = CaseDocument.objects.get(case=forwarded)
    assert list(doc.document.recipients.values_list("name", "agency")) == [("Công an tỉnh", None)]
    assert DENOUNCER.name not in doc.document.body


def test_guide_and_keep(org):
    case = make_case(org)
    guided = services.case_guide(case=case, by=org["reception"], guidance="Gửi đơn đến UBND huyện Yên Phú")
    assert guided.state == CaseState.GUIDED and guided.outcome == IntakeOutcome.GUIDE
    doc = CaseDocument.objects.get(case=case)
    assert doc.form == FormCode.GUIDANCE and doc.document is None
    kept = services.case_keep(case=make_case(org), by=org["leader"], reason="Đơn gửi để biết")
    assert kept.state == CaseState.KEPT and kept.outcome_reason == "Đơn gửi để biết"
    with pytest.raises(ValidationError):
        services.case_keep(case=make_case(org), by=org["reception"], reason="")


def test_duplicate_is_kept_and_never_handled_twice(org):
    first = register(org)
    second = register(org)
    original, later = first.cases.get(), second.cases.get()
    assert list(services.duplicate_candidates(later)) == [original]
    services.case_mark_duplicate(case=later, of=original, by=org["reception"])
    later.refresh_from_db()
    assert later.state == CaseState.KEPT and later.duplicate_of == original
    assert later.letter.duplicate_of_id == first.pk
    assert list(original.duplicates.all()) == [later]
    with pytest.raises(ValidationError):
        services.case_accept(case=later, by=org["reception"])
    with pytest.raises(ValidationError):
        services.case_mark_duplicate(case=original, of=original, by=org["reception"])


def test_classify_and_split(org):
    letter = register(org)
    case = letter.cases.get()
    with pytest.raises(ValidationError):
        services.case_classify(
            case=case, by=org["reception"], kind=CaseKind.COMPLAINT, field=Field.LAND, processable=False
        )
    with pytest.raises(ValidationError):
        services.case_classify(
            case=case, by=org["reception"], kind=CaseKind.COMPLAINT, field=Field.LAND, competent=False
        )
    services.case_classify(
        case=case,
        by=org["reception"],
        kind=CaseKind.DENUNCIATION,
        field=Field.CORRUPTION,
        subject="Ông X, cán bộ địa chính",
        processable=True,
        competent=True,
        signer_count=3,
    )
    case.refresh_from_db()
    assert (case.kind, case.field, case.processable, case.competent) == (
        CaseKind.DENUNCIATION,
        Field.CORRUPTION,
        True,
        True,
    )
    assert case.letter.signer_count == 3
    new = services.case_split(
        case=case,
        by=org["reception"],
        contents=[ContentInput(kind=CaseKind.PETITION, content="Kiến nghị làm đường", field=Field.OTHER)],
    )
    assert [c.order for c in new] == [2] and new[0].letter_id == letter.pk and new[0].due_at
    with pytest.raises(Http404):
        services.case_split(
            case=case, by=org["officer"], contents=[ContentInput(kind="petition", content="x")]
        )
    with pytest.raises(PermissionDenied):  # an officer outside the inspectorate registers nothing
        services.letter_register(
            by=org["officer"],
            received_on=letter.received_on,
            source="post",
            summary="x",
            people=[COMPLAINANT],
            contents=[ContentInput(kind="petition", content="x")],
        )
