"""Duplicate element ids in an HTML page: two elements with one id break <label for>, aria-* references and
the browser's focus (a label that focuses another form's field). Used by the page tests and, in JavaScript,
by the browser tests' ``Page`` (tests/browser/fixtures.py)."""

from __future__ import annotations

from collections import Counter
from html.parser import HTMLParser


class _Ids(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.ids: Counter[str] = Counter()
        self._template = 0  # ids inside <template> are not in the document until cloned

    def handle_starttag(self, tag, attrs):
        if tag == "template":
            self._template += 1
        if self._template:
            return
        for name, value in attrs:
            if name == "id" and value:
                self.ids[value] += 1

    def handle_endtag(self, tag):
        if tag == "template" and self._template:
            self._template -= 1


def duplicate_ids(html: str | bytes) -> dict[str, int]:
    """The ids that appear more than once in ``html``, with their counts."""
    parser = _Ids()
    parser.feed(html.decode() if isinstance(html, bytes) else html)
    parser.close()
    return {key: n for key, n in parser.ids.items() if n > 1}
