"""Sổ đăng ký văn bản đi (NĐ 30 Phụ lục IV, I) on the registers page, as PDF and Excel; the register
configuration in the admin (secret register, registers per type)."""

from __future__ import annotations

import re
import subprocess
from datetime import timedelta
from html import unescape
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from documents.models import DocumentType, Register
from documents.outgoing import services
from documents.outgoing.models import OutgoingDocument, OutgoingRecipient
from documents.registers import numbering
from documents.registers import rows as register_rows
from eoffice.models import Role
from tests.documents.outgoing.helpers import PIN, _to_signing, office  # noqa: F401
from tests.factories import make_department, make_user
from tests.signing.conftest import _signing_settings, authority, pki_dir  # noqa: F401
from workflow.models import WorkflowState

COLUMNS = [
    "Số, ký hiệu văn bản",
    "Ngày tháng văn bản",
    "Tên loại và trích yếu nội dung văn bản",
    "Người ký",
    "Nơi nhận văn bản",
    "Đơn vị, người nhận bản lưu",
    "Số lượng bản",
    "Ngày chuyển",
    "Ký nhận",
    "Ghi chú",
]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


# ---- helpers ------------------------------------------------------------------------------------------


def _type(name: str, abbreviation: str = "") -> DocumentType:
    # get_or_create: a transactional test's flush removes the types the data migration made.
    return DocumentType.objects.get_or_create(name=name, defaults={"abbreviation": abbreviation})[0]


def _cells(html: str) -> tuple[list[str], list[list[str]]]:
    """(header cells, body rows) of the register table of the page, as plain text."""
    table = re.search(r'<table[^>]*data-testid="register-table".*?</table>', html, re.S)
    assert table, "no register table on the page"

    def text(cell: str) -> str:
        return " ".join(unescape(re.sub(r"<[^>]+>", " ", cell)).split())

    head = re.search(r"<thead>(.*?)</thead>", table.group(0), re.S).group(1)
    body = re.search(r"<tbody>(.*?)</tbody>", table.group(0), re.S).group(1)
    headers = [text(c) for c in re.findall(r"<th[^>]*>(.*?)</th>", head, re.S)]
    rows = [
        [text(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)
    ]
    return headers, rows


def _pdf_text(content: bytes, tmp_path) -> str:
    path = tmp_path / "so-di.pdf"
    path.write_bytes(content)
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True)
    return " ".join(out.stdout.split())


def _query(register, *, kind="outgoing", fmt="html", days=1, **extra):
    today = timezone.localdate()
    return {
        "register": register.pk,
        "kind": kind,
        "date_from": (today - timedelta(days=days)).isoformat(),
        "date_to": today.isoformat(),
        "format": fmt,
        **extra,
    }


def _issued(
    *,
    register,
    number: int,
    drafter,
    signer,
    unit=None,
    state=WorkflowState.ISSUED,
    secret=False,
    when=None,
    recipients=("Sở Tài chính",),
    doc_type=None,
    summary="",
) -> OutgoingDocument:
    """An outgoing document numbered in ``register`` and issued (built with the ORM: the state moves by a
    plain UPDATE, as the services are tested elsewhere)."""
    when = when or timezone.now()
    doc_type = doc_type or _type("Công văn")
    abbr = register.agency.abbreviation
    doc = OutgoingDocument.objects.create(
        agency=register.agency,
        department=unit,
        doc_type=doc_type,
        drafted_by=drafter,
        signer=signer,
        summary=summary or f"V/v báo cáo kết quả thực hiện nhiệm vụ số {number}",
        distribution="Như trên\nLưu: VT, KT.",
        copies=2,
        confidentiality=1 if secret else 0,
        register=register,
        year=when.year,
        number=number,
        number_symbol=f"{number:02d}/{abbr}-KT",
        issued_at=when,
        released_at=when + timedelta(hours=2),
    )
    OutgoingRecipient.objects.bulk_create(
        OutgoingRecipient(document=doc, name=name, channel=OutgoingRecipient.Channel.PAPER)
        for name in recipients
    )
    OutgoingDocument.objects.filter(pk=doc.pk).update(state=state)
    doc.refresh_from_db()
    return doc


@pytest.fixture
def registry(agency_a, agency_b):
    """Agency A's clerk, leader, unit head and officer; agency B's clerk; A's registers."""
    unit = make_department(agency=agency_a, name="Phòng Kinh tế", abbreviation="KT")
    people = {
        "clerk": make_user(agency=agency_a, roles=[Role.CLERK], full_name="Đặng Thị Hương"),
        "leader": make_user(agency=agency_a, roles=[Role.LEADER], full_name="Vũ Đức Thắng"),
        "head": make_user(
            agency=agency_a, department=unit, roles=[Role.DEPARTMENT_HEAD], full_name="Bùi Văn Hải"
        ),
        "officer": make_user(
            agency=agency_a, department=unit, roles=[Role.OFFICER], full_name="Phan Minh Đức"
        ),
        "clerk_b": make_user(agency=agency_b, roles=[Role.CLERK], full_name="Lý Thị Nhận"),
        "unit": unit,
    }
    people["register"] = numbering.default_register(agency=agency_a, kind=Register.Kind.OUTGOING)
    people["incoming"] = numbering.default_register(agency=agency_a)
    return people


def _rows(registry, count: int, start: int = 1) -> list[OutgoingDocument]:
    return [
        _issued(
            register=registry["register"],
            number=n,
            drafter=registry["officer"],
            signer=registry["leader"],
            unit=registry["unit"],
        )
        for n in range(start, start + count)
    ]


# ---- the page, through the services ----------------------------------------------------------------------


def test_issued_documents_are_listed_in_number_order_with_the_appendix_columns(
    office,  # noqa: F811
    agency_a,
    agency_b,
    client,
):
    first = services.document_sign(document=_to_signing(office, agency_b), by=office["leader"], pin=PIN)
    first = services.document_issue(document=first, by=office["clerk"], pin=PIN)
    register = first.register
    # Written later with the next numbers: one recalled; one signed (numbered) but not issued yet.
    second = _issued(
        register=register,
        number=first.number + 2,
        drafter=office["officer"],
        signer=office["leader"],
        unit=office["unit"],
        summary="V/v điều chỉnh kế hoạch",
    )
    recalled = _issued(
        register=register,
        number=first.number + 1,
        drafter=office["officer"],
        signer=office["leader"],
        unit=office["unit"],
        state=WorkflowState.RECALLED,
    )
    signed = _issued(
        register=register,
        number=first.number + 3,
        drafter=office["officer"],
        signer=office["leader"],
        state=WorkflowState.SIGNED,
    )
    client.force_login(office["clerk"])
    response = client.get(reverse("documents:registers"), _query(register))
    assert response.status_code == 200
    headers, rows = _cells(response.content.decode())
    assert headers == COLUMNS
    assert [row[0] for row in rows] == [
        first.number_symbol,
        recalled.number_symbol,
        second.number_symbol,
        signed.number_symbol,
    ]
    assert rows[3][9] == "Đã ký, chưa phát hành"

    row = rows[0]
    assert row[1] == timezone.localtime(first.issued_at).strftime("%d/%m/%Y")
    assert row[2] == f"Công văn: {first.summary}"
    assert row[3] == "Vũ Đức Thắng"
    # Nơi nhận: the recipients the system sent to, then the printed distribution lines.
    assert row[4] == f"{agency_b.name}; Công ty Cổ phần Minh Phát; Như trên"
    assert row[5] == "Phòng Kinh tế / Phan Minh Đức"
    assert row[6] == "1"
    assert row[7] == timezone.localtime(first.released_at).strftime("%d/%m/%Y")
    assert row[8] == "" and row[9] == ""
    assert rows[1][9] == "Đã thu hồi"
    assert rows[2][4] == "Sở Tài chính; Như trên" and rows[2][6] == "2"
    assert f'href="{first.get_absolute_url()}"' in response.content.decode()


# ---- the page, PDF and Excel -------------------------------------------------------------------------------


def test_register_choice_lists_outgoing_registers_and_the_menu_says_so_van_ban(registry, client):
    secret = Register.objects.create(
        agency=registry["register"].agency, kind="outgoing", code="MAT", name="Sổ văn bản mật", is_secret=True
    )
    client.force_login(registry["clerk"])
    body = client.get(reverse("documents:registers")).content.decode()
    select = re.search(r'<select name="register".*?</select>', body, re.S).group(0)
    groups = re.findall(r'<optgroup label="([^"]+)">(.*?)</optgroup>', select, re.S)
    assert [label for label, _ in groups] == ["Sổ văn bản đến", "Sổ văn bản đi", "Sổ văn bản đi mật"]
    options = [re.findall(r'<option value="(\d+)"[^>]*>([^<]+)</option>', html) for _, html in groups]
    assert options[0] == [(str(registry["incoming"].pk), "Sổ đăng ký văn bản đến")]
    assert options[1] == [(str(registry["register"].pk), "Sổ đăng ký văn bản đi")]
    assert options[2] == [(str(secret.pk), "Sổ văn bản mật")]
    assert '<option value="outgoing">Sổ đăng ký văn bản đi</option>' in body
    menu = re.search(r'data-menu="documents.registers".*?</a>', body, re.S)
    assert menu and "Sổ văn bản" in menu.group(0) and "Sổ văn bản đến" not in menu.group(0)


def test_pdf_in_landscape_with_header_and_rows(registry, client, tmp_path):
    from pypdf import PdfReader

    docs = _rows(registry, 3)
    secret_register = numbering.outgoing_register(
        agency=registry["register"].agency, doc_type=None, secret=True
    )
    _issued(
        register=secret_register,
        number=1,
        drafter=registry["officer"],
        signer=registry["leader"],
        secret=True,
        summary="V/v tài liệu mật",
    )
    client.force_login(registry["clerk"])
    response = client.get(reverse("documents:registers"), _query(registry["register"], fmt="pdf"))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert re.search(r'filename="so-di-\d{8}-\d{8}\.pdf"', response["Content-Disposition"])
    page = PdfReader(BytesIO(response.content)).pages[0]
    assert page.mediabox.width > page.mediabox.height  # A4 landscape
    text = _pdf_text(response.content, tmp_path)
    assert "SỔ ĐĂNG KÝ VĂN BẢN ĐI" in text and "SỞ KẾ HOẠCH VÀ ĐẦU TƯ" in text
    assert "Từ số 01 đến số 03" in text
    # -layout keeps each wrapped heading's lines apart: look for their pieces and the column numbers.
    for word in ("Người ký", "Nơi nhận", "Ngày", "chuyển", "nhận", "Ghi", "bản lưu", "(1)", "(10)"):
        assert word in text, word
    positions = [text.index(doc.number_symbol) for doc in docs]
    assert positions == sorted(positions)
    assert "tài liệu mật" not in text  # the secret register is a series of its own

    response = client.get(reverse("documents:registers"), _query(secret_register, fmt="pdf"))
    text = _pdf_text(response.content, tmp_path)
    assert "tài liệu mật" in text and "Văn bản mật" in text


def test_excel_cells(registry, client):
    from openpyxl import load_workbook

    docs = _rows(registry, 2)
    recalled = _issued(
        register=registry["register"],
        number=3,
        drafter=registry["officer"],
        signer=registry["leader"],
        unit=registry["unit"],
        state=WorkflowState.RECALLED,
        recipients=("Sở Tài chính", "Sở Xây dựng"),
    )
    client.force_login(registry["leader"])
    response = client.get(reverse("documents:registers"), _query(registry["register"], fmt="xlsx"))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert re.search(r'filename="so-di-\d{8}-\d{8}\.xlsx"', response["Content-Disposition"])
    ws = load_workbook(BytesIO(response.content)).active
    assert ws.title == "So di"
    assert ws["A2"].value == "SỔ ĐĂNG KÝ VĂN BẢN ĐI"
    assert "Từ số 01 đến số 03" in ws["A3"].value
    assert [c.value for c in ws[5]] == COLUMNS
    assert [c.value for c in ws[6]] == [f"({i})" for i in range(1, 11)]
    assert [ws.cell(row=r, column=1).value for r in (7, 8, 9)] == [
        docs[0].number_symbol,
        docs[1].number_symbol,
        recalled.number_symbol,
    ]
    day = timezone.localtime(recalled.issued_at).strftime("%d/%m/%Y")
    assert [c.value for c in ws[9]] == [
        recalled.number_symbol,
        day,
        f"Công văn: {recalled.summary}",
        "Vũ Đức Thắng",
        "Sở Tài chính; Sở Xây dựng; Như trên",
        "Phòng Kinh tế / Phan Minh Đức",
        2,
        timezone.localtime(recalled.released_at).strftime("%d/%m/%Y"),
        None,
        "Đã thu hồi",
    ]
    assert ws.max_row == 9


def test_the_period_and_the_register_limit_the_rows(registry, client):
    old = _issued(
        register=registry["register"],
        number=1,
        drafter=registry["officer"],
        signer=registry["leader"],
        when=timezone.now() - timedelta(days=40),
    )
    other = Register.objects.create(
        agency=registry["register"].agency, kind="outgoing", code="QD", name="Sổ quyết định"
    )
    _issued(register=other, number=1, drafter=registry["officer"], signer=registry["leader"])
    current = _rows(registry, 1, start=2)[0]
    client.force_login(registry["clerk"])
    _, rows = _cells(
        client.get(reverse("documents:registers"), _query(registry["register"])).content.decode()
    )
    assert [row[0] for row in rows] == [current.number_symbol]
    _, rows = _cells(
        client.get(reverse("documents:registers"), _query(registry["register"], days=60)).content.decode()
    )
    assert [row[0] for row in rows] == [old.number_symbol, current.number_symbol]


def test_agency_b_sees_none_of_agency_a(registry, agency_b, client):
    docs = _rows(registry, 2)
    clerk_b = registry["clerk_b"]
    assert not register_rows.outgoing_rows(
        user=clerk_b,
        register=registry["register"],
        date_from=timezone.localdate() - timedelta(days=1),
        date_to=timezone.localdate(),
    ).exists()
    client.force_login(clerk_b)
    # A's register is not a choice for B: the form refuses it, no row is shown.
    response = client.get(reverse("documents:registers"), _query(registry["register"]))
    body = response.content.decode()
    assert response.status_code == 200 and 'data-testid="register-table"' not in body
    assert str(registry["register"].pk) not in re.findall(r'<option value="(\d+)"', body)
    response = client.get(reverse("documents:registers"), _query(registry["register"], fmt="xlsx"))
    assert response["Content-Type"].startswith("text/html")
    # B's own outgoing register is empty.
    own = numbering.default_register(agency=agency_b, kind=Register.Kind.OUTGOING)
    body = client.get(reverse("documents:registers"), _query(own)).content.decode()
    _, rows = _cells(body)
    assert rows == [["Không có văn bản đi trong kỳ này."]]
    for doc in docs:
        assert doc.number_symbol not in body


def test_officer_may_not_print_and_head_sees_own_unit_only(registry, client, agency_a):
    _rows(registry, 1)
    other_unit = make_department(agency=agency_a, name="Phòng Tổng hợp", abbreviation="TH")
    foreign = _issued(
        register=registry["register"],
        number=2,
        drafter=make_user(agency=agency_a, department=other_unit),
        signer=registry["leader"],
        unit=other_unit,
    )
    client.force_login(registry["officer"])
    assert client.get(reverse("documents:registers"), _query(registry["register"])).status_code == 403
    client.force_login(registry["head"])
    _, rows = _cells(
        client.get(reverse("documents:registers"), _query(registry["register"])).content.decode()
    )
    assert [row[0] for row in rows] == ["01/SKHĐT-KT"]
    assert foreign.number_symbol not in [row[0] for row in rows]


def test_kind_and_register_must_match(registry, client):
    _rows(registry, 1)
    client.force_login(registry["clerk"])
    body = client.get(reverse("documents:registers"), _query(registry["incoming"])).content.decode()
    assert "Mẫu Sổ đăng ký văn bản đi chỉ dùng cho sổ văn bản đi" in body
    assert 'data-testid="register-table"' not in body
    for kind in ("incoming", "tracking"):
        response = client.get(
            reverse("documents:registers"), _query(registry["register"], kind=kind, fmt="pdf")
        )
        assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
        assert "Sổ văn bản đi chỉ in theo mẫu Sổ đăng ký văn bản đi." in response.content.decode()


def test_page_query_count_does_not_grow_with_rows(registry, client):
    client.force_login(registry["clerk"])
    url = reverse("documents:registers")
    _rows(registry, 3)
    client.get(url, _query(registry["register"]))  # warm caches (content types, session)
    with CaptureQueriesContext(connection) as three:
        response = client.get(url, _query(registry["register"]))
    assert len(_cells(response.content.decode())[1]) == 3
    _rows(registry, 6, start=4)
    with CaptureQueriesContext(connection) as nine:
        response = client.get(url, _query(registry["register"]))
    assert len(_cells(response.content.decode())[1]) == 9
    assert len(nine.captured_queries) == len(three.captured_queries)


# ---- the admin ---------------------------------------------------------------------------------------------


@pytest.fixture
def agency_admin(agency_a):
    return make_user(agency=agency_a, roles=[Role.AGENCY_ADMIN], is_staff=True, username="qtcq")


def _register_post(agency, **fields):
    data = {
        "agency": agency.pk,
        "kind": "outgoing",
        "code": "QD",
        "name": "Sổ quyết định",
        "is_active": "on",
        "counters-TOTAL_FORMS": "0",
        "counters-INITIAL_FORMS": "0",
        "counters-MIN_NUM_FORMS": "0",
        "counters-MAX_NUM_FORMS": "1000",
    }
    for key, value in fields.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return data


def test_admin_shows_secret_and_types(agency_admin, registry, client):
    client.force_login(agency_admin)
    body = client.get(reverse("admin:documents_register_add")).content.decode()
    assert 'name="is_secret"' in body
    select = re.search(r'<select[^>]*name="doc_types"[^>]*>', body).group(0)
    assert "selectfilter" in select and "multiple" in select  # filter_horizontal
    assert "Mỗi loại chỉ thuộc một sổ đang dùng" in body
    assert "Nhấn giữ phím" not in body and "Hold down" not in body
    # Only the types in use are offered.
    _type("Quyết định", "QĐ")
    DocumentType.objects.update_or_create(
        name="Kế hoạch", defaults={"abbreviation": "KH", "is_active": False}
    )
    body = client.get(reverse("admin:documents_register_add")).content.decode()
    assert ">Quyết định</option>" in body and ">Kế hoạch</option>" not in body
    # The agency admin's own registers only.
    body = client.get(reverse("admin:documents_register_changelist")).content.decode()
    assert "Sổ đăng ký văn bản đi" in body
    other = numbering.default_register(agency=registry["clerk_b"].agency, kind=Register.Kind.OUTGOING)
    assert client.get(reverse("admin:documents_register_change", args=[other.pk])).status_code in (302, 404)


def test_admin_validation_rules(agency_admin, registry, agency_a, agency_b, client):
    client.force_login(agency_admin)
    url = reverse("admin:documents_register_add")
    decision = _type("Quyết định", "QĐ")
    plan = _type("Kế hoạch", "KH")

    def errors(**fields) -> str:
        response = client.post(url, _register_post(agency_a, **fields))
        assert response.status_code == 200, "expected the form again with an error"
        return response.content.decode()

    # Only an outgoing register may be secret or list types.
    assert "Chỉ sổ văn bản đi mới có thể là sổ văn bản mật." in errors(kind="incoming", is_secret="on")
    assert "Chỉ sổ văn bản đi mới gắn được loại văn bản." in errors(kind="incoming", doc_types=[decision.pk])

    # One active secret register per agency.
    secret = numbering.outgoing_register(agency=agency_a, doc_type=None, secret=True)
    body = errors(code="MAT2", name="Sổ mật 2", is_secret="on")
    assert f"Cơ quan đã có sổ văn bản mật đang dùng: {secret.name}." in body
    # ...an inactive second one is allowed, and another agency's secret register does not count.
    numbering.outgoing_register(agency=agency_b, doc_type=None, secret=True)
    Register.objects.filter(pk=secret.pk).update(is_active=False)
    response = client.post(url, _register_post(agency_a, code="MAT2", name="Sổ mật 2", is_secret="on"))
    assert response.status_code == 302
    assert Register.objects.get(agency=agency_a, code="MAT2").is_secret

    # A type in at most one active outgoing register.
    response = client.post(url, _register_post(agency_a, doc_types=[decision.pk]))
    assert response.status_code == 302
    own = Register.objects.get(agency=agency_a, code="QD")
    assert list(own.doc_types.all()) == [decision]
    body = errors(code="QD2", name="Sổ quyết định 2", doc_types=[decision.pk, plan.pk])
    assert (
        "Mỗi loại văn bản chỉ thuộc một sổ văn bản đi đang dùng: Quyết định đã thuộc Sổ quyết định." in body
    )
    # A secret register lists no type; the default register is never the secret one.
    assert "không gắn loại văn bản cho sổ này" in errors(code="M3", is_secret="on", doc_types=[plan.pk])
    default = registry["register"]
    response = client.post(
        reverse("admin:documents_register_change", args=[default.pk]),
        _register_post(agency_a, code=default.code, name=default.name, is_default="on", is_secret="on"),
    )
    assert "Sổ mặc định đánh số văn bản thường" in response.content.decode()
    # Editing the register itself keeps its own types (it does not clash with itself).
    response = client.post(
        reverse("admin:documents_register_change", args=[own.pk]),
        _register_post(agency_a, name="Sổ quyết định (sửa)", doc_types=[decision.pk, plan.pk]),
    )
    assert response.status_code == 302
    assert set(own.doc_types.all()) == {decision, plan}
    # Numbering follows the configuration.
    assert numbering.outgoing_register(agency=agency_a, doc_type=plan, secret=False) == own

    # The agency admin cannot put a register in another agency.
    response = client.post(url, _register_post(agency_b, code="B1", name="Sổ của B"))
    assert response.status_code == 200 and not Register.objects.filter(code="B1").exists()


# ---- in the browser ----------------------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_register_page_at_desktop_and_phone_widths(open_page, registry, password):
    from tests.browser.fixtures import DESKTOP, PHONE

    _rows(registry, 4)
    _issued(
        register=registry["register"],
        number=5,
        drafter=registry["officer"],
        signer=registry["leader"],
        unit=registry["unit"],
        state=WorkflowState.RECALLED,
        recipients=("Ủy ban nhân dân huyện Đông Anh", "Sở Tài chính", "Công ty Cổ phần Minh Phát"),
    )
    query = "&".join(f"{k}={v}" for k, v in _query(registry["register"]).items())
    for viewport, name in ((DESKTOP, "desktop"), (PHONE, "phone")):
        page = open_page(viewport, name)
        page.goto("/account/login/")
        page.page.fill("input[name=username]", registry["clerk"].username)
        page.page.fill("input[name=password]", password)
        page.page.press("input[name=password]", "Enter")
        page.page.wait_for_url(lambda url: "/account/login/" not in url)
        page.goto(f"/documents/registers/?{query}")
        table = page.page.locator("[data-testid=register-table]")
        assert table.locator("tbody tr").count() == 5
        assert "Đã thu hồi" in table.inner_text()
        assert page.no_horizontal_overflow(), name
        assert not page.errors, page.errors
        page.shot("outgoing-register")
