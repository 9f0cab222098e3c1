import os
import uuid

import pytest

os.environ.setdefault("EOFFICE_TESTING", "1")

from eoffice.models import Role  # noqa: E402
from tests.browser.fixtures import browser, open_page  # noqa: E402, F401
from tests.factories import PASSWORD, make_agency, make_department, make_user  # noqa: E402


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path, request):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "media")},
        },
    }
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.AXES_ENABLED = True
    # Badges counted at every page (tests check them right after services run; tests/eoffice/test_shell.py
    # covers the cache itself).
    settings.EOFFICE_BADGE_SECONDS = 0
    # A cache of its own for every test (fragments and badges are keyed by ids that repeat across tests and
    # across pytest-xdist workers sharing one Redis) — except with a real Celery worker, which must read
    # what the test wrote (a signing session); those tests run alone (tests/run_suite.sh).
    if request.node.get_closest_marker("realworker") is None:
        prefix = f"test-{uuid.uuid4().hex}"
        settings.CACHES = {"default": {**settings.CACHES["default"], "KEY_PREFIX": prefix}}


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def agency_a(db):
    return make_agency(name="Sở Kế hoạch và Đầu tư", abbreviation="SKHĐT", code="000.00.31.H26")


@pytest.fixture
def agency_b(db):
    return make_agency(name="Sở Thông tin và Truyền thông", abbreviation="STTTT", code="000.00.32.H26")


@pytest.fixture
def dept_a(agency_a):
    return make_department(agency=agency_a, name="Văn phòng", abbreviation="VP")


@pytest.fixture
def dept_b(agency_b):
    return make_department(agency=agency_b, name="Văn phòng", abbreviation="VP")


@pytest.fixture
def staff_a(agency_a, dept_a):
    """One person per role in agency A."""
    return {
        role: make_user(agency=agency_a, department=dept_a, roles=[role], username=f"a_{role}")
        for role in Role.values
    }


@pytest.fixture
def staff_b(agency_b, dept_b):
    return {
        role: make_user(agency=agency_b, department=dept_b, roles=[role], username=f"b_{role}")
        for role in Role.values
    }


@pytest.fixture
def officer_a(staff_a):
    return staff_a[Role.OFFICER]


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
        return client

    return _login


# The tests whose outcome can depend on which PostgreSQL and Redis serve them: the core (settings, cache,
# sessions, the embedded launcher, Celery wiring), the workflow engine (locks, SKIP LOCKED scans, the
# calendar cache), the signing app (its PIN locks and caches), and every test that talks to a real worker
# or Redis, and the exchange's outbox, inbox and transports (not the page fuzz nor the PDF/Excel output).
# CI runs the whole suite on the embedded servers and these again on the machine's servers.
SERVICES_DIRS = (
    "tests/eoffice/",
    "tests/workflow/",
    "tests/signing/",
    *(
        f"tests/documents/exchange/test_{name}"
        for name in ("outbox", "inbox", "statuses", "transport", "node")
    ),
)

NOT_SERVICES = ("tests/eoffice/test_fuzz.py", "tests/eoffice/output/")


def pytest_collection_modifyitems(config, items):
    """Browser tests last: Playwright's event loop stays in the test thread while a browser is open.
    Items that depend on the servers get the ``services`` marker (see SERVICES_DIRS)."""
    root = str(config.rootpath).rstrip("/") + "/"
    for item in items:
        path = str(item.path).removeprefix(root)
        if (path.startswith(SERVICES_DIRS) and not path.startswith(NOT_SERVICES)) or any(
            item.get_closest_marker(name) for name in ("celery", "realworker")
        ):
            item.add_marker(pytest.mark.services)
    items.sort(key=lambda item: item.get_closest_marker("browser") is not None)
