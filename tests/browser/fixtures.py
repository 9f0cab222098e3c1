"""Browser fixtures (imported by tests/conftest.py): plain playwright.sync_api with the system Chromium
against pytest-django's live_server. Browser tests are marked ``browser`` and run last."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

# Playwright's sync API keeps an event loop running in the test thread; Django's ORM refuses to run
# "from an async context" unless told that this is fine (it is: the loop is Playwright's, not ours).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM = os.environ.get("EOFFICE_CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.skip("Chromium is not installed")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


# Every page the browser tests load is checked for duplicate element ids (issue 14: two forms of a page
# with one id send a label's click to the other form's field, and screen readers read the wrong labels).
# An init script runs in every document of the context before the page's own scripts (CSP does not apply
# to it): at "load", and after each htmx swap, it reports the ids found more than once as a console error,
# which ``Page`` collects in ``errors`` with the rest.
DUPLICATE_IDS_MARK = "duplicate element ids"
DUPLICATE_IDS_SCRIPT = """
(() => {
  const check = (when) => {
    const seen = new Map();
    document.querySelectorAll("[id]").forEach((el) => {
      if (el.id) seen.set(el.id, (seen.get(el.id) || 0) + 1);
    });
    const dups = [...seen].filter(([, n]) => n > 1).map(([id, n]) => `${id} ×${n}`);
    if (dups.length) console.error(`MARK (${when}) on ${location.pathname}: ${dups.join(", ")}`);
  };
  window.addEventListener("load", () => check("load"));
  document.addEventListener("htmx:afterSettle", () => check("htmx"));
})();
""".replace("MARK", DUPLICATE_IDS_MARK)


class Page:
    """A page with the console errors, CSP violations, failed requests and duplicate element ids it
    collected (every page it loads, by link, form or ``goto``)."""

    def __init__(self, context, base_url: str, name: str):
        self.context = context
        self.page = context.new_page()
        self.page.add_init_script(DUPLICATE_IDS_SCRIPT)
        self.base_url = base_url
        self.name = name
        self.errors: list[str] = []
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda exc: self.errors.append(f"pageerror: {exc}"))
        self.page.on(
            "response", lambda r: self.errors.append(f"{r.status} {r.url}") if r.status >= 400 else None
        )

    def _console(self, message) -> None:
        if message.type == "error":
            self.errors.append(f"console: {message.text}")

    def goto(self, path: str):
        self.page.goto(self.base_url + path)
        self.page.wait_for_load_state("networkidle")

    def login(self, user, password: str | None = None) -> None:
        """Sign in through the login form as ``user`` (the factories' password by default)."""
        from tests.factories import PASSWORD

        self.goto("/account/login/")
        self.page.fill("#id_username", user.username)
        self.page.fill("#id_password", password or PASSWORD)
        with self.page.expect_navigation():
            self.page.press("#id_password", "Enter")
        self.page.wait_for_load_state("networkidle")
        assert "/account/login/" not in self.page.url, "login failed"

    def duplicate_ids(self) -> list[str]:
        """The duplicate-id reports collected so far (also in ``errors``)."""
        return [e for e in self.errors if DUPLICATE_IDS_MARK in e]

    def no_horizontal_overflow(self) -> bool:
        return self.page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    def shot(self, label: str) -> None:
        ARTIFACTS.mkdir(exist_ok=True)
        self.page.screenshot(path=str(ARTIFACTS / f"{label}-{self.name}.png"), full_page=True)


@pytest.fixture
def open_page(browser, live_server):
    contexts = []

    def _open(viewport: dict, name: str) -> Page:
        context = browser.new_context(viewport=viewport, locale="vi-VN")
        contexts.append(context)
        return Page(context, live_server.url, name)

    yield _open
    for context in contexts:
        context.close()
