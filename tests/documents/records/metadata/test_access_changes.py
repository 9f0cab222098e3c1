"""Access-right changes (III.3c): a grant asked on the secret document's page is recorded pending, warned of
on the page and counted in the confirmers' badge; nothing changes until a leader or the agency admin (not
the person who asked) confirms; a refusal leaves everything as it was; another agency sees nothing. The same
for a case file's usage rights."""

from __future__ import annotations

import pytest
from django.urls import reverse

from documents.incoming import selectors as incoming_selectors
from documents.models import Confidentiality
from documents.records.metadata.selectors import pending_count
from documents.records.models import AccessChange
from tests.documents.conftest import receive
from tests.documents.records.metadata.conftest import make_case_file

pytestmark = pytest.mark.django_db


def _secret(people):
    return receive(people["clerk"], confidentiality=Confidentiality.SECRET, directing_leader=people["leader"])


def _ask_grant(client, doc, user):
    return client.post(
        reverse("documents:incoming_grant", args=[doc.pk]), {"grant-users": [user.pk]}, follow=True
    )


def _decide(client, change, decision):
    return client.post(
        reverse("documents:access_change_decide", args=[change.pk]), {"decision": decision}, follow=True
    )


def _sees(user, doc) -> bool:
    return incoming_selectors.visible_incoming(user).filter(pk=doc.pk).exists()


def test_grant_waits_for_confirmation_then_applies(people, admin_a, login):
    doc = _secret(people)
    clerk, officer, deputy = people["clerk"], people["officer2"], people["deputy"]
    detail = reverse("documents:incoming_detail", args=[doc.pk])
    assert 'name="grant-users"' in login(clerk).get(detail).content.decode()
    response = _ask_grant(login(clerk), doc, officer)
    assert "chờ" in response.content.decode() or "xác nhận" in response.content.decode()
    change = AccessChange.objects.get()
    assert (change.status, change.action, change.grantee, change.requested_by) == (
        "pending",
        "grant",
        officer,
        clerk,
    )
    # nothing changed yet: the officer still gets a 404
    assert not _sees(officer, doc)
    assert login(officer).get(detail).status_code == 404
    # the warning on the record page, the badge for the confirmers
    html = login(clerk).get(detail).content.decode()
    assert 'data-testid="access-pending"' in html and officer.full_name in html
    assert pending_count(deputy) == 1 and pending_count(admin_a) == 1 and pending_count(clerk) == 0
    listing = login(deputy).get(reverse("documents:access_change_list")).content.decode()
    assert 'data-testid="access-change-row"' in listing and 'data-testid="access-decide-form"' in listing
    # confirmed by the deputy leader: the right takes effect, the officer is told
    response = _decide(login(deputy), change, "confirm")
    assert "có hiệu lực" in response.content.decode()
    change.refresh_from_db()
    assert change.status == "confirmed" and change.decided_by == deputy
    assert _sees(officer, doc) and login(officer).get(detail).status_code == 200
    assert officer.notifications.filter(title__contains="quyền xem").exists()
    assert pending_count(deputy) == 0
    assert 'data-testid="access-pending"' not in login(clerk).get(detail).content.decode()


def test_refusal_leaves_it(people, login):
    doc = _secret(people)
    _ask_grant(login(people["clerk"]), doc, people["officer2"])
    change = AccessChange.objects.get()
    response = _decide(login(people["leader"]), change, "refuse")
    assert "quyền truy cập giữ nguyên" in response.content.decode()
    change.refresh_from_db()
    assert change.status == "refused" and not _sees(people["officer2"], doc)
    # decided once: a second decision is refused with a message, nothing changes
    response = _decide(login(people["deputy"]), change, "confirm")
    assert "Đề nghị này đã được xử lý." in response.content.decode()
    assert not _sees(people["officer2"], doc)


def test_only_authorised_people_confirm(people, people_b, login):
    doc = _secret(people)
    _ask_grant(login(people["leader"]), doc, people["officer2"])
    change = AccessChange.objects.get()
    # the person who asked, a clerk, an officer: refused; another agency: 404
    assert _decide(login(people["leader"]), change, "confirm").status_code == 403
    assert _decide(login(people["clerk"]), change, "confirm").status_code == 403
    assert _decide(login(people["officer"]), change, "confirm").status_code == 403
    assert _decide(login(people_b["leader"]), change, "confirm").status_code == 404
    change.refresh_from_db()
    assert change.status == "pending" and not _sees(people["officer2"], doc)
    assert (
        "access-change-row"
        not in login(people_b["leader"]).get(reverse("documents:access_change_list")).content.decode()
    )


def test_revoke_is_confirmed_too(people, login):
    from documents.incoming.services.common import grant_view

    doc = _secret(people)
    grant_view(doc, [people["officer2"]])
    assert _sees(people["officer2"], doc)
    client = login(people["clerk"])
    html = client.get(reverse("documents:incoming_detail", args=[doc.pk])).content.decode()
    assert 'data-testid="access-grantees"' in html
    client.post(reverse("documents:access_revoke_request", args=[doc.pk]), {"user": people["officer2"].pk})
    change = AccessChange.objects.get(action="revoke")
    assert _sees(people["officer2"], doc)  # not before the confirmation
    _decide(login(people["leader"]), change, "confirm")
    assert not _sees(people["officer2"], doc)


def test_case_file_rights_change(people, people_b, login):
    from django.template import Context, Template
    from django.test import RequestFactory

    case_file = make_case_file(people["clerk"], rights="restricted")
    url = reverse("documents:casefile_rights_request", args=[case_file.pk])
    # the partial helper 2's page includes: the form for a manager
    request = RequestFactory().get("/")
    request.user = people["clerk"]
    html = Template('{% include "documents/records/metadata/_rights.html" with case_file=cf %}').render(
        Context({"cf": case_file, "request": request})
    )
    assert 'data-testid="rights-form"' in html and 'name="new_rights"' in html
    assert "Phụ lục VI, Phần II, Mục III" in html and 'data-field="rights"' in html  # the file's metadata
    # another agency: 404; an officer who does not manage it: refused
    assert login(people_b["clerk"]).post(url, {"new_rights": "public", "reason": "x"}).status_code == 404
    response = login(people["clerk"]).post(
        url, {"new_rights": "public", "reason": "Công khai theo quy chế"}, follow=True
    )
    assert "chờ lãnh đạo xác nhận" in response.content.decode()
    change = AccessChange.objects.get(kind="casefile")
    case_file.refresh_from_db()
    assert case_file.rights == "restricted" and change.new_rights == "public"
    html = Template('{% include "documents/records/metadata/_rights.html" with case_file=cf %}').render(
        Context({"cf": case_file, "request": request})
    )
    assert 'data-testid="access-pending"' in html and 'data-testid="rights-form"' not in html
    # a second request while one waits: refused with a message
    response = login(people["clerk"]).post(url, {"new_rights": "secret", "reason": "Mật"}, follow=True)
    assert "đang chờ xác nhận" in response.content.decode()
    assert _decide(login(people_b["leader"]), change, "confirm").status_code == 404
    _decide(login(people["leader"]), change, "confirm")
    case_file.refresh_from_db()
    assert case_file.rights == "public"
