import threading

import pytest
from django.db import IntegrityError, connection, transaction

from documents.models import IncomingDocument, Register, RegisterCounter
from documents.registers import numbering
from tests.documents.conftest import receive


@pytest.mark.django_db
def test_consecutive_and_restart_each_year(agency_a):
    register = numbering.default_register(agency=agency_a)
    with transaction.atomic():
        got = [numbering.issue(register=register, year=2025) for _ in range(3)]
        new_year = numbering.issue(register=register, year=2026)
    assert got == [(2025, 1), (2025, 2), (2025, 3)]
    assert new_year == (2026, 1)
    assert numbering.display(7) == "07" and numbering.display(12) == "12"


@pytest.mark.django_db
def test_rollback_leaves_no_gap(agency_a):
    register = numbering.default_register(agency=agency_a)
    with transaction.atomic():
        numbering.issue(register=register, year=2026)
    with pytest.raises(RuntimeError), transaction.atomic():
        numbering.issue(register=register, year=2026)
        raise RuntimeError("the registration failed")
    with transaction.atomic():
        assert numbering.issue(register=register, year=2026) == (2026, 2)


@pytest.mark.django_db(transaction=True)
def test_issue_requires_transaction(agency_a):
    register = numbering.default_register(agency=agency_a)
    with pytest.raises(numbering.NotInTransaction):
        numbering.issue(register=register, year=2026)


@pytest.mark.django_db
def test_several_registers_are_independent(agency_a, people):
    secret = Register.objects.create(agency=agency_a, kind=Register.Kind.INCOMING, code="MAT", name="Sổ mật")
    a = receive(people["clerk"], n=1)
    b = receive(people["clerk"], n=2, register=secret)
    c = receive(people["clerk"], n=3)
    assert (a.number, b.number, c.number) == (1, 1, 2)


@pytest.mark.django_db
def test_unique_constraint_backs_the_counter(agency_a, people):
    doc = receive(people["clerk"], n=1)
    other = receive(people["clerk"], n=2)
    with pytest.raises(IntegrityError), transaction.atomic():
        IncomingDocument.objects.filter(pk=other.pk).update(number=doc.number)


@pytest.mark.django_db(transaction=True)
def test_concurrent_clerks_get_consecutive_numbers(agency_a, people):
    """Threads with their own database connections register at once: 1..N, no duplicate, no gap."""
    clerk = people["clerk"]
    workers, per_worker = 6, 4
    barrier = threading.Barrier(workers)
    errors: list[BaseException] = []

    def work(w: int) -> None:
        try:
            barrier.wait()
            for i in range(per_worker):
                receive(clerk, n=w * 100 + i)
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(w,)) for w in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors, errors
    numbers = sorted(IncomingDocument.objects.values_list("number", flat=True))
    assert numbers == list(range(1, workers * per_worker + 1))
    assert RegisterCounter.objects.get().last_number == workers * per_worker


@pytest.mark.django_db(transaction=True)
def test_concurrent_issue_raw(agency_a):
    register = numbering.default_register(agency=agency_a)
    results: list[int] = []
    lock = threading.Lock()
    barrier = threading.Barrier(8)

    def work() -> None:
        try:
            barrier.wait()
            for _ in range(5):
                with transaction.atomic():
                    _year, n = numbering.issue(register=register, year=2030)
                with lock:
                    results.append(n)
        finally:
            connection.close()

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == list(range(1, 41))
