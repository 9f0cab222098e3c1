"""The public complaints header on a phone, in a real browser: the three tabs ("Gửi đơn", "Tra cứu đơn",
"Trả lời kiến nghị") stay inside the screen at 390, 360 and 320 px, none cut off or spilling out of its tab,
each on one line at 390 and 360 px, and the page never scrolls sideways."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = ("complaints_public:home", "complaints_public:track", "complaints_public:answers")

MEASURE = """() => {
  const nav = document.querySelector(".pub-nav");
  const links = [...nav.querySelectorAll(".pub-nav-link")].map((a) => {
    const r = a.getBoundingClientRect();
    const range = document.createRange();
    range.selectNodeContents(a);
    const rects = [...range.getClientRects()].filter((q) => q.width > 0);
    const tops = new Set(rects.map((q) => Math.round(q.top)));
    return {
      text: a.textContent.trim(),
      left: r.left,
      right: r.right,
      height: r.height,
      lines: tops.size,
      spills: a.scrollWidth > a.clientWidth + 1,
    };
  });
  return {
    width: window.innerWidth,
    navSpills: nav.scrollWidth > nav.clientWidth + 1,
    pageScrolls: document.documentElement.scrollWidth > window.innerWidth,
    links,
  };
}"""


@pytest.mark.parametrize("width", [390, 360, 320])
def test_the_public_tabs_fit_a_phone(open_page, width):
    page = open_page({"width": width, "height": 800}, f"public-{width}")
    for name in PAGES:
        page.goto(reverse(name))
        found = page.page.evaluate(MEASURE)
        where = f"{name} at {width}px: {found}"
        assert [link["text"] for link in found["links"]] == ["Gửi đơn", "Tra cứu đơn", "Trả lời kiến nghị"], (
            where
        )
        assert not found["navSpills"] and not found["pageScrolls"], where
        for link in found["links"]:
            assert link["left"] >= 0 and link["right"] <= found["width"], where
            assert not link["spills"], where
            if width >= 360:
                assert link["lines"] == 1, where
    assert not page.errors, page.errors
