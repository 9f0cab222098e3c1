"""documents.outgoing.views: the list page."""

from __future__ import annotations

from django.db import connection
from django.urls import reverse

from documents.outgoing import services
from tests.documents.outgoing.helpers import (
    _fields,
)
from tests.signing.conftest import _signing_settings, authority, pki_dir  # noqa: F401


def test_list_page_queries_do_not_grow_with_rows(office, agency_b, client, django_assert_max_num_queries):
    for _ in range(3):
        services.draft_create(by=office["officer"], fields=_fields(office, agency_b))
    client.force_login(office["officer"])
    url = reverse("documents:outgoing_queue", args=["mine"])
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(6):
        services.draft_create(by=office["officer"], fields=_fields(office, agency_b))
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.status_code == 200 and response.content.count(b"doc-summary") >= 9
    assert len(many.captured_queries) == len(few.captured_queries)
