"""Batches run again (after a killed worker): nothing signed twice, nothing left, the PIN kept then dropped.
The real kill is in tests/faults/test_worker_kill.py; here the runs are called in process."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from eoffice.models import Role
from signing import services
from signing.models import SignatureBatch, SignatureLog, SignatureRequest
from signing.services.batches import MAX_RUNS, STALE_AFTER
from tests.signing import samples
from tests.signing.factories import PIN

pytestmark = pytest.mark.django_db

Status = SignatureRequest.Status


@pytest.fixture
def queued(leader_a, leader_credential, staff_a, sample, django_capture_on_commit_callbacks):
    """A batch of three, started, its task not run yet (as if the worker died before it began)."""
    made = [
        services.signature_request_create(
            pdf=sample,
            title=f"Văn bản {i}",
            requested_by=staff_a[Role.OFFICER],
            kind="leader",
            signer=leader_a,
            box=samples.SIGNER_BOX,
        )
        for i in range(3)
    ]
    with django_capture_on_commit_callbacks(execute=False):
        batch = services.batch_start(signer=leader_a, request_ids=[r.pk for r in made], pin=PIN)
    return batch, made


def _ok_titles(user) -> list[str]:
    return sorted(SignatureLog.objects.filter(actor=user, result="ok").values_list("title", flat=True))


def test_resumed_batch_signs_only_what_is_left(queued, leader_a, django_capture_on_commit_callbacks):
    batch, made = queued
    assert batch.pin_token and cache.get(f"signing:pin:{batch.pin_token}") is not None
    # The killed run had signed the first item (committed) before it died.
    services.signature_request_sign(request=made[0], pin=PIN, by=leader_a, batch_id=batch.pk)
    assert services.batches_resume() == []  # its heartbeat is fresh
    later = timezone.now() + STALE_AFTER + dt.timedelta(seconds=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.batches_resume(now=later) == [batch.pk]
    batch.refresh_from_db()
    assert batch.finished_at is not None and batch.runs == 1 and batch.pin_token == ""
    assert set(SignatureRequest.objects.filter(batch=batch).values_list("status", flat=True)) == {
        Status.SIGNED
    }
    assert _ok_titles(leader_a) == ["Văn bản 0", "Văn bản 1", "Văn bản 2"]  # once each
    assert services.read_pin(batch.pin_token) is None
    # A late copy of the message, or a second scan: nothing more.
    services.batch_run(batch=batch)
    assert services.batches_resume(now=later + STALE_AFTER * 2) == []
    assert _ok_titles(leader_a) == ["Văn bản 0", "Văn bản 1", "Văn bản 2"]
    assert SignatureBatch.objects.get(pk=batch.pk).runs == 1


def test_an_item_finished_by_another_run_is_left_as_it_is(queued, leader_a):
    batch, made = queued
    SignatureRequest.objects.filter(pk=made[1].pk).update(status=Status.FAILED, error="Tệp PDF bị hỏng.")
    # Another run already failed it: a run that still had it in its list does not sign it again.
    again = services.signature_request_sign(request=made[1], pin=PIN, by=leader_a, batch_id=batch.pk)
    assert again.status == Status.FAILED
    services.batch_run(batch=batch)
    statuses = dict(SignatureRequest.objects.filter(batch=batch).values_list("pk", "status"))
    assert statuses == {made[0].pk: Status.SIGNED, made[1].pk: Status.FAILED, made[2].pk: Status.SIGNED}
    assert SignatureRequest.objects.get(pk=made[1].pk).error == "Tệp PDF bị hỏng."


def test_expired_pin_fails_the_rest_with_the_message(queued, leader_a):
    batch, made = queued
    cache.delete(f"signing:pin:{batch.pin_token}")
    services.batch_run(batch=batch)
    items = SignatureRequest.objects.filter(batch=batch)
    assert {(r.status, r.error) for r in items} == {
        (Status.FAILED, "Phiên ký đã hết hạn, vui lòng nhập lại mã PIN.")
    }
    assert SignatureBatch.objects.get(pk=batch.pk).finished_at is not None
    assert _ok_titles(leader_a) == []


def test_a_batch_that_keeps_stopping_its_worker_is_stopped(queued, leader_a):
    batch, made = queued
    SignatureBatch.objects.filter(pk=batch.pk).update(runs=MAX_RUNS)
    services.batch_run(batch=batch)
    batch.refresh_from_db()
    assert batch.finished_at is not None and batch.pin_token == ""
    errors = set(SignatureRequest.objects.filter(batch=batch).values_list("error", flat=True))
    assert errors == {"Lượt ký bị gián đoạn nhiều lần do máy chủ gặp sự cố, vui lòng ký lại."}


def test_the_bar_says_when_the_worker_stopped(queued, login, leader_a, settings):
    from django.urls import reverse

    settings.AXES_ENABLED = False  # force_login: no lockout bookkeeping
    batch, made = queued
    client = login(leader_a)
    url = reverse("signing:batch_progress", args=[batch.pk])
    html = client.get(url).content.decode()
    assert "Đã xử lý 0/3 văn bản" in html and "data-batch-stalled" not in html
    SignatureBatch.objects.filter(pk=batch.pk).update(heartbeat_at=timezone.now() - STALE_AFTER * 2)
    html = client.get(url).content.decode()
    assert "data-batch-stalled" in html and "tự ký tiếp" in html
