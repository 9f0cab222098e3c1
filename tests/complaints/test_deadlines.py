"""The legal clock (issue 17, "Done when"): a complaint received before and after 01/07/2026 (10 days vs 07
working days), a suspension and its continuation, a complex case, a denunciation extended twice (a third
refused), and a period ending in Tết 2027. Each deadline carries its legal source."""

# ruff: noqa: F811
from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from complaints import deadlines, services
from complaints.models import Case, CaseKind, CaseState, CaseStep, Complexity, FormCode, RuleCode, Stage
from tests.complaints.conftest import make_case, org  # noqa: F401
from tests.complaints.resolution_helpers import ago, ensure_forms, issue
from tests.documents.outgoing.helpers import office  # noqa: F401
from tests.signing.conftest import _signing_settings, authority, pki_dir  # noqa: F401
from workflow import calendar
from workflow.models import Assignment

pytestmark = pytest.mark.django_db


def _day(case) -> dt.date:
    return deadlines.local_date(case.due_at)


@pytest.fixture(autouse=True)
def _calendar():
    calendar.clear_cache()
    ensure_forms()
    yield
    calendar.clear_cache()


def test_complaint_received_before_july_2026_has_ten_days(org):
    # Received Monday 15/06/2026: the old rule, 10 (calendar) days → Thursday 25/06/2026.
    case = make_case(org, received_on=dt.date(2026, 6, 15))
    assert case.due_rule.code == RuleCode.COMPLAINT_ACCEPT
    assert case.due_rule.effective_from == dt.date(2012, 7, 1)
    assert _day(case) == dt.date(2026, 6, 25)
    assert deadlines.current(case).label == "10 ngày — Luật Khiếu nại 02/2011/QH13 Đ27"


def test_complaint_received_after_july_2026_has_seven_working_days(org):
    # Received Monday 06/07/2026: 07 working days → Wednesday 15/07/2026 (two weekend days skipped).
    case = make_case(org, received_on=dt.date(2026, 7, 6))
    assert case.due_rule.effective_from == dt.date(2026, 7, 1)
    assert _day(case) == dt.date(2026, 7, 15)
    assert deadlines.current(case).label == (
        "07 ngày làm việc — NĐ 124/2020/NĐ-CP Đ16, sửa đổi bởi NĐ 155/2026/NĐ-CP"
    )


def test_the_rule_is_chosen_by_the_received_day_not_today(org):
    # A letter received on 30/06/2026 keeps the old rule even if handled today.
    before = make_case(org, received_on=dt.date(2026, 6, 30))
    after = make_case(org, received_on=dt.date(2026, 7, 1))
    assert before.due_rule.days == 10 and after.due_rule.days == 7
    # 30/06 + 10 days = Friday 10/07; 01/07 + 7 working days = Friday 10/07 too, but by another rule.
    assert _day(before) == dt.date(2026, 7, 10)
    assert _day(after) == dt.date(2026, 7, 10)


def test_suspension_stops_the_clock_and_continuation_adds_the_time(org):
    leader = org["leader"]
    accepted = ago(5)
    case = make_case(org, received_on=dt.date(2026, 11, 20), state=CaseState.ACCEPTED, accepted_at=accepted)
    due = case.due_at
    assert due == deadlines.add_period(accepted, 30, "days")

    services.case_suspend(case=case, by=leader, ground="Chờ kết quả giám định của cơ quan chuyên môn")
    case = Case.objects.get(pk=case.pk)
    assert case.state == CaseState.SUSPENDED and case.paused_at is not None
    assert case.due_at == due  # paused, not moved yet
    lead = Assignment.objects.for_record(case).get(role=Assignment.Kind.LEAD, parent__isnull=True)
    assert lead.paused_at == case.paused_at  # the workflow reminders are paused too
    assert case.documents.filter(form=FormCode.SUSPENSION).exists()

    # Suspended for 12 days: continuing adds 12 days to the period and restarts the clock.
    Case.objects.filter(pk=case.pk).update(paused_at=ago(12))
    services.case_continue(case=case, by=leader, ground="Đã có kết quả giám định")
    case = Case.objects.get(pk=case.pk)
    assert case.state == CaseState.ACCEPTED and case.paused_at is None
    assert case.paused_days == 12
    assert case.due_at == deadlines.add_period(accepted, 30 + 12, "days")
    assert case.due_at > due
    lead.refresh_from_db()
    assert lead.paused_at is None and lead.due_at == case.due_at
    assert case.steps.filter(kind=CaseStep.Kind.CONTINUATION, data__paused=12).exists()
    assert case.documents.filter(form=FormCode.CONTINUE).exists()


def test_complex_complaint_gets_45_days(org):
    accepted = ago(3)
    case = make_case(org, received_on=dt.date(2026, 11, 30), state=CaseState.ACCEPTED, accepted_at=accepted)
    assert case.due_at == deadlines.add_period(accepted, 30, "days")
    assert deadlines.current(case).label.startswith("30 ngày — ")

    with pytest.raises(ValidationError):  # the written ground is mandatory
        services.case_mark_complex(case=case, by=org["leader"], ground="  ")
    services.case_mark_complex(
        case=case, by=org["leader"], ground="Phải xác minh tại hai địa điểm; nhiều người khiếu nại"
    )
    case = Case.objects.get(pk=case.pk)
    assert case.complexity == Complexity.COMPLEX
    assert case.due_at == deadlines.add_period(accepted, 45, "days")
    assert deadlines.current(case).label == "45 ngày — Luật Khiếu nại 02/2011/QH13 Đ28"
    assert case.steps.filter(kind=CaseStep.Kind.COMPLEXITY).exists()


def test_complex_second_instance_in_a_remote_area_gets_70_days(org):
    first = make_case(org, received_on=dt.date(2026, 8, 3), state=CaseState.RESOLVED)
    accepted = ago(2)
    case = make_case(
        org,
        received_on=dt.date(2026, 11, 30),
        state=CaseState.ACCEPTED,
        accepted_at=accepted,
        instance=2,
        previous=first,
        remote_area=True,
        complexity=Complexity.COMPLEX,
    )
    assert case.due_at == deadlines.add_period(accepted, 70, "days")


def test_denunciation_extended_twice_then_refused(org):
    leader = org["leader"]
    accepted = ago(10)
    case = make_case(
        org,
        kind=CaseKind.DENUNCIATION,
        received_on=dt.date(2026, 11, 2),
        state=CaseState.ACCEPTED,
        accepted_at=accepted,
    )
    assert case.due_at == deadlines.add_period(accepted, 30, "days")
    # A normal denunciation cannot be extended.
    with pytest.raises(ValidationError, match="phức tạp"):
        services.case_extend(case=case, by=leader, ground="Cần thêm thời gian")
    services.case_mark_complex(
        case=case,
        by=leader,
        ground="Nhiều người bị tố cáo, liên quan nhiều cơ quan",
        level=Complexity.VERY_COMPLEX,
    )
    services.case_extend(case=case, by=leader, ground="Cần trưng cầu giám định")
    case = Case.objects.get(pk=case.pk)
    assert case.extension_count == 1
    assert case.due_at == deadlines.add_period(accepted, 60, "days")
    # Each extension is a decision in writing, issued through the outgoing flow before the next one.
    issue(case.documents.get(form=FormCode.EXTENSION), org)
    services.case_extend(case=case, by=leader, ground="Chờ kết quả xác minh của cơ quan công an")
    case = Case.objects.get(pk=case.pk)
    assert case.extension_count == 2
    assert case.due_at == deadlines.add_period(accepted, 90, "days")
    assert case.steps.filter(kind=CaseStep.Kind.EXTENSION).count() == 2
    assert case.documents.filter(form=FormCode.EXTENSION).count() == 2
    with pytest.raises(ValidationError, match="2 lần"):
        services.case_extend(case=case, by=leader, ground="Lần thứ ba")
    assert Case.objects.get(pk=case.pk).extension_count == 2


def test_complex_denunciation_is_extended_once_only(org):
    leader = org["leader"]
    case = make_case(
        org,
        kind=CaseKind.DENUNCIATION,
        received_on=dt.date(2026, 11, 2),
        state=CaseState.ACCEPTED,
        accepted_at=ago(4),
    )
    services.case_mark_complex(case=case, by=leader, ground="Hai địa điểm xác minh")
    services.case_extend(case=case, by=leader, ground="Cần thêm thời gian xác minh")
    with pytest.raises(ValidationError, match="1 lần"):
        services.case_extend(case=case, by=leader, ground="Lần hai")


def test_only_the_decider_extends(org):
    case = make_case(
        org,
        kind=CaseKind.DENUNCIATION,
        state=CaseState.ACCEPTED,
        accepted_at=ago(1),
        complexity=Complexity.COMPLEX,
        received_on=dt.date(2026, 11, 2),
    )
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.case_extend(case=case, by=org["reception"], ground="Cần thêm thời gian")
    assert Case.objects.get(pk=case.pk).extension_count == 0


def test_a_period_in_days_ending_in_tet_2027_moves_past_it(org):
    # Accepted Thursday 07/01/2027: 30 days end Saturday 06/02/2027 (Mùng 1 Tết); Tết runs 04–10/02, so the
    # last day becomes Thursday 11/02/2027, the first working day after it.
    accepted = dt.datetime(2027, 1, 7, 9, 0, tzinfo=calendar.local_tz())
    case = make_case(org, received_on=dt.date(2027, 1, 4), state=CaseState.ACCEPTED, accepted_at=accepted)
    for day in range(4, 11):
        assert not calendar.is_working_day(dt.date(2027, 2, day))
    assert _day(case) == dt.date(2027, 2, 11)


def test_working_days_skip_tet_2027(org):
    # Received Monday 01/02/2027: 07 working days are 02, 03, 11, 12, 15, 16, 17 February.
    case = make_case(org, received_on=dt.date(2027, 2, 1))
    assert _day(case) == dt.date(2027, 2, 17)


def test_delivery_clock_after_the_decision(org):
    # The decision resolved on Friday 04/12/2026: 03 working days to send it → Wednesday 09/12/2026.
    resolved = dt.datetime(2026, 12, 4, 10, 0, tzinfo=calendar.local_tz())
    case = make_case(
        org,
        received_on=dt.date(2026, 10, 1),
        state=CaseState.RESOLVED,
        stage=Stage.DELIVERY,
        accepted_at=ago(40),
        resolved_at=resolved,
    )
    assert case.due_rule.code == RuleCode.COMPLAINT_SEND_1
    assert _day(case) == dt.date(2026, 12, 9)


def test_no_clock_once_the_result_has_gone_out(org):
    # Sent (stage publication): the case waits to be published or closed with no legal deadline.
    case = make_case(
        org,
        received_on=dt.date(2026, 10, 1),
        state=CaseState.RESOLVED,
        stage=Stage.PUBLICATION,
        accepted_at=ago(40),
        resolved_at=ago(10),
    )
    assert case.due_at is None and case.due_rule is None
