"""The rich-text editor and the searchable pickers in a real browser, on a test-only page
(tests/browser/widget_urls.py): typing and formatting, a Word paste, lists and indent, picking agencies by
typing folded text, keyboard use, posting, server-side errors under the pickers, the form with JS off;
at desktop and phone width, with no CSP violation and no sideways scroll."""

import pytest

from eoffice.models import Role
from tests.browser.fixtures import DESKTOP, PHONE, Page
from tests.documents.outgoing.test_richtext import WORD_PASTE
from tests.factories import make_agency, make_department, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.urls("tests.browser.widget_urls"),
]

PAGE = "/_test/widgets/"
RECIPIENTS = "#id_recipients-picker-input"
SIGNER = "#id_signer-picker-input"
EDITOR = "#id_body-editor"
TOOLBAR_TITLES = (
    "In đậm (Ctrl+B)", "In nghiêng (Ctrl+I)", "Gạch chân (Ctrl+U)", "Danh sách số", "Danh sách dấu đầu dòng",
    "Tăng lề", "Giảm lề", "Hoàn tác (Ctrl+Z)", "Làm lại (Ctrl+Y)", "Xóa định dạng",
)  # fmt: skip
VISUALLY_HIDDEN = "el => { const r = el.getBoundingClientRect(); return r.width <= 1 && r.height <= 1; }"
CSP_WATCH = """document.addEventListener("securitypolicyviolation", (e) => {
  (window.__csp = window.__csp || []).push(e.violatedDirective + " " + (e.sample || ""));
});"""


@pytest.fixture
def clerk(transactional_db):
    agency = make_agency(name="Sở Tài nguyên và Môi trường", abbreviation="STNMT")
    dept = make_department(agency=agency, name="Văn phòng Sở", abbreviation="VP")
    return make_user(
        agency=agency, department=dept, roles=[Role.CLERK], username="vanthu", full_name="Đặng Thùy Dương"
    )


def _watch(page: Page) -> list[str]:
    """Every console message (any level) and every CSP violation event the page reports."""
    seen: list[str] = []
    page.page.on("console", lambda m: seen.append(f"{m.type}: {m.text}"))
    page.page.add_init_script(CSP_WATCH)
    return seen


def _assert_no_csp(page: Page, seen: list[str]) -> None:
    assert not [m for m in seen if "Content Security Policy" in m], seen
    assert page.page.evaluate("window.__csp || []") == []
    assert page.errors == []


def _select_text(page: Page, text: str) -> None:
    """Select the first occurrence of text inside the editor."""
    found = page.page.evaluate(
        """([sel, text]) => {
          const editor = document.querySelector(sel);
          const walker = document.createTreeWalker(editor, NodeFilter.SHOW_TEXT);
          for (let n = walker.nextNode(); n; n = walker.nextNode()) {
            const at = n.data.indexOf(text);
            if (at >= 0) {
              const r = document.createRange();
              r.setStart(n, at);
              r.setEnd(n, at + text.length);
              const s = getSelection();
              s.removeAllRanges();
              s.addRange(r);
              return true;
            }
          }
          return false;
        }""",
        [EDITOR, text],
    )
    assert found, text


def _caret_at_end_of(page: Page, text: str) -> None:
    _select_text(page, text)
    page.page.evaluate("getSelection().collapseToEnd()")


def _editor_html(page: Page) -> str:
    return page.page.inner_html(EDITOR)


def _chips(page: Page, picker_input: str) -> list[str]:
    root = page.page.locator(f".picker:has({picker_input})")
    return root.locator(".picker-chip-label").all_inner_texts()


def _paste_html(page: Page, html: str) -> None:
    page.page.evaluate(
        """([sel, html]) => {
          const dt = new DataTransfer();
          dt.setData("text/html", html);
          dt.setData("text/plain", "plain fallback");
          const ev = new ClipboardEvent("paste", { clipboardData: dt, bubbles: true, cancelable: true });
          document.querySelector(sel).dispatchEvent(ev);
        }""",
        [EDITOR, html],
    )


@pytest.mark.parametrize("viewport,name", [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_editor_and_pickers(open_page, clerk, viewport, name):
    page = open_page(viewport, name)
    seen = _watch(page)
    page.login(clerk)
    page.goto(PAGE)
    p = page.page

    # enhanced: the real fields are still in the form but not shown; the toolbar speaks Vietnamese
    assert p.locator(".richtext").count() == 1 and p.locator(".picker").count() == 2
    for field in ("textarea#id_body", "select#id_recipients", "select#id_signer"):
        assert p.locator(field).count() == 1
        assert p.locator(field).evaluate(VISUALLY_HIDDEN), field
    toolbar = p.locator(".richtext-toolbar[role=toolbar]")
    titles = toolbar.locator("button").evaluate_all("bs => bs.map(b => b.title)")
    for title in TOOLBAR_TITLES:
        assert title in titles
    assert p.get_attribute(EDITOR, "aria-labelledby") == p.get_attribute("label[for=id_body]", "id")

    # type two paragraphs, bold two words with the toolbar
    p.click(EDITOR)
    p.keyboard.type("Kính gửi các cơ quan, đơn vị.")
    p.keyboard.press("Enter")
    p.keyboard.type("Đề nghị báo cáo đúng hạn.")
    _select_text(page, "báo cáo")
    p.click("[data-command=bold]")
    assert "<b>báo cáo</b>" in _editor_html(page)
    assert p.get_attribute("[data-command=bold]", "aria-pressed") == "true"
    _caret_at_end_of(page, "Kính gửi")
    p.wait_for_timeout(50)
    assert p.get_attribute("[data-command=bold]", "aria-pressed") == "false"

    # a numbered list; Tab nests an item, Shift+Tab brings it back
    _caret_at_end_of(page, "đúng hạn.")
    p.keyboard.press("Enter")
    p.click("[data-command=ol]")
    p.keyboard.type("Mục một")
    p.keyboard.press("Enter")
    p.keyboard.type("Mục hai")
    assert p.locator(f"{EDITOR} ol > li").count() == 2
    p.keyboard.press("Tab")
    assert p.locator(f"{EDITOR} ol li ol > li, {EDITOR} ol ol > li").count() == 1
    p.keyboard.press("Shift+Tab")
    assert p.locator(f"{EDITOR} ol ol").count() == 0
    assert p.evaluate("document.activeElement.id") == "id_body-editor"  # Tab in a list did not leave

    # indent outside a list: a blockquote, no style attribute; outdent: back to a paragraph
    _caret_at_end_of(page, "Kính gửi")
    p.click("[data-command=indent]")
    assert p.locator(f"{EDITOR} blockquote").count() == 1
    p.click("[data-command=outdent]")
    assert p.locator(f"{EDITOR} blockquote").count() == 0

    # undo puts the indent back, redo takes it away again
    p.click("[data-command=undo]")
    assert p.locator(f"{EDITOR} blockquote").count() == 1
    p.click("[data-command=redo]")
    assert p.locator(f"{EDITOR} blockquote").count() == 0

    # paste from Word at the end: text, emphasis and the list survive; styles, classes, spans do not
    _caret_at_end_of(page, "Mục hai")
    p.keyboard.press("Enter")
    p.keyboard.press("Enter")  # leave the list
    _paste_html(page, WORD_PASTE)
    html = _editor_html(page)
    for bad in ("<span", "style=", "class=", "<o:p", "<a ", "<img", "alert", "Normal", "mso"):
        assert bad not in html, bad
    assert "Ủy ban nhân dân tỉnh" in html and "<strong>Kế hoạch số 12/KH-UBND</strong>" in html
    assert p.locator(f"{EDITOR} ol > li", has_text="Báo cáo tình hình thực hiện;").count() == 1
    assert "1." not in p.inner_text(f"{EDITOR} ol")  # Word's typed marker is dropped

    # the textarea follows the editor
    assert "<b>báo cáo</b>" in p.input_value("#id_body")

    # keyboard: Alt+F10 goes to the toolbar, arrows move, Escape goes back
    p.focus(EDITOR)
    p.keyboard.press("Alt+F10")
    assert p.evaluate("document.activeElement.dataset.command") == "bold"
    p.keyboard.press("ArrowRight")
    assert p.evaluate("document.activeElement.dataset.command") == "italic"
    p.keyboard.press("Escape")
    assert p.evaluate("document.activeElement.id") == "id_body-editor"

    # pick two agencies by typing without diacritics; the words are marked in the list
    p.click(RECIPIENTS)
    p.keyboard.type("so ke hoach")
    first = p.locator("#id_recipients-picker-list .picker-option").first
    assert first.inner_text() == "Sở Kế hoạch và Đầu tư"
    assert first.locator("mark").all_inner_texts() == ["Sở", "Kế", "hoạch"]
    p.keyboard.press("Enter")
    p.keyboard.type("tai chinh")
    assert p.locator("#id_recipients-picker-list .picker-option.is-active").inner_text() == "Sở Tài chính"
    p.keyboard.press("Enter")
    # a third by the arrow keys, then Backspace in the empty box takes the last one off again
    p.keyboard.type("dong van")
    groups = p.locator("#id_recipients-picker-list .picker-group").all_inner_texts()
    assert [g.upper() for g in groups] == ["UBND CẤP HUYỆN", "UBND CẤP XÃ"]
    p.keyboard.press("ArrowDown")
    p.keyboard.press("Enter")
    chosen = _chips(page, RECIPIENTS)
    assert chosen == ["Sở Kế hoạch và Đầu tư", "Sở Tài chính", "UBND xã Tân Thành (Đồng Văn)"]
    p.keyboard.press("Backspace")
    assert _chips(page, RECIPIENTS) == ["Sở Kế hoạch và Đầu tư", "Sở Tài chính"]
    # "ubnd xa" matches more than a hundred: the list says to type more
    p.keyboard.type("ubnd xa")
    assert "gõ thêm để thu hẹp" in p.inner_text("#id_recipients-picker-list .picker-more")
    if name == "phone":
        page.shot("widgets-open")
        assert page.no_horizontal_overflow()
    p.keyboard.press("Escape")
    assert p.locator("#id_recipients-picker-list").is_hidden()
    assert p.get_attribute(RECIPIENTS, "aria-expanded") == "false"
    selected = p.eval_on_selector("#id_recipients", "s => Array.from(s.selectedOptions).map(o => o.text)")
    assert selected == ["Sở Kế hoạch và Đầu tư", "Sở Tài chính"]

    # remove a chip with its × button, and put it back
    p.click(".picker-chip-remove[aria-label='Bỏ chọn: Sở Tài chính']")
    assert _chips(page, RECIPIENTS) == ["Sở Kế hoạch và Đầu tư"]
    p.keyboard.type("so tai chinh")
    p.keyboard.press("Enter")
    p.keyboard.press("Escape")

    # a single select: the person who signs, found by a folded part of the name
    p.click(SIGNER)
    p.keyboard.type("thu ha")
    p.keyboard.press("Enter")
    assert _chips(page, SIGNER) == ["Nguyễn Thị Thu Hà — Giám đốc"]
    assert p.locator("#id_signer-picker-list").is_hidden()
    assert p.input_value("#id_signer") == "10"

    if name == "phone":
        assert page.no_horizontal_overflow()
    page.shot("widgets")
    _assert_no_csp(page, seen)

    # post: the server receives the sanitized body and the chosen values
    with p.expect_response(lambda r: r.request.method == "POST") as response:
        p.click("[data-testid=submit]")
    data = response.value.json()
    assert data["signer"] == "10"
    assert data["recipients"] == ["4", "5"]
    assert "<strong>báo cáo</strong>" in data["body"]
    assert "<p>Kính gửi các cơ quan, đơn vị.</p>" in data["body"]
    assert "<ol><li>Mục một</li><li>Mục hai</li></ol>" in data["body"]
    assert "<strong>Kế hoạch số 12/KH-UBND</strong>" in data["body"]
    assert "style" not in data["body"] and "span" not in data["body"]
    _assert_no_csp(page, seen)


@pytest.mark.parametrize("viewport,name", [(DESKTOP, "desktop"), (PHONE, "phone")])
def test_required_and_server_errors(open_page, clerk, viewport, name):
    page = open_page(viewport, name)
    seen = _watch(page)
    page.login(clerk)
    page.goto(PAGE)
    p = page.page

    # the browser's own check: nothing is sent, the pickers and the editor say what is missing
    p.click("[data-testid=submit]")
    p.wait_for_timeout(200)
    assert p.url.endswith(PAGE)
    assert p.locator(".picker.is-invalid").count() == 2
    assert p.locator(".richtext.is-invalid").count() == 1
    assert p.locator(".picker-invalid li").first.inner_text() != ""

    # with the browser's check off, the server answers with its messages under the same widgets
    p.evaluate("document.querySelector('[data-testid=widget-form]').noValidate = true")
    p.click(EDITOR)
    p.keyboard.type("   ")
    with p.expect_navigation():
        p.click("[data-testid=submit]")
    p.wait_for_load_state("networkidle")
    for field in ("signer", "recipients", "body"):
        row = p.locator(f".form-row.has-error:has(#id_{field})")
        assert row.count() == 1, field
        assert row.locator(".errorlist").inner_text().strip() != ""
    recipients_row = p.locator(".form-row:has(#id_recipients)")
    assert recipients_row.locator(".picker").count() == 1
    assert p.get_attribute(RECIPIENTS, "aria-invalid") == "true"
    border = recipients_row.locator(".picker-control").evaluate("el => getComputedStyle(el).borderTopColor")
    assert border == "rgb(180, 35, 24)"  # --c-danger
    if name == "phone":
        assert page.no_horizontal_overflow()
    page.shot("widgets-errors")
    _assert_no_csp(page, seen)


def test_form_works_without_javascript(browser, live_server, clerk):
    context = browser.new_context(viewport=DESKTOP, locale="vi-VN", java_script_enabled=False)
    try:
        page = Page(context, live_server.url, "nojs")
        page.login(clerk)
        page.goto(PAGE)
        p = page.page
        assert p.locator(".richtext, .picker").count() == 0
        assert p.locator("textarea#id_body").is_visible() and p.locator("select#id_recipients").is_visible()
        p.fill("#id_body", "Kính gửi: Sở Tài chính\n\nĐề nghị báo cáo <đúng hạn>.\n")
        p.select_option("#id_recipients", ["2", "5"])
        p.select_option("#id_signer", "21")
        with p.expect_response(lambda r: r.request.method == "POST") as response:
            p.click("[data-testid=submit]")
        data = response.value.json()
        assert data == {
            "signer": "21",
            "recipients": ["2", "5"],
            "body": "<p>Kính gửi: Sở Tài chính</p><p>Đề nghị báo cáo &lt;đúng hạn&gt;.</p>",
        }
        assert page.errors == []
    finally:
        context.close()


def _paragraph_texts(page: Page, selector: str = "p") -> list[str]:
    return page.page.locator(f"{EDITOR} > {selector}").all_inner_texts()


def _caret_at_start_of(page: Page, text: str) -> None:
    _select_text(page, text)
    page.page.evaluate("getSelection().collapseToStart()")


def test_structural_edits_stay_inside_the_csp(open_page, clerk):
    """Joining paragraphs, deleting across them, lists, leaving a list, indenting, undo: Chromium's own
    versions of these go through style="" markup; the editor does them itself, so the console stays clean."""
    page = open_page(DESKTOP, "desktop")
    seen = _watch(page)
    page.login(clerk)
    page.goto(PAGE)
    p = page.page
    p.click(EDITOR)
    for i, line in enumerate(["Một", "Hai", "Ba", "Bốn"]):
        if i:
            p.keyboard.press("Enter")
        p.keyboard.type(line)
    assert _paragraph_texts(page) == ["Một", "Hai", "Ba", "Bốn"]

    # Backspace at the start of a paragraph joins it to the one before; undo / redo with the keyboard
    _caret_at_start_of(page, "Hai")
    p.keyboard.press("Backspace")
    assert _paragraph_texts(page) == ["MộtHai", "Ba", "Bốn"]
    p.keyboard.type("+")
    assert _paragraph_texts(page)[0] == "Một+Hai"  # the caret sits at the join
    p.keyboard.press("Control+Z")
    assert _paragraph_texts(page) == ["MộtHai", "Ba", "Bốn"]
    p.keyboard.press("Control+Z")
    assert _paragraph_texts(page) == ["Một", "Hai", "Ba", "Bốn"]
    p.keyboard.press("Control+Shift+Z")
    assert _paragraph_texts(page) == ["MộtHai", "Ba", "Bốn"]

    # Delete at the end joins the next one
    _caret_at_end_of(page, "MộtHai")
    p.keyboard.press("Delete")
    assert _paragraph_texts(page) == ["MộtHaiBa", "Bốn"]

    # a selection across paragraphs, replaced by typing
    p.evaluate(
        """(sel) => {
          const ps = document.querySelectorAll(sel + " > p");
          const r = document.createRange();
          r.setStart(ps[0].firstChild, 3);
          r.setEnd(ps[1].firstChild, 1);
          getSelection().removeAllRanges();
          getSelection().addRange(r);
        }""",
        EDITOR,
    )
    p.keyboard.type("X")
    assert _paragraph_texts(page) == ["MộtXốn"]

    # more lines, all made a bulleted list, then back to paragraphs
    _caret_at_end_of(page, "ốn")
    for line in ["Năm", "Sáu"]:
        p.keyboard.press("Enter")
        p.keyboard.type(line)
    p.keyboard.press("Control+A")
    p.click("[data-command=ul]")
    assert p.locator(f"{EDITOR} > ul > li").all_inner_texts() == ["MộtXốn", "Năm", "Sáu"]
    assert p.get_attribute("[data-command=ul]", "aria-pressed") == "true"
    p.click("[data-command=ul]")
    assert p.locator(f"{EDITOR} ul").count() == 0
    assert _paragraph_texts(page) == ["MộtXốn", "Năm", "Sáu"]

    # a numbered list on the last two; Enter twice at the end leaves the list
    _select_text(page, "Năm")
    p.evaluate(
        """(sel) => {
          const r = getSelection().getRangeAt(0);
          const last = document.querySelector(sel).lastElementChild.firstChild;
          r.setEnd(last, last.length);
        }""",
        EDITOR,
    )
    p.click("[data-command=ol]")
    assert p.locator(f"{EDITOR} > ol > li").all_inner_texts() == ["Năm", "Sáu"]
    _caret_at_end_of(page, "Sáu")
    p.keyboard.press("Enter")
    p.keyboard.press("Enter")
    p.keyboard.type("Kết")
    assert p.locator(f"{EDITOR} > ol > li").all_inner_texts() == ["Năm", "Sáu"]
    assert _paragraph_texts(page)[-1] == "Kết"

    # Backspace at the start of the first item turns it into a paragraph
    _caret_at_start_of(page, "Năm")
    p.keyboard.press("Backspace")
    assert _paragraph_texts(page) == ["MộtXốn", "Năm", "Kết"]
    p.keyboard.type("*")  # the caret stayed at the start
    assert _paragraph_texts(page)[1] == "*Năm"
    p.keyboard.press("Backspace")
    assert p.locator(f"{EDITOR} > ol > li").all_inner_texts() == ["Sáu"]

    # indent two paragraphs: one blockquote holding both; outdent takes them out again
    _select_text(page, "Một")
    p.evaluate(
        """(sel) => {
          const r = getSelection().getRangeAt(0);
          const second = document.querySelectorAll(sel + " > p")[1].firstChild;
          r.setEnd(second, 2);
        }""",
        EDITOR,
    )
    p.click("[data-command=indent]")
    assert p.locator(f"{EDITOR} > blockquote > p").all_inner_texts() == ["MộtXốn", "Năm"]
    p.click("[data-command=outdent]")
    assert p.locator(f"{EDITOR} blockquote").count() == 0
    # the toolbar's undo brings the indent back
    p.click("[data-command=undo]")
    assert p.locator(f"{EDITOR} > blockquote > p").count() == 2
    p.click("[data-command=redo]")

    html = p.input_value("#id_body")
    assert html.startswith("<p>MộtXốn</p><p>Năm</p><ol><li>Sáu</li></ol><p>Kết</p>"), html
    assert "<span" not in html and "style" not in html
    _assert_no_csp(page, seen)
