"""The read-replica router (eoffice/db_router.py) with a second alias ``replica`` on the test database (the
TEST MIRROR setup): which connection each read and write uses, the decorator's fallbacks, the pin cookie.

The alias is a separate connection to the same database, so ``CaptureQueriesContext`` on each connection
tells which one a query used. The tests are transactional: inside the ordinary test transaction every read
would stay on the primary by design (a read inside an atomic block belongs to a write)."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.db import connections, router, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from eoffice import db_router
from eoffice.db_router import PIN_COOKIE, REPLICA, ReplicaPinMiddleware, reading_from_replica, replica_reads
from eoffice.models import Role

User = get_user_model()

pytestmark = pytest.mark.filterwarnings("ignore:Overriding setting DATABASES:UserWarning")


def _attach(settings, **changes):
    """A connection ``replica`` to the test database (or, with ``changes``, elsewhere), as the settings
    would make it with DATABASE_REPLICA_URL set, and the router installed."""
    from django.db.utils import load_backend

    settings_dict = {**connections["default"].settings_dict, **changes, "TEST": {"MIRROR": "default"}}
    wrapper = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, REPLICA)
    settings.DATABASE_ROUTERS = ["eoffice.db_router.ReplicaRouter"]
    settings.DATABASES = {**settings.DATABASES, REPLICA: settings_dict}
    connections[REPLICA] = wrapper
    return wrapper


def _detach() -> None:
    connections[REPLICA].close()
    del connections[REPLICA]


@pytest.fixture
def replica(transactional_db, settings):
    try:
        yield _attach(settings)
    finally:
        _detach()


@pytest.fixture
def dead_replica(transactional_db, settings):
    """A replica alias whose server does not answer (a port nothing listens on)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    try:
        yield _attach(settings, HOST="127.0.0.1", PORT=str(port), OPTIONS={"connect_timeout": 2})
    finally:
        _detach()


def _where(func) -> tuple[int, int]:
    """How many queries ``func`` ran on (primary, replica)."""
    with (
        CaptureQueriesContext(connections["default"]) as primary,
        CaptureQueriesContext(connections[REPLICA]) as copy,
    ):
        func()
    return len(primary.captured_queries), len(copy.captured_queries)


def _read():
    return User.objects.filter(username__startswith="nobody-").count()


def test_reads_go_to_the_replica_only_inside_the_context(replica):
    assert _where(_read) == (1, 0)
    with reading_from_replica():
        assert _where(_read) == (0, 1)
        assert router.db_for_read(User) == REPLICA
    assert router.db_for_read(User) == "default"


def test_writes_and_reads_in_a_transaction_stay_on_the_primary(replica):
    with reading_from_replica():
        assert _where(lambda: User.objects.create_user(username="nobody-1", password="x")) != (0, 0)
        assert _where(lambda: User.objects.create_user(username="nobody-2", password="x"))[1] == 0
        assert router.db_for_write(User) == "default"

        def read_in_transaction():
            with transaction.atomic():
                assert _read() == 2

        assert _where(read_in_transaction)[1] == 0
        assert _where(_read) == (0, 1)


def test_migrations_run_on_the_primary_only(settings):
    settings.DATABASE_ROUTERS = ["eoffice.db_router.ReplicaRouter"]
    assert router.allow_migrate("default", "eoffice", model_name="user") is True
    assert router.allow_migrate(REPLICA, "eoffice", model_name="user") is False


def test_without_a_replica_the_context_and_decorator_change_nothing(db, settings):
    settings.DATABASE_ROUTERS = ["eoffice.db_router.ReplicaRouter"]
    assert REPLICA not in settings.DATABASES
    with reading_from_replica():
        assert router.db_for_read(User) == "default"
        with CaptureQueriesContext(connections["default"]) as primary:
            _read()
        assert len(primary.captured_queries) == 1
    view = replica_reads(lambda request: HttpResponse(str(_read())))
    request = RequestFactory().get("/")
    assert view(request).content == b"0" and request.replica_lag is None


def _counting_view(calls: list):
    def view(request):
        calls.append(db_router.read_alias())
        return HttpResponse(str(_read()))

    return replica_reads(view)


def test_the_decorator_reads_the_replica_and_measures_its_lag(replica):
    calls: list[str] = []
    request = RequestFactory().get("/")
    assert _where(lambda: _counting_view(calls)(request)) == (0, 2)  # the lag probe, then the view's read
    assert calls == [REPLICA]
    assert request.replica_lag == 0  # the mirror is the primary itself: nothing to replay


def test_an_unreachable_replica_leaves_the_page_on_the_primary(dead_replica):
    calls: list[str] = []
    request = RequestFactory().get("/")
    response = _counting_view(calls)(request)
    assert response.status_code == 200 and calls == ["default"] and request.replica_lag is None


def test_a_replica_lost_during_the_view_reads_the_page_again_from_the_primary(replica):
    calls: list[str] = []

    def view(request):
        calls.append(db_router.read_alias())
        if len(calls) == 1:  # the replica's server session ends under the view's feet
            with connections[REPLICA].cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid = cursor.fetchone()[0]
            with connections["default"].cursor() as cursor:
                cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        return HttpResponse(str(_read()))

    request = RequestFactory().get("/")
    response = replica_reads(view)(request)
    assert response.content == b"0" and calls == [REPLICA, "default"]
    assert request.replica_lag is None


def test_a_sent_form_sets_the_pin_cookie_for_max_lag_seconds(monkeypatch):
    monkeypatch.setenv("DATABASE_REPLICA_MAX_LAG", "12")
    middleware = ReplicaPinMiddleware(lambda request: HttpResponse("ok"))
    factory = RequestFactory()
    cookie = middleware(factory.post("/x/")).cookies[PIN_COOKIE]
    assert cookie["max-age"] == 12 and cookie["httponly"]
    assert PIN_COOKIE not in middleware(factory.get("/x/")).cookies
    refused = ReplicaPinMiddleware(lambda request: HttpResponse("no", status=400))
    assert PIN_COOKIE not in refused(factory.post("/x/")).cookies


def test_a_person_who_just_sent_a_form_reads_the_primary(replica):
    calls: list[str] = []
    pinned = RequestFactory().get("/")
    pinned.COOKIES[PIN_COOKIE] = "1"
    assert _where(lambda: _counting_view(calls)(pinned)) == (1, 0)
    assert calls == ["default"]


PERSON_READS = ('SELECT "eoffice_user".', 'SELECT "eoffice_agency".')


def test_the_search_and_statistics_pages_read_from_the_replica(replica, staff_a, login):
    client = login(staff_a[Role.LEADER])
    for url in ("/documents/search/?q=ke+hoach", "/audit/stats/", "/documents/stats/"):
        with (
            CaptureQueriesContext(connections["default"]) as primary,
            CaptureQueriesContext(connections[REPLICA]) as copy,
        ):
            response = client.get(url)
        assert response.status_code == 200, url
        assert copy.captured_queries, url
        on_primary = [
            q["sql"] for q in primary.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")
        ]
        # the person loads from the primary before the view (login_required); the page's reads do not
        assert all(q.startswith(PERSON_READS) for q in on_primary), (url, on_primary)
