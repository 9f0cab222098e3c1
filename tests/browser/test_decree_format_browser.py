"""Issue 20, "Done when", first bullet, in a real browser, person by person, typing into the real forms:

the officer drafts a Quyết định (KT. for a deputy director) with an appendix and two attached PDFs → the
unit head approves → the office's format reviewer (assigned for Quyết định by the agency admin on the
"Phân công kiểm tra thể thức" page) returns it
once on the checklist with a comment (the past deadline flagged) → the officer fixes it and resubmits → the
head approves → the reviewer approves → the deputy signs KT. with the PIN → the clerk issues with the seal
PIN → the recipient agency's clerk sees the document and both attachments verified ("hợp lệ"), and pdfsig
finds every signature valid in the main PDF and both attachments as served → the clerk makes a sao y
(01/SY-…), pdfsig valid. PNGs of the appendix page, a stamped attachment's first page and the copy block
page go to test-artifacts/ (pdftoppm -r 60).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from documents.copies.models import DocumentCopy
from documents.models import DocumentType, IncomingDocument
from documents.outgoing.models import FormatCheck, OutgoingAttachment, OutgoingDocument
from eoffice.models import Role
from signing import pki
from tests.browser.fixtures import ARTIFACTS, DESKTOP, PHONE
from tests.factories import make_agency, make_department, make_user
from tests.signing import samples
from tests.signing.factories import PIN, make_credential
from workflow.models import WorkflowState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SUMMARY = "Ban hành danh mục dự án đầu tư công khởi công mới năm 2027"
PAST = "Các chủ đầu tư gửi báo cáo về Sở trước ngày 30/11/2020."
FIXED = "Các chủ đầu tư gửi báo cáo về Sở trước ngày 30/12/2099."


@pytest.fixture
def office(transactional_db, settings, tmp_path_factory):
    directory = tmp_path_factory.mktemp("pki")
    authority = pki.ensure_test_authority(directory)
    settings.SIGNING_PKI_DIR = directory
    settings.SIGNING_TSA_IN_PROCESS = True
    settings.SIGNING_TRUST_TEST_CA = True
    settings.SIGNING_LOCAL_TSA = True
    settings.SIGNING_PADES_LEVEL = "B-T"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    decision, _ = DocumentType.objects.get_or_create(name="Quyết định", defaults={"abbreviation": "QĐ"})
    parent = make_agency(name="Ủy ban nhân dân tỉnh An Hòa", abbreviation="UBND")
    agency = make_agency(name="Sở Kế hoạch và Đầu tư", abbreviation="SKHĐT", parent=parent)
    other = make_agency(name="Sở Thông tin và Truyền thông", abbreviation="STTTT", parent=parent)
    unit = make_department(agency=agency, name="Phòng Đăng ký kinh doanh", abbreviation="ĐKKD")
    office_unit = make_department(agency=agency, name="Văn phòng Sở", abbreviation="VP")
    agency.seal_image.save("seal.png", ContentFile(samples.seal_png()), save=True)
    director = make_user(agency=agency, roles=[Role.LEADER], full_name="Vũ Đức Thắng", position="Giám đốc")
    deputy = make_user(agency=agency, roles=[Role.LEADER], full_name="Lê Thị Thu Hà", position="Phó Giám đốc")
    for leader in (director, deputy):
        leader.signature_image.save("signature.png", ContentFile(samples.signature_png()), save=True)
        make_credential(authority=authority, agency=agency, owner=leader)
    make_credential(authority=authority, agency=agency, owner=None)
    checker = make_user(
        agency=agency,
        department=office_unit,
        roles=[Role.OFFICER],
        full_name="Trần Quốc Khánh",
        position="Chánh Văn phòng",
    )
    return {
        "admin": make_user(agency=agency, roles=[Role.AGENCY_ADMIN], full_name="Quản trị Sở"),
        "decision": decision,
        "director": director,
        "deputy": deputy,
        "checker": checker,
        "head": make_user(
            agency=agency, department=unit, roles=[Role.DEPARTMENT_HEAD], full_name="Bùi Văn Hải"
        ),
        "officer": make_user(agency=agency, department=unit, roles=[Role.OFFICER], full_name="Phan Minh Đức"),
        "clerk": make_user(
            agency=agency, department=office_unit, roles=[Role.CLERK], full_name="Đặng Thị Hương"
        ),
        "clerk_b": make_user(agency=other, roles=[Role.CLERK], full_name="Tạ Thị Bích Ngọc"),
        "agency": agency,
        "other": other,
    }


def _submit(page, selector: str) -> None:
    with page.page.expect_navigation():
        page.page.click(selector)
    page.page.wait_for_load_state("networkidle")


def _state(page) -> str:
    return page.page.locator("[data-testid=doc-state]").inner_text()


def _type_body(page, paragraphs: list[str]) -> None:
    editor = page.page.locator("form [contenteditable=true]").first
    editor.click()
    page.page.keyboard.press("Control+A")
    page.page.keyboard.press("Delete")
    for i, text in enumerate(paragraphs):
        if i:
            page.page.keyboard.press("Enter")
        page.page.keyboard.type(text)


def _fetch(page, url: str, path: Path) -> bytes:
    response = page.context.request.get(page.base_url + url)
    assert response.status == 200, (url, response.status)
    path.write_bytes(response.body())
    return path.read_bytes()


def _all_valid(data: bytes, tmp_path, count: int) -> list[dict]:
    rows = samples.pdfsig_signatures(samples.pdfsig(data, tmp_path))
    assert len(rows) == count, rows
    assert all(r["valid"] for r in rows), [r["text"] for r in rows]
    return rows


def _png(pdf: Path, page_no: int, label: str) -> Path:
    """Page ``page_no`` (1-based) of ``pdf`` as test-artifacts/<label>.png at 60 dpi."""
    ARTIFACTS.mkdir(exist_ok=True)
    stem = ARTIFACTS / label
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "60",
            "-f",
            str(page_no),
            "-l",
            str(page_no),
            "-singlefile",
            str(pdf),
            stem,
        ],
        check=True,
    )
    return stem.with_suffix(".png")


def _page_texts(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    return text.split("\f")


def test_decision_with_appendix_and_files_from_draft_to_sao_y(open_page, office, tmp_path):
    # 0. The agency admin names the Chánh Văn phòng the format reviewer of decisions on the assignment page.
    admin = open_page(DESKTOP, "desktop")
    admin.login(office["admin"])
    admin.goto(reverse("documents:outgoing_format_rules"))
    admin.page.select_option("#id_doc_type", str(office["decision"].pk))
    admin.page.select_option("#id_reviewer", str(office["checker"].pk))
    _submit(admin, '[data-testid="format-rule-form"] button[type="submit"]')
    rules = admin.page.locator("[data-testid=format-rule]")
    assert rules.count() == 1 and "Trần Quốc Khánh" in rules.inner_text(), admin.page.content()[:2000]

    # 1. The officer drafts a Quyết định: KT. for the deputy director, recipient picked by typing.
    officer = open_page(DESKTOP, "desktop")
    officer.login(office["officer"])
    officer.goto(reverse("documents:outgoing_list"))
    _submit(officer, "[data-testid=new-draft]")
    _submit(officer, "[data-testid=type-QĐ]")
    officer.page.fill("#id_summary", SUMMARY)
    officer.page.fill("#id_legal_bases", "Căn cứ Luật Đầu tư công ngày 13 tháng 6 năm 2019;")
    with officer.page.expect_response(re.compile(r"signer-choices")):
        officer.page.select_option("#id_signer_authority", "KT.")
    officer.page.wait_for_load_state("networkidle")
    officer.page.select_option("#id_signer", str(office["deputy"].pk))
    officer.page.fill("#id_authority_title", "Giám đốc")
    _type_body(
        officer,
        [
            "Điều 1. Ban hành kèm theo Quyết định này danh mục dự án tại Phụ lục.",
            "Điều 2. " + PAST,
            "Điều 3. Chánh Văn phòng Sở và các đơn vị liên quan chịu trách nhiệm thi hành Quyết định này.",
        ],
    )
    picker = officer.page.locator(".picker-input").first
    picker.click()
    picker.type("so thong tin")
    officer.page.locator(".picker-option", has_text="Sở Thông tin và Truyền thông").first.click()
    officer.page.fill("#id_distribution", "Như Điều 3")
    _submit(officer, "[data-testid=save-draft]")
    assert _state(officer) == "Đang soạn thảo", officer.page.content()[:2000]
    doc = OutgoingDocument.objects.get(summary=SUMMARY)
    assert doc.signer == office["deputy"] and doc.signer_authority == "KT."

    # ... its appendix and two attached PDF files, from the document's page.
    _submit(officer, "[data-testid=manage-attachments]")
    officer.page.fill("#id_appendix-title", "Danh mục dự án khởi công mới năm 2027")
    officer.page.locator('[data-testid="appendix-form"] [contenteditable="true"]').fill(
        "Dự án đường tỉnh 291 đoạn qua huyện Lục Nam, tổng mức đầu tư 120 tỷ đồng."
    )
    _submit(officer, '[data-testid="appendix-form"] button[type="submit"]')
    for name, title, heading, kind in (
        ("ke-hoach.pdf", "Kế hoạch vốn năm 2027", "KẾ HOẠCH", OutgoingAttachment.Kind.DOCUMENT),
        ("bang-ke.pdf", "Bảng kê dự án", "BẢNG KÊ", OutgoingAttachment.Kind.MATERIAL),
    ):
        pdf = tmp_path / name
        pdf.write_bytes(samples.sample_pdf(title=heading))
        officer.page.set_input_files("#id_attachment-upload", str(pdf))
        officer.page.fill("#id_attachment-title", title)
        officer.page.select_option("#id_attachment-kind", kind)
        _submit(officer, '[data-testid="attachment-form"] button[type="submit"]')
    assert officer.page.locator('[data-testid="appendix-list"] li').count() == 1
    assert officer.page.locator('[data-testid="attachment-list"] li').count() == 2
    officer.goto(doc.get_absolute_url())
    officer.page.select_option("#id_reviewer", str(office["head"].pk))
    _submit(officer, "[data-testid=submit-submit]")
    assert _state(officer) == "Chờ duyệt"

    # 2. The unit head approves: the document goes to the office's format check.
    head = open_page(DESKTOP, "desktop")
    head.login(office["head"])
    head.goto(doc.get_absolute_url())
    _submit(head, "[data-testid=approve-submit]")
    doc.refresh_from_db()
    assert doc.state == WorkflowState.FORMAT_CHECK and doc.format_reviewer == office["checker"]

    # 3. The reviewer returns it once on the checklist (the past deadline flagged) with a comment.
    checker = open_page(DESKTOP, "desktop")
    checker.login(office["checker"])
    checker.goto(doc.get_absolute_url())
    past = checker.page.locator('[data-code="past_dates"]')
    assert past.get_attribute("data-ok") == "0" and "30/11/2020" in past.inner_text()
    checker.page.fill("#fmt_comment", "Thời hạn gửi báo cáo tại Điều 2 đã qua, đề nghị sửa.")
    _submit(checker, '[data-testid="format-return"]')
    doc.refresh_from_db()
    assert doc.state == WorkflowState.RETURNED

    # 4. The officer reads the comment, fixes the deadline and resubmits; the head approves again.
    officer.goto(doc.get_absolute_url())
    assert "Thời hạn gửi báo cáo tại Điều 2 đã qua" in officer.page.inner_text("body")
    _submit(officer, "[data-testid=edit-draft]")
    _type_body(
        officer,
        [
            "Điều 1. Ban hành kèm theo Quyết định này danh mục dự án tại Phụ lục.",
            "Điều 2. " + FIXED,
            "Điều 3. Chánh Văn phòng Sở và các đơn vị liên quan chịu trách nhiệm thi hành Quyết định này.",
        ],
    )
    _submit(officer, "[data-testid=save-draft]")
    officer.page.select_option("#id_reviewer", str(office["head"].pk))
    _submit(officer, "[data-testid=submit-submit]")
    assert _state(officer) == "Chờ duyệt"
    head.goto(doc.get_absolute_url())
    _submit(head, "[data-testid=approve-submit]")
    doc.refresh_from_db()
    assert doc.state == WorkflowState.FORMAT_CHECK

    # 5. The reviewer approves the corrected version (on a phone): to the deputy's "chờ ký".
    phone = open_page(PHONE, "phone")
    phone.login(office["checker"])
    phone.goto(doc.get_absolute_url())
    assert phone.page.locator('[data-code="past_dates"]').get_attribute("data-ok") == "1"
    for box in phone.page.locator('input[name="ticked"]').all():
        box.check()
    _submit(phone, '[data-testid="format-approve"]')
    doc.refresh_from_db()
    assert doc.state == WorkflowState.SIGNING
    assert list(doc.format_checks.order_by("id").values_list("outcome", flat=True)) == [
        FormatCheck.Outcome.RETURNED,
        FormatCheck.Outcome.APPROVED,
    ]

    # 6. The deputy signs KT. with the PIN; the clerk issues with the seal PIN.
    deputy = open_page(DESKTOP, "desktop")
    deputy.login(office["deputy"])
    deputy.goto(doc.get_absolute_url())
    deputy.page.fill("#sign_pin", PIN)
    _submit(deputy, "[data-testid=sign-submit]")
    doc.refresh_from_db()
    assert doc.state == WorkflowState.SIGNED and doc.number_symbol == "01/QĐ-SKHĐT"
    clerk = open_page(DESKTOP, "desktop")
    clerk.login(office["clerk"])
    clerk.goto(doc.get_absolute_url())
    clerk.page.fill("#iss_pin", PIN)
    _submit(clerk, "[data-testid=issue-submit]")
    assert _state(clerk) == "Đã phát hành"
    doc.refresh_from_db()

    # The issued decision: KT. block and its appendix after the signature, "Kèm theo … số … ngày …".
    final = tmp_path / "decision.pdf"
    _fetch(clerk, reverse("documents:outgoing_version", args=[doc.pk, doc.current_version.number]), final)
    pages = _page_texts(final)
    flat = " ".join(" ".join(pages).split())
    assert "KT. GIÁM ĐỐC" in flat and "PHÓ GIÁM ĐỐC" in flat
    appendix_page = next(i for i, text in enumerate(pages, 1) if "(Kèm theo Quyết định số" in text)
    appendix = " ".join(pages[appendix_page - 1].split())
    assert appendix_page > 1 and "KT. GIÁM ĐỐC" not in appendix  # its own page, after the signature
    assert appendix.startswith("Phụ lục DANH MỤC DỰ ÁN KHỞI CÔNG MỚI NĂM 2027"), appendix
    assert f"(Kèm theo Quyết định số {doc.number_symbol} ngày" in appendix
    _png(final, appendix_page, "decree20-decision-appendix")

    # 7. The recipient agency's clerk sees the document and both attachments verified.
    clerk_b = open_page(DESKTOP, "desktop")
    clerk_b.login(office["clerk_b"])
    clerk_b.goto(reverse("documents:incoming_queue", args=["register"]))
    assert clerk_b.page.locator("tbody tr", has_text="01/QĐ-SKHĐT").count() == 1
    _submit(clerk_b, "tbody tr a")
    assert "hợp lệ" in clerk_b.page.locator("[data-testid=signature-status]").inner_text()
    pills = clerk_b.page.locator("[data-testid=attachment-signature]")
    assert pills.count() == 2
    assert all("hợp lệ" in pill.inner_text() for pill in pills.all())
    clerk_b.shot("decree20-recipient")
    incoming = IncomingDocument.objects.get(agency=office["other"])
    received = tmp_path / "received.pdf"
    _all_valid(_fetch(clerk_b, reverse("documents:incoming_file", args=[incoming.pk]), received), tmp_path, 2)
    for i, attachment in enumerate(incoming.attachments.order_by("id"), 1):
        path = tmp_path / f"attachment-{i}.pdf"
        data = _fetch(clerk_b, reverse("documents:attachment_file", args=[incoming.pk, attachment.pk]), path)
        _all_valid(data, tmp_path, 1)
        first = " ".join(_page_texts(path)[0].split())
        assert re.search(re.escape(doc.number_symbol) + r"; \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+07:00", first), (
            first
        )
        if i == 1:
            _png(path, 1, "decree20-attachment-stamp")

    # 8. The clerk makes a sao y of the issued decision, signed with the agency's certificate.
    clerk.goto(doc.get_absolute_url())
    _submit(clerk, "[data-testid=copy-create]")
    clerk.page.check("input[name=form][value=SY]")
    clerk.page.select_option("#id_signer", str(office["director"].pk))
    clerk.page.fill("#id_other_recipients", "Ủy ban nhân dân tỉnh An Hòa")
    clerk.page.fill("#id_pin", PIN)
    _submit(clerk, "[data-testid=copy-issue]")
    number = clerk.page.locator("[data-testid=copy-number]").inner_text()
    assert "01/SY-SKHĐT" in number, number
    copy_pdf = tmp_path / "sao-y.pdf"
    copy = DocumentCopy.objects.get()
    _fetch(clerk, reverse("documents:copy_file", args=[copy.pk]), copy_pdf)
    rows = samples.pdfsig_signatures(samples.pdfsig(copy_pdf.read_bytes(), tmp_path))
    assert rows and all(r["valid"] for r in rows), [r["text"] for r in rows]
    copy_texts = _page_texts(copy_pdf)
    stamp = " ".join(copy_texts[0].split())  # the agency's copy stamp, top right of the first page
    assert re.search(r"Sao y, Sở Kế hoạch và Đầu tư, 01/SY-SKHĐT; \d{4}-\d\d-\d\dT[\d:]{8}\+07:00", stamp), (
        stamp
    )
    block_page = next(i for i, text in enumerate(copy_texts, 1) if "SAO Y" in text)
    _png(copy_pdf, block_page, "decree20-sao-y-block")
    clerk.shot("decree20-sao-y")

    for page in (admin, officer, head, checker, phone, deputy, clerk, clerk_b):
        assert not [e for e in page.errors if "Content Security Policy" in e or "pageerror" in e], page.errors
