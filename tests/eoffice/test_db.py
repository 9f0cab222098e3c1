"""eoffice.db: several counts in one round trip; a page and its total from one evaluation of the filter."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from eoffice.db import count_each, page_of
from eoffice.models import Notification

pytestmark = pytest.mark.django_db


def _notes(user, n: int) -> None:
    Notification.objects.bulk_create(
        Notification(recipient=user, kind="test", title=f"Thông báo {i:02d}") for i in range(n)
    )


def test_count_each_in_one_query(officer_a, staff_a):
    _notes(officer_a, 3)
    qs = Notification.objects.all()
    with CaptureQueriesContext(connection) as ctx:
        counts = count_each(
            {"all": qs, "mine": qs.filter(recipient=officer_a), "none": qs.filter(pk__in=[]), "x": qs.none()}
        )
    assert counts == {"all": 3, "mine": 3, "none": 0, "x": 0}
    assert len(ctx.captured_queries) == 1


def test_page_of_keeps_order_total_and_clamps(officer_a):
    _notes(officer_a, 7)
    qs = Notification.objects.filter(recipient=officer_a).order_by("-title")
    with CaptureQueriesContext(connection) as ctx:
        page = page_of(qs, "2", 3)
    assert len(ctx.captured_queries) == 2
    assert [n.title for n in page.object_list] == ["Thông báo 03", "Thông báo 02", "Thông báo 01"]
    assert page.number == 2 and page.paginator.count == 7 and page.paginator.num_pages == 3
    assert page.has_next() and page.has_previous()
    last = page_of(qs, "99", 3)
    assert last.number == 3 and [n.title for n in last.object_list] == ["Thông báo 00"]
    assert page_of(qs, "abc", 3).number == 1
    empty = page_of(qs.filter(kind="other"), 1, 3)
    assert empty.paginator.count == 0 and list(empty.object_list) == [] and empty.number == 1
