"""What a case records for the fast pages: its folded search text, kept by every save (the queue and the
search page read it), and — when its result is issued — the resolution deadline it was measured against and
whether it came late (the statistics count on time / late from it)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from complaints import deadlines, stats
from complaints.models import Case, CaseKind, CaseState, FormCode, Stage
from documents.stats.selectors import Period
from tests.complaints.conftest import make_case
from tests.complaints.resolution_helpers import ago, ensure_forms, issue
from tests.complaints.test_resolution import act
from tests.documents.outgoing.helpers import office  # noqa: F401
from tests.signing.conftest import _signing_settings, authority, pki_dir  # noqa: F401

pytestmark = pytest.mark.django_db


def _answered(org, login, *, received_on: dt.date) -> Case:
    """A petition answered through the case page and issued through the outgoing flow."""
    ensure_forms()
    case = make_case(org, kind=CaseKind.PETITION, content="Kiến nghị lắp đèn đường", received_on=received_on)
    Case.objects.filter(pk=case.pk).update(
        state=CaseState.ACCEPTED, accepted_at=ago(1), stage=Stage.ANSWER, handler=org["officer"]
    )
    act(login(org["officer"]), case, "answer", {"answer-summary": "Đèn sẽ được lắp trong tháng 12"})
    issue(case.documents.get(form=FormCode.PETITION_ANSWER), org)
    return Case.objects.select_related("letter").get(pk=case.pk)


def test_an_answer_within_its_deadline_is_recorded_on_time(org, login):
    case = _answered(org, login, received_on=dt.date.today() - dt.timedelta(days=2))
    assert case.state == CaseState.RESOLVED and case.resolved_at is not None
    assert case.resolution_due_at == deadlines.resolution_deadline(case).due_at
    assert case.resolution_due_at > case.resolved_at
    assert case.resolved_late is False


def test_an_answer_after_its_deadline_is_recorded_late(org, login):
    case = _answered(org, login, received_on=dt.date.today() - dt.timedelta(days=120))
    assert case.resolution_due_at is not None and case.resolution_due_at < case.resolved_at
    assert case.resolved_late is True


def test_the_report_counts_what_was_recorded(org):
    """A recorded "late" wins over what the rules would say today (the rules may have changed since);
    a case resolved before lateness was recorded is still computed from the rules."""
    today = dt.date.today()
    recorded = make_case(org, received_on=today - dt.timedelta(days=3))
    unrecorded = make_case(org, received_on=today - dt.timedelta(days=3))
    Case.objects.filter(pk__in=[recorded.pk, unrecorded.pk]).update(
        state=CaseState.RESOLVED, accepted_at=ago(2), resolved_at=ago(1)
    )
    Case.objects.filter(pk=recorded.pk).update(resolved_late=True)
    period = Period(today - dt.timedelta(days=30), today)
    assert stats.timing(Case.objects.all(), period) == {recorded.pk: True, unrecorded.pk: False}
    report = stats.report(user=org["reception"], period=period)
    assert report.total.counts["late"] == 1 and report.total.counts["on_time"] == 1


def test_search_text_follows_every_save(org, client, login):
    case = make_case(org, content="Tranh chấp ranh giới thửa đất")
    assert "tranh chap ranh gioi" in Case.objects.get(pk=case.pk).search_text
    assert case.code.lower() in Case.objects.get(pk=case.pk).search_text
    case.content = "Đề nghị cấp lại giấy chứng nhận quyền sử dụng đất"
    case.save(update_fields=["content"])
    stored = Case.objects.get(pk=case.pk).search_text
    assert "cap lai giay chung nhan" in stored and "ranh gioi" not in stored

    login(org["reception"])
    found = client.get(reverse("complaints:cases"), {"q": "giấy chứng nhận"})
    assert f"case-row-{case.pk}" in found.content.decode()
    gone = client.get(reverse("complaints:cases"), {"q": "ranh giới"})
    assert f"case-row-{case.pk}" not in gone.content.decode()
