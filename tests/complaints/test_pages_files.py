"""The letter page's files and the identity page as people see them: "Tạo bản che" only while an original has
no redacted copy, then "Xem bản che" (the newest copy) and "Tạo lại", the earlier copies folded; the people
not entitled see the newest copy of each original first and never an original or the redaction tool; the
reveal page says which letter it belongs to and what a reveal does before it is asked."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from complaints import services
from complaints.models import Case
from tests.complaints.conftest import COMPLAINANT, DENOUNCER, make_case
from tests.complaints.redaction_helpers import NAME_BOX, protected_letter

pytestmark = pytest.mark.django_db


def _page(client, letter) -> str:
    response = client.get(letter.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def _file_url(row) -> str:
    return reverse("complaints:file", args=[row.pk])


def _redact_url(row) -> str:
    return reverse("complaints:file_redact", args=[row.pk])


def _copy_view(html: str, original) -> str:
    """The address of the "Xem bản che" link of ``original``."""
    found = re.search(rf'<a [^>]*href="([^"]+)"[^>]*data-testid="copy-view-{original.pk}"', html)
    return found.group(1) if found else ""


def _older(html: str) -> str:
    """The folded list of earlier copies ("… bản che trước"), or "" when there is none."""
    found = re.search(r'<details class="cp-file-older">(.*?)</details>', html, re.S)
    return found.group(1) if found else ""


def test_the_entitled_are_offered_a_copy_until_one_exists_then_view_and_redo(org, login):
    letter, scan = protected_letter(org)
    client = login(org["reception"])

    html = _page(client, letter)
    assert "Chưa có bản che" in html and ">Tạo bản che</a>" in html
    assert _redact_url(scan) in html and _file_url(scan) in html
    assert "Xem bản che" not in html and "Tạo lại" not in html

    first = services.letter_redact(source=scan, boxes=[NAME_BOX], by=org["reception"])
    html = _page(client, letter)
    assert ">Tạo bản che</a>" not in html and "Chưa có bản che" not in html
    assert "Đã có bản che" in html
    assert _copy_view(html, scan) == _file_url(first)
    assert re.search(rf'href="{re.escape(_redact_url(scan))}"[^>]*>Tạo lại</a>', html)
    assert _older(html) == ""

    second = services.letter_redact(source=scan, boxes=[NAME_BOX], by=org["reception"])
    html = _page(client, letter)
    assert _copy_view(html, scan) == _file_url(second)
    older = _older(html)
    assert "1 bản che trước" in older and _file_url(first) in older and _file_url(second) not in older
    # One row per original: the copies are shown beside it, not as files of their own.
    assert html.count('data-testid="letter-file-') == 1


def test_the_case_page_shows_the_same_offer(org, login):
    letter, scan = protected_letter(org)
    case = letter.cases.get()
    client = login(org["reception"])
    assert ">Tạo bản che</a>" in client.get(case.get_absolute_url()).content.decode()
    copy = services.letter_redact(source=scan, boxes=[NAME_BOX], by=org["reception"])
    html = client.get(case.get_absolute_url()).content.decode()
    assert ">Tạo bản che</a>" not in html and "Xem bản che" in html and _file_url(copy) in html


def test_people_not_entitled_see_the_newest_copy_and_never_the_tool(org, login):
    letter, scan = protected_letter(org)
    Case.objects.filter(letter=letter).update(handler=org["verifier"])
    client = login(org["verifier"])
    html = _page(client, letter)
    assert 'data-testid="no-redacted"' in html and _file_url(scan) not in html

    first = services.letter_redact(source=scan, boxes=[NAME_BOX], by=org["reception"])
    second = services.letter_redact(source=scan, boxes=[NAME_BOX], by=org["reception"])
    html = _page(client, letter)
    assert f'data-testid="letter-file-{second.pk}"' in html
    assert f'data-testid="letter-file-{first.pk}"' not in html
    older = _older(html)
    assert _file_url(first) in older and _file_url(second) not in older
    assert _file_url(scan) not in html and _redact_url(scan) not in html
    assert "Tạo lại" not in html and "Tạo bản che" not in html and "redact-" not in html
    assert DENOUNCER.name not in html and "don-to-cao" not in html


def test_the_letter_page_names_a_protected_sender_without_the_identity(org, login):
    letter, _scan = protected_letter(org)
    person = letter.people.get()
    html = _page(login(org["reception"]), letter)
    people = html[html.index('data-testid="letter-people"') : html.index('data-testid="letter-files"')]
    assert "thông tin được giữ bí mật" in people and DENOUNCER.name not in people
    assert f'data-testid="reveal-{person.pk}"' in people and "mỗi lượt xem được ghi nhật ký" in people
    assert "Giữ bí mật người gửi đơn" in html

    Case.objects.filter(letter=letter).update(handler=org["verifier"])
    html = _page(login(org["verifier"]), letter)
    assert "thông tin được giữ bí mật" in html and f'data-testid="reveal-{person.pk}"' not in html


def test_the_reveal_page_says_what_it_belongs_to_and_logs_the_read(org, login):
    letter, _scan = protected_letter(org)
    person = letter.people.get()
    url = reverse("complaints:identity", args=[person.pk])
    client = login(org["reception"])

    html = client.get(url).content.decode()
    assert f"Đơn số {letter.number}/{letter.year}" in html
    assert "Thông tin nhận dạng được giữ bí mật" in html and "Mỗi lượt xem được ghi lại" in html
    assert DENOUNCER.name not in html and 'data-testid="identity-fields"' not in html

    html = client.post(url).content.decode()
    assert DENOUNCER.name in html and DENOUNCER.id_number in html
    assert "Luật Tố cáo, Điều 47–48" in html and "Đã ghi nhật ký lượt xem lúc" in html


def test_the_reveal_page_of_an_unprotected_person_names_them_and_logs_nothing(org, login):
    case = make_case(org, people=[COMPLAINANT])
    person = case.letter.people.get()
    client = login(org["reception"])
    html = client.get(reverse("complaints:identity", args=[person.pk])).content.decode()
    assert COMPLAINANT.name in html and "Giữ bí mật" not in html
    html = client.post(reverse("complaints:identity", args=[person.pk])).content.decode()
    assert COMPLAINANT.id_number in html and "Đã ghi nhật ký" not in html


def test_the_redaction_tool_says_when_a_copy_already_exists(org, login):
    letter, scan = protected_letter(org, pages=1)
    client = login(org["reception"])
    url = reverse("complaints:file_redact", args=[scan.pk])
    html = client.get(url).content.decode()
    assert 'data-testid="redact-form"' in html and 'data-testid="copy-exists"' not in html
    copy = services.letter_redact(source=scan, boxes=[NAME_BOX], by=org["reception"])
    html = client.get(url).content.decode()
    assert 'data-testid="copy-exists"' in html and _file_url(copy) in html
    assert "bản che mới thay cho bản hiện tại" in html
