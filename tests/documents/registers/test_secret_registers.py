"""Secret registers (Điều 16.3, 22.4): secret incoming documents take their numbers from the agency's secret
incoming register, a series of their own; numbers given before stay; the register page lists the secret
registers apart and only to the people who handle secret documents."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from documents.common import Confidentiality
from documents.incoming import services
from documents.models import IncomingDocument, Register
from documents.registers import numbering
from tests.documents.conftest import receive

pytestmark = pytest.mark.django_db


def _secret(people, n, **extra):
    return receive(
        people["clerk"],
        n=n,
        confidentiality=Confidentiality.SECRET,
        directing_leader=people["leader"],
        **extra,
    )


def test_secret_incoming_documents_have_their_own_series(people):
    first = receive(people["clerk"], n=1)
    secret = _secret(people, 2)
    second = receive(people["clerk"], n=3)
    secret2 = _secret(people, 4)
    assert (first.number, second.number) == (1, 2)
    assert (secret.number, secret2.number) == (1, 2)
    assert secret.register.is_secret and secret.register.kind == Register.Kind.INCOMING
    assert secret.register.code == "MAT" and secret.register.name == "Sổ đăng ký văn bản đến mật"
    assert secret.register_id == secret2.register_id != first.register_id
    assert first.register.is_default and not first.register.is_secret


def test_secret_document_chosen_in_the_ordinary_register_still_takes_the_secret_series(people):
    ordinary = numbering.default_register(agency=people["clerk"].agency)
    doc = _secret(people, 1, register=ordinary)
    assert doc.register.is_secret and doc.number == 1
    assert not IncomingDocument.objects.filter(register=ordinary).exists()


def test_secret_received_now_registered_later_is_numbered_in_the_secret_register(people):
    doc = _secret(people, 1, register_now=False)
    # An electronic delivery files everything in the default register: moved at registration.
    IncomingDocument.objects.filter(pk=doc.pk).update(
        register=numbering.default_register(agency=people["clerk"].agency)
    )
    doc.refresh_from_db()
    doc = services.incoming_register(document=doc, by=people["clerk"])
    doc.refresh_from_db()
    assert doc.register.is_secret and doc.number == 1


def test_numbers_already_given_in_the_ordinary_series_stay(people):
    # As it was before the secret register existed: a secret document numbered in the ordinary series.
    old = receive(people["clerk"], n=1)
    IncomingDocument.objects.filter(pk=old.pk).update(confidentiality=Confidentiality.SECRET)
    new = _secret(people, 2)
    ordinary_next = receive(people["clerk"], n=3)
    old.refresh_from_db()
    assert (old.register.is_default, old.number) == (True, 1)
    assert new.register.is_secret and new.number == 1
    assert ordinary_next.number == 2


def test_ordinary_document_never_takes_the_secret_series(people):
    secret_register = numbering.secret_register(agency=people["clerk"].agency, kind=Register.Kind.INCOMING)
    doc = receive(people["clerk"], n=1, register=secret_register)
    assert not doc.register.is_secret and doc.register.is_default


def test_one_secret_register_per_agency_and_kind(agency_a, agency_b):
    a = numbering.secret_register(agency=agency_a, kind=Register.Kind.INCOMING)
    assert numbering.secret_register(agency=agency_a, kind=Register.Kind.INCOMING) == a
    out = numbering.secret_register(agency=agency_a, kind=Register.Kind.OUTGOING)
    assert out != a and out.kind == Register.Kind.OUTGOING
    assert numbering.outgoing_register(agency=agency_a, doc_type=None, secret=True) == out
    b = numbering.secret_register(agency=agency_b, kind=Register.Kind.INCOMING)
    assert b.agency_id == agency_b.pk and b != a


# ---- the register page ----------------------------------------------------------------------------------


def _groups(body: str) -> dict[str, list[str]]:
    select = re.search(r'<select name="register".*?</select>', body, re.S).group(0)
    return {
        label: re.findall(r"<option[^>]*>([^<]+)</option>", html)
        for label, html in re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.S)
    }


def _query(register, kind="incoming", fmt="html"):
    today = timezone.localdate()
    return {
        "register": register.pk,
        "kind": kind,
        "date_from": today.replace(day=1).isoformat(),
        "date_to": today.isoformat(),
        "format": fmt,
    }


def test_register_page_lists_secret_registers_apart_for_clerk_and_leader(people, client):
    secret = _secret(people, 1)
    receive(people["clerk"], n=2)
    numbering.secret_register(agency=people["clerk"].agency, kind=Register.Kind.OUTGOING)
    for who in ("clerk", "leader"):
        client.force_login(people[who])
        groups = _groups(client.get(reverse("documents:registers")).content.decode())
        assert groups["Sổ văn bản đến"] == ["Sổ đăng ký văn bản đến"], who
        assert groups["Sổ văn bản đến mật"] == ["Sổ đăng ký văn bản đến mật"], who
        assert groups["Sổ văn bản đi mật"] == ["Sổ đăng ký văn bản đi mật"], who
    client.force_login(people["clerk"])
    body = client.get(reverse("documents:registers"), _query(secret.register)).content.decode()
    rows = re.findall(r"<tbody>(.*?)</tbody>", body, re.S)[0]
    assert secret.number_symbol in rows and "02/UBND-KT" not in rows


def test_department_head_sees_no_secret_register_and_cannot_print_one(people, client):
    secret = _secret(people, 1)
    client.force_login(people["head"])
    body = client.get(reverse("documents:registers")).content.decode()
    assert "mật" not in " ".join(" ".join(v) + k for k, v in _groups(body).items())
    response = client.get(reverse("documents:registers"), _query(secret.register, fmt="pdf"))
    # The form refuses the register: the page again, no PDF, no row.
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    body = response.content.decode()
    assert 'data-testid="register-table"' not in body and secret.number_symbol not in body


def test_secret_register_pdf_for_the_clerk(people, client):
    secret = _secret(people, 1)
    client.force_login(people["clerk"])
    response = client.get(reverse("documents:registers"), _query(secret.register, fmt="pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


def test_incoming_form_offers_no_secret_register(people, client):
    _secret(people, 1)
    client.force_login(people["clerk"])
    body = client.get(reverse("documents:incoming_create")).content.decode()
    select = re.search(r'<select name="register".*?</select>', body, re.S).group(0)
    assert "mật" not in select and "Sổ đăng ký văn bản đến" in select


def test_a_taken_mat_code_is_not_reused_for_the_secret_register(db):
    """An agency that already named an ordinary register MAT gets its secret register under another code:
    secret documents are never numbered in the ordinary one."""
    from documents.registers import numbering
    from documents.registers.models import Register
    from tests.factories import make_agency

    agency = make_agency()
    ordinary = Register.objects.create(agency=agency, kind=Register.Kind.INCOMING, code="MAT", name="Sổ MAT")
    secret = numbering.secret_register(agency=agency, kind=Register.Kind.INCOMING)
    assert secret.pk != ordinary.pk and secret.is_secret and secret.code == "MAT2"
    assert numbering.secret_register(agency=agency, kind=Register.Kind.INCOMING).pk == secret.pk
