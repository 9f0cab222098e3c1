"""Citizen reception through HTTP: reception sessions (create, publish at least 5 working days ahead with
the rule's label, cancel with a reason, fed to the weekly schedule), the sổ tiếp công dân (a new visit and
its people encrypted, protection of a denouncer, the group's representatives, each outcome, the letter
registered and its Giấy biên nhận, the answer deadline and the answer, the filters, who sees it)."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader, PdfWriter

from complaints import crypto, schedule, services
from complaints.models import Case, CaseKind, Identity, Letter, LetterFile, ReceptionSession, Visit
from complaints.services import PersonInput, VisitInput
from eoffice import schedule_sources
from tests.complaints.conftest import COMPLAINANT, DENOUNCER
from workflow import calendar
from workflow.models import HistoryEntry

pytestmark = pytest.mark.django_db


def first_publishable(today: dt.date) -> dt.date:
    """The first day with at least 5 working days strictly between today and it."""
    day = today + dt.timedelta(days=1)
    while calendar.count_working_days(today + dt.timedelta(days=1), day - dt.timedelta(days=1)) < 5:
        day += dt.timedelta(days=1)
    return day


def session_post(day: dt.date, **extra) -> dict:
    return {
        "kind": extra.pop("kind", ReceptionSession.Kind.LEADER),
        "date": day.isoformat(),
        "start_time": "07:30",
        "end_time": "11:30",
        "place": "Trụ sở tiếp công dân tỉnh",
        "note": "",
        **extra,
    }


def make_session(
    org, day: dt.date, *, published=False, kind=ReceptionSession.Kind.LEADER
) -> ReceptionSession:
    session = ReceptionSession.objects.create(
        agency=org["agency"],
        kind=kind,
        date=day,
        start_time=dt.time(7, 30),
        end_time=dt.time(11, 30),
        leader=org["leader"] if kind == ReceptionSession.Kind.LEADER else None,
        place="Trụ sở tiếp công dân",
        created_by=org["reception"],
        published_at=timezone.now() if published else None,
    )
    return session


def visit_post(**extra) -> dict:
    data = {
        "received_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "channel": Visit.Channel.IN_PERSON,
        "kind": CaseKind.COMPLAINT,
        "content": "Khiếu nại quyết định thu hồi đất số 15/QĐ-UBND",
        "people_count": "1",
        "outcome": Visit.Outcome.GUIDED,
        "outcome_note": "Hướng dẫn gửi đơn đến UBND huyện",
        "people-TOTAL_FORMS": "5",
        "people-INITIAL_FORMS": "0",
        "people-MIN_NUM_FORMS": "0",
        "people-MAX_NUM_FORMS": "5",
        "people-0-name": COMPLAINANT.name,
        "people-0-id_number": COMPLAINANT.id_number,
        "people-0-address": COMPLAINANT.address,
        "people-0-phone": COMPLAINANT.phone,
    }
    data.update(extra)
    return data


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages)


# ---- sessions --------------------------------------------------------------------------------------------


def test_officer_creates_a_session_then_publishes_it_on_the_weekly_schedule(client, login, org):
    today = timezone.localdate()
    day = first_publishable(today)
    login(org["reception"])
    response = client.post(reverse("complaints:session_new"), session_post(day, leader=org["leader"].pk))
    assert response.status_code == 302
    session = ReceptionSession.objects.get(agency=org["agency"])
    assert session.leader == org["leader"] and session.published_at is None
    assert schedule.reception_days(org["agency"].pk, day, day) == []
    page = client.get(reverse("complaints:sessions")).content.decode()
    assert "Chưa công bố" in page and f'data-testid="publish-{session.pk}"' in page

    response = client.post(reverse("complaints:session_publish", args=[session.pk]), follow=True)
    assert "Đã công bố lịch tiếp công dân" in response.content.decode()
    session.refresh_from_db()
    assert session.published_by == org["reception"]
    # fed to the meetings module's weekly schedule through the registered source
    rows = schedule_sources.reception_rows(org["agency"].pk, day, day)
    assert [(r.date, r.leader_id, r.source) for r in rows if r.source == "complaints"] == [
        (day, org["leader"].pk, "complaints")
    ]
    assert schedule.reception_days(org["agency_b"].pk, day, day) == []
    assert HistoryEntry.objects.for_record(session).filter(action="session_publish").count() == 1
    monday = day - dt.timedelta(days=day.weekday())
    week = client.get(reverse("meetings:week"), {"week": monday.isoformat()}).content.decode()
    assert "Trụ sở tiếp công dân tỉnh" in week and org["leader"].get_full_name() in week


def test_publishing_less_than_five_working_days_ahead_is_refused_with_the_rule(client, login, org):
    today = timezone.localdate()
    too_soon = first_publishable(today) - dt.timedelta(days=1)
    session = make_session(org, too_soon)
    login(org["reception"])
    response = client.post(reverse("complaints:session_publish", args=[session.pk]), follow=True)
    html = response.content.decode()
    assert "05 ngày làm việc" in html and "Đ24" in html
    session.refresh_from_db()
    assert session.published_at is None
    assert schedule.reception_days(org["agency"].pk, too_soon, too_soon) == []


def test_an_unscheduled_session_is_published_at_once(org):
    session = make_session(org, timezone.localdate(), kind=ReceptionSession.Kind.UNSCHEDULED)
    services.session_publish(session=session, by=org["reception"])
    assert ReceptionSession.objects.get(pk=session.pk).published_at is not None


def test_a_published_session_moved_too_close_is_refused(client, login, org):
    day = first_publishable(timezone.localdate())
    session = make_session(org, day + dt.timedelta(days=7), published=True)
    login(org["reception"])
    response = client.post(
        reverse("complaints:session_edit", args=[session.pk]),
        session_post(timezone.localdate() + dt.timedelta(days=1), leader=org["leader"].pk),
    )
    assert response.status_code == 200 and "05 ngày làm việc" in response.content.decode()
    session.refresh_from_db()
    assert session.date == day + dt.timedelta(days=7)


def test_session_form_refuses_a_leader_day_without_leader_and_bad_times(client, login, org):
    login(org["reception"])
    day = first_publishable(timezone.localdate())
    response = client.post(reverse("complaints:session_new"), session_post(day))
    assert response.status_code == 200 and "phải có lãnh đạo tiếp" in response.content.decode()
    response = client.post(
        reverse("complaints:session_new"),
        session_post(day, kind=ReceptionSession.Kind.REGULAR, start_time="11:00", end_time="09:00"),
    )
    assert "Giờ kết thúc phải sau giờ bắt đầu" in response.content.decode()
    assert not ReceptionSession.objects.exists()


def test_cancel_needs_a_reason_and_takes_the_session_off_the_schedule(client, login, org):
    day = first_publishable(timezone.localdate())
    session = make_session(org, day, published=True)
    assert len(schedule.reception_days(org["agency"].pk, day, day)) == 1
    login(org["reception"])
    client.post(reverse("complaints:session_cancel", args=[session.pk]), {"reason": "  "})
    session.refresh_from_db()
    assert session.cancelled_at is None
    client.post(reverse("complaints:session_cancel", args=[session.pk]), {"reason": "Lãnh đạo đi công tác"})
    session.refresh_from_db()
    assert session.cancelled_at and session.cancel_reason == "Lãnh đạo đi công tác"
    assert schedule.reception_days(org["agency"].pk, day, day) == []
    html = client.get(reverse("complaints:sessions")).content.decode()
    assert "Đã hủy" in html and "Lãnh đạo đi công tác" in html


def test_only_staff_manage_sessions_others_see_published_ones(client, login, org):
    day = first_publishable(timezone.localdate())
    draft = make_session(org, day)
    published = make_session(org, day + dt.timedelta(days=1), published=True)
    login(org["officer"])  # an officer of another unit: not a reception officer
    assert client.get(reverse("complaints:session_new")).status_code == 403
    html = client.get(reverse("complaints:sessions")).content.decode()
    assert html.count('data-testid="session-row"') == 1 and "Thêm lịch tiếp" not in html
    client.post(reverse("complaints:session_publish", args=[draft.pk]))
    assert ReceptionSession.objects.get(pk=draft.pk).published_at is None
    login(org["other_b"])
    assert (
        client.post(reverse("complaints:session_cancel", args=[published.pk]), {"reason": "x"}).status_code
        == 404
    )
    assert ReceptionSession.objects.get(pk=published.pk).cancelled_at is None


# ---- visits ----------------------------------------------------------------------------------------------


def test_guided_visit_is_numbered_and_its_visitor_encrypted(client, login, org):
    login(org["reception"])
    response = client.post(reverse("complaints:visit_new"), visit_post())
    visit = Visit.objects.get(agency=org["agency"])
    assert response.status_code == 302 and response["Location"] == visit.get_absolute_url()
    assert (visit.number, visit.officer, visit.outcome, visit.due_at) == (1, org["reception"], "guided", None)
    person = visit.people.get()
    assert person.display_name == COMPLAINANT.name and person.role == Identity.Role.VISITOR
    assert COMPLAINANT.id_number not in person.id_number_enc
    assert crypto.decrypt(person.id_number_enc) == COMPLAINANT.id_number
    assert HistoryEntry.objects.for_record(visit).filter(action="visit_record").count() == 1
    client.post(reverse("complaints:visit_new"), visit_post())
    assert list(Visit.objects.order_by("number").values_list("number", flat=True)) == [1, 2]
    html = client.get(reverse("complaints:visits")).content.decode()
    assert COMPLAINANT.name in html and html.count('data-testid="visit-row"') == 2


def test_denunciation_visit_is_protected_everywhere_but_the_reveal(client, login, org):
    login(org["reception"])
    data = visit_post(
        kind=CaseKind.DENUNCIATION,
        outcome=Visit.Outcome.FORWARDED,
        outcome_note="",
        forwarded_to="Công an tỉnh",
        **{
            "people-0-name": DENOUNCER.name,
            "people-0-id_number": DENOUNCER.id_number,
            "people-0-address": DENOUNCER.address,
            "people-0-phone": DENOUNCER.phone,
        },
    )
    assert client.post(reverse("complaints:visit_new"), data).status_code == 302
    visit = Visit.objects.get()
    person = visit.people.get()
    assert visit.protected and person.protected and person.display_name == ""
    assert person.received_by == org["reception"]
    for url in (reverse("complaints:visits"), visit.get_absolute_url()):
        html = client.get(url).content.decode()
        assert DENOUNCER.name not in html and DENOUNCER.id_number not in html and DENOUNCER.phone not in html
        assert "Người gửi đơn (thông tin được giữ bí mật)" in html
    assert f'data-testid="reveal-{person.pk}"' in client.get(visit.get_absolute_url()).content.decode()
    result = client.get(reverse("complaints:visit_result_pdf", args=[visit.pk]))
    assert result.status_code == 200 and DENOUNCER.name not in pdf_text(result.content)
    history = HistoryEntry.objects.for_record(visit).get()
    assert DENOUNCER.name not in str(history.data) + history.comment
    # the chief inspector sees the visit but is not entitled to the identity
    login(org["chief"])
    html = client.get(visit.get_absolute_url()).content.decode()
    assert f'data-testid="reveal-{person.pk}"' not in html and DENOUNCER.name not in html


def test_a_visitor_asking_for_secrecy_is_protected(org):
    visit = services.visit_record(
        by=org["reception"],
        data=VisitInput(
            kind=CaseKind.PETITION,
            content="Phản ánh việc thu phí",
            outcome=Visit.Outcome.GUIDED,
            outcome_note="Đã giải thích",
            people=[COMPLAINANT],
            protected=True,
        ),
    )
    assert visit.protected and visit.people.get().display_name == ""


@pytest.mark.parametrize(
    ("count", "named", "ok"),
    [(1, 1, True), (3, 4, False), (4, 4, True), (7, 2, True), (7, 3, False), (12, 5, True), (12, 6, False)],
)
def test_group_representatives_follow_the_count_rules(org, count, named, ok):
    people = [PersonInput(name=f"Người đại diện {i}") for i in range(named)]
    data = VisitInput(
        kind=CaseKind.COMPLAINT,
        content="Khiếu nại về bồi thường",
        outcome=Visit.Outcome.GUIDED,
        outcome_note="Hướng dẫn",
        people=people,
        people_count=count,
    )
    if not ok:
        with pytest.raises(ValidationError):
            services.visit_record(by=org["reception"], data=data)
        assert not Visit.objects.exists()
        return
    visit = services.visit_record(by=org["reception"], data=data)
    roles = set(visit.people.values_list("role", flat=True))
    assert roles == {Identity.Role.REPRESENTATIVE if count >= 5 else Identity.Role.VISITOR}
    assert visit.is_group == (count >= 5)


def test_group_with_too_many_representatives_is_shown_on_the_form(client, login, org):
    login(org["reception"])
    data = visit_post(people_count="8", **{"people-1-name": "Trần B", "people-2-name": "Lê C"})
    response = client.post(reverse("complaints:visit_new"), data)
    assert response.status_code == 200
    assert "không quá 2 người đại diện" in response.content.decode()
    assert not Visit.objects.exists() and not Identity.objects.exists()


def test_outcome_details_are_required(client, login, org):
    login(org["reception"])
    for extra, message in [
        ({"outcome_note": ""}, "nội dung đã hướng dẫn"),
        ({"outcome": Visit.Outcome.FORWARDED}, "cơ quan, đơn vị được chuyển đến"),
        ({"outcome": Visit.Outcome.LEADER_MEETING}, "buổi lãnh đạo tiếp"),
    ]:
        response = client.post(reverse("complaints:visit_new"), visit_post(**extra))
        assert response.status_code == 200 and message in response.content.decode()
    assert not Visit.objects.exists()


def test_leader_meeting_booked_on_a_published_leader_session(client, login, org):
    day = first_publishable(timezone.localdate())
    draft = make_session(org, day)
    published = make_session(org, day + dt.timedelta(days=1), published=True)
    login(org["reception"])
    form = client.get(reverse("complaints:visit_new")).content.decode()
    # the session picker offers the published session only (other inputs may hold the same number)
    assert f'<option value="{published.pk}"' in form and f'<option value="{draft.pk}"' not in form
    response = client.post(
        reverse("complaints:visit_new"),
        visit_post(outcome=Visit.Outcome.LEADER_MEETING, meeting_session=draft.pk),
    )
    assert response.status_code == 200 and not Visit.objects.exists()
    response = client.post(
        reverse("complaints:visit_new"),
        visit_post(outcome=Visit.Outcome.LEADER_MEETING, meeting_session=published.pk),
    )
    visit = Visit.objects.get()
    assert timezone.localtime(visit.meeting_at).date() == published.date
    assert timezone.localtime(visit.meeting_at).time() == dt.time(7, 30)
    assert HistoryEntry.objects.for_record(visit).get().data["meeting_session"] == published.pk


def test_letter_received_is_registered_with_its_scans_and_the_receipt_prints(client, login, org):
    login(org["reception"])
    data = visit_post(
        outcome=Visit.Outcome.LETTER,
        outcome_note="",
        papers="Đơn khiếu nại (01 bản)\nQuyết định 15/QĐ-UBND (bản sao)",
        letter_files=SimpleUploadedFile("don.pdf", pdf_bytes(), content_type="application/pdf"),
        paper_files=SimpleUploadedFile("qd.pdf", pdf_bytes(), content_type="application/pdf"),
    )
    response = client.post(reverse("complaints:visit_new"), data)
    assert response.status_code == 302
    visit = Visit.objects.get()
    letter = Letter.objects.get(visit=visit)
    assert letter.received_by == org["reception"] and letter.source == "in_person"
    assert sorted(LetterFile.objects.filter(letter=letter).values_list("kind", flat=True)) == [
        "letter",
        "paper",
    ]
    case = Case.objects.get(letter=letter)
    assert case.kind == CaseKind.COMPLAINT and case.handler == org["reception"]
    html = client.get(visit.get_absolute_url()).content.decode()
    assert 'data-testid="visit-letter"' in html and f"{letter.number}/{letter.year}" in html
    assert 'data-testid="receipt-pdf"' in html
    receipt = client.get(reverse("complaints:visit_receipt_pdf", args=[visit.pk]))
    assert receipt.status_code == 200 and receipt["Content-Type"] == "application/pdf"
    text = pdf_text(receipt.content)
    assert "BIÊN NHẬN" in text.upper() and "Quyết định 15/QĐ-UBND" in text


def test_a_bad_scan_leaves_no_half_saved_visit(client, login, org):
    login(org["reception"])
    data = visit_post(
        outcome=Visit.Outcome.LETTER,
        letter_files=SimpleUploadedFile("don.pdf", b"not a pdf at all", content_type="application/pdf"),
    )
    response = client.post(reverse("complaints:visit_new"), data)
    assert response.status_code == 200 and "don.pdf" in response.content.decode()
    assert not Visit.objects.exists() and not Letter.objects.exists() and not Identity.objects.exists()


def test_answer_deadline_with_its_label_and_the_answer(client, login, org):
    login(org["reception"])
    client.post(
        reverse("complaints:visit_new"),
        visit_post(outcome=Visit.Outcome.FORWARDED, forwarded_to="UBND huyện"),
    )
    visit = Visit.objects.get()
    expected = calendar.add_working_days(
        dt.datetime.combine(timezone.localdate(), dt.time(12), tzinfo=calendar.local_tz()),
        10,
        end_of_day=True,
    )
    assert timezone.localtime(visit.due_at).date() == expected.date()
    html = client.get(visit.get_absolute_url()).content.decode()
    assert "10 ngày làm việc — " in html and "Đ28" in html and expected.strftime("%d/%m/%Y") in html
    response = client.post(
        reverse("complaints:visit_answer", args=[visit.pk]), {"answered_at": "", "result": ""}
    )
    visit.refresh_from_db()
    assert visit.answered_at is None
    now = timezone.localtime().strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        reverse("complaints:visit_answer", args=[visit.pk]),
        {"answered_at": now, "result": "Đơn đã được chuyển UBND huyện giải quyết"},
        follow=True,
    )
    assert 'data-testid="visit-result"' in response.content.decode()
    visit.refresh_from_db()
    assert visit.answered_at and visit.result == "Đơn đã được chuyển UBND huyện giải quyết"
    assert HistoryEntry.objects.for_record(visit).filter(action="visit_answer").count() == 1
    result = client.get(reverse("complaints:visit_result_pdf", args=[visit.pk]))
    assert result.status_code == 200 and "chuyển UBND huyện" in pdf_text(result.content)


def _visit(org, *, kind=CaseKind.COMPLAINT, outcome=Visit.Outcome.GUIDED, received_at=None, **extra):
    return services.visit_record(
        by=org["reception"],
        data=VisitInput(
            kind=kind,
            content="Nội dung",
            outcome=outcome,
            outcome_note="Hướng dẫn",
            forwarded_to="UBND huyện",
            people=[PersonInput(name="Người dân")],
            received_at=received_at,
            **extra,
        ),
    )


def test_register_filters_by_period_kind_outcome_and_answer(client, login, org):
    now = timezone.now()
    old = _visit(org, received_at=now - dt.timedelta(days=40))
    petition = _visit(org, kind=CaseKind.PETITION)
    forwarded = _visit(org, outcome=Visit.Outcome.FORWARDED, received_at=now - dt.timedelta(days=30))
    login(org["reception"])
    url = reverse("complaints:visits")

    def numbers(**query) -> set[str]:
        html = client.get(url, query).content.decode()
        return {str(v) for v in (old, petition, forwarded) if f">{v.number}/{v.year}<" in html}

    today = timezone.localdate()
    assert numbers() == {str(old), str(petition), str(forwarded)}
    assert numbers(date_from=(today - dt.timedelta(days=35)).isoformat()) == {str(petition), str(forwarded)}
    assert numbers(date_to=(today - dt.timedelta(days=35)).isoformat()) == {str(old)}
    assert numbers(kind=CaseKind.PETITION) == {str(petition)}
    assert numbers(outcome=Visit.Outcome.FORWARDED) == {str(forwarded)}
    assert numbers(answer="overdue") == {str(forwarded)}
    assert numbers(answer="answered") == set()


def test_register_query_count_does_not_grow_with_rows(client, login, org, django_assert_max_num_queries):
    login(org["reception"])
    url = reverse("complaints:visits")
    _visit(org)
    client.get(url)
    with django_assert_max_num_queries(20) as ctx:
        client.get(url)
    few = len(ctx.captured_queries)
    for _i in range(8):
        _visit(org, kind=CaseKind.DENUNCIATION, outcome=Visit.Outcome.FORWARDED)
    with django_assert_max_num_queries(few):
        html = client.get(url).content.decode()
    assert html.count('data-testid="visit-row"') == 9


def test_only_reception_staff_see_the_register(client, login, org):
    visit = _visit(org)
    login(org["officer"])
    assert client.get(reverse("complaints:visits")).status_code == 403
    assert client.get(visit.get_absolute_url()).status_code == 404
    assert client.get(reverse("complaints:visit_receipt_pdf", args=[visit.pk])).status_code == 404
    assert (
        client.post(reverse("complaints:visit_answer", args=[visit.pk]), {"result": "x"}).status_code == 404
    )
    login(org["other_b"])
    assert client.get(visit.get_absolute_url()).status_code == 404
    login(org["leader"])  # the decider
    assert client.get(visit.get_absolute_url()).status_code == 200
    assert client.get(reverse("complaints:visit_new")).status_code == 200


def test_visit_in_the_future_is_refused(org):
    with pytest.raises(ValidationError):
        _visit(org, received_at=timezone.now() + dt.timedelta(days=1))
    assert not Visit.objects.exists()


def test_bad_filter_and_page_values_show_the_register_not_an_error(client, login, org):
    _visit(org)
    login(org["reception"])
    response = client.get(
        reverse("complaints:visits"), {"date_from": "31/02/2026", "kind": "x", "page": "abc"}
    )
    html = response.content.decode()
    assert response.status_code == 200 and 'data-testid="visit-row"' in html and "alert-error" in html


def test_past_sessions_tab(client, login, org):
    past = make_session(org, timezone.localdate() - dt.timedelta(days=3), published=True)
    upcoming = make_session(org, timezone.localdate() + dt.timedelta(days=3))
    login(org["reception"])
    html = client.get(reverse("complaints:sessions")).content.decode()
    assert f'data-testid="cancel-{upcoming.pk}"' in html and f'data-testid="cancel-{past.pk}"' not in html
    html = client.get(reverse("complaints:sessions"), {"past": "1"}).content.decode()
    assert f'data-testid="cancel-{past.pk}"' in html and f'data-testid="cancel-{upcoming.pk}"' not in html
