"""Through HTTP: the draft form offers the people allowed for the prefix (htmx refresh and plain post), and
the page "Giao ký, ủy quyền ký" (list, create, revoke with history; who may open it; another agency's
records out of reach; reached from the menu)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from documents.outgoing.models import SigningAuthorization
from tests.documents.outgoing.signers.conftest import doc_type, grant
from workflow.models import HistoryEntry

pytestmark = pytest.mark.django_db


def options(html: str, select: str = "signer") -> dict[str, str]:
    block = re.search(rf'<select name="{select}"[^>]*>(.*?)</select>', html, re.S).group(1)
    return {v: label for v, label in re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', block) if v}


def test_draft_form_offers_the_people_of_the_prefix(client, org):
    client.force_login(org["officer"])
    letter = doc_type("Công văn")
    page = client.get(reverse("documents:outgoing_create"), {"type": letter.pk}).content.decode()
    assert set(options(page)) == {str(org["head"].pk)}  # no prefix: the head only
    url = reverse("documents:outgoing_signer_choices")
    assert f'hx-get="{url}"' in page and 'id="signer-choices"' in page
    kt = client.get(url, {"signer_authority": "KT.", "doc_type": letter.pk}).content.decode()
    assert set(options(kt)) == {str(org["deputy"].pk)}
    tl = client.get(url, {"signer_authority": "TL.", "doc_type": letter.pk}).content.decode()
    assert set(options(tl)) == {str(org["unit_head"].pk)}
    assert set(options(client.get(url, {"signer_authority": "TUQ."}).content.decode())) == set()
    grant(
        org, authority="TUQ.", grantee=org["unit_head"], start=timezone.localdate(), end=None, types=[letter]
    )
    tuq = client.get(url, {"signer_authority": "TUQ.", "doc_type": letter.pk}).content.decode()
    assert set(options(tuq)) == {str(org["unit_head"].pk)}
    other_type = client.get(url, {"signer_authority": "TUQ.", "doc_type": doc_type("Quyết định").pk})
    assert set(options(other_type.content.decode())) == set()
    # The person chosen before the prefix changed stays shown, marked.
    kept = client.get(url, {"signer_authority": "KT.", "signer": org["head"].pk}).content.decode()
    assert "không được ký với thẩm quyền này" in options(kept)[str(org["head"].pk)]


def test_plain_post_revalidates_with_the_reason(client, org):
    client.force_login(org["officer"])
    letter = doc_type("Công văn")
    data = {
        "doc_type": letter.pk,
        "summary": "Về việc báo cáo tình hình",
        "signer": org["deputy"].pk,
        "signer_authority": "",
        "copies": 1,
        "urgency": 0,
        "confidentiality": 0,
    }
    response = client.post(reverse("documents:outgoing_create") + f"?type={letter.pk}", data)
    html = response.content.decode()
    assert response.status_code == 200 and "không được ký với thẩm quyền ký trực tiếp" in html
    assert set(options(html)) >= {str(org["head"].pk)}


def _new(client, org, **extra):
    today = timezone.localdate()
    data = {
        "authority": "TUQ.",
        "grantee": org["unit_head"].pk,
        "grantor": org["head"].pk,
        "authority_title": "Giám đốc",
        "doc_types": [doc_type("Công văn").pk],
        "scope": "Văn bản hành chính của Văn phòng",
        "valid_from": today.isoformat(),
        "valid_to": (today + timedelta(days=30)).isoformat(),
        "decision_number": "25/QĐ-SKHĐT",
        "decision_date": today.isoformat(),
    }
    data.update(extra)
    return client.post(reverse("documents:authorization_create"), data)


def test_admin_creates_and_revokes_with_history(client, org):
    client.force_login(org["admin"])
    response = _new(client, org)
    assert response.status_code == 302
    record = SigningAuthorization.objects.get()
    assert (record.authority_title, record.created_by, record.grantee) == (
        "GIÁM ĐỐC",
        org["admin"],
        org["unit_head"],
    )
    listing = client.get(reverse("documents:authorization_list")).content.decode()
    assert "25/QĐ-SKHĐT" in listing and "Đang hiệu lực" in listing
    detail_url = reverse("documents:authorization_detail", args=[record.pk])
    assert (
        client.post(reverse("documents:authorization_revoke", args=[record.pk]), {"reason": ""}).status_code
        == 302
    )
    assert SigningAuthorization.objects.get().revoked_at is None
    client.post(
        reverse("documents:authorization_revoke", args=[record.pk]), {"reason": "Ông Hải nghỉ phép dài"}
    )
    record.refresh_from_db()
    assert record.revoked_at is not None and record.revoked_by == org["admin"]
    page = client.get(detail_url).content.decode()
    assert "Đã chấm dứt" in page and "Ông Hải nghỉ phép dài" in page and "Ghi nhận" in page
    assert [e.action for e in HistoryEntry.objects.for_record(record)] == ["create", "revoke"]
    assert "25/QĐ-SKHĐT" not in client.get(reverse("documents:authorization_list")).content.decode()
    assert (
        "25/QĐ-SKHĐT"
        in client.get(reverse("documents:authorization_list"), {"status": "all"}).content.decode()
    )


def test_bad_input_is_refused_with_a_message(client, org):
    client.force_login(org["head"])  # a leader may keep the records too
    no_end = _new(client, org, valid_to="")
    assert no_end.status_code == 200 and "phải có thời hạn" in no_end.content.decode()
    officer = _new(client, org, grantee=org["officer"].pk)
    assert officer.status_code == 200
    backwards = _new(client, org, valid_to=(timezone.localdate() - timedelta(days=1)).isoformat())
    assert "Ngày kết thúc phải sau" in backwards.content.decode()
    kt_officer = _new(client, org, authority="TUQ.", grantee=org["deputy"].pk)
    assert "đứng đầu (hoặc cấp phó) đơn vị" in kt_officer.content.decode()
    assert not SigningAuthorization.objects.exists()


def test_who_may_open_and_other_agencies(client, org, agency_b):
    record = grant(org, authority="TUQ.", grantee=org["unit_head"])
    client.force_login(org["officer"])
    assert client.get(reverse("documents:authorization_list")).status_code == 403
    assert (
        client.post(reverse("documents:authorization_revoke", args=[record.pk]), {"reason": "x"}).status_code
        == 403
    )
    client.force_login(org["leader_b"])
    assert client.get(reverse("documents:authorization_list")).status_code == 200
    assert client.get(reverse("documents:authorization_detail", args=[record.pk])).status_code == 404
    assert (
        client.post(reverse("documents:authorization_revoke", args=[record.pk]), {"reason": "x"}).status_code
        == 404
    )
    assert SigningAuthorization.objects.get().revoked_at is None


def test_menu_entry(client, org):
    client.force_login(org["admin"])
    page = client.get(reverse("dashboard")).content.decode()
    assert reverse("documents:authorization_list") in page and "Giao ký, ủy quyền ký" in page
    client.force_login(org["officer"])
    assert reverse("documents:authorization_list") not in client.get(reverse("dashboard")).content.decode()


def test_list_query_count(client, org, django_assert_max_num_queries):
    for i in range(6):
        grant(
            org,
            authority="KT.",
            grantee=org["unit_head"],
            decision_number=f"{i}/QĐ",
            types=[doc_type("Công văn")],
        )
    client.force_login(org["admin"])
    with django_assert_max_num_queries(20):
        response = client.get(reverse("documents:authorization_list"))
    assert response.content.decode().count('data-testid="authorization-row"') == 6


def test_django_admin_scoped_to_the_agency(client, org, agency_b):
    own = grant(org, authority="KT.", grantee=org["unit_head"], decision_number="1/QĐ-A")
    grant(org, authority="KT.", grantee=org["leader_b"], agency=agency_b, decision_number="9/QĐ-B")
    org["admin"].is_staff = True  # the agency admin's access to the Django admin
    org["admin"].save()
    client.force_login(org["admin"])
    changelist = client.get(reverse("admin:documents_signingauthorization_changelist"))
    assert changelist.status_code == 200
    html = changelist.content.decode()
    assert "1/QĐ-A" in html and "9/QĐ-B" not in html
    assert client.get(reverse("admin:documents_signingauthorization_add")).status_code == 200
    assert (
        client.get(reverse("admin:documents_signingauthorization_change", args=[own.pk])).status_code == 200
    )


def test_approve_form_offers_the_people_of_the_documents_prefix(org):
    from documents.outgoing.forms import ApproveForm
    from documents.outgoing.models import OutgoingDocument

    document = OutgoingDocument(
        agency=org["head"].agency, doc_type=doc_type("Công văn"), signer=org["deputy"], signer_authority="KT."
    )
    form = ApproveForm(user=org["head"], document=document)
    html = str(form["signer"])
    assert set(options(html)) == {str(org["deputy"].pk)} and 'value=""' not in html  # required: no empty
    document.signer_authority = ""
    assert set(options(str(ApproveForm(user=org["head"], document=document)["signer"]))) == {
        str(org["head"].pk),
        str(org["deputy"].pk),  # the current signer stays shown, marked
    }
