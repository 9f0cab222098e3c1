"""The duplicate-id check of every page the browser tests load (``tests.browser.fixtures.Page``)."""

import pytest

from tests.browser.fixtures import DESKTOP

pytestmark = pytest.mark.browser

PAGE = (
    "data:text/html;charset=utf-8,<!doctype html><title>x</title>"
    "<form><label for=id_note>A</label><textarea id=id_note></textarea></form>"
    "<form><label for=id_note>B</label><textarea id=id_note></textarea></form>"
    "<template><i id=id_note></i></template><p id=once></p>"
)


def test_a_page_with_duplicate_ids_is_reported(open_page):
    page = open_page(DESKTOP, "desktop")
    page.page.goto(PAGE)
    page.page.wait_for_load_state("load")
    page.page.wait_for_timeout(100)
    assert len(page.duplicate_ids()) == 1, page.errors
    assert page.duplicate_ids()[0].rsplit(": ", 1)[1] == "id_note ×2"
    assert page.errors == page.duplicate_ids()


def test_a_page_with_unique_ids_is_not_reported(open_page):
    page = open_page(DESKTOP, "desktop")
    page.page.goto("data:text/html;charset=utf-8,<!doctype html><title>x</title><p id=a></p><p id=b></p>")
    page.page.wait_for_load_state("load")
    page.page.wait_for_timeout(100)
    assert page.errors == []
