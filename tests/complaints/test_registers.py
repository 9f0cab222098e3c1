"""The printed registers (sổ xử lý đơn, sổ tiếp công dân) for a period: the page, the PDF and Excel
downloads read back, people by their label only (a protected person never named), the period and who may
print them."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from complaints.models import CaseKind, Visit
from complaints.services.identity import PROTECTED_LABEL
from tests.complaints.conftest import COMPLAINANT, DENOUNCER, make_case
from tests.complaints.h6_helpers import (
    AFTER,
    BEFORE,
    IN_PERIOD,
    PERIOD,
    REPRESENTATIVE,
    at,
    make_visit,
    pdf_text,
    squash,
    xlsx_text,
)

pytestmark = pytest.mark.django_db

SECRETS = (DENOUNCER.name, DENOUNCER.id_number, DENOUNCER.phone, DENOUNCER.email, "Kim Mã")


@pytest.fixture
def letters(org):
    complaint = make_case(
        org, received_on=IN_PERIOD, content="Khiếu nại quyết định thu hồi đất số 15/QĐ-UBND"
    )
    denunciation = make_case(
        org, kind=CaseKind.DENUNCIATION, received_on=IN_PERIOD, content="Tố cáo cán bộ địa chính nhận tiền"
    )
    before = make_case(org, received_on=BEFORE, content="Đơn tháng chín không thuộc kỳ")
    after = make_case(org, received_on=AFTER, content="Đơn tháng mười một không thuộc kỳ")
    return complaint, denunciation, before, after


@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
def test_letter_register_download(client, login, org, letters, fmt):
    login(org["reception"])
    response = client.get(reverse("complaints:register_letters", args=[fmt]), PERIOD)
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="so-xu-ly-don-20261001-20261031.{fmt}"'
    content = b"".join(response.streaming_content) if response.streaming else response.content
    text = squash(pdf_text(content) if fmt == "pdf" else xlsx_text(content))
    assert "SỔ XỬ LÝ ĐƠN" in text
    assert "Từ ngày 01/10/2026 đến ngày 31/10/2026" in text
    assert COMPLAINANT.name in text
    assert str(PROTECTED_LABEL) in text
    assert "Khiếu nại quyết định thu hồi đất" in text
    assert "Tố cáo cán bộ địa chính nhận tiền" in text
    assert "05/10/2026" in text
    assert "Khiếu nại — Khác" in text  # phân loại: kind and field
    assert "Chờ xử lý đơn" in text  # kết quả: the state
    assert "tháng chín" not in text and "tháng mười một" not in text
    complaint = letters[0]
    assert complaint.due_rule is not None
    assert (
        squash(f"{complaint.due_at.astimezone().strftime('%d/%m/%Y')} — {complaint.due_rule.source}") in text
    )
    for secret in SECRETS:
        assert secret not in text


@pytest.mark.parametrize("fmt", ["pdf", "xlsx"])
def test_visit_register_download(client, login, org, fmt):
    make_visit(org, people=[COMPLAINANT], outcome=Visit.Outcome.FORWARDED, forwarded_to="UBND huyện Yên Phú")
    make_visit(
        org,
        due_at=at(IN_PERIOD + dt.timedelta(days=14)),
        people=[DENOUNCER],
        kind=CaseKind.DENUNCIATION,
        outcome=Visit.Outcome.LETTER,
        content="Tố cáo trưởng thôn",
    )
    make_visit(org, people=[REPRESENTATIVE], people_count=7, content="Đoàn hộ dân khu tái định cư")
    make_visit(org, people=[COMPLAINANT], received_on=BEFORE, content="Lượt tiếp tháng chín")
    login(org["leader"])
    response = client.get(reverse("complaints:register_visits", args=[fmt]), PERIOD)
    assert response.status_code == 200
    text = squash(pdf_text(response.content) if fmt == "pdf" else xlsx_text(response.content))
    assert "SỔ TIẾP CÔNG DÂN" in text
    assert COMPLAINANT.name in text
    assert str(PROTECTED_LABEL) in text
    assert "Chuyển đơn, chuyển cơ quan có thẩm quyền — UBND huyện Yên Phú" in text
    assert f"Đoàn 7 người, đại diện: {REPRESENTATIVE.name}" in text
    assert "Tố cáo trưởng thôn" in text
    assert "Người tiếp: Lê Thị Tiếp Dân" in text
    assert "19/10/2026 — 10 ngày làm việc — Luật" in text  # the deadline with its legal source
    assert "tháng chín" not in text
    for secret in SECRETS:
        assert secret not in text


def test_empty_period_prints_the_message(client, login, org):
    login(org["reception"])
    response = client.get(reverse("complaints:register_visits", args=["pdf"]), PERIOD)
    assert "Không có lượt tiếp công dân trong kỳ này." in squash(pdf_text(response.content))
    response = client.get(reverse("complaints:register_letters", args=["xlsx"]), PERIOD)
    assert "Không có đơn nào được vào sổ trong kỳ này." in xlsx_text(response.content)


def test_register_page_lists_the_period(client, login, org, letters):
    complaint, denunciation, before, _after = letters
    login(org["reception"])
    response = client.get(reverse("complaints:registers"), {**PERIOD, "kind": "letters"})
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('data-testid="register-row"') == 2
    assert complaint.letter.get_absolute_url() in html
    assert "Đơn tháng chín" not in html
    assert str(PROTECTED_LABEL) in html
    assert DENOUNCER.name not in html
    assert reverse("complaints:register_letters", args=["pdf"]) + "?period=custom" in html
    make_visit(org, people=[COMPLAINANT])
    response = client.get(reverse("complaints:registers"), {**PERIOD, "kind": "visits"})
    assert response.content.decode().count('data-testid="register-row"') == 1


def test_register_page_queries_do_not_grow(client, login, org, django_assert_max_num_queries):
    login(org["reception"])
    url = reverse("complaints:registers")
    for _ in range(2):
        make_case(org, received_on=IN_PERIOD)
        make_visit(org, people=[COMPLAINANT])
    client.get(url, PERIOD)  # warm the per-process caches
    with django_assert_max_num_queries(40) as few:
        client.get(url, PERIOD)
        client.get(url, {**PERIOD, "kind": "visits"})
    for _ in range(6):
        make_case(org, received_on=IN_PERIOD, people=[DENOUNCER], kind=CaseKind.DENUNCIATION)
        make_visit(org, people=[COMPLAINANT, REPRESENTATIVE], people_count=6)
    with django_assert_max_num_queries(len(few)):
        response = client.get(url, PERIOD)
        client.get(url, {**PERIOD, "kind": "visits"})
    assert response.content.decode().count('data-testid="register-row"') == 8


def test_only_officers_and_deciders_print_registers(client, login, org, letters):
    for user in (org["officer"], org["head"]):
        login(user)
        for url in (
            reverse("complaints:registers"),
            reverse("complaints:register_letters", args=["pdf"]),
            reverse("complaints:register_visits", args=["xlsx"]),
            reverse("complaints:export"),
        ):
            assert client.get(url, PERIOD).status_code == 403


def test_bad_input_is_a_message_not_a_500(client, login, org):
    login(org["reception"])
    assert client.get(reverse("complaints:register_letters", args=["docx"]), PERIOD).status_code == 404
    assert client.get(reverse("complaints:registers"), {"kind": "nope"}).status_code == 404
    bad = {"period": "custom", "date_from": "2026-10-31", "date_to": "2026-10-01"}
    response = client.get(reverse("complaints:register_letters", args=["pdf"]), bad)
    assert response.status_code == 200
    assert "Ngày bắt đầu phải trước hoặc bằng ngày kết thúc." in response.content.decode()
    response = client.get(
        reverse("complaints:registers"), {"period": "custom", "date_from": "x", "date_to": "y"}
    )
    assert "Ngày không hợp lệ" in response.content.decode()


def test_another_agency_prints_only_its_own_register(client, login, org, letters):
    """The leader of agency B decides for B: B's register has none of A's letters."""
    make_visit(org, people=[COMPLAINANT])
    login(org["other_b"])
    text = squash(pdf_text(client.get(reverse("complaints:register_letters", args=["pdf"]), PERIOD).content))
    assert "Không có đơn nào được vào sổ trong kỳ này." in text
    assert "Khiếu nại quyết định" not in text and COMPLAINANT.name not in text
    text = xlsx_text(client.get(reverse("complaints:register_visits", args=["xlsx"]), PERIOD).content)
    assert COMPLAINANT.name not in text
    login(org["chief"])
    text = xlsx_text(client.get(reverse("complaints:register_letters", args=["xlsx"]), PERIOD).content)
    assert "Khiếu nại quyết định thu hồi đất" in text
