"""Records management in a real browser (issue 19, "Done when"), person by person:

the officer opens a case file from the approved file plan ("Mở hồ sơ"), files a finished incoming
document, an issued outgoing document with its drafts and a returned one-stop dossier into it from their
own pages ("Lưu vào hồ sơ"), finds them numbered 1..3 on the file's page, exports the file as one PDF and
as the ZIP + XML package, closes it and transfers it to the agency archive → the archivist (another
browser) accepts the transfer → the officer, with a borrow approved by the archive, submits the "remove"
form of the page left open from before: refused with the frozen message, the items unchanged.
Screenshots of each step go to EOFFICE_RECORDS_SHOTS (default /tmp/shots-records/).
"""

from __future__ import annotations

import io
import os
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from documents.records.models import (
    CaseFile,
    CaseFileItem,
    FilePlan,
    FilePlanEntry,
    FilePlanHeading,
    Retention,
    Transfer,
)
from eoffice.models import Role
from tests.browser.fixtures import DESKTOP, PHONE, Page
from tests.factories import make_agency, make_department, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SHOTS = Path(os.environ.get("EOFFICE_RECORDS_SHOTS", "/tmp/shots-records"))
FROZEN = "Hồ sơ đã nộp lưu, không được thay đổi."
NS = {"p": "urn:eoffice:records:package:1"}


@pytest.fixture
def office(transactional_db):
    """An agency with its office clerk, the director, a unit (head and officer), the one-stop counter and
    the archivist; this year's approved file plan with the officer's entry; and three finished records the
    officer may see: an incoming letter he handled, an outgoing letter he drafted (two drafts, then signed
    and sealed) and a dossier he processed, returned to the applicant."""
    from tests.documents.conftest import receive
    from tests.documents.records.test_services import issued_outgoing
    from tests.onestop.conftest import advance, make_procedure
    from tests.onestop.conftest import receive as receive_dossier

    agency = make_agency(name="Sở Kế hoạch và Đầu tư", abbreviation="SKHĐT", code="000.00.31.H26")
    office_unit = make_department(agency=agency, name="Văn phòng Sở", abbreviation="VP")
    unit = make_department(agency=agency, name="Phòng Đăng ký kinh doanh", abbreviation="ĐKKD")
    counter = make_department(agency=agency, name="Bộ phận Một cửa", abbreviation="MC")
    people = {
        "clerk": make_user(
            agency=agency,
            department=office_unit,
            roles=[Role.CLERK],
            username="vanthu",
            full_name="Đặng Thị Hương",
        ),
        "leader": make_user(
            agency=agency,
            roles=[Role.LEADER],
            username="giamdoc",
            full_name="Vũ Đức Thắng",
            position="Giám đốc",
        ),
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
        "onestop": make_user(
            agency=agency,
            department=counter,
            roles=[Role.ONESTOP_OFFICER],
            username="motcua",
            full_name="Lý Thị Ngọc Ánh",
        ),
        "archivist": make_user(
            agency=agency,
            department=office_unit,
            roles=[Role.ARCHIVIST],
            username="luutru",
            full_name="Hoàng Thị Thu",
        ),
        "unit": unit,
    }
    officer, clerk = people["officer"], people["clerk"]

    # The file plan, approved (its drafting and decision have their own tests).
    today = timezone.localdate()
    plan = FilePlan.objects.create(
        agency=agency,
        year=today.year,
        status=FilePlan.Status.APPROVED,
        approved_at=timezone.now(),
        created_by=clerk,
    )
    heading = FilePlanHeading.objects.create(plan=plan, title="Đăng ký kinh doanh", abbreviation="ĐKKD")
    people["entry"] = FilePlanEntry.objects.create(
        plan=plan,
        heading=heading,
        number=5,
        code="05.ĐKKD",
        title="Hồ sơ về việc cấp giấy chứng nhận đăng ký doanh nghiệp năm " + str(today.year),
        retention=Retention.Y20,
        department=unit,
        responsible=officer,
    )
    people["plan"] = plan

    # 1. An incoming letter (received ten days ago), directed to the officer, finished by him.
    from documents.incoming import services as incoming

    incoming_doc = receive(
        clerk,
        n=7,
        number_symbol="07/UBND-KT",
        summary="V/v đẩy mạnh cấp giấy chứng nhận đăng ký doanh nghiệp qua mạng",
        issued_date=today - timedelta(days=10),
        received_at=timezone.now() - timedelta(days=9),
    )
    incoming_doc = incoming.incoming_direct(
        document=incoming_doc,
        by=people["leader"],
        instruction="Giao Phòng ĐKKD chủ trì.",
        lead_user=officer,
        due_at=timezone.now() + timedelta(days=7),
    )
    incoming_doc = incoming.incoming_start(document=incoming_doc, by=officer)
    people["incoming"] = incoming.incoming_finish(document=incoming_doc, by=officer, note="Đã triển khai")

    # 2. An outgoing letter drafted by the officer: two drafts, then the signed and the sealed PDFs.
    outgoing = issued_outgoing(by=officer, n=12, issued_at=timezone.now() - timedelta(days=5), drafts=2)
    type(outgoing).objects.filter(pk=outgoing.pk).update(signer=people["leader"])
    people["outgoing"] = outgoing

    # 3. A dossier the officer processed, returned to the applicant.
    procedure = make_procedure(agency, unit=unit)
    actors = {**people, "counter": counter}
    people["dossier"] = advance(receive_dossier(procedure, actors), "returned", actors)
    return people


def _shot(page, label: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.page.evaluate("window.scrollTo(0, 0)")
    page.page.screenshot(path=str(SHOTS / f"{label}-{page.name}.png"), full_page=True)


def _check(page, label: str, *, phone: bool = False) -> None:
    """Screenshot, then: no console error, CSP violation, failed request or duplicate id; on a phone no
    sideways scrolling."""
    _shot(page, label)
    if phone:
        assert page.no_horizontal_overflow(), f"{label}: wider than the phone"
    assert not page.errors, f"{label}: {page.errors}"


def _person(open_page, viewport: dict, name: str, user):
    """A browser signed in through the login form; confirmation dialogs (data-confirm) are accepted."""
    page = open_page(viewport, name)
    page.page.on("dialog", lambda dialog: dialog.accept())
    page.login(user)
    return page


def _submit(page, target) -> None:
    locator = page.page.locator(target) if isinstance(target, str) else target
    with page.page.expect_navigation():
        locator.click()
    page.page.wait_for_load_state("networkidle")


def _messages(page) -> str:
    box = page.page.locator(".messages")
    return box.inner_text() if box.count() else ""


def _file_from_page(page, url: str, case_file: CaseFile, label: str) -> None:
    """On a record's page: the "Hồ sơ công việc" block, choose the case file, "Lưu vào hồ sơ"."""
    page.goto(url)
    block = page.page.locator("[data-testid=file-this]")
    assert block.count() == 1, f"{label}: no 'file this' block on {url}"
    assert block.get_attribute("data-prominent") == "1", label  # the work is done: the block says so
    block.locator("select[name=case_file]").select_option(str(case_file.pk))
    _shot(page, f"3-{label}-file-this")
    _submit(page, block.get_by_role("button", name="Lưu vào hồ sơ"))
    assert page.page.url.endswith(url), page.page.url
    assert f"Đã lưu vào hồ sơ {case_file}" in _messages(page)
    held = page.page.locator("[data-testid=file-this]")
    assert held.locator(f"a[href='{case_file.get_absolute_url()}']").count() == 1
    assert held.get_attribute("data-prominent") is None
    _check(page, f"3-{label}-filed")


def _pdf_pages(data: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(data)).pages)


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def _download(page, link) -> tuple[str, bytes]:
    with page.page.expect_download() as info:
        link.click()
    download = info.value
    path = download.path()
    return download.suggested_filename, Path(path).read_bytes()


def test_plan_file_export_transfer_accept_then_frozen(open_page, office, live_server):
    from documents.records import kinds

    officer_user = office["officer"]
    incoming_doc, outgoing, dossier = office["incoming"], office["outgoing"], office["dossier"]

    # 2. The officer signs in, opens this year's plan and "Mở hồ sơ" on his entry.
    officer = _person(open_page, DESKTOP, "desktop", officer_user)
    officer.goto(reverse("documents:fileplan_list"))
    _submit(officer, f"a[href='{office['plan'].get_absolute_url()}']")
    row = officer.page.locator("[data-testid=entry-row]", has_text="05.ĐKKD")
    assert row.count() == 1
    _check(officer, "2-plan")
    _submit(officer, row.locator("[data-testid=open-file]"))
    case_file = CaseFile.objects.get(plan_entry=office["entry"])
    assert officer.page.url.endswith(case_file.get_absolute_url())
    assert (case_file.owner, case_file.code, case_file.status) == (
        officer_user,
        "05.ĐKKD",
        CaseFile.Status.OPEN,
    )
    assert officer.page.locator("[data-testid=file-status]").inner_text() == "Đang mở"
    assert "Hồ sơ chưa có văn bản." in officer.page.inner_text("main")
    _check(officer, "2-case-file-opened")

    # 3. From each record's own page: "Lưu vào hồ sơ" into this file.
    _file_from_page(officer, incoming_doc.get_absolute_url(), case_file, "incoming")
    _file_from_page(officer, outgoing.get_absolute_url(), case_file, "outgoing")
    _file_from_page(officer, dossier.get_absolute_url(), case_file, "dossier")
    officer.goto(case_file.get_absolute_url())
    rows = officer.page.locator("[data-testid=item-row]")
    assert rows.count() == 3
    listed = [rows.nth(i).locator("td").first.inner_text().strip() for i in range(3)]
    assert listed == ["1", "2", "3"]
    # in the order the records were made: the letter received, the reply issued, the dossier of today
    assert "07/UBND-KT" in rows.nth(0).inner_text()
    assert "12/SKHDT-VP" in rows.nth(1).inner_text()
    assert dossier.code in rows.nth(2).inner_text()
    items = list(CaseFileItem.objects.filter(case_file=case_file).order_by("ordinal"))
    assert [(i.ordinal, i.kind, i.object_id) for i in items] == [
        (1, "incoming", incoming_doc.pk),
        (2, "outgoing", outgoing.pk),
        (3, "dossier", dossier.pk),
    ]
    assert officer.page.locator("[data-testid=doc-total]").inner_text() == "3"
    _check(officer, "3-case-file-three-items")
    phone = _person(open_page, PHONE, "phone", officer_user)
    phone.goto(case_file.get_absolute_url())
    _check(phone, "3-case-file", phone=True)

    # 4. Exports: the whole file as one PDF, and the ZIP + XML package.
    pdf_name, pdf = _download(officer, officer.page.get_by_role("link", name="Toàn bộ hồ sơ (PDF)"))
    assert pdf_name.endswith(".pdf") and pdf.startswith(b"%PDF")
    (SHOTS / "4-file.pdf").write_bytes(pdf)
    record_pages = sum(i.page_amount or 0 for i in items)
    assert record_pages >= 3
    assert _pdf_pages(pdf) >= record_pages + 2  # cover, table of contents, then the documents
    text = _pdf_text(pdf)
    assert "MỤC LỤC VĂN BẢN" in text.upper()
    assert "07/UBND-KT" in text and "SKHDT-VP" in text
    zip_name, data = _download(officer, officer.page.get_by_role("link", name="Gói hồ sơ (ZIP + XML)"))
    assert zip_name.endswith(".zip")
    (SHOTS / "4-file.zip").write_bytes(data)
    from lxml import etree

    archive = zipfile.ZipFile(io.BytesIO(data))
    assert archive.namelist()[0] == "metadata.xml"
    root = etree.fromstring(archive.read("metadata.xml"))
    documents = root.findall("p:Documents/p:Document", NS)
    assert [d.get("kind") for d in documents] == ["incoming", "outgoing", "dossier"]
    assert [d.findtext("p:DocOrdinal", namespaces=NS) for d in documents] == ["1", "2", "3"]
    captions = [c.text for c in documents[1].findall("p:Files/p:ComputerFile/p:Caption", NS)]
    assert captions[:2] == ["Dự thảo lần 1", "Dự thảo lần 2"], captions
    expected = [f.sha256 for f in kinds.get("outgoing").files(outgoing)]
    paths = [p.text for p in documents[1].findall("p:Files/p:ComputerFile/p:Path", NS)]
    shas = [s.text for s in documents[1].findall("p:Files/p:ComputerFile/p:Sha256", NS)]
    assert shas == expected and len(paths) == len(expected) >= 3
    for path in paths:  # each file listed is in the package
        assert path in archive.namelist()
    _check(officer, "4-exported")

    # The same page, kept open in a second tab with its forms (move, remove, upload) from before the file
    # was closed: what the officer will try to submit once the archive holds the file.
    stale = Page(officer.context, live_server.url, "desktop")
    stale.page.on("dialog", lambda dialog: dialog.accept())
    stale.goto(case_file.get_absolute_url())
    assert stale.page.locator("[data-testid=upload-form]").count() == 1

    # 5. Close the file, then transfer it to the agency archive.
    _submit(officer, "[data-testid=close-file]")
    assert "Đã kết thúc hồ sơ." in _messages(officer)
    assert officer.page.locator("[data-testid=file-status]").inner_text() == "Đã kết thúc"
    _check(officer, "5-closed")
    _submit(officer, officer.page.get_by_role("link", name="Nộp lưu hồ sơ", exact=True).first)  # the menu
    assert officer.page.url.endswith(reverse("documents:transfer_create"))
    transferable = officer.page.locator("[data-testid=transferable]", has_text="05.ĐKKD")
    assert transferable.count() == 1
    transferable.locator("input[type=checkbox]").check()
    officer.page.fill("textarea[name=note]", "Hồ sơ điện tử đầy đủ, 03 văn bản.")
    _shot(officer, "5-transfer-form")
    _submit(officer, "[data-testid=transfer-submit]")
    transfer = Transfer.objects.get()
    assert officer.page.url.endswith(transfer.get_absolute_url())
    assert transfer.file_ids == [case_file.pk] and transfer.status == Transfer.Status.SUBMITTED
    assert officer.page.locator("[data-testid=transfer-status]").inner_text() == "Chờ lưu trữ tiếp nhận"
    _check(officer, "5-transferred")

    # 6. The archivist, in her own browser, opens the pending transfer and accepts it.
    archivist = _person(open_page, DESKTOP, "desktop", office["archivist"])
    archivist.goto(reverse("documents:archive_home"))
    assert archivist.page.locator("[data-testid=pending-transfers]").inner_text() == "1"
    _check(archivist, "6-archive-home")
    _submit(archivist, archivist.page.locator("[data-testid=transfer-row] a").first)
    assert archivist.page.locator("[data-testid=transfer-file]", has_text="05.ĐKKD").count() == 1
    _shot(archivist, "6-transfer")
    archivist_phone = _person(open_page, PHONE, "phone", office["archivist"])
    archivist_phone.goto(reverse("documents:archive_home"))
    _check(archivist_phone, "6-archive-home", phone=True)
    archivist_phone.goto(transfer.get_absolute_url())
    assert archivist_phone.page.locator("[data-testid=accept]").count() == 1
    _check(archivist_phone, "6-transfer", phone=True)
    archivist.page.fill("#id_accept-note", "Đã kiểm tra: đủ 03 văn bản, khớp mục lục.")
    _submit(archivist, "[data-testid=accept]")
    assert "Đã tiếp nhận hồ sơ vào lưu trữ cơ quan." in _messages(archivist)
    assert archivist.page.locator("[data-testid=transfer-status]").inner_text() == "Đã tiếp nhận"
    case_file.refresh_from_db()
    assert case_file.status == CaseFile.Status.ARCHIVED and case_file.archived_at
    _check(archivist, "6-accepted")
    archivist_phone.goto(transfer.get_absolute_url())
    _check(archivist_phone, "6-transfer-accepted", phone=True)

    # 7. The officer no longer reads the file directly: he asks the archive to borrow it …
    officer.goto(reverse("documents:archive_catalogue"))
    entry = officer.page.locator("[data-testid=catalogue-row]", has_text=case_file.title)
    _submit(officer, entry.get_by_role("link", name="Đề nghị khai thác"))
    officer.page.fill("textarea[name=purpose]", "Tra cứu số liệu cấp giấy chứng nhận năm nay.")
    officer.page.fill("input[name=until]", (timezone.localdate() + timedelta(days=7)).isoformat())
    _submit(officer, officer.page.get_by_role("button", name="Gửi đề nghị"))
    assert "Đã gửi đề nghị khai thác" in _messages(officer)
    _check(officer, "7-borrow-asked")
    archivist.goto(reverse("documents:archive_borrows"))
    borrow = archivist.page.locator("[data-testid=borrow-row]").first
    borrow.locator("select[name$=approve]").select_option("1")
    _submit(archivist, borrow.get_by_role("button", name="Ghi quyết định"))
    assert "Đã trả lời đề nghị khai thác." in _messages(archivist)
    _check(archivist, "7-borrow-approved")

    # … and, reading it, submits the "remove" of item 1 from the page left open before the transfer.
    officer.goto(case_file.get_absolute_url())
    assert "Hồ sơ đã nộp lưu" in officer.page.inner_text("main")
    assert officer.page.locator("[data-testid=upload-form]").count() == 0  # no form offered any more
    assert officer.page.locator("[data-testid=reopen-file]").count() == 0
    _shot(officer, "7-archived-read")
    _submit(stale, stale.page.get_by_role("button", name="Bỏ văn bản số 1 khỏi hồ sơ"))
    assert FROZEN in _messages(stale)
    assert stale.page.locator("[data-testid=item-row]").count() == 3
    _check(stale, "7-refused")
    after = list(
        CaseFileItem.objects.filter(case_file=case_file)
        .order_by("ordinal")
        .values_list("ordinal", "kind", "object_id")
    )
    assert after == [
        (1, "incoming", incoming_doc.pk),
        (2, "outgoing", outgoing.pk),
        (3, "dossier", dossier.pk),
    ]
    case_file.refresh_from_db()
    assert case_file.status == CaseFile.Status.ARCHIVED and case_file.doc_total == 3
    for page in (officer, stale, phone, archivist, archivist_phone):
        assert not page.errors, page.errors
