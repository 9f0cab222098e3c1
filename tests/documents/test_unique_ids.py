"""No page has two elements with one id (issue 14): every form of a record page has its own prefix, so a
label focuses its own form's field and screen readers read the right labels."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from documents.incoming import services
from documents.models import Confidentiality
from documents.records.services import files as records_services
from tests.documents.conftest import pdf_upload, receive
from tests.html_ids import duplicate_ids
from workflow.models import Assignment

pytestmark = pytest.mark.django_db


def _page(client, user, url):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def _assert_unique(client, user, url):
    html = _page(client, user, url)
    assert duplicate_ids(html) == {}, (user.full_name, url)
    return html


def test_duplicate_ids_are_found():
    assert duplicate_ids('<p id="a"></p><b id="a"></b><i id="b"></i>') == {"a": 2}
    assert duplicate_ids('<p id="a"></p><template><b id="a"></b></template>') == {}


def test_incoming_detail_has_unique_ids_for_every_role(people, client):
    """The officer who leads, coordinates on another document and finishes; the head who hands two parts
    on; the leader who directs; the clerk: each sees every form of the page, each with its own ids."""
    records_services.case_file_open(
        by=people["clerk"], year=2026, code="01.VP", title="Hồ sơ A", retention="10"
    )
    new = receive(people["clerk"], n=1)
    _assert_unique(client, people["leader"], new.get_absolute_url())
    _assert_unique(client, people["clerk"], new.get_absolute_url())

    doc = receive(people["clerk"], n=2, attachments=[pdf_upload("pl.pdf", "PL")])
    services.incoming_direct(
        document=doc,
        by=people["leader"],
        instruction="Xử lý",
        lead_department=people["unit"],
        coordinator_departments=[people["unit"]],
        coordinators=[people["officer2"]],
        due_at=timezone.now() + timedelta(days=3),
    )
    url = doc.get_absolute_url()
    html = _assert_unique(client, people["head"], url)
    assert html.count('data-testid="forward-form"') == 2
    lead = Assignment.objects.for_record(doc).get(role="lead", parent=None)
    services.incoming_forward(document=doc, assignment=lead, by=people["head"], to_user=people["officer"])
    services.incoming_request_input(
        document=doc, by=people["officer"], coordinators=[people["other_officer"]], note="Cho ý kiến"
    )
    html = _assert_unique(client, people["officer"], url)
    assert 'data-testid="progress-form"' in html and 'data-testid="finish-form"' in html
    _assert_unique(client, people["officer2"], url)
    _assert_unique(client, people["other_officer"], url)
    _assert_unique(client, people["leader"], url)
    _assert_unique(client, people["clerk"], url)

    secret = receive(
        people["clerk"], n=3, confidentiality=Confidentiality.SECRET, directing_leader=people["leader"]
    )
    _assert_unique(client, people["leader"], secret.get_absolute_url())
    _assert_unique(client, people["clerk"], secret.get_absolute_url())


def test_incoming_lists_have_unique_ids(people, client):
    receive(people["clerk"], n=1)
    for who in ("clerk", "leader", "head", "officer"):
        _assert_unique(client, people[who], reverse("documents:incoming_list"))
    _assert_unique(client, people["clerk"], reverse("documents:incoming_create"))


# --- outgoing documents -------------------------------------------------------------------------------

from tests.documents.outgoing.helpers import (  # noqa: E402
    _fields,
    _to_signing,
    office,  # noqa: F401
)
from tests.signing.conftest import _signing_settings, authority, pki_dir  # noqa: E402, F401


def test_outgoing_detail_has_unique_ids_for_every_role(office, agency_b, client):  # noqa: F811
    from documents.outgoing import services as outgoing

    draft = outgoing.draft_create(by=office["officer"], fields=_fields(office, agency_b))
    outgoing.consultation_start(
        document=draft,
        by=office["officer"],
        question="Xin ý kiến",
        people=[office["outsider"]],
        departments=[],
        deadline=timezone.now() + timedelta(days=2),
    )
    for who in ("officer", "head", "outsider"):
        _assert_unique(client, office[who], draft.get_absolute_url())
    submitted = outgoing.draft_submit(
        document=outgoing.draft_create(by=office["officer"], fields=_fields(office, agency_b)),
        by=office["officer"],
        reviewer=office["head"],
    )
    for who in ("officer", "head"):
        _assert_unique(client, office[who], submitted.get_absolute_url())
    signing = _to_signing(office, agency_b)
    for who in ("officer", "head", "leader"):
        _assert_unique(client, office[who], signing.get_absolute_url())
    signed = outgoing.document_sign(document=_to_signing(office, agency_b), by=office["leader"], pin="123456")
    for who in ("leader", "clerk"):
        _assert_unique(client, office[who], signed.get_absolute_url())
    issued = outgoing.document_issue(document=signed, by=office["clerk"], pin="123456")
    for who in ("leader", "clerk", "officer"):
        _assert_unique(client, office[who], issued.get_absolute_url())
    for name in ("outgoing_list", "outgoing_create"):
        _assert_unique(client, office["officer"], reverse(f"documents:{name}"))
