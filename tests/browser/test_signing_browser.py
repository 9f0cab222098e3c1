"""Signing in a real browser.

- The batch flow with a REAL Celery worker (a subprocess on the signing queue, on the test database and
  Redis, like tests/workflow/test_celery_e2e.py): a leader opens "Chờ ký", ticks all three requests, types the
  PIN once, watches the htmx progress bar until done and sees each item's own result (two signed, one failed
  with a Vietnamese reason); one signed file is downloaded and checked with pdfsig.
- A tour of every signing page at desktop and phone width: screenshots (EOFFICE_SIGNING_SHOTS, default
  /tmp/shots-sign/), no sideways scrolling at 390 px, no console error or CSP violation; and the signed
  sample (leader stamp + seal) rendered with pdftoppm -r 150 next to them.
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.urls import reverse

from eoffice.models import Role
from signing import pki, rules, services
from signing.models import SignatureRequest
from tests.browser.fixtures import DESKTOP, PHONE
from tests.factories import make_agency, make_department, make_user
from tests.signing import samples
from tests.signing.factories import PIN, make_credential
from tests.worker import celery_worker

# Run alone, after the parallel step (tests/run_suite.sh): a real worker must not take other tests' tasks.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.realworker,
]
SHOTS = Path(os.environ.get("EOFFICE_SIGNING_SHOTS", "/tmp/shots-sign"))
BROKEN_TITLE = "Công văn số 27/SKHĐT-VP về việc báo cáo tiến độ (tệp hỏng)"
TITLES = [
    "Quyết định số 15/QĐ-SKHĐT phê duyệt kế hoạch chuyển đổi số năm 2026",
    BROKEN_TITLE,
    "Báo cáo số 31/BC-SKHĐT tình hình thực hiện nhiệm vụ quý I",
]


# ---- fixtures ---------------------------------------------------------------------------------------------


@pytest.fixture
def signing_settings(settings, tmp_path_factory):
    directory = tmp_path_factory.mktemp("pki")
    authority = pki.ensure_test_authority(directory)
    settings.SIGNING_PKI_DIR = directory
    settings.SIGNING_TSA_IN_PROCESS = True
    settings.SIGNING_TRUST_TEST_CA = True
    settings.SIGNING_LOCAL_TSA = True
    settings.SIGNING_PADES_LEVEL = "B-T"
    return authority


@pytest.fixture
def people(transactional_db, signing_settings):
    """A leader with a signature image and a TEST credential, a clerk with the agency seal, an officer."""
    parent = make_agency(name="Ủy ban nhân dân tỉnh Hà Giang", abbreviation="UBND")
    agency = make_agency(name="Sở Kế hoạch và Đầu tư", abbreviation="SKHĐT", parent=parent)
    dept = make_department(agency=agency, name="Văn phòng Sở", abbreviation="VP")
    leader = make_user(
        agency=agency,
        department=dept,
        roles=[Role.LEADER],
        username="giamdoc",
        full_name="Nguyễn Thị Thu Hà",
        position="Giám đốc Sở",
    )
    clerk = make_user(agency=agency, department=dept, roles=[Role.CLERK], full_name="Lê Thị Văn Thư")
    officer = make_user(agency=agency, department=dept, roles=[Role.OFFICER], full_name="Trần Văn Bình")
    leader.signature_image.save("signature.png", ContentFile(samples.signature_png()), save=True)
    agency.seal_image.save("seal.png", ContentFile(samples.seal_png()), save=True)
    authority = signing_settings
    return {
        "leader": leader,
        "clerk": clerk,
        "officer": officer,
        "agency": agency,
        "leader_credential": make_credential(authority=authority, agency=agency, owner=leader),
        "seal_credential": make_credential(authority=authority, agency=agency, owner=None),
    }


@pytest.fixture
def worker(settings, signing_settings):
    """A real Celery worker on the "signing" queue, sharing the test database, Redis, media and test PKI."""
    from eoffice.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    assert not app.conf.task_always_eager
    with app.connection_for_write() as conn:  # nothing left over from an interrupted run
        conn.default_channel.queue_purge("signing")
    env = {
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
        "SIGNING_PKI_DIR": str(settings.SIGNING_PKI_DIR),
        "SIGNING_TSA_IN_PROCESS": "1",
        "SIGNING_TRUST_TEST_CA": "1",
        "SIGNING_PADES_LEVEL": "B-T",
    }
    with celery_worker(queues=["signing"], env=env) as proc:
        yield proc


# ---- helpers ----------------------------------------------------------------------------------------------


def _shot(page, label: str) -> Path:
    SHOTS.mkdir(parents=True, exist_ok=True)
    path = SHOTS / f"{label}-{page.name}.png"
    page.page.evaluate("window.scrollTo(0, 0)")  # the sticky top bar stays on top in a full-page shot
    page.page.screenshot(path=str(path), full_page=True)
    return path


def _check(page, label: str) -> None:
    """Screenshot, then: no sideways scrolling, no console error, CSP violation or failed request."""
    _shot(page, label)
    width = page.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert width[0] <= width[1], f"{label}: page is {width[0]} px wide in a {width[1]} px window"
    assert not page.errors, f"{label}: {page.errors}"


def _requests(people, sample) -> list[SignatureRequest]:
    made = [
        services.signature_request_create(
            pdf=sample,
            title=title,
            requested_by=people["officer"],
            kind="leader",
            signer=people["leader"],
            box=samples.SIGNER_BOX,
        )
        for title in TITLES
    ]
    broken = made[1]  # accepted when submitted, damaged since: its signature must fail, the others not
    broken.pdf.storage.delete(broken.pdf.name)
    broken.pdf.save("broken.pdf", ContentFile(b"%PDF-1.7\n1 0 obj\n<<>>\ngarbage"), save=True)
    return made


def _wait_finished(page, worker, seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if page.page.locator('#batch-progress[data-finished="1"]').count():
            return
        if worker.poll() is not None:
            pytest.fail(f"worker exited with code {worker.returncode}")
        page.page.wait_for_timeout(300)
    worker.terminate()
    output = worker.communicate(timeout=15)[0] or ""  # stdout goes to DEVNULL: see the worker's log file
    pytest.fail("batch not finished in time:\n" + output[-4000:])


# ---- the batch flow ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("viewport,name", [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_batch_signing_with_a_real_worker(open_page, people, worker, viewport, name, tmp_path):
    sample = samples.sample_pdf()
    made = _requests(people, sample)
    page = open_page(viewport, name)
    page.login(people["leader"])

    if name == "desktop":  # through the menu, with its counter
        link = page.page.locator("#sidebar a[data-menu='signing.pending']")
        assert link.locator(".nav-badge").inner_text() == "3"
        with page.page.expect_navigation():
            link.click()
        page.page.wait_for_load_state("networkidle")
    else:
        page.goto(reverse("signing:pending"))
    assert page.page.locator("h1").inner_text() == "Chờ ký"
    rows = page.page.locator("tbody tr")
    assert rows.count() == 3
    boxes = page.page.locator("input[name=requests]")
    assert [boxes.nth(i).is_checked() for i in range(3)] == [False] * 3  # nothing is signed by default
    page.page.check("input[data-check-all=requests]")
    assert [boxes.nth(i).is_checked() for i in range(3)] == [True] * 3
    page.page.fill("#id_pin", PIN)
    _check(page, "pending")

    polls: list[str] = []
    page.page.on("request", lambda r: polls.append(r.url) if "/progress/" in r.url else None)
    with page.page.expect_navigation():
        page.page.click("form[data-signing-batch] button[type=submit]")
    page.page.wait_for_load_state("domcontentloaded")
    assert "/signing/batches/" in page.page.url
    started_finished = page.page.locator('#batch-progress[data-finished="1"]').count() == 1
    if not started_finished:
        _shot(page, "batch-running")
    _wait_finished(page, worker)
    if not started_finished:
        assert polls, "the page did not poll for progress"
    page.page.wait_for_timeout(300)  # let htmx settle the swapped fragment
    progress = page.page.locator("progress.signing-progress")
    assert progress.get_attribute("value") == "3" and progress.get_attribute("max") == "3"
    text = page.page.locator("#batch-progress").inner_text()
    assert "Đã xử lý 3/3 văn bản" in text
    assert "2 văn bản đã ký, 1 văn bản bị lỗi" in text
    _check(page, "batch")

    by_pk = {r.pk: r.title for r in made}
    results = {}
    for row in page.page.locator("#batch-progress tbody tr").all():
        results[by_pk[int(row.get_attribute("data-item"))]] = row
    assert {t: r.get_attribute("data-status") for t, r in results.items()} == {
        TITLES[0]: "signed",
        BROKEN_TITLE: "failed",
        TITLES[2]: "signed",
    }
    reason = results[BROKEN_TITLE].locator("[data-error]").inner_text()
    assert reason == "Tệp PDF bị hỏng, không đọc được."
    assert results[BROKEN_TITLE].locator("[data-signed-file]").count() == 0
    assert "Lỗi" in results[BROKEN_TITLE].inner_text()
    assert "Đã ký" in results[TITLES[0]].inner_text()

    # Download one signed result with the browser's session and check it with pdfsig.
    href = results[TITLES[0]].locator("[data-signed-file]").get_attribute("href")
    response = page.context.request.get(page.base_url + href)
    assert response.status == 200
    signed = response.body()
    assert signed.startswith(b"%PDF") and signed.startswith(sample)  # incremental: the original untouched
    rows = samples.pdfsig_signatures(samples.pdfsig(signed, tmp_path))
    assert len(rows) == 1 and rows[0]["valid"], rows
    assert "Signature Validation: Signature is Valid." in rows[0]["text"]

    # The database agrees with the page; the failed item stays open for another try.
    statuses = {r.title: r.status for r in SignatureRequest.objects.all()}
    assert statuses == {TITLES[0]: "signed", BROKEN_TITLE: "failed", TITLES[2]: "signed"}
    page.goto(reverse("signing:pending"))
    assert page.page.locator("tbody tr").count() == 1
    assert "Tệp PDF bị hỏng" in page.page.locator("tbody").inner_text()


# ---- every signing page at both widths -------------------------------------------------------------------


def _leader_and_seal(people, sample) -> bytes:
    first = services.sign_pdf_bytes(
        data=sample,
        credential=people["leader_credential"],
        pin=PIN,
        by=people["leader"],
        kind="leader",
        box=samples.SIGNER_BOX,
        title="Quyết định 15/QĐ-SKHĐT",
    )
    seal_box = rules.stamp_box_for(
        kind="seal", box=samples.SIGNER_BOX, pdf=first.data, agency=people["agency"]
    )
    return services.sign_pdf_bytes(
        data=first.data,
        credential=people["seal_credential"],
        pin=PIN,
        by=people["clerk"],
        kind="seal",
        box=seal_box,
        title="Quyết định 15/QĐ-SKHĐT",
    ).data


def _off_the_loop(function, *args):
    """Run ``function`` in another thread: pyHanko calls asyncio.run(), and Playwright's sync API keeps an
    event loop running in the test thread."""
    from concurrent.futures import ThreadPoolExecutor

    def call():
        try:
            return function(*args)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(call).result()


def _tampered(data: bytes) -> bytes:
    """Change one byte inside the signed range (the binary comment after the header): still a readable PDF."""
    index = data.index(b"\n", 5) + 2
    return data[:index] + bytes([data[index] ^ 0x01]) + data[index + 1 :]


def _upload(page, path: Path) -> None:
    page.page.set_input_files("input[type=file][name=file]", str(path))
    assert page.page.locator("#file-name").inner_text() == path.name
    with page.page.expect_navigation():
        page.page.click("form.form button[type=submit]")
    page.page.wait_for_load_state("networkidle")


@pytest.mark.parametrize("viewport,name", [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_signing_pages_look_finished(open_page, browser, live_server, people, viewport, name, tmp_path):
    sample = samples.sample_pdf()
    signed = _off_the_loop(_leader_and_seal, people, sample)
    (tmp_path / "signed.pdf").write_bytes(signed)
    (tmp_path / "tampered.pdf").write_bytes(_tampered(signed))
    code = _off_the_loop(
        services.register_public_verification, signed, "Quyết định số 15/QĐ-SKHĐT phê duyệt kế hoạch"
    )
    if name == "desktop":  # the signed sample as an image, for a look against Decree 30 Appendix I
        SHOTS.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "150",
                "-png",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(tmp_path / "signed.pdf"),
                str(SHOTS / "signed-sample"),
            ],
            check=True,
        )
    for title in TITLES:
        services.signature_request_create(
            pdf=sample,
            title=title,
            requested_by=people["officer"],
            kind="leader",
            signer=people["leader"],
            box=samples.SIGNER_BOX,
        )

    page = open_page(viewport, name)
    page.login(people["leader"])
    page.goto(reverse("signing:pending"))
    assert page.page.locator("tbody tr").count() == 3
    _check(page, "tour-pending")

    page.goto(reverse("signing:verify"))
    _check(page, "verify-form")
    _upload(page, tmp_path / "signed.pdf")
    body = page.page.locator("main").inner_text()
    assert "Tất cả chữ ký số hợp lệ." in body and "Nguyễn Thị Thu Hà" in body
    assert "Tệp do cơ quan ban hành" in body and page.page.locator("svg.signing-qr").count() == 1
    _check(page, "verify-signed")
    _upload(page, tmp_path / "tampered.pdf")
    body = page.page.locator("main").inner_text()
    assert "Có chữ ký số không hợp lệ" in body and "Chữ ký không khớp nội dung" in body
    assert "Tệp do cơ quan ban hành" not in body
    _check(page, "verify-tampered")

    page.goto(reverse("signing:certificates"))
    assert "Chữ ký số cá nhân" in page.page.locator("main").inner_text()
    _check(page, "certificates")

    page.goto(reverse("profile"))
    card = page.page.locator("#certificates")
    assert card.count() == 1 and "Còn hiệu lực" in card.inner_text()
    _check(page, "profile")

    # The public page, by someone who is not logged in.
    public = open_page(viewport, name)
    public.goto(reverse("public_verify", args=[code]))
    assert "/account/login/" not in public.page.url
    body = public.page.locator("main").inner_text()
    assert "Quyết định số 15/QĐ-SKHĐT" in body and "Tất cả chữ ký số hợp lệ." in body
    qr = public.page.locator("svg.signing-qr")
    assert qr.count() == 1 and qr.bounding_box()["width"] >= 120
    assert f"/verify/{code}/" in body
    _check(public, "public-verify")
