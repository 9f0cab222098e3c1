"""workflow.models.assignments: the deadline status derived in SQL."""

from datetime import timedelta

import pytest
from django.utils import timezone

from workflow import selectors
from workflow.models import Assignment, DeadlineStatus

pytestmark = pytest.mark.django_db


def test_deadline_status_is_derived_in_sql(make_item, officer_a, officer2_a, leader_a):
    ontime = make_item(title="a", due_in=timedelta(days=30))
    soon = make_item(title="b", due_in=timedelta(hours=2))
    late = make_item(title="c", due_in=timedelta(days=30))
    Assignment.objects.for_record(late).update(
        due_at=timezone.now() - timedelta(hours=1), due_soon_at=timezone.now() - timedelta(days=1)
    )
    statuses = dict(selectors.my_work(user=officer_a).values_list("object_id", "deadline_status"))
    assert statuses == {
        ontime.pk: DeadlineStatus.ON_TIME,
        soon.pk: DeadlineStatus.DUE_SOON,
        late.pk: DeadlineStatus.OVERDUE,
    }
    assert [a.object_id for a in selectors.my_work(user=officer_a)] == [late.pk, soon.pk, ontime.pk]
    for status, pk in ((DeadlineStatus.OVERDUE, late.pk), (DeadlineStatus.DUE_SOON, soon.pk)):
        assert list(Assignment.objects.open().with_status(status).values_list("object_id", flat=True)) == [pk]
    counts = selectors.my_work_counts(user=officer_a)
    assert counts == {"total": 3, "overdue": 1, "due_soon": 1}
    sql = str(Assignment.objects.open().with_deadline_status().query)
    assert "CASE WHEN" in sql
