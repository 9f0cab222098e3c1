"""signing.selectors: the access helpers of a batch and of a signature request (the one way each is loaded
for a user): the same 404 for missing and someone else's, a row lock on demand."""

from __future__ import annotations

import threading
import time

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db import connection, connections, transaction
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from eoffice.models import Role
from signing import selectors, services
from signing.models import SignatureBatch, SignatureRequest
from tests.signing import samples


def test_batch_access_same_404_for_missing_and_someone_elses(staff_a, staff_b):
    signer = staff_a[Role.LEADER]
    batch = SignatureBatch.objects.create(signer=signer)
    assert selectors.batch_access(user=signer, pk=batch.pk) == batch
    for user, pk in (
        (staff_a[Role.CLERK], batch.pk),  # same agency, not the signer
        (staff_b[Role.LEADER], batch.pk),  # another agency
        (signer, batch.pk + 1000),  # missing
        (AnonymousUser(), batch.pk),
    ):
        with pytest.raises(Http404):
            selectors.batch_access(user=user, pk=pk)


def test_batch_access_lock_takes_a_row_lock(staff_a):
    signer = staff_a[Role.LEADER]
    batch = SignatureBatch.objects.create(signer=signer)
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        assert selectors.batch_access(user=signer, pk=batch.pk, lock=True) == batch
    assert queries.captured_queries[-1]["sql"].rstrip().endswith("FOR UPDATE")


def test_batch_pages_are_404_for_anyone_but_the_signer(login, staff_a):
    batch = SignatureBatch.objects.create(signer=staff_a[Role.LEADER])
    other = login(staff_a[Role.CLERK])
    assert other.get(reverse("signing:batch", args=[batch.pk])).status_code == 404
    assert other.get(reverse("signing:batch_progress", args=[batch.pk])).status_code == 404
    owner = login(staff_a[Role.LEADER])
    assert owner.get(reverse("signing:batch", args=[batch.pk])).status_code == 200
    assert owner.get(reverse("signing:batch", args=[batch.pk + 1000])).status_code == 404


def _request(sample, staff, *, kind="leader", signer=None, status=None) -> SignatureRequest:
    request = services.signature_request_create(
        pdf=sample,
        title="Quyết định phê duyệt kế hoạch",
        requested_by=staff[Role.OFFICER],
        kind=kind,
        signer=signer if kind == "leader" else None,
        box=samples.SIGNER_BOX,
    )
    if status:
        SignatureRequest.objects.filter(pk=request.pk).update(status=status)
        request.refresh_from_db()
    return request


def _message(user, pk, **kwargs) -> str:
    with pytest.raises(Http404) as caught:
        selectors.signature_request_access(user=user, pk=pk, **kwargs)
    return str(caught.value)


@pytest.mark.parametrize("lock", [False, True])
def test_signature_request_access_same_404_for_missing_and_someone_elses(sample, staff_a, staff_b, lock):
    leader, clerk, officer = staff_a[Role.LEADER], staff_a[Role.CLERK], staff_a[Role.OFFICER]
    mine = _request(sample, staff_a, signer=leader)
    seal = _request(sample, staff_a, kind="seal")
    with transaction.atomic():
        expected = _message(leader, mine.pk + 1000, lock=lock)
        for user, pk in (
            (clerk, mine.pk),  # a leader's request is not the clerks'
            (staff_a[Role.DEPARTMENT_HEAD], mine.pk),
            (staff_b[Role.LEADER], mine.pk),  # another agency
            (staff_b[Role.CLERK], seal.pk),
            (leader, seal.pk),  # the agency's seal is the clerks'
            (AnonymousUser(), mine.pk),
        ):
            for signable in (False, True):
                assert _message(user, pk, lock=lock, signable=signable) == expected, (user, pk, signable)
        assert _message(officer, mine.pk, lock=lock, signable=True) == expected  # the requester signs nothing
        for user, pk in ((leader, mine.pk), (officer, mine.pk), (clerk, seal.pk), (officer, seal.pk)):
            assert selectors.signature_request_access(
                user=user, pk=pk, lock=lock
            ) == SignatureRequest.objects.get(pk=pk)
        for user, pk in ((leader, mine.pk), (clerk, seal.pk)):
            assert selectors.signature_request_access(user=user, pk=pk, lock=lock, signable=True).pk == pk


def test_signature_request_access_signable_only_while_open(sample, staff_a):
    leader, officer = staff_a[Role.LEADER], staff_a[Role.OFFICER]
    for status in SignatureRequest.Status.values:
        request = _request(sample, staff_a, signer=leader, status=status)
        signable = status in selectors.SIGNABLE
        assert (
            selectors.signature_request_access(user=leader, pk=request.pk) == request
        )  # opened in any status
        assert selectors.signature_request_access(user=officer, pk=request.pk) == request
        if signable:
            assert selectors.signature_request_access(user=leader, pk=request.pk, signable=True) == request
        else:
            assert _message(leader, request.pk, signable=True) == _message(leader, request.pk + 1000)


def test_signature_request_access_lock_takes_a_row_lock(sample, staff_a):
    leader = staff_a[Role.LEADER]
    request = _request(sample, staff_a, signer=leader)
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        assert (
            selectors.signature_request_access(user=leader, pk=request.pk, lock=True, signable=True)
            == request
        )
    assert 'FOR UPDATE OF "signing_signaturerequest"' in queries.captured_queries[-1]["sql"]
    with CaptureQueriesContext(connection) as queries:
        selectors.signature_request_access(user=leader, pk=request.pk)
    assert "FOR UPDATE" not in queries.captured_queries[-1]["sql"]


def _someone_waits_for_a_lock(seconds: float = 10) -> bool:
    deadline = time.monotonic() + seconds
    with connection.cursor() as cursor:
        while time.monotonic() < deadline:
            cursor.execute("SELECT pg_stat_clear_snapshot()")  # the view is a snapshot per transaction
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0]:
                return True
            time.sleep(0.05)
    return False


@pytest.mark.django_db(transaction=True)
def test_a_request_signed_while_waiting_for_the_lock_is_no_longer_signable(sample, staff_a):
    """The second signer waits for the first one's lock, then finds the request signed: PostgreSQL re-checks
    the filter on the row it waited for."""
    leader = staff_a[Role.LEADER]
    request = _request(sample, staff_a, signer=leader)
    locked, outcome = threading.Event(), []

    def second_signer():
        try:
            locked.wait(10)
            with transaction.atomic():
                selectors.signature_request_access(user=leader, pk=request.pk, lock=True, signable=True)
            outcome.append("found")
        except Http404:
            outcome.append("404")
        finally:
            connections.close_all()

    thread = threading.Thread(target=second_signer)
    thread.start()
    with transaction.atomic():
        first = selectors.signature_request_access(user=leader, pk=request.pk, lock=True, signable=True)
        locked.set()
        assert _someone_waits_for_a_lock(), "the second signer is not blocked on the row lock"
        first.status = SignatureRequest.Status.SIGNED
        first.save(update_fields=["status"])
    thread.join(10)
    assert outcome == ["404"]


def test_signing_someone_elses_request_is_refused_before_anything(sample, staff_a, staff_b):
    request = _request(sample, staff_a, signer=staff_a[Role.LEADER])
    for outsider in (staff_a[Role.OFFICER], staff_a[Role.CLERK], staff_b[Role.LEADER]):
        with pytest.raises(PermissionDenied):
            services.signature_request_sign(request=request, pin="123456", by=outsider)
    request.refresh_from_db()
    assert (request.status, request.error) == (SignatureRequest.Status.PENDING, "")


def test_request_file_same_404_for_missing_and_someone_elses(login, sample, staff_a, staff_b):
    request = _request(sample, staff_a, signer=staff_a[Role.LEADER])
    url = reverse("signing:request_file", args=[request.pk])
    assert login(staff_a[Role.OFFICER]).get(url).status_code == 200  # the requester
    assert login(staff_a[Role.LEADER]).get(url).status_code == 200  # the signer
    for user in (staff_a[Role.CLERK], staff_b[Role.LEADER]):
        assert login(user).get(url).status_code == 404
    missing = reverse("signing:request_file", args=[request.pk + 1000])
    assert login(staff_a[Role.LEADER]).get(missing).status_code == 404
