"""The reveal page and the files of a letter: a protected identity only for the officer who took it and the
decider (POST, logged, not cached; the same 404 for everyone else, the installation's admin included); a
protected letter's originals decrypted on the fly for them only, the redacted copy for the others who see the
letter; the files list as each person may see it."""

from __future__ import annotations

import hashlib

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse

from complaints import services
from complaints.models import CaseKind, IdentityRead, LetterFile
from tests.complaints.conftest import COMPLAINANT, DENOUNCER, make_case
from tests.complaints.redaction_helpers import NAME_BOX, letter_pdf, pdf_text, protected_letter
from tests.factories import make_user

pytestmark = pytest.mark.django_db

OTHERS = ["verifier", "chief", "clerk", "officer", "head", "other_b", "superuser"]


@pytest.fixture
def people(org):
    return {**org, "superuser": make_user(agency=None, roles=(), is_superuser=True, is_staff=True)}


def _identity(letter):
    return letter.people.get()


@pytest.mark.parametrize("who", ["reception", "leader"])
def test_the_entitled_reveal_by_post_and_each_read_is_logged(people, login, who):
    letter, _scan = protected_letter(people)
    person = _identity(letter)
    client = login(people[who])
    url = reverse("complaints:identity", args=[person.pk])

    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="reveal"' in html and DENOUNCER.name not in html and DENOUNCER.id_number not in html
    assert not IdentityRead.objects.exists()  # a GET reads nothing

    shown = client.post(url, REMOTE_ADDR="10.1.2.3")
    assert shown.status_code == 200
    html = shown.content.decode()
    for value in (DENOUNCER.name, DENOUNCER.id_number, DENOUNCER.address, DENOUNCER.phone, DENOUNCER.email):
        assert value in html
    assert "no-store" in shown["Cache-Control"] and "max-age=0" in shown["Cache-Control"]
    read = IdentityRead.objects.get()
    assert (read.identity_id, read.user_id, read.address) == (person.pk, people[who].pk, "10.1.2.3")


@pytest.mark.parametrize("who", OTHERS)
def test_everyone_else_gets_404_and_no_read_is_logged(people, login, who):
    letter, _scan = protected_letter(people)
    url = reverse("complaints:identity", args=[_identity(letter).pk])
    client = login(people[who])
    for response in (client.get(url), client.post(url)):
        assert response.status_code == 404
        assert DENOUNCER.name not in response.content.decode()
    assert not IdentityRead.objects.exists()


def test_the_reveal_needs_csrf_and_a_login(people, client):
    from django.test import Client

    letter, _scan = protected_letter(people)
    url = reverse("complaints:identity", args=[_identity(letter).pk])
    assert client.post(url).status_code == 302  # to the login page
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(people["reception"], backend="django.contrib.auth.backends.ModelBackend")
    assert strict.post(url).status_code == 403
    assert not IdentityRead.objects.exists()


def test_an_unprotected_identity_is_shown_to_who_sees_the_letter_without_a_read_row(people, login):
    case = make_case(people, people=[COMPLAINANT], handler=people["officer"])
    url = reverse("complaints:identity", args=[case.letter.people.get().pk])
    shown = login(people["officer"]).post(url)
    assert shown.status_code == 200 and COMPLAINANT.id_number in shown.content.decode()
    assert not IdentityRead.objects.exists()
    assert login(people["other_b"]).post(url).status_code == 404


# ---- files -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["reception", "leader"])
def test_the_entitled_open_the_original_decrypted(people, login, who):
    _letter, scan = protected_letter(people)
    stored = scan.file.open("rb").read()
    assert not stored.startswith(b"%PDF") and DENOUNCER.id_number.encode() not in stored  # encrypted at rest
    response = login(people[who]).get(reverse("complaints:file", args=[scan.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    # the print mark is an incremental update: the decrypted original comes first, unchanged
    assert scan.size and hashlib.sha256(response.content[: scan.size]).hexdigest() == scan.sha256
    assert "Bản in từ hệ thống" in pdf_text(response.content)
    assert DENOUNCER.id_number in pdf_text(response.content)
    assert "no-store" in response["Cache-Control"] and response["X-Content-Type-Options"] == "nosniff"
    assert "don-to-cao" not in response["Content-Disposition"]


@pytest.mark.parametrize("who", ["verifier", "chief"])
def test_who_sees_the_letter_gets_only_the_redacted_copy(people, login, who):
    _letter, scan = protected_letter(people)
    copy = services.letter_redact(source=scan, boxes=[NAME_BOX], by=people["reception"])
    client = login(people[who])
    assert client.get(reverse("complaints:file", args=[scan.pk])).status_code == 404
    response = client.get(reverse("complaints:file", args=[copy.pk]) + "?download=1")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert response["Content-Disposition"].startswith("attachment")


@pytest.mark.parametrize("who", ["clerk", "officer", "head", "other_b", "superuser"])
def test_who_does_not_see_the_letter_gets_404_for_every_file(people, login, who):
    _letter, scan = protected_letter(people)
    copy = services.letter_redact(source=scan, boxes=[NAME_BOX], by=people["reception"])
    client = login(people[who])
    for row in (scan, copy):
        assert client.get(reverse("complaints:file", args=[row.pk])).status_code == 404
    assert client.get(reverse("complaints:file", args=[999999])).status_code == 404


def test_a_verifying_handler_outside_the_inspectorate_gets_the_copy(people, login):
    letter, scan = protected_letter(people)
    case = letter.cases.get()
    case.handler = people["officer"]
    case.save(update_fields=["handler"])
    client = login(people["officer"])
    assert client.get(reverse("complaints:file", args=[scan.pk])).status_code == 404
    copy = services.letter_redact(source=scan, boxes=[NAME_BOX], by=people["reception"])
    assert client.get(reverse("complaints:file", args=[copy.pk])).status_code == 200


def test_an_unprotected_letter_files_are_open_to_who_sees_it(people, login):
    from django.core.files.uploadedfile import SimpleUploadedFile

    case = make_case(people, kind=CaseKind.COMPLAINT, people=[COMPLAINANT], handler=people["officer"])
    row = services.letter_file_add(
        letter=case.letter,
        upload=SimpleUploadedFile("don.pdf", letter_pdf(person=COMPLAINANT), content_type="application/pdf"),
        kind=LetterFile.Kind.LETTER,
        by=people["reception"],
    )
    assert not row.encrypted
    assert login(people["officer"]).get(reverse("complaints:file", args=[row.pk])).status_code == 200
    assert login(people["other_b"]).get(reverse("complaints:file", args=[row.pk])).status_code == 404


def _list_html(user, letter) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return render_to_string("complaints/files/_list.html", {"letter": letter}, request=request)


def test_the_files_list_shows_each_person_what_they_may_open(people):
    letter, scan = protected_letter(people)
    html = _list_html(people["verifier"], letter)
    assert 'data-testid="no-redacted"' in html and reverse("complaints:file", args=[scan.pk]) not in html

    copy = services.letter_redact(source=scan, boxes=[NAME_BOX], by=people["reception"])
    html = _list_html(people["verifier"], letter)
    assert reverse("complaints:file", args=[copy.pk]) in html
    assert reverse("complaints:file", args=[scan.pk]) not in html
    assert "redact-" not in html and "don-to-cao" not in html

    html = _list_html(people["reception"], letter)
    assert reverse("complaints:file", args=[scan.pk]) in html
    assert reverse("complaints:file_redact", args=[scan.pk]) in html
    assert reverse("complaints:file", args=[copy.pk]) in html
