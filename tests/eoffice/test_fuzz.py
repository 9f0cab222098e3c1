"""Malformed input on every list, search, statistics, queue and public page: never a server error.

The pages come from the URL resolver: every route without a path argument (the admin's add forms and
POST-only actions aside), plus the queue routes with each of their queues and the public verification
page. Each page is opened anonymously first, then by the role that works there (clerk, leader, unit head,
officer, one-stop officer, agency admin), then by anyone else, until someone may open it; that person
sends the malformed values below in every query parameter the page reads: the names of its GET forms'
fields and of its own links' query strings (read from the page itself), the parameters every page is
probed with, and a valid starting query for the pages that need one. Every answer must be below 500 —
a clear message, a 400 or a 404, never a traceback.
"""

from __future__ import annotations

from html.parser import HTMLParser
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.db import transaction
from django.http import Http404
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from documents.incoming import selectors as incoming_selectors
from documents.outgoing import selectors as outgoing_selectors
from eoffice.models import Role, ServiceHeartbeat
from onestop import selectors as onestop_selectors
from tests.documents.conftest import receive as receive_incoming
from tests.factories import make_department, make_user
from tests.onestop.conftest import make_procedure
from tests.onestop.conftest import receive as receive_dossier

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
# Sent in all of a page's parameters at once.
BAD_VALUES = [
    HUGE,
    "-1",
    "²",  # str.isdigit() accepts it, int() refuses it
    "١٢",  # Arabic-Indic digits: int() accepts them
    "abc",
    " 2 ",
    "\x00",
    "x" * 5000,
    "2026-13-45",
    "person-" + HUGE,
]
# Sent in each parameter on its own (one bad field can hide the others behind an invalid form).
EACH_VALUES = [HUGE, "²", "\x00"]
# Parameters every page is probed with, whether or not it shows them (some pages read them unasked).
COMMON_PARAMS = ["page", "year", "procedure", "from", "q", "date", "status", "scope", "type"]
# And those of Django's admin lists: page, ordering, search, show all, popup, the field a popup returns.
ADMIN_PARAMS = ["p", "o", "q", "all", "e", "_popup", "_to_field", "_changelist_filters"]

# Routes without path arguments that are no page to fuzz: POST-only actions, and forms of the admin.
SKIP = {"/account/logout/", "/admin/logout/", "/i18n/setlang/"}
# Pages that need a valid query to get past their first check (their own links give these).
START = {
    "/documents/search/export/": {"q": "kế hoạch"},
    "/documents/stats/list/": {"bucket": "all"},
    "/onestop/stats/export/": {"format": "xlsx"},
    "/onestop/stats/list/": {"col": "received"},
    "/meetings/stats/export/": {"format": "xlsx"},
    "/complaints/stats/list/": {"col": "received"},
}
# Whom to try first on each part of the site (then everybody else, so that every page is fuzzed by someone
# who may open it). Anonymous comes first everywhere: a public page is fuzzed as the public.
FIRST = [
    ("/documents/stats/list/", Role.DEPARTMENT_HEAD),
    ("/documents/stats/", Role.LEADER),
    ("/meetings/stats/", Role.LEADER),
    ("/complaints/", Role.LEADER),
    ("/documents/", Role.CLERK),
    ("/onestop/", Role.ONESTOP_OFFICER),
    ("/work/items/", Role.DEPARTMENT_HEAD),
    ("/work/", Role.LEADER),
    ("/signing/", Role.LEADER),
    ("/admin/", Role.AGENCY_ADMIN),
    ("/", Role.OFFICER),
]
# Routes nobody opens with a plain GET here: switched off in the tests (the test TSA, its CA), an image
# the agency has not uploaded, the admin's autocomplete (its own parameters), the page shown once after an
# online submission (a redirect without it), /meetings/ and /complaints/ (redirects to pages fuzzed at their
# own paths).
# POST-only routes (405) are left out on their own.
NOBODY = {
    "/signing/tsa/",
    "/signing/ca.pem",
    "/agency/seal.png",
    "/admin/autocomplete/",
    "/mot-cua/nop-ho-so/da-gui/",
    "/meetings/",
    "/complaints/",
    "/don-thu/gui-don/da-gui/",
    # the second sign-in step (a redirect without a pending password step), and Django admin's login
    # (sent to the two-step sign-in)
    "/account/verify/",
    "/admin/login/",
    # a permanent redirect to the shipped icon, whatever the query
    "/favicon.ico",
}


def _routes(patterns, prefix: str = ""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            yield from _routes(pattern.url_patterns, prefix + str(pattern.pattern))
        elif isinstance(pattern, URLPattern):
            yield prefix + str(pattern.pattern)


def _pages() -> list[str]:
    """Every route without a path argument (but the admin's add forms), every queue of the queue routes,
    and the public verification page."""
    pages = set()
    for route in _routes(get_resolver().url_patterns):
        if "<" in route or "^" in route or "(?P" in route:
            continue
        path = "/" + route
        if path not in SKIP and not (path.startswith("/admin/") and path.endswith("/add/")):
            pages.add(path)
    queues = [
        *(reverse("documents:incoming_queue", args=[q]) for q in incoming_selectors.QUEUES),
        *(reverse("documents:outgoing_queue", args=[q]) for q in outgoing_selectors.QUEUES),
        *(reverse("onestop:queue", args=[q]) for q in onestop_selectors.QUEUES),
    ]
    return [*sorted(pages), *queues, "/verify/{code}/"]


def _same_view_again(path: str) -> bool:
    """A queue after the first of its route: the same view and form, another queryset."""
    return any(path.startswith(prefix) and not path.endswith(first) for prefix, first in _FIRST_QUEUES)


_FIRST_QUEUES = [
    (reverse("documents:incoming_queue", args=["x"])[:-2], f"/{incoming_selectors.QUEUES[0]}/"),
    (reverse("documents:outgoing_queue", args=["x"])[:-2], f"/{outgoing_selectors.QUEUES[0]}/"),
    (reverse("onestop:queue", args=["x"])[:-2], f"/{next(iter(onestop_selectors.QUEUES))}/"),
]


PAGES = _pages()


class _Names(HTMLParser):
    """The names a page sends back to itself: its GET forms' fields and its own links' query keys."""

    def __init__(self, path: str):
        super().__init__()
        self.path, self.names, self.in_get_form = path, set(), False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.in_get_form = (attrs.get("method") or "get").lower() == "get"
        elif tag in ("input", "select", "textarea") and self.in_get_form and attrs.get("name"):
            self.names.add(attrs["name"])
        elif tag == "a" and attrs.get("href"):
            url = urlsplit(attrs["href"])
            if url.query and url.path in ("", self.path):
                self.names.update(key for key, _value in parse_qsl(url.query, keep_blank_values=True))

    def handle_endtag(self, tag):
        if tag == "form":
            self.in_get_form = False


def _names(path: str, html: str) -> set[str]:
    parser = _Names(path)
    parser.feed(html)
    return parser.names - {"csrfmiddlewaretoken"}


@pytest.fixture
def world(agency_a, staff_a, settings):
    """Agency A with one person per role and a superuser, a one-stop procedure, an incoming document and a
    dossier (the lists, queues and statistics have rows), and a public verification record."""
    from signing.models import PublicVerification

    settings.EOFFICE_BADGE_SECONDS = 600  # the sidebar's counts once per person, not at every request
    people = {**staff_a, "superuser": make_user(agency=None, roles=(), is_staff=True, is_superuser=True)}
    procedure = make_procedure(agency_a, unit=make_department(agency=agency_a, name="Phòng Đăng ký"))
    document = receive_incoming(staff_a[Role.CLERK])
    receive_dossier(procedure, {"onestop": staff_a[Role.ONESTOP_OFFICER]})
    report = {"sha256": "0" * 64, "size": 1000, "pages": 1, "signatures": [], "error": "", "checked_at": ""}
    PublicVerification.objects.create(code="fuzz-code-1", title="Văn bản", sha256="0" * 64, report=report)
    # a worker and beat alive, so that /readyz answers 200 (and is fuzzed) rather than its 503 "not ready"
    for kind in ServiceHeartbeat.Kind.values:
        ServiceHeartbeat.objects.create(kind=kind, hostname=f"{kind}@fuzz")
    return {"people": people, "procedure": procedure, "document": document}


def _client(user=None) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _get(client: Client, path: str, query: dict):
    """One GET; a database error inside it is rolled back, so that it does not fail the requests after it."""
    savepoint = transaction.savepoint()
    response = client.get(path, query)
    if response.status_code >= 500:
        transaction.savepoint_rollback(savepoint)
    else:
        transaction.savepoint_commit(savepoint)
    return response


def _candidates(path: str, people: dict) -> list[tuple[str, object]]:
    first = next(role for prefix, role in FIRST if path.startswith(prefix))
    order = [first, *(name for name in people if name != first)]
    return [("anonymous", None), *((str(name), people[name]) for name in order)]


@pytest.mark.parametrize("page", PAGES)
def test_malformed_query_never_a_server_error(world, page):
    """The first who may open the page (anonymous for a public page) sends every malformed value in all its
    parameters at once, then the worst ones in each parameter on its own."""
    path = page.format(code="fuzz-code-1")
    start = START.get(path, {})
    for who, user in _candidates(path, world["people"]):
        client = _client(user)
        response = _get(client, path, start)
        assert response.status_code < 500, f"{who} GET {path}?{start} → {response.status_code}"
        if response.status_code == 405:
            return  # a POST-only action, no page
        if response.status_code == 200:
            break  # else not this person's page: 403, 404, or a redirect to the login page
    else:
        assert path in NOBODY, f"nobody could open {path}: the fuzz would test nothing"
        return
    html = response.content.decode(errors="replace") if "html" in response.get("Content-Type", "") else ""
    names = (_names(path, html) | set(COMMON_PARAMS)) - set(start)
    if path.startswith("/admin/"):
        names |= set(ADMIN_PARAMS)
    failures = []
    for value in BAD_VALUES:
        if (status := _get(client, path, {**start, **dict.fromkeys(names, value)}).status_code) >= 500:
            failures.append(f"{who} GET {path} (every parameter)={value[:20]!r} → {status}")
    each = {"page", *start} if _same_view_again(path) else names | set(start)
    for name in sorted(each):
        for value in EACH_VALUES:
            if (status := _get(client, path, {**start, name: value}).status_code) >= 500:
                failures.append(f"{who} GET {path} {name}={value[:20]!r} → {status}")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize(
    "path",
    ["/verify/%00/", "/verify/a%00b/", "/documents/incoming/q/%00/", "/documents/outgoing/q/%00/"],
)
def test_nul_byte_in_the_path_is_not_a_server_error(client, staff_a, path):
    client.raise_request_exception = False
    assert client.get(path).status_code == 400
    client.force_login(staff_a[Role.CLERK], backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(path).status_code == 400
    assert client.get("/documents/incoming/", {"q": "a\x00b"}).status_code == 400


def test_public_verify_of_an_impossible_code_is_a_404(client):
    """The view itself (behind the middleware): a code no record can have is "not found", without SQL."""
    from signing.views import public_verify

    request = RequestFactory().get("/verify/x/")
    for code in ("\x00", "a\x00b", "x" * 5000):
        with pytest.raises(Http404):
            public_verify(request, code)


def test_register_post_with_a_unicode_digit_is_not_a_server_error(world):
    clerk = world["people"][Role.CLERK]
    client = Client(raise_request_exception=False)
    client.force_login(clerk, backend="django.contrib.auth.backends.ModelBackend")
    url = reverse("documents:incoming_register", args=[world["document"].pk])
    for value in ("²", HUGE, "\x00", "-1"):
        response = client.post(url, {"directing_leader": value})
        assert response.status_code == 302, value


def test_incoming_form_rejects_a_unicode_digit_with_a_message(world, client):
    """The registration form's number field: "²" is refused with a Vietnamese message, not a 500."""
    client.raise_request_exception = False
    client.force_login(world["people"][Role.CLERK], backend="django.contrib.auth.backends.ModelBackend")
    response = client.post(reverse("documents:incoming_create"), {"page_count": "²", "summary": "x"})
    assert response.status_code == 200
    assert "page_count" in response.context["form"].errors
    assert "số nguyên" in " ".join(response.context["form"].errors["page_count"])


def test_receive_post_with_unicode_digits_is_not_a_server_error(world):
    """The counter's form: a procedure and paper quantities in digits ``int()`` refuses."""
    procedure = world["procedure"]
    client = Client(raise_request_exception=False)
    client.force_login(
        world["people"][Role.ONESTOP_OFFICER], backend="django.contrib.auth.backends.ModelBackend"
    )
    data = {"procedure": "²", "extra-0-name": "Bản vẽ", "extra-0-quantity": "²"}
    for paper in procedure.papers.all():
        data[f"paper-{paper.pk}-received"] = "on"
        data[f"paper-{paper.pk}-quantity"] = "²"
    assert client.post(reverse("onestop:receive"), data).status_code == 200
    data["procedure"] = str(procedure.pk)
    response = client.post(reverse("onestop:receive"), data)
    assert response.status_code == 200
    assert "Số lượng từ 1 đến" in response.content.decode()


@pytest.mark.parametrize("url", ["onestop_public:rate", "onestop_public:supplement"])
def test_public_posts_with_a_malformed_code_are_not_a_server_error(world, url):
    """Anyone may post to the public rating and supplement forms: a malformed code is "not found"."""
    for value in [*EACH_VALUES, "TN-\x00", "x" * 5000]:
        data = {"code": value, "action": value, "rating": value, "comment": value, "otp-code": value}
        assert _client().post(reverse(url), data).status_code < 500, value


def test_table_spans_take_ascii_digits_only():
    """colspan/rowspan of a draft's body: "²" was kept as typed (nh3 ignores the filter's ValueError)."""
    from documents.outgoing import richtext

    html = richtext.sanitize(
        '<table><tr><td colspan="²">a</td><td rowspan="3">b</td><td colspan="999">c</td></tr></table>'
    )
    assert 'colspan="²"' not in html and 'colspan="999"' not in html
    assert 'rowspan="3"' in html


@pytest.mark.parametrize(
    "query",
    [
        {"submitted_at__year": "99999999999999999999"},
        {"submitted_at__year": "9999", "submitted_at__month": "12", "submitted_at__day": "31"},
        {"submitted_at__year": "²"},
    ],
)
def test_admin_date_hierarchy_out_of_range_is_not_a_server_error(world, query):
    """Django catches only ValueError there; an OverflowError was a 500 (eoffice.admin.SafeChangeList)."""
    client = _client(world["people"]["superuser"])
    response = _get(client, "/admin/onestop/dossier/", query)
    assert response.status_code == 302
    assert response["Location"].endswith("?e=1")
