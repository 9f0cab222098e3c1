"""Two dossiers walked in Chromium from the applicant to the result handed over.

- At the counter: the one-stop officer picks the procedure (papers load by htmx), ticks the papers, records
  the applicant and receives; the receipt (form 01) opens as a PDF with the code and the appointment.
- Online (phone width, no account): the applicant confirms the email with the code sent to it, uploads the
  mandatory scans and gets a reference; the counter checks it and gives it a code.
- Each then goes counter → unit head → officer (draft result) → head (review) → leader (on a phone; the
  counter dossier approved with a hand-signed result, the online one signed digitally from "Chờ ký") →
  counter → handed over with a rating; the public tracking page (390 px) shows the state and only the
  applicant's masked name. No console error, CSP violation or failed request on any page.
"""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from pypdf import PdfReader

from onestop.models import Dossier, DossierState
from tests.browser.fixtures import DESKTOP, PHONE
from tests.onestop.conftest import jpeg_upload, pdf_bytes
from tests.signing.conftest import _signing_settings, authority, pki_dir  # noqa: F401
from tests.signing.factories import PIN, make_credential

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def files(tmp_path):
    result = tmp_path / "giay-chung-nhan.pdf"
    result.write_bytes(pdf_bytes("Giấy chứng nhận đăng ký doanh nghiệp"))
    scan = tmp_path / "scan.jpg"
    scan.write_bytes(jpeg_upload().read())
    return {"result": str(result), "scan": str(scan)}


class Desk:
    """One person at their screen: a signed-in page of the given size."""

    def __init__(self, open_page, user, viewport=DESKTOP, name="desktop"):
        self.page = open_page(viewport, f"{user.username}-{name}")
        self.page.login(user)
        self.p = self.page.page

    def open(self, path: str):
        self.page.goto(path)
        return self.p

    def act(self, dossier: Dossier, key: str, fill=None, button: str = "button[type=submit]") -> None:
        self.open(dossier.get_absolute_url())
        form = self.p.locator(f"[data-testid=action-{key}]")
        if not form.is_visible():  # a secondary action: opened from the list of other actions
            self.p.locator(f"details:has([data-testid=action-{key}]) > summary").click()
        if fill:
            fill(form)
        with self.p.expect_navigation():
            form.locator(button).first.click()
        self.p.wait_for_load_state("networkidle")
        assert not self.p.locator(".alert-error").count(), self.p.locator(".alert-error").inner_text()

    def check_clean(self) -> None:
        assert self.page.errors == [], self.page.errors


def state(dossier: Dossier) -> str:
    return Dossier.objects.get(pk=dossier.pk).state


def choose(form, name: str, value) -> None:
    form.locator(f"select[name={name}]").select_option(str(value), force=True)


def walk_to_returned(dossier, people, desks, files, *, sign: bool) -> Dossier:
    counter, head, officer, leader = desks["onestop"], desks["head"], desks["officer"], desks["leader"]
    counter.act(dossier, "hand_to_unit", lambda f: choose(f, "department", people["unit"].pk))
    assert state(dossier) == DossierState.UNIT
    head.act(dossier, "assign", lambda f: choose(f, "officer", people["officer"].pk))
    assert state(dossier) == DossierState.PROCESSING

    def draft(form):
        form.locator("input[name=result_file]").set_input_files(files["result"])
        form.locator("input[name=result_number]").fill("0101234567")

    officer.act(dossier, "submit", draft)
    assert state(dossier) == DossierState.REVIEW
    head.act(dossier, "forward", lambda f: choose(f, "leader", people["leader"].pk))
    assert state(dossier) == DossierState.APPROVAL
    if sign:
        leader.act(dossier, "approve", button="[data-testid=approve-sign]")
        assert state(dossier) == DossierState.SIGNING
        p = leader.open("/signing/pending/")
        p.locator("input[name=requests]").first.check()
        p.fill("input[name=pin]", PIN)
        with p.expect_navigation():
            p.locator("form:has(input[name=pin]) button[type=submit]").first.click()
        p.wait_for_load_state("networkidle")
        dossier.refresh_from_db()
        assert dossier.result_signed
    else:
        leader.act(dossier, "approve", button="[data-testid=approve-paper]")
    assert state(dossier) == DossierState.RETURNING

    def handed(form):
        form.locator("input[name=returned_to]").fill("Nguyễn Văn An")
        form.locator("label[for=rate-5]").click()

    counter.act(dossier, "hand_over", handed)
    dossier.refresh_from_db()
    assert (dossier.state, dossier.rating) == (DossierState.RETURNED, 5)
    kinds = list(dossier.steps.order_by("started_at", "id").values_list("kind", flat=True))
    assert kinds == ["receive", "assign", "process", "review", "approve", "return"]
    return dossier


def check_tracking(open_page, dossier: Dossier, name: str) -> None:
    page = open_page(PHONE, name)
    page.goto(f"/mot-cua/tra-cuu/?code={dossier.code}")
    p = page.page
    assert p.locator("[data-testid=masked-name]").inner_text().strip() == dossier.masked_name
    body = p.locator("body").inner_text()
    assert "Đã trả kết quả" in body and dossier.procedure.name in body
    for private in (dossier.applicant_name, dossier.applicant_id_number, dossier.applicant_phone):
        if private:
            assert private not in body
    assert page.no_horizontal_overflow()
    page.shot("onestop-tracking")
    assert page.errors == [], page.errors


@pytest.fixture
def desks(open_page, people, authority):  # noqa: F811
    make_credential(authority=authority, agency=people["leader"].agency, owner=people["leader"])
    return {
        "onestop": Desk(open_page, people["onestop"]),
        "head": Desk(open_page, people["head"]),
        "officer": Desk(open_page, people["officer"]),
        "leader": Desk(open_page, people["leader"], PHONE, "phone"),
    }


def test_counter_dossier_from_reception_to_return(open_page, people, procedure, desks, files):
    counter = desks["onestop"]
    p = counter.open("/onestop/receive/")
    p.locator("#id_procedure-picker-input").fill("dang ky thanh lap")
    p.locator("#id_procedure-picker-list .picker-option").first.click()
    p.wait_for_selector("[data-testid=checklist]")
    p.click("[data-tick-all]")
    p.fill("input[name=applicant_name]", "Nguyễn Văn An")
    p.fill("input[name=applicant_id_number]", "001086012345")
    p.fill("input[name=applicant_phone]", "0912345678")
    p.fill("input[name=applicant_email]", "an.nguyen@example.com")
    p.fill("input[name=applicant_address]", "Số 5 Lê Lợi, phường Hòa Bình")
    p.locator("label.os-outcome-valid").click()
    counter.page.shot("onestop-counter")
    with p.expect_navigation():
        p.click("[data-testid=decision-submit]")
    p.wait_for_load_state("networkidle")
    dossier = Dossier.objects.get(applicant_name="Nguyễn Văn An")
    assert dossier.state == DossierState.RECEIVED and re.fullmatch(
        rf"{re.escape(dossier.agency.code)}-\d{{6}}-0001", dossier.code
    )  # noqa: E501
    assert dossier.papers.filter(received=True).count() == 3
    # The receipt (form 01) from the page's link: a PDF with the code, the applicant and the appointment.
    href = p.locator("a[href$='/forms/1/']").first.get_attribute("href")
    response = p.request.get(counter.page.base_url + href)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    text = " ".join((page.extract_text() or "") for page in PdfReader(io.BytesIO(response.body())).pages)
    text = re.sub(r"\s+", " ", text)
    assert dossier.code in text and "Nguyễn Văn An" in text
    assert f"{dossier.due_at.astimezone().day:02d}" in text or str(dossier.due_at.astimezone().day) in text
    dossier = walk_to_returned(dossier, people, desks, files, sign=False)
    check_tracking(open_page, dossier, "counter")
    for desk in desks.values():
        desk.check_clean()


def test_online_dossier_from_submission_to_return(open_page, people, procedure, desks, files):
    applicant = open_page(PHONE, "applicant")
    applicant.goto(procedure.get_absolute_url())
    p = applicant.page
    with p.expect_navigation():
        p.get_by_role("link", name="Nộp hồ sơ trực tuyến").first.click()
    p.fill("input[name=email]", "binh.tran@example.com")
    with p.expect_navigation():
        p.get_by_role("button", name="Gửi mã xác thực").click()
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].subject).group(1)
    p.fill("input[name=code]", code)
    with p.expect_navigation():
        p.get_by_role("button", name="Xác thực").click()
    p.fill("input[name=applicant_name]", "Trần Thị Bình")
    p.fill("input[name=id_number]", "001190054321")
    p.fill("input[name=phone]", "0987654321")
    p.fill("input[name=address]", "Số 12 Quang Trung, phường Tân Thành")
    for paper in procedure.papers.filter(mandatory=True):
        p.locator(f"input[name=paper_{paper.pk}]").set_input_files(files["scan"])
    with p.expect_navigation():
        p.get_by_role("button", name="Gửi hồ sơ").click()
    reference = p.locator("[data-testid=reference]").inner_text().strip()
    dossier = Dossier.objects.get(reference=reference)
    assert (dossier.state, dossier.channel, dossier.applicant_email) == (
        DossierState.SUBMITTED,
        "online",
        "binh.tran@example.com",
    )
    assert dossier.papers.exclude(file="").count() == 2
    assert applicant.no_horizontal_overflow()
    assert applicant.errors == [], applicant.errors

    # The counter finds it among the new online dossiers and receives it.
    counter = desks["onestop"]
    p = counter.open("/onestop/queue/online/")
    assert reference in p.locator("body").inner_text()
    counter.act(dossier, "check", lambda f: f.locator("label.os-outcome-valid").click())
    dossier.refresh_from_db()
    assert dossier.state == DossierState.RECEIVED and dossier.code
    assert any(
        dossier.code in m.body and m.attachments for m in mail.outbox if m.to == ["binh.tran@example.com"]
    )
    dossier = walk_to_returned(dossier, people, desks, files, sign=True)
    check_tracking(open_page, dossier, "online")
    for desk in desks.values():
        desk.check_clean()
