"""History is append-only: in the model, the queryset, the admin and the database."""

import pytest
from django.contrib.admin.sites import site
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.test import RequestFactory

from workflow.models import HistoryEntry, HistoryIsAppendOnly
from workflow.selectors import history_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(make_item):
    item = make_item()
    return history_for(record=item).first()


def test_saving_an_existing_row_raises(entry):
    entry.comment = "sửa"
    with pytest.raises(HistoryIsAppendOnly):
        entry.save()


def test_deleting_raises(entry):
    with pytest.raises(HistoryIsAppendOnly):
        entry.delete()
    with pytest.raises(HistoryIsAppendOnly):
        HistoryEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(HistoryIsAppendOnly):
        HistoryEntry.objects.all().update(comment="x")
    with pytest.raises(HistoryIsAppendOnly):
        HistoryEntry.objects.bulk_update([entry], ["comment"])


def test_database_trigger_refuses_update_and_delete(entry):
    for sql in (
        "UPDATE workflow_historyentry SET comment = 'x' WHERE id = %s",
        "DELETE FROM workflow_historyentry WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cur,
        ):
            cur.execute(sql, [entry.pk])
    assert HistoryEntry.objects.filter(pk=entry.pk, comment=entry.comment).exists()


def test_admin_has_no_change_or_delete(entry, django_user_model):
    admin = site._registry[HistoryEntry]
    request = RequestFactory().get("/")
    request.user = django_user_model(is_superuser=True, is_staff=True)
    assert admin.has_view_permission(request, entry)
    assert not admin.has_change_permission(request, entry)
    assert not admin.has_delete_permission(request, entry)
    assert not admin.has_add_permission(request)
    assert admin.get_actions(request) == {}


def test_indexes_for_record_timeline_and_actor_month():
    names = {index.name: index.fields for index in HistoryEntry._meta.indexes}
    assert names["history_record_idx"] == ["content_type", "object_id", "created_at"]
    assert names["history_actor_idx"] == ["actor", "created_at"]
