"""The case queue (filters, deadline status in SQL, visibility, paging, query count), the case page (header,
clock with its legal source, people by label, reveal link only for the entitled, documents, timeline), the
menu entries with their badge, and the dashboard widget."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from complaints import queue, widgets
from complaints.models import (
    Case,
    CaseDocument,
    CaseKind,
    CaseMember,
    CaseState,
    Complexity,
    Field,
    FormCode,
    Stage,
)
from eoffice.dashboard import widgets_for
from eoffice.menu import menu_for
from tests.complaints.conftest import COMPLAINANT, DENOUNCER, make_case
from workflow.models import DeadlineStatus

pytestmark = pytest.mark.django_db

QUEUE = "/complaints/cases/"


def _rows(response) -> set[int]:
    return {c.pk for c in response.context["page"].object_list}


def _due(case: Case, *, due_at, due_soon_at=None) -> Case:
    Case.objects.filter(pk=case.pk).update(due_at=due_at, due_soon_at=due_soon_at)
    case.refresh_from_db()
    return case


# ---- queue ----------------------------------------------------------------------------------------------


def test_queue_lists_the_agency_cases_for_an_officer_with_status(org, client, login):
    now = timezone.now()
    late = _due(make_case(org), due_at=now - dt.timedelta(days=1))
    soon = _due(make_case(org), due_at=now + dt.timedelta(days=1), due_soon_at=now - dt.timedelta(hours=1))
    response = login(org["reception"]).get(QUEUE)
    assert response.status_code == 200
    rows = {c.pk: c for c in response.context["page"].object_list}
    assert rows[late.pk].deadline_status == DeadlineStatus.OVERDUE
    assert rows[soon.pk].deadline_status == DeadlineStatus.DUE_SOON
    body = response.content.decode()
    assert late.code in body and "Quá hạn" in body and "Sắp đến hạn" in body


def test_queue_filters(org, client, login):
    now = timezone.now()
    land = make_case(org, field=Field.LAND, content="Khiếu nại bồi thường đất ruộng")
    petition = make_case(org, kind=CaseKind.PETITION, content="Kiến nghị sửa đường liên thôn")
    late = _due(make_case(org, content="Khiếu nại chậm cấp giấy"), due_at=now - dt.timedelta(days=2))
    accepted = make_case(org, state=CaseState.ACCEPTED, content="Khiếu nại đã thụ lý")
    Case.objects.filter(pk=accepted.pk).update(stage=Stage.VERIFICATION)
    other_handler = make_case(org, handler=org["verifier"], content="Khiếu nại giao người khác")
    c = login(org["reception"])
    assert _rows(c.get(QUEUE, {"kind": CaseKind.PETITION})) == {petition.pk}
    assert _rows(c.get(QUEUE, {"field": Field.LAND})) == {land.pk}
    assert _rows(c.get(QUEUE, {"deadline": DeadlineStatus.OVERDUE})) == {late.pk}
    assert _rows(c.get(QUEUE, {"state": CaseState.ACCEPTED})) == {accepted.pk}
    assert _rows(c.get(QUEUE, {"stage": Stage.VERIFICATION})) == {accepted.pk}
    assert _rows(c.get(QUEUE, {"handler": org["verifier"].pk})) == {other_handler.pk}
    assert other_handler.pk not in _rows(c.get(QUEUE, {"mine": "on"}))
    # Words folded: no diacritics needed; the code too.
    assert _rows(c.get(QUEUE, {"q": "duong lien thon"})) == {petition.pk}
    assert _rows(c.get(QUEUE, {"q": petition.code.lower()})) == {petition.pk}
    # A bad value is dropped, never a 500.
    assert c.get(QUEUE, {"deadline": "nonsense", "date_from": "31/31/2026"}).status_code == 200


def test_queue_period_filter_by_received_date(org, client, login):
    old = make_case(org, received_on=timezone.localdate() - dt.timedelta(days=40))
    new = make_case(org)
    c = login(org["reception"])
    since = (timezone.localdate() - dt.timedelta(days=10)).isoformat()
    assert _rows(c.get(QUEUE, {"date_from": since})) == {new.pk}
    assert _rows(c.get(QUEUE, {"date_to": since})) == {old.pk}


def test_queue_search_reads_unprotected_names_only(org, client, login):
    complaint = make_case(org, people=[COMPLAINANT])
    denunciation = make_case(org, kind=CaseKind.DENUNCIATION, people=[DENOUNCER], content="Tố cáo cán bộ xã")
    c = login(org["reception"])
    assert _rows(c.get(QUEUE, {"q": "Nguyen Van Khieu"})) == {complaint.pk}
    # The denouncer's name, ID number and phone find nothing, and the page never prints them.
    for term in ("Hoàng Thị Bí Mật", "Bí Mật", DENOUNCER.id_number, DENOUNCER.phone):
        response = c.get(QUEUE, {"q": term})
        assert denunciation.pk not in _rows(response)
    body = c.get(QUEUE).content.decode()
    assert "Bí Mật" not in body and DENOUNCER.id_number not in body


def test_queue_visibility(org, client, login):
    mine = make_case(org, handler=org["verifier"])
    theirs = make_case(org)
    # A verifier outside the staff sees only the cases handled or verified.
    outsider = org["officer"]
    CaseMember.objects.create(case=theirs, user=outsider, role=CaseMember.Role.MEMBER)
    assert _rows(login(outsider).get(QUEUE)) == {theirs.pk}
    assert {mine.pk, theirs.pk} <= _rows(login(org["reception"]).get(QUEUE))
    # The leader of another agency sees that agency's cases only; someone with no case cannot open the queue.
    assert not _rows(login(org["other_b"]).get(QUEUE))
    assert login(org["clerk"]).get(QUEUE).status_code == 404


def test_queue_query_count_does_not_grow_with_rows(org, client, login, django_assert_max_num_queries):
    c = login(org["reception"])
    make_case(org)
    c.get(QUEUE)  # warm the caches (content types, settings)
    with django_assert_max_num_queries(20) as few:
        c.get(QUEUE, {"q": "đất"})
    for _i in range(12):
        make_case(org)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = c.get(QUEUE, {"q": "đất"})
    assert len(response.context["page"].object_list) == 13


def test_queue_pages(org, client, login):
    for _i in range(queue.PAGE_SIZE + 2):
        make_case(org)
    c = login(org["reception"])
    first = c.get(QUEUE)
    second = c.get(QUEUE, {"page": 2})
    assert len(first.context["page"].object_list) == queue.PAGE_SIZE
    assert len(second.context["page"].object_list) == 2
    assert not _rows(first) & _rows(second)
    assert c.get(QUEUE, {"page": "x"}).status_code == 200


# ---- case page ------------------------------------------------------------------------------------------


def test_case_page_header_clock_and_source(org, client, login):
    case = make_case(org)
    response = login(org["reception"]).get(reverse("complaints:case", args=[case.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert case.code in body and "Khiếu nại" in body and "Chờ xử lý đơn" in body
    # The deadline with its legal source (the rule in force on the day the letter was received).
    assert case.due_rule_id
    assert case.due_rule.source in body
    assert response.context["deadline_label"].startswith(f"{case.due_rule.days:02d} ")
    assert case.due_at.astimezone(timezone.get_current_timezone()).strftime("%d/%m/%Y") in body
    assert COMPLAINANT.name in body  # an unprotected signer is named
    assert 'data-testid="case-history"' in body


def test_case_page_badges(org, client, login):
    case = make_case(
        org,
        state=CaseState.SUSPENDED,
        complexity=Complexity.COMPLEX,
        complexity_ground="Nhiều nội dung, nhiều địa điểm cần xác minh",
    )
    Case.objects.filter(pk=case.pk).update(paused_at=timezone.now())
    body = login(org["reception"]).get(case.get_absolute_url()).content.decode()
    assert 'data-testid="case-paused"' in body
    assert 'data-testid="case-complex"' in body and "Phức tạp" in body
    assert "Nhiều nội dung, nhiều địa điểm" in body


def test_protected_case_page_shows_the_label_and_reveal_link_only_to_the_entitled(org, client, login):
    case = make_case(org, kind=CaseKind.DENUNCIATION, content="Tố cáo cán bộ địa chính")
    CaseMember.objects.create(case=case, user=org["verifier"], role=CaseMember.Role.LEAD)
    person = case.letter.people.get()
    reveal = reverse("complaints:identity", args=[person.pk])
    for user, entitled in ((org["reception"], True), (org["leader"], True), (org["verifier"], False)):
        response = login(user).get(case.get_absolute_url())
        assert response.status_code == 200
        body = response.content.decode()
        assert 'data-testid="case-protected"' in body
        assert "Bí Mật" not in body and DENOUNCER.id_number not in body and "Kim Mã" not in body
        assert (reveal in body) is entitled, user
    assert login(org["other_b"]).get(case.get_absolute_url()).status_code == 404
    assert login(org["clerk"]).get(case.get_absolute_url()).status_code == 404


def test_case_page_lists_documents_and_related_cases(org, client, login):
    original = make_case(org)
    duplicate = make_case(org, duplicate_of=original)
    CaseDocument.objects.create(case=original, form=FormCode.INTAKE_PROPOSAL, created_by=org["reception"])
    body = login(org["reception"]).get(original.get_absolute_url()).content.decode()
    assert "Phiếu đề xuất" in body or str(FormCode.INTAKE_PROPOSAL.label) in body
    assert duplicate.code in body
    body = login(org["reception"]).get(duplicate.get_absolute_url()).content.decode()
    assert 'data-testid="case-duplicate-of"' in body and original.code in body


def test_case_page_query_count(org, client, login, django_assert_max_num_queries):
    case = make_case(org)
    c = login(org["reception"])
    c.get(case.get_absolute_url())
    with django_assert_max_num_queries(45):
        assert c.get(case.get_absolute_url()).status_code == 200


def test_case_page_missing_is_404(org, client, login):
    assert login(org["reception"]).get(reverse("complaints:case", args=[999999])).status_code == 404


# ---- menus and widget -----------------------------------------------------------------------------------


def _entries(user) -> dict:
    return {e["item"].key: e for s in menu_for(user, "/") for e in s["entries"]}


def test_menu_entries_and_badge(org, settings):
    settings.EOFFICE_BADGE_SECONDS = 0
    now = timezone.now()
    _due(make_case(org), due_at=now - dt.timedelta(days=1))
    _due(make_case(org), due_at=now + dt.timedelta(days=1), due_soon_at=now - dt.timedelta(hours=1))
    _due(make_case(org), due_at=now + dt.timedelta(days=9), due_soon_at=now + dt.timedelta(days=5))
    closed = make_case(org, state=CaseState.CLOSED)
    _due(closed, due_at=now - dt.timedelta(days=3))
    entries = _entries(org["reception"])
    assert entries["complaints.cases"]["count"] == 2
    assert entries["complaints.cases"]["url"] == QUEUE
    # The staff's entries are not offered to an unrelated clerk or to someone of another agency.
    assert "complaints.cases" not in _entries(org["clerk"])
    # A leader of another agency decides there: the entry, but none of agency A's cases in its badge.
    assert _entries(org["other_b"])["complaints.cases"]["count"] == 0


def test_widget_counts_my_cases_by_deadline_status(org, client, login):
    now = timezone.now()
    verifier = org["verifier"]
    _due(make_case(org, handler=verifier), due_at=now - dt.timedelta(days=1))
    mine_on_time = _due(
        make_case(org), due_at=now + dt.timedelta(days=9), due_soon_at=now + dt.timedelta(days=5)
    )
    CaseMember.objects.create(case=mine_on_time, user=verifier, role=CaseMember.Role.LEAD)
    _due(make_case(org), due_at=now - dt.timedelta(days=4))  # not mine
    context = widgets.widget_context(verifier)
    counts = {row["status"]: row["count"] for row in context["rows"]}
    assert counts[DeadlineStatus.OVERDUE] == 1
    assert counts[DeadlineStatus.ON_TIME] == 1
    assert context["total"] == 2
    # The number opens the queue filtered the same way.
    url = next(row["url"] for row in context["rows"] if row["status"] == DeadlineStatus.OVERDUE)
    assert len(_rows(login(verifier).get(url))) == 1
    assert any(w["widget"].key == "complaints.mine" for w in widgets_for(verifier))
    assert widgets.widget_context(org["clerk"]) is None
    response = login(verifier).get(reverse("dashboard"))
    assert 'data-testid="complaints-widget"' in response.content.decode()


def test_case_page_offers_the_actions_and_posts_them(org, client, login):
    case = make_case(org)
    c = login(org["reception"])
    body = c.get(case.get_absolute_url()).content.decode()
    assert 'data-testid="actions"' in body
    accept_url = reverse("complaints:act", args=[case.pk, "accept"])
    assert f'action="{accept_url}"' in body
    assert 'name="csrfmiddlewaretoken"' in body
    # A verifier of the team who may not give the intake outcome is not offered it.
    CaseMember.objects.create(case=case, user=org["officer"], role=CaseMember.Role.MEMBER)
    assert accept_url not in login(org["officer"]).get(case.get_absolute_url()).content.decode()


def test_resolved_petition_with_consent_links_the_answer_page(org, client, login):
    petition = make_case(org, kind=CaseKind.PETITION, state=CaseState.RESOLVED, publish_consent=True)
    other = make_case(org, kind=CaseKind.PETITION, state=CaseState.RESOLVED)
    c = login(org["reception"])
    link = reverse("complaints:answer_publish", args=[petition.pk])
    assert link in c.get(petition.get_absolute_url()).content.decode()
    assert 'data-testid="answer-publish-link"' not in c.get(other.get_absolute_url()).content.decode()


def test_menu_access_is_cached_for_the_badge_time(org, settings, django_assert_max_num_queries):
    from django.core.cache import cache

    from eoffice.models import User

    settings.EOFFICE_BADGE_SECONDS = 30
    make_case(org, handler=org["officer"])
    cache.delete(f"complaints-menu:{org['officer'].pk}")
    assert "complaints.cases" in _entries(User.objects.get(pk=org["officer"].pk))
    fresh = User.objects.get(pk=org["officer"].pk)
    with django_assert_max_num_queries(0):
        from complaints import menus

        assert menus._may_open_queue(fresh) and not menus._is_staff(fresh)
