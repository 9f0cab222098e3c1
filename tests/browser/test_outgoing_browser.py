"""An outgoing document in a real browser, person by person:

officer drafts a công văn (type card, rich-text body, recipient picked by typing) and submits it → the
head approves and sends it for signature → the leader, on a phone, signs with the PIN (the number and date are
given then) → the clerk seals and issues → the recipient agency's clerk finds it in "Chờ vào sổ". The final
PDF, downloaded with the clerk's session, shows the number and date and pdfsig reports both signatures valid.
Screenshots of each step go to EOFFICE_OUTGOING_SHOTS (default /tmp/shots-outgoing/).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from django.utils import timezone

from documents.models import DocumentType
from documents.outgoing.models import OutgoingDocument
from eoffice.models import Role
from signing import pki
from tests.browser.fixtures import DESKTOP, PHONE
from tests.factories import make_agency, make_department, make_user
from tests.signing import samples
from tests.signing.factories import PIN, make_credential
from workflow.models import WorkflowState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("EOFFICE_OUTGOING_SHOTS", "/tmp/shots-outgoing"))
SUMMARY = "Đề nghị cung cấp số liệu doanh nghiệp đăng ký thành lập mới quý III năm 2026"


@pytest.fixture
def office(transactional_db, settings, tmp_path_factory):
    directory = tmp_path_factory.mktemp("pki")
    authority = pki.ensure_test_authority(directory)
    settings.SIGNING_PKI_DIR = directory
    settings.SIGNING_TSA_IN_PROCESS = True
    settings.SIGNING_TRUST_TEST_CA = True
    settings.SIGNING_LOCAL_TSA = True
    settings.SIGNING_PADES_LEVEL = "B-T"
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the email to the external recipient: no worker needed here
    # Earlier transactional tests flush the types the data migration made.
    DocumentType.objects.get_or_create(name="Công văn", defaults={"abbreviation": ""})
    parent = make_agency(name="Ủy ban nhân dân tỉnh An Hòa", abbreviation="UBND")
    agency = make_agency(name="Sở Kế hoạch và Đầu tư", abbreviation="SKHĐT", parent=parent)
    other = make_agency(name="Sở Thông tin và Truyền thông", abbreviation="STTTT", parent=parent)
    unit = make_department(agency=agency, name="Phòng Đăng ký kinh doanh", abbreviation="ĐKKD")
    office_unit = make_department(agency=agency, name="Văn phòng Sở", abbreviation="VP")
    leader = make_user(
        agency=agency, roles=[Role.LEADER], username="giamdoc", full_name="Vũ Đức Thắng", position="Giám đốc"
    )
    leader.signature_image.save("signature.png", ContentFile(samples.signature_png()), save=True)
    agency.seal_image.save("seal.png", ContentFile(samples.seal_png()), save=True)
    make_credential(authority=authority, agency=agency, owner=leader)
    make_credential(authority=authority, agency=agency, owner=None)
    return {
        "leader": leader,
        "head": make_user(
            agency=agency,
            department=unit,
            roles=[Role.DEPARTMENT_HEAD],
            username="truongphong",
            full_name="Bùi Văn Hải",
        ),
        "officer": make_user(
            agency=agency,
            department=unit,
            roles=[Role.OFFICER],
            username="chuyenvien",
            full_name="Phan Minh Đức",
        ),
        "clerk": make_user(
            agency=agency,
            department=office_unit,
            roles=[Role.CLERK],
            username="vanthu",
            full_name="Đặng Thị Hương",
        ),
        "clerk_b": make_user(
            agency=other, roles=[Role.CLERK], username="vanthu.b", full_name="Tạ Thị Bích Ngọc"
        ),
        "other": other,
    }


def _shot(page, label: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.page.evaluate("window.scrollTo(0, 0)")
    page.page.screenshot(path=str(SHOTS / f"{label}-{page.name}.png"), full_page=True)


def _submit(page, selector: str) -> None:
    with page.page.expect_navigation():
        page.page.click(selector)
    page.page.wait_for_load_state("networkidle")


def test_officer_head_leader_clerk_recipient(open_page, office, live_server, tmp_path):
    # 1. The officer drafts a công văn from its template and submits it to the head of the unit.
    officer = open_page(DESKTOP, "desktop")
    officer.login(office["officer"])
    officer.goto(reverse("documents:outgoing_list"))
    _submit(officer, "[data-testid=new-draft]")
    _submit(officer, "[data-testid=type-CV]")
    officer.page.fill("#id_summary", SUMMARY)
    officer.page.select_option("#id_signer", label="Vũ Đức Thắng — Giám đốc")
    editor = officer.page.locator("[contenteditable=true]").first
    editor.click()
    officer.page.keyboard.press("Control+A")
    officer.page.keyboard.type("Đề nghị Quý Sở cung cấp số liệu trước ngày 30/11/2026.")
    officer.page.fill("#id_addressees", "Sở Thông tin và Truyền thông")
    picker = officer.page.locator(".picker-input").first
    picker.click()
    picker.type("so thong tin")  # folded: finds "Sở Thông tin và Truyền thông"
    officer.page.locator(".picker-option", has_text="Sở Thông tin và Truyền thông").first.click()
    _shot(officer, "1-draft-form")
    _submit(officer, "[data-testid=save-draft]")
    assert officer.page.locator("[data-testid=doc-state]").inner_text() == "Đang soạn thảo"
    doc = OutgoingDocument.objects.get(summary=SUMMARY)
    assert "30/11/2026" in doc.body and doc.recipients.get().agency == office["other"]
    _shot(officer, "2-draft-detail")
    officer.page.select_option("#id_reviewer", str(office["head"].pk))
    _submit(officer, "[data-testid=submit-submit]")
    assert officer.page.locator("[data-testid=doc-state]").inner_text() == "Chờ duyệt"

    # 2. The head approves and sends it to the director's "chờ ký".
    head = open_page(DESKTOP, "desktop")
    head.login(office["head"])
    head.goto(reverse("documents:outgoing_queue", args=["review"]))
    _submit(head, f"a[href='{doc.get_absolute_url()}']")
    _submit(head, "[data-testid=approve-submit]")
    assert head.page.locator("[data-testid=doc-state]").inner_text() == "Chờ ký"

    # 3. The director signs on a phone: number and date are given at this moment.
    leader = open_page(PHONE, "phone")
    leader.login(office["leader"])
    leader.goto(doc.get_absolute_url())
    assert leader.no_horizontal_overflow()
    leader.page.fill("#sign_pin", PIN)
    _shot(leader, "3-sign")
    _submit(leader, "[data-testid=sign-submit]")
    doc.refresh_from_db()
    assert doc.state == WorkflowState.SIGNED and doc.number == 1
    assert doc.number_symbol == "01/SKHĐT-ĐKKD"
    assert doc.number_symbol in leader.page.locator("[data-testid=number-symbol]").inner_text()
    assert leader.no_horizontal_overflow()

    # 4. The clerk seals and issues.
    clerk = open_page(DESKTOP, "desktop")
    clerk.login(office["clerk"])
    clerk.goto(reverse("documents:outgoing_queue", args=["issue"]))
    _submit(clerk, f"a[href='{doc.get_absolute_url()}']")
    clerk.page.fill("#iss_pin", PIN)
    _submit(clerk, "[data-testid=issue-submit]")
    assert clerk.page.locator("[data-testid=doc-state]").inner_text() == "Đã phát hành"
    assert "Đã đến" in clerk.page.locator("[data-testid=recipient-status]").first.inner_text()
    _shot(clerk, "4-issued")

    # The final PDF: number and date printed, and pdfsig says every signature is valid.
    doc.refresh_from_db()
    url = reverse("documents:outgoing_version", args=[doc.pk, doc.current_version.number])
    response = clerk.context.request.get(live_server.url + url)
    assert response.status == 200
    final = tmp_path / "final.pdf"
    final.write_bytes(response.body())
    rows = samples.pdfsig_signatures(samples.pdfsig(final.read_bytes(), tmp_path))
    assert len(rows) == 2, rows
    assert all(r["valid"] for r in rows), rows
    text = subprocess.run(
        ["pdftotext", "-layout", str(final), "-"], capture_output=True, text=True, check=True
    ).stdout
    day = timezone.localtime(doc.issued_at).date()
    assert "01/SKHĐT-ĐKKD" in text
    assert f"ngày {day.day:02d} tháng" in text and f"năm {day.year}" in text

    # 5. The recipient agency's clerk has it waiting to be registered, signatures verified.
    clerk_b = open_page(PHONE, "phone")
    clerk_b.login(office["clerk_b"])
    clerk_b.goto(reverse("documents:incoming_queue", args=["register"]))
    row = clerk_b.page.locator("tbody tr", has_text="01/SKHĐT-ĐKKD")
    assert row.count() == 1
    _submit(clerk_b, "tbody tr a")
    assert "hợp lệ" in clerk_b.page.locator("[data-testid=signature-status]").inner_text()
    _shot(clerk_b, "5-recipient")
    for page in (officer, head, leader, clerk, clerk_b):
        assert not [e for e in page.errors if "Content Security Policy" in e or "pageerror" in e], page.errors
