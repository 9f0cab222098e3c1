"""The cases as a source of the search page: found by code, content and unprotected names, under the same
visibility as the queue; a protected person's name or ID number finds nothing and is never printed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from complaints.models import CaseKind, CaseState
from complaints.search import KIND
from tests.complaints.conftest import COMPLAINANT, DENOUNCER, make_case

pytestmark = pytest.mark.django_db

SEARCH = reverse("documents:search")


def _found(response) -> set[int]:
    page = response.context.get("page")
    return {r.pk for r in page.object_list if r.kind == KIND} if page else set()


def test_cases_found_by_content_code_and_unprotected_name(org, client, login):
    complaint = make_case(org, content="Khiếu nại việc bồi thường giải phóng mặt bằng", people=[COMPLAINANT])
    c = login(org["reception"])
    response = c.get(SEARCH, {"q": "giai phong mat bang"})
    assert response.status_code == 200
    assert _found(response) == {complaint.pk}
    assert complaint.code in response.content.decode()
    assert _found(c.get(SEARCH, {"q": "Nguyễn Văn Khiếu"})) == {complaint.pk}
    assert _found(c.get(SEARCH, {"q": complaint.code})) == {complaint.pk}
    assert _found(c.get(SEARCH, {"number": complaint.code[:7]})) == {complaint.pk}
    assert _found(c.get(SEARCH, {"q": "giai phong", "state": f"{KIND}:{CaseState.REGISTERED}"})) == {
        complaint.pk
    }
    assert not _found(c.get(SEARCH, {"q": "giai phong", "state": f"{KIND}:{CaseState.CLOSED}"}))


def test_protected_identity_is_not_searchable(org, client, login):
    case = make_case(org, kind=CaseKind.DENUNCIATION, people=[DENOUNCER], content="Tố cáo cán bộ thu tiền")
    c = login(org["leader"])  # the decider: entitled to the identity, still never through search
    assert _found(c.get(SEARCH, {"q": "thu tien"})) == {case.pk}
    for term in ("Hoàng Thị Bí Mật", "Bí Mật", DENOUNCER.id_number, "Kim Mã", DENOUNCER.email):
        response = c.get(SEARCH, {"q": term})
        assert case.pk not in _found(response), term
        body = response.content.decode()
        # The page repeats what was typed; nothing else of the person appears.
        for other in (DENOUNCER.id_number, "Kim Mã", "Bí Mật", DENOUNCER.phone):
            if other not in term:
                assert other not in body, (term, other)


def test_search_keeps_case_visibility(org, client, login):
    case = make_case(org, content="Kiến nghị về trật tự đô thị", kind=CaseKind.PETITION)
    assert _found(login(org["reception"]).get(SEARCH, {"q": "trat tu do thi"})) == {case.pk}
    assert not _found(login(org["clerk"]).get(SEARCH, {"q": "trat tu do thi"}))
    assert not _found(login(org["other_b"]).get(SEARCH, {"q": "trat tu do thi"}))
