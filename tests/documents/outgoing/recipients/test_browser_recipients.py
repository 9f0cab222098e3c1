"""The clerk's issue form with the reconciliation: an unprinted recipient named and dropped, a printed
directory agency announced, then issued (desktop and phone; screenshots in test-artifacts/)."""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile

from documents.models import DocumentType
from documents.outgoing import services
from documents.outgoing.models import OutgoingRecipient
from documents.outgoing.services import DraftFields
from eoffice.models import Role
from signing import pki
from tests.browser.fixtures import DESKTOP, PHONE
from tests.factories import make_agency, make_department, make_user
from tests.signing import samples
from tests.signing.factories import make_credential
from workflow.models import WorkflowState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PIN = "123456"


@pytest.fixture
def signed(transactional_db, settings, tmp_path_factory):
    directory = tmp_path_factory.mktemp("pki")
    authority = pki.ensure_test_authority(directory)
    settings.SIGNING_PKI_DIR = directory
    settings.SIGNING_TSA_IN_PROCESS = True
    settings.SIGNING_TRUST_TEST_CA = True
    settings.SIGNING_LOCAL_TSA = True
    settings.SIGNING_PADES_LEVEL = "B-T"
    doc_type = DocumentType.objects.get_or_create(name="Công văn", defaults={"abbreviation": ""})[0]
    agency = make_agency(name="Sở Kế hoạch và Đầu tư", abbreviation="SKHĐT")
    other = make_agency(name="Sở Thông tin và Truyền thông", abbreviation="STTTT")
    finance = make_agency(name="Sở Tài chính", abbreviation="STC")
    health = make_agency(name="Sở Y tế", abbreviation="SYT")
    unit = make_department(agency=agency, name="Phòng Tổng hợp", abbreviation="TH")
    leader = make_user(agency=agency, roles=[Role.LEADER], full_name="Vũ Đức Thắng", position="Giám đốc")
    leader.signature_image.save("signature.png", ContentFile(samples.signature_png()), save=True)
    agency.seal_image.save("seal.png", ContentFile(samples.seal_png()), save=True)
    make_credential(authority=authority, agency=agency, owner=leader)
    make_credential(authority=authority, agency=agency, owner=None)
    officer = make_user(agency=agency, department=unit, roles=[Role.OFFICER], full_name="Phan Minh Đức")
    head = make_user(agency=agency, department=unit, roles=[Role.DEPARTMENT_HEAD], full_name="Bùi Văn Hải")
    clerk = make_user(agency=agency, roles=[Role.CLERK], full_name="Đặng Thị Hương")
    fields = DraftFields(
        doc_type=doc_type,
        summary="Đề nghị phối hợp rà soát danh mục dự án đầu tư công năm 2027",
        body="<p>Đề nghị Quý cơ quan phối hợp.</p>",
        addressees=other.name,
        distribution="Như trên;\n- Sở Tài chính (để phối hợp);\n- Giám đốc Sở (để b/c);",
        signer=leader,
        recipient_agencies=[other],
    )
    doc = services.draft_create(by=officer, fields=fields)
    doc = services.draft_submit(document=doc, by=officer, reviewer=head)
    doc = services.draft_approve(document=doc, by=head)
    doc = services.document_sign(document=doc, by=leader, pin=PIN)
    # the review's finding: a recipient on the list who is not printed on the letter
    OutgoingRecipient.objects.create(document=doc, agency=health, name=health.name, channel="internal")
    return {"doc": doc, "clerk": clerk, "finance": finance, "health": health}


def test_clerk_reconciles_and_issues(open_page, signed):
    doc = signed["doc"]
    phone = open_page(PHONE, "phone")
    phone.login(signed["clerk"])
    phone.goto(doc.get_absolute_url())
    assert phone.page.locator("[data-testid=recipients-unprinted]").is_visible()
    assert phone.no_horizontal_overflow()
    phone.shot("recipients-check")

    page = open_page(DESKTOP, "desktop")
    page.login(signed["clerk"])
    page.goto(doc.get_absolute_url())
    check = page.page.locator("[data-testid=recipients-check]")
    assert "Sở Y tế" in check.locator("[data-testid=recipients-unprinted]").inner_text()
    assert check.locator("[data-testid=recipient-add]").count() == 1  # Sở Tài chính, printed, to be sent
    page.shot("recipients-check")
    # issuing now is refused, naming the unprinted recipient
    page.page.fill("#iss_pin", PIN)
    with page.page.expect_navigation():
        page.page.click("[data-testid=issue-submit]")
    assert "Sở Y tế" in page.page.locator(".alert, .messages, [role=alert]").first.inner_text()
    doc.refresh_from_db()
    assert doc.state == WorkflowState.SIGNED
    with page.page.expect_navigation():
        page.page.click("[data-testid=recipient-drop]")
    assert page.page.locator("[data-testid=recipients-check-problem]").count() == 1  # Sở Tài chính to add
    page.page.fill("#iss_pin", PIN)
    with page.page.expect_navigation():
        page.page.click("[data-testid=issue-submit]")
    doc.refresh_from_db()
    assert doc.state == WorkflowState.ISSUED
    names = set(doc.recipients.values_list("name", flat=True))
    assert names == {"Sở Thông tin và Truyền thông", "Sở Tài chính"}
    assert page.errors == [] and phone.errors == [], page.errors + phone.errors
