"""Keep and follow (lưu đơn, theo dõi): the outcome asks for a follow-up date after today, which is the case's
clock (shown on the case page, mirrored on its lead assignment and reminded by the scan), moved or ended
later; the Phiếu đề xuất lưu đơn, theo dõi is printed from the case page."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from complaints import services
from complaints.models import Case, CaseDocument, CaseState, FormCode
from tests.complaints.conftest import COMPLAINANT, make_case
from workflow import calendar
from workflow.models import Assignment, ReminderLevel, ReminderMark
from workflow.services import reminders_scan

pytestmark = pytest.mark.django_db


def act(client, case, key, data=None):
    client.cookies.pop("messages", None)
    return client.post(reverse("complaints:act", args=[case.pk, key]), data or {})


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def in_days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def close_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, calendar.office_hours()[-1][1], tzinfo=calendar.local_tz())


def lead_of(case: Case) -> Assignment:
    return Assignment.objects.for_record(case).get(role=Assignment.Kind.LEAD, parent__isnull=True)


def test_the_page_requires_a_follow_up_date_after_today(org, login):
    client = login(org["reception"])
    case = make_case(org)
    for data, error in (
        ({"keep-reason": "Đơn gửi đồng thời UBND huyện"}, "Vui lòng chọn ngày theo dõi."),
        (
            {"keep-reason": "Đơn gửi đồng thời UBND huyện", "keep-follow_up_on": timezone.localdate()},
            "Ngày theo dõi phải sau ngày hôm nay.",
        ),
        ({"keep-reason": "", "keep-follow_up_on": in_days(20)}, "Vui lòng ghi lý do lưu đơn."),
    ):
        response = act(client, case, "keep", data)
        assert response.status_code == 302
        assert error in " ".join(messages_of(response))
        case.refresh_from_db()
        assert case.state == CaseState.REGISTERED

    day = in_days(20)
    response = act(
        client, case, "keep", {"keep-reason": "Đơn gửi đồng thời UBND huyện", "keep-follow_up_on": day}
    )
    assert "theo dõi đến ngày" in messages_of(response)[0]
    case.refresh_from_db()
    assert case.state == CaseState.KEPT and case.outcome == "keep"
    assert case.due_at == close_of(day) and case.due_rule_id is None
    assert services.follow_up_on(case) == day
    lead = lead_of(case)
    assert lead.status == Assignment.Status.OPEN and lead.due_at == case.due_at
    assert CaseDocument.objects.filter(case=case, form=FormCode.KEEP).exists()

    page = client.get(case.get_absolute_url()).content.decode()
    assert "Hạn theo dõi" in page and day.strftime("%d/%m/%Y") in page
    assert 'data-testid="print-keep"' in page and 'data-testid="intake-follow-up"' in page
    assert "TT 05/2021/TT-TTCP không quy định số ngày" in page
    assert "Trong hạn" in page


def test_the_follow_up_date_is_reminded_by_the_scan(org):
    case = services.case_keep(
        case=make_case(org),
        by=org["reception"],
        reason="Theo dõi kết quả của UBND huyện",
        follow_up_on=in_days(3),
    )
    lead = lead_of(case)
    assert reminders_scan(now=case.due_at - dt.timedelta(days=10), deliver=False)["marked"] == 0
    reminders_scan(now=case.due_at + dt.timedelta(hours=1), deliver=False)
    levels = set(ReminderMark.objects.filter(assignment=lead).values_list("level", flat=True))
    assert ReminderLevel.OVERDUE in levels


def test_the_follow_up_date_moves_and_the_follow_up_ends(org):
    case = services.case_keep(
        case=make_case(org), by=org["reception"], reason="Theo dõi", follow_up_on=in_days(5)
    )
    rounds = lead_of(case).extension_count
    with pytest.raises(ValidationError, match="sau ngày hôm nay"):
        services.case_follow_up_set(case=case, by=org["reception"], follow_up_on=timezone.localdate())
    moved = services.case_follow_up_set(
        case=case, by=org["reception"], follow_up_on=in_days(30), note="Chờ trả lời"
    )
    assert moved.due_at == close_of(in_days(30))
    lead = lead_of(case)
    assert lead.due_at == moved.due_at and lead.extension_count == rounds + 1 and lead.reminder_level == 0

    with pytest.raises(ValidationError, match="kết quả theo dõi"):
        services.case_follow_up_end(case=case, by=org["reception"], result=" ")
    ended = services.case_follow_up_end(case=case, by=org["reception"], result="UBND huyện đã giải quyết")
    assert ended.state == CaseState.CLOSED and ended.closed_at and ended.due_at is None
    assert lead_of(case).status == Assignment.Status.DONE
    with pytest.raises(ValidationError, match="lưu đơn, theo dõi"):
        services.case_follow_up_set(case=case, by=org["reception"], follow_up_on=in_days(9))


def test_kept_without_a_date_is_filed_with_no_clock(org):
    case = services.case_keep(case=make_case(org), by=org["reception"], reason="Đơn nặc danh")
    assert case.state == CaseState.KEPT and case.due_at is None
    assert lead_of(case).status == Assignment.Status.DONE
    with pytest.raises(ValidationError, match="Ngày theo dõi"):
        services.case_keep(
            case=make_case(org), by=org["reception"], reason="x", follow_up_on=timezone.localdate()
        )


def test_the_keep_slip_prints_reason_and_date_for_who_handles_it(org, login):
    day = in_days(15)
    case = services.case_keep(
        case=make_case(org), by=org["reception"], reason="Đơn đã gửi UBND huyện Yên Phú", follow_up_on=day
    )
    response = act(login(org["reception"]), case, "keep_print")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = " ".join(
        "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(response.content)).pages).split()
    )
    assert "PHIẾU ĐỀ XUẤT XỬ LÝ ĐƠN (LƯU ĐƠN, THEO DÕI)" in text
    assert "Đơn đã gửi UBND huyện Yên Phú" in text and day.strftime("%d/%m/%Y") in text
    assert COMPLAINANT.name in text
    # outside the inspectorate: the case is not theirs (404); a case not kept prints nothing
    assert act(login(org["officer"]), case, "keep_print").status_code == 404
    other = make_case(org)
    response = act(login(org["reception"]), other, "keep_print")
    assert response.status_code == 302 and "không lưu đơn" in " ".join(messages_of(response))


def test_an_overdue_follow_up_is_highlighted(org, login):
    case = services.case_keep(
        case=make_case(org), by=org["reception"], reason="Theo dõi", follow_up_on=in_days(2)
    )
    past = timezone.now() - dt.timedelta(days=1)
    Case.objects.filter(pk=case.pk).update(due_at=past, due_soon_at=past - dt.timedelta(days=1))
    page = login(org["reception"]).get(case.get_absolute_url()).content.decode()
    assert "cp-clock-overdue" in page and "Quá hạn" in page
