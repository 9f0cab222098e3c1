"""Each role's dashboard in a real browser opens with that person's pending work ("Việc cần làm ngay"), at
1280 and 390 px; the sidebar puts the person's own sections first, keeps the active entry in view and
remembers a section opened by hand; on a phone the agency name in the top bar is not cut off.

The pending work is made through the services: drafts waiting for the head's approval, for the leader's
signature, for the clerk's issuance; incoming documents waiting for direction and one assigned to the
officer; dossiers sent online. Screenshots go to test-artifacts/; with EOFFICE_DASHBOARD_SAMPLES=1 the first
screen of each is also written to docs/samples/dashboard-<role>-<width>.png (the committed samples).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from django.core.files.base import ContentFile

from documents.incoming import services as incoming_services
from documents.models import DocumentType
from documents.outgoing import services as outgoing_services
from documents.outgoing.services import DraftFields
from eoffice.models import Role
from onestop import services as onestop_services
from signing import pki
from tests.browser.fixtures import DESKTOP, PHONE
from tests.documents.conftest import receive
from tests.factories import make_agency, make_department, make_user
from tests.onestop.conftest import make_procedure, pdf_upload
from tests.signing import samples
from tests.signing.factories import PIN, make_credential

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SAMPLES = Path(__file__).resolve().parents[2] / "docs" / "samples"
KEEP_SAMPLES = os.environ.get("EOFFICE_DASHBOARD_SAMPLES", "") == "1"

# role: (the first card of "Việc cần làm ngay", its count, its link)
EXPECTED = {
    "leader": ("signing.pending", 1, "/signing/pending/"),
    "head": ("documents.outgoing.review", 1, "/documents/outgoing/q/review/"),
    "clerk": ("documents.outgoing.issue", 1, "/documents/outgoing/q/issue/"),
    "officer": ("documents.incoming.todo", 1, "/documents/incoming/q/todo/"),
    "onestop": ("onestop.online", 2, "/onestop/queue/online/"),
}


def _draft(people, other, summary: str):
    doc_type = DocumentType.objects.get_or_create(name="Công văn", defaults={"abbreviation": ""})[0]
    fields = DraftFields(
        doc_type=doc_type,
        summary=summary,
        body="<p>Thực hiện chỉ đạo của Ủy ban nhân dân tỉnh, đề nghị Quý cơ quan phối hợp.</p>",
        addressees=other.name,
        distribution="Như trên",
        signer=people["leader"],
        recipient_agencies=[other],
        external_recipients="",
    )
    doc = outgoing_services.draft_create(by=people["officer"], fields=fields)
    return outgoing_services.draft_submit(document=doc, by=people["officer"], reviewer=people["head"])


@pytest.fixture
def office(transactional_db, settings, tmp_path_factory):
    directory = tmp_path_factory.mktemp("pki")
    authority = pki.ensure_test_authority(directory)
    settings.SIGNING_PKI_DIR = directory
    settings.SIGNING_TSA_IN_PROCESS = True
    settings.SIGNING_TRUST_TEST_CA = True
    settings.SIGNING_LOCAL_TSA = True
    settings.SIGNING_PADES_LEVEL = "B-T"
    parent = make_agency(name="Ủy ban nhân dân tỉnh An Hòa", abbreviation="UBND")
    agency = make_agency(name="Sở Kế hoạch và Đầu tư", abbreviation="SKHĐT", parent=parent)
    other = make_agency(name="Sở Thông tin và Truyền thông", abbreviation="STTTT", parent=parent)
    unit = make_department(agency=agency, name="Phòng Đăng ký kinh doanh", abbreviation="ĐKKD")
    office_unit = make_department(agency=agency, name="Văn phòng Sở", abbreviation="VP")
    counter = make_department(agency=agency, name="Bộ phận Một cửa", abbreviation="MC")
    leader = make_user(
        agency=agency, roles=[Role.LEADER], username="giamdoc", full_name="Vũ Đức Thắng", position="Giám đốc"
    )
    leader.signature_image.save("signature.png", ContentFile(samples.signature_png()), save=True)
    agency.seal_image.save("seal.png", ContentFile(samples.seal_png()), save=True)
    make_credential(authority=authority, agency=agency, owner=leader)
    make_credential(authority=authority, agency=agency, owner=None)
    people = {
        "leader": leader,
        "head": make_user(
            agency=agency,
            department=unit,
            roles=[Role.DEPARTMENT_HEAD],
            username="truongphong",
            full_name="Bùi Văn Hải",
            position="Trưởng phòng Đăng ký kinh doanh",
        ),
        "officer": make_user(
            agency=agency,
            department=unit,
            roles=[Role.OFFICER],
            username="chuyenvien",
            full_name="Phan Minh Đức",
            position="Chuyên viên",
        ),
        "clerk": make_user(
            agency=agency,
            department=office_unit,
            roles=[Role.CLERK],
            username="vanthu",
            full_name="Đặng Thị Hương",
            position="Văn thư",
        ),
        "onestop": make_user(
            agency=agency,
            department=counter,
            roles=[Role.ONESTOP_OFFICER],
            username="motcua",
            full_name="Lý Thị Ngọc Ánh",
            position="Cán bộ tiếp nhận và trả kết quả",
        ),
    }
    # the head: a draft to approve
    _draft(people, other, "Đề nghị phối hợp rà soát danh mục dự án đầu tư công năm 2027")
    # the leader: a draft to sign
    to_sign = _draft(people, other, "Báo cáo tình hình thu hút đầu tư 9 tháng đầu năm 2026")
    outgoing_services.draft_approve(document=to_sign, by=people["head"])
    # the clerk: a signed document to number and issue
    signed = _draft(people, other, "Kế hoạch kiểm tra doanh nghiệp sau đăng ký thành lập năm 2026")
    signed = outgoing_services.draft_approve(document=signed, by=people["head"])
    outgoing_services.document_sign(document=signed, by=leader, pin=PIN)
    # incoming: two waiting for the leader's direction, one given to the officer
    receive(people["clerk"], n=1, summary="V/v báo cáo tình hình giải ngân vốn đầu tư công")
    receive(people["clerk"], n=2, summary="V/v tổ chức hội nghị xúc tiến đầu tư năm 2026")
    given = receive(people["clerk"], n=3, summary="V/v cung cấp số liệu doanh nghiệp quý III")
    incoming_services.incoming_direct(
        document=given,
        by=leader,
        instruction="Giao chuyên viên Phan Minh Đức tổng hợp, báo cáo trước 20/10.",
        lead_user=people["officer"],
    )
    # one-stop: two dossiers sent online
    procedure = make_procedure(agency, unit=unit)
    for name in ("Lý Thường Kiệt", "Trần Thị Bình"):
        papers = [
            onestop_services.PaperInput(name=p.name, required=p, file=pdf_upload())
            for p in procedure.papers.filter(mandatory=True)
        ]
        onestop_services.online_submit(
            procedure=procedure,
            applicant=onestop_services.Applicant(name=name, email="nguoinop@example.com"),
            papers=papers,
        )
    return people


FIRST_IN_MAIN = """() => {
  const blocks = [...document.querySelector("main").children].filter((e) => !e.matches(".messages"));
  return blocks.length ? blocks[0].getAttribute("data-testid") : null;
}"""


@pytest.mark.parametrize("viewport,width", [(DESKTOP, 1280), (PHONE, 390)])
def test_each_dashboard_opens_with_the_pending_work(open_page, office, viewport, width):
    for role, (key, count, url) in EXPECTED.items():
        page = open_page(viewport, f"{role}-{width}")
        page.login(office[role])
        assert page.page.evaluate(FIRST_IN_MAIN) == "pending-work", role
        cards = page.page.locator("[data-testid=pending-work] .todo-card")
        first = cards.first
        assert first.get_attribute("data-todo") == key, (
            role,
            cards.evaluate_all("l => l.map(e => e.dataset.todo)"),
        )
        assert first.locator("[data-testid=todo-count]").inner_text() == str(count), role
        assert first.locator("a.todo-card-head").get_attribute("href") == url, role
        box = first.locator("a.todo-card-head").bounding_box()
        assert box["y"] + box["height"] <= viewport["height"], (role, box)  # on the first screen
        assert page.no_horizontal_overflow(), role
        if width == 390:
            name = page.page.locator("[data-testid=agency-name]")
            assert name.is_visible()
            assert name.evaluate("e => e.scrollWidth <= e.clientWidth && e.scrollHeight <= e.clientHeight"), (
                role
            )
            topbar = page.page.locator(".topbar").bounding_box()
            name_box = name.bounding_box()
            assert name_box["y"] >= topbar["y"] and name_box["y"] + name_box["height"] <= topbar["height"], (
                role
            )
        page.shot("dashboard")
        if KEEP_SAMPLES:
            SAMPLES.mkdir(parents=True, exist_ok=True)
            page.page.screenshot(path=str(SAMPLES / f"dashboard-{role}-{width}.png"))
        with page.page.expect_navigation():
            first.locator("a.todo-card-head").click()
        page.page.wait_for_load_state("networkidle")
        assert page.page.url.endswith(url), role
        assert page.errors == [], (role, page.errors)
        page.context.close()


def test_the_sidebar_puts_the_own_sections_first_and_keeps_the_active_entry_in_view(open_page, office):
    page = open_page(DESKTOP, "sidebar")
    page.login(office["onestop"])
    sections = page.page.locator("#sidebar details[data-nav-section]")
    keys = sections.evaluate_all("l => l.map(e => [e.dataset.navSection, e.open])")
    assert keys[:2] == [["home", True], ["onestop", True]], keys
    assert ["documents", False] in keys, keys
    page.context.close()

    # the leader on the directory, the last entry of a long menu: its section opens, it scrolls into view
    page = open_page(DESKTOP, "sidebar-leader")
    page.login(office["leader"])
    page.goto("/directory/")
    link = page.page.locator("#sidebar a.nav-link.active")
    assert link.get_attribute("data-menu") == "directory"
    nav = page.page.locator("#sidebar .sidebar-nav").bounding_box()
    box = link.bounding_box()
    assert nav["y"] <= box["y"] and box["y"] + box["height"] <= nav["y"] + nav["height"], (nav, box)
    assert page.page.evaluate("document.querySelector('#sidebar .sidebar-nav').scrollTop") > 0

    # a section opened by hand stays open on the next page
    summary = page.page.locator("#sidebar details[data-nav-section=onestop] > summary")
    assert page.page.locator("#sidebar details[data-nav-section=onestop]").evaluate("e => !e.open")
    summary.click()
    page.goto("/notifications/")
    assert page.page.locator("#sidebar details[data-nav-section=onestop]").evaluate("e => e.open")
    assert page.errors == [], page.errors


@pytest.mark.parametrize(
    "name",
    [
        "Sở Kế hoạch và Đầu tư",
        "Ban Quản lý các khu công nghiệp và khu kinh tế tỉnh An Hòa",
    ],
)
def test_the_agency_name_is_not_cut_off_on_a_phone(open_page, transactional_db, name):
    parent = make_agency(name="Ủy ban nhân dân tỉnh An Hòa", abbreviation="UBND")
    agency = make_agency(name=name, abbreviation="SKHĐT", parent=parent)
    person = make_user(agency=agency, roles=[Role.OFFICER], full_name="Phan Minh Đức")
    page = open_page(PHONE, "agency-name")
    page.login(person)
    shown = page.page.locator(".topbar .agency-name")
    assert shown.inner_text().casefold() == name.casefold()
    assert shown.evaluate("e => e.scrollWidth <= e.clientWidth && e.scrollHeight <= e.clientHeight")
    box, topbar = shown.bounding_box(), page.page.locator(".topbar").bounding_box()
    assert topbar["y"] <= box["y"] and box["y"] + box["height"] <= topbar["y"] + topbar["height"], (
        box,
        topbar,
    )
    assert page.no_horizontal_overflow()
    page.shot(f"agency-name-{len(name)}")
