"""signing.selectors: the batch access helper (the one way a batch is loaded for a user)."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from eoffice.models import Role
from signing import selectors
from signing.models import SignatureBatch


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
