"""The periodic statistics report: each number counted over the user's visible cases, the list behind each
number with exactly those cases, resolved on time / late against the legal deadline, the visits by kind
and outcome, the PDF and Excel read back, no person anywhere, who may see it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from complaints import stats
from complaints.models import Case, CaseKind, CaseState, Field, IntakeOutcome, Visit
from complaints.services.identity import PROTECTED_LABEL
from documents.stats.selectors import Period
from tests.complaints.conftest import COMPLAINANT, DENOUNCER, make_case
from tests.complaints.h6_helpers import (
    BEFORE,
    IN_PERIOD,
    PERIOD,
    REPRESENTATIVE,
    at,
    make_visit,
    pdf_text,
    squash,
    xlsx_text,
)

pytestmark = pytest.mark.django_db

OCTOBER = Period(IN_PERIOD.replace(day=1), IN_PERIOD.replace(day=31))


def _set(case: Case, **fields) -> Case:
    Case.objects.filter(pk=case.pk).update(**fields)
    case.refresh_from_db()
    return case


@pytest.fixture
def cases(org):
    """October 2026 in agency A (TTr handles everything unless said otherwise)."""
    from datetime import date

    many = [COMPLAINANT, REPRESENTATIVE]
    accepted = _set(
        make_case(org, received_on=IN_PERIOD, people=many, field=Field.LAND),
        processable=True,
        competent=True,
        state=CaseState.ACCEPTED,
        outcome=IntakeOutcome.ACCEPT,
        outcome_at=at(date(2026, 10, 7)),
        accepted_at=at(date(2026, 10, 7)),
    )
    type(accepted.letter).objects.filter(pk=accepted.letter_id).update(signer_count=2)
    forwarded = _set(
        make_case(org, received_on=IN_PERIOD),
        processable=True,
        competent=False,
        state=CaseState.FORWARDED,
        outcome=IntakeOutcome.FORWARD,
        outcome_at=at(date(2026, 10, 8)),
    )
    guided = _set(
        make_case(org, kind=CaseKind.PETITION, received_on=IN_PERIOD),
        processable=False,
        state=CaseState.GUIDED,
        outcome=IntakeOutcome.GUIDE,
        outcome_at=at(date(2026, 10, 9)),
    )
    on_time = _set(
        make_case(org, received_on=date(2026, 10, 1)),
        state=CaseState.RESOLVED,
        outcome=IntakeOutcome.ACCEPT,
        outcome_at=at(date(2026, 10, 2)),
        accepted_at=at(date(2026, 10, 2)),
        resolved_at=at(date(2026, 10, 20)),
    )
    # carried over from before the period, resolved late in it (30 days from 01/08 is past)
    late = _set(
        make_case(org, received_on=date(2026, 7, 25)),
        state=CaseState.RESOLVED,
        outcome=IntakeOutcome.ACCEPT,
        outcome_at=at(date(2026, 8, 1)),
        accepted_at=at(date(2026, 8, 1)),
        resolved_at=at(date(2026, 10, 15)),
    )
    # a protected denunciation of another unit, carried over and still open
    protected = _set(
        make_case(org, kind=CaseKind.DENUNCIATION, received_on=BEFORE),
        department=org["head"].department,
        state=CaseState.ACCEPTED,
        accepted_at=at(date(2026, 9, 12)),
        outcome=IntakeOutcome.ACCEPT,
        outcome_at=at(date(2026, 9, 12)),
    )
    # finished before the period: neither received nor carried
    _set(
        make_case(org, received_on=BEFORE),
        state=CaseState.REFUSED,
        outcome=IntakeOutcome.REFUSE,
        outcome_at=at(date(2026, 9, 15)),
    )
    return {
        "accepted": accepted,
        "forwarded": forwarded,
        "guided": guided,
        "on_time": on_time,
        "late": late,
        "protected": protected,
    }


def test_counts(org, cases):
    rep = stats.report(user=org["reception"], period=OCTOBER)
    total = rep.total.counts
    assert total["received"] == 4
    assert total["carried"] == 2  # the late one and the protected denunciation
    assert total["many"] == 1 and total["single"] == 5
    assert total["processable"] == 2 and total["not_processable"] == 1
    assert total["competent"] == 1 and total["not_competent"] == 1
    assert total["accepted"] == 2  # accepted in October: the first and the on-time one
    assert total["forwarded"] == 1 and total["guided"] == 1
    assert total["resolved"] == 2 and total["on_time"] == 1 and total["late"] == 1
    assert total["open"] == 2  # the accepted complaint and the denunciation
    by_kind = {line.key: line.counts for line in rep.lines}
    assert by_kind[CaseKind.DENUNCIATION]["carried"] == 1
    assert by_kind[CaseKind.PETITION]["guided"] == 1
    assert by_kind[CaseKind.COMPLAINT]["received"] == 3


@pytest.mark.parametrize("group", ["kind", "stage"])
def test_every_number_opens_its_list(client, login, org, cases, group):
    login(org["reception"])
    response = client.get(reverse("complaints:stats"), {**PERIOD, "group": group})
    assert response.status_code == 200
    html = response.content.decode()
    links = re.findall(r'href="(/complaints/stats/list/\?[^"]+)"[^>]*data-col="([a-z_]+)">(\d+)<', html)
    assert len(links) >= 30
    for url, _col, number in links:
        page = client.get(url.replace("&amp;", "&"))
        assert page.status_code == 200
        found = re.search(r'data-testid="stats-count">(\d+)<', page.content.decode())
        assert found and found.group(1) == number, url
    late = client.get(reverse("complaints:stats_list"), {**PERIOD, "col": "late"}).content.decode()
    assert cases["late"].code in late and cases["on_time"].code not in late
    forwarded = client.get(reverse("complaints:stats_list"), {**PERIOD, "col": "forwarded"}).content.decode()
    assert cases["forwarded"].code in forwarded and cases["guided"].code not in forwarded


def test_same_visibility_for_a_unit_head(client, login, org, cases):
    """The head of KT sees only the case of KT: the numbers and the lists say so."""
    rep = stats.report(user=org["head"], period=OCTOBER)
    assert rep.total.counts["carried"] == 1 and rep.total.counts["received"] == 0
    assert rep.visit_lines == []
    login(org["head"])
    html = client.get(reverse("complaints:stats_list"), {**PERIOD, "col": "carried"}).content.decode()
    assert cases["protected"].code in html and cases["late"].code not in html
    html = client.get(reverse("complaints:stats_list"), {**PERIOD, "col": "resolved"}).content.decode()
    assert cases["on_time"].code not in html


def test_visits_by_kind_and_outcome(client, login, org):
    make_visit(org, people=[COMPLAINANT])
    make_visit(org, people=[DENOUNCER], kind=CaseKind.DENUNCIATION, outcome=Visit.Outcome.LETTER)
    make_visit(org, people=[REPRESENTATIVE], people_count=8, outcome=Visit.Outcome.LEADER_MEETING)
    make_visit(org, people=[COMPLAINANT], received_on=BEFORE)
    rep = stats.report(user=org["leader"], period=OCTOBER)
    counts = rep.visit_total.counts
    assert counts["visits"] == 3 and counts["people"] == 10 and counts["groups"] == 1
    assert counts[Visit.Outcome.GUIDED] == 1 and counts[Visit.Outcome.LETTER] == 1
    login(org["leader"])
    html = client.get(
        reverse("complaints:stats_list"),
        {**PERIOD, "table": "visits", "col": "visits", "key": CaseKind.COMPLAINT},
    ).content.decode()
    assert 'data-testid="stats-count">2<' in html
    assert COMPLAINANT.name not in html and REPRESENTATIVE.name not in html


@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
def test_report_downloads(client, login, org, cases, fmt):
    make_visit(org, people=[DENOUNCER], kind=CaseKind.DENUNCIATION)
    login(org["leader"])
    response = client.get(reverse("complaints:stats"), {**PERIOD, "format": fmt, "group": "field"})
    assert response.status_code == 200
    assert f"bao-cao-don-thu-20261001-20261031.{fmt}" in response["Content-Disposition"]
    text = squash(pdf_text(response.content) if fmt == "pdf" else xlsx_text(response.content))
    assert "BÁO CÁO CÔNG TÁC TIẾP CÔNG DÂN, XỬ LÝ ĐƠN, GIẢI QUYẾT KHIẾU NẠI, TỐ CÁO" in text
    assert "Đất đai, bồi thường, tái định cư" in text  # grouped by field
    assert "Tổng cộng" in text and "Kỳ trước chuyển sang" in text and "Đúng hạn" in text
    assert "Tiếp công dân: lượt tiếp theo loại vụ việc và kết quả tiếp" in text
    for secret in (DENOUNCER.name, DENOUNCER.id_number, COMPLAINANT.name, str(PROTECTED_LABEL)):
        assert secret not in text


def test_no_person_on_the_pages(client, login, org, cases):
    login(org["leader"])
    pages = [client.get(reverse("complaints:stats"), PERIOD)]
    for col in stats.COLUMNS:
        pages.append(client.get(reverse("complaints:stats_list"), {**PERIOD, "col": col}))
    for page in pages:
        html = page.content.decode()
        for secret in (DENOUNCER.name, DENOUNCER.id_number, COMPLAINANT.name, COMPLAINANT.id_number):
            assert secret not in html


def test_who_may_see_it_and_bad_input(client, login, org, cases):
    login(org["officer"])
    assert client.get(reverse("complaints:stats"), PERIOD).status_code == 403
    assert client.get(reverse("complaints:stats_list"), {**PERIOD, "col": "received"}).status_code == 403
    login(org["reception"])
    assert client.get(reverse("complaints:stats_list"), {**PERIOD, "col": "nope"}).status_code == 404
    assert (
        client.get(
            reverse("complaints:stats_list"), {**PERIOD, "col": "received", "group": "kind", "key": "x"}
        ).status_code
        == 404
    )
    assert client.get(reverse("complaints:stats"), {**PERIOD, "format": "doc"}).status_code == 404
    response = client.get(
        reverse("complaints:stats"), {"period": "custom", "date_from": "2025-01-01", "date_to": "2026-12-31"}
    )
    assert response.status_code == 200
    assert "Mỗi lần thống kê tối đa một năm" in response.content.decode()


def test_report_and_list_queries_do_not_grow(client, login, org, django_assert_max_num_queries):
    login(org["reception"])
    list_url = reverse("complaints:stats_list")

    def add(n):
        for _ in range(n):
            make_case(org, received_on=IN_PERIOD)
            make_visit(org, people=[COMPLAINANT])

    add(2)
    client.get(reverse("complaints:stats"), PERIOD)  # warm the per-process caches
    with django_assert_max_num_queries(60) as few:
        client.get(reverse("complaints:stats"), PERIOD)
        client.get(list_url, {**PERIOD, "col": "received"})
        client.get(list_url, {**PERIOD, "table": "visits", "col": "visits"})
    add(6)
    with django_assert_max_num_queries(len(few)):
        client.get(reverse("complaints:stats"), PERIOD)
        response = client.get(list_url, {**PERIOD, "col": "received"})
        client.get(list_url, {**PERIOD, "table": "visits", "col": "visits"})
    assert 'data-testid="stats-count">8<' in response.content.decode()
