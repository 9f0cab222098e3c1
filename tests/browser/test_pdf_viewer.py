"""The inline PDF viewer (vendored pdf.js) on the incoming-document detail page: pages drawn on <canvas>
at desktop and phone width, the page counter, zoom, no console error or CSP violation, no sideways scroll
on a phone; the assignments table turns into cards there."""

import time
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from documents.incoming import services
from tests.browser.fixtures import DESKTOP, PHONE
from tests.documents.conftest import people, receive  # noqa: F401  (people is a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# How much of the first page is ink (not white): the page has a heading and a paragraph.
INK = """(canvas) => {
  const ctx = canvas.getContext("2d");
  const { data } = ctx.getImageData(0, 0, canvas.width, canvas.height);
  let ink = 0;
  for (let i = 0; i < data.length; i += 4) {
    if (data[i] < 200 || data[i + 1] < 200 || data[i + 2] < 200) ink += 1;
  }
  return ink;
}"""


def _two_page_pdf() -> bytes:
    from weasyprint import HTML

    html = (
        "<html><body><h1>Công văn về kế hoạch đầu tư công</h1>"
        "<p>Ủy ban nhân dân tỉnh đề nghị các sở, ngành báo cáo tình hình thực hiện.</p>"
        '<p style="break-before: page">Trang hai: nơi nhận, chữ ký.</p></body></html>'
    )
    return HTML(string=html).write_pdf()


@pytest.fixture
def document(people):  # noqa: F811
    doc = receive(
        people["clerk"],
        n=7,
        main_files=[SimpleUploadedFile("congvan.pdf", _two_page_pdf(), content_type="application/pdf")],
        summary="V/v báo cáo tình hình thực hiện kế hoạch đầu tư công năm 2026 của các sở, ban, ngành",
    )
    return services.incoming_direct(
        document=doc,
        by=people["leader"],
        instruction="Giao Phòng Đăng ký kinh doanh chủ trì, Phòng Tổng hợp phối hợp.",
        lead_department=people["unit"],
        coordinator_departments=[people["other_unit"]],
        due_at=timezone.now() + timedelta(days=7),
    )


def _until(page, script: str, arg=None, timeout: float = 15) -> None:
    """Poll a JS function (wait_for_function would need eval, which the CSP forbids once it polls)."""
    deadline = time.monotonic() + timeout
    while not page.page.evaluate(script, arg):
        assert time.monotonic() < deadline, f"timed out waiting for {script}"
        page.page.wait_for_timeout(100)


@pytest.mark.parametrize("viewport,name", [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_pdf_viewer(open_page, people, document, viewport, name):  # noqa: F811
    page = open_page(viewport, name)
    page.login(people["leader"])
    page.goto(f"/documents/incoming/{document.pk}/")

    viewer = page.page.locator(".pdf-viewer")
    assert page.page.locator("iframe").count() == 0
    page.page.wait_for_selector(".pdf-viewer[data-state=ready]", timeout=20_000)
    first = page.page.locator(".pdf-page[data-page='1'] canvas")
    first.wait_for(timeout=20_000)
    assert viewer.get_attribute("data-pages") == "2"
    assert page.page.inner_text("[data-pdf-count]") == "Trang 1 / 2"

    # the page fits the box and is drawn sharp (canvas pixels = CSS pixels × devicePixelRatio)
    box = page.page.locator("[data-pdf-pages]").bounding_box()
    page_box = page.page.locator(".pdf-page[data-page='1']").bounding_box()
    assert page_box["width"] <= box["width"] and page_box["width"] > box["width"] * 0.8
    assert first.evaluate("c => c.width") >= page_box["width"] - 1
    assert first.evaluate(INK) > 500

    # the way out is still there, the fallback is not shown
    assert page.page.locator(".doc-viewer-card .card-actions a:has-text('Mở tab mới')").is_visible()
    assert page.page.locator(".doc-viewer-card .card-actions a:has-text('Tải về')").is_visible()
    assert page.page.locator("[data-pdf-fallback]").is_hidden()

    # zoom in, then back to fit width; the second page is drawn when scrolled to
    before = page_box["width"]
    page.page.click("[data-pdf-zoom=in]")
    _until(page, "(w) => document.querySelector('.pdf-page').getBoundingClientRect().width > w + 10", before)
    page.page.wait_for_timeout(400)  # the debounced redraw at the new size
    assert first.evaluate("c => c.width") > before
    page.page.click("[data-pdf-zoom=fit]")
    fitted = "(w) => Math.abs(document.querySelector('.pdf-page').getBoundingClientRect().width - w) < 2"
    _until(page, fitted, before)
    page.page.locator("[data-pdf-pages]").evaluate("el => el.scrollTo(0, el.scrollHeight)")
    page.page.wait_for_selector(".pdf-page[data-page='2'] canvas", timeout=20_000)
    _until(page, "() => document.querySelector('[data-pdf-count]').textContent === 'Trang 2 / 2'")
    assert page.page.locator(".pdf-page[data-page='2'] canvas").evaluate(INK) > 100

    # the assignments: a table on desktop, cards on a phone
    table = page.page.locator("[data-testid=assignments]")
    assert "Phòng Đăng ký kinh doanh" in table.inner_text()
    assert "Phòng Tổng hợp" in table.inner_text()
    row_display = table.locator("tbody tr").first.evaluate("tr => getComputedStyle(tr).display")
    assert row_display == ("table-row" if name == "desktop" else "block")

    if name == "phone":
        assert page.no_horizontal_overflow()
        wrap = page.page.locator(".table-wrap:has([data-testid=assignments])")
        assert wrap.evaluate("el => el.scrollWidth <= el.clientWidth")
    page.shot("pdf-viewer")
    assert page.errors == []

    # the list at the same width: summary gets room on desktop, no sideways scroll on a phone
    page.goto("/documents/incoming/")
    assert page.no_horizontal_overflow()
    wrap = page.page.locator(".table-wrap:has(.doc-table)")
    assert wrap.evaluate("el => el.scrollWidth <= el.clientWidth")
    if name == "desktop":
        summary = page.page.locator(".doc-table td.col-summary").first.bounding_box()
        assert summary["width"] > 300
    page.shot("incoming-list")
    assert page.errors == []


def test_pdf_viewer_fallback(open_page, people, document):  # noqa: F811
    """A file pdf.js cannot read: the viewer says so and offers the download."""
    document.file.save("broken.pdf", SimpleUploadedFile("broken.pdf", b"not a pdf at all"), save=True)
    page = open_page(PHONE, "phone")
    page.login(people["leader"])
    page.goto(f"/documents/incoming/{document.pk}/")
    page.page.wait_for_selector(".pdf-viewer[data-state=error]", timeout=20_000)
    fallback = page.page.locator("[data-pdf-fallback]")
    assert fallback.is_visible()
    assert "Không hiển thị được văn bản" in fallback.inner_text()
    assert fallback.locator("a[href$='?download=1']").is_visible()
    assert page.page.locator(".pdf-page").count() == 0
    assert page.no_horizontal_overflow()
    assert page.errors == []
