"""Highlighting the matched words."""

from __future__ import annotations

from documents.search import highlight
from documents.search.query import parse
from eoffice.search import fold


def test_highlight_function():
    terms = parse("tu dau").terms
    assert terms == (("tu", False), ("dau", True))
    out = highlight.highlight("Đầu tư <công> & Đâu đâuđó", terms)
    assert out == "<mark>Đầu</mark> <mark>tư</mark> &lt;công&gt; &amp; <mark>Đâu</mark> <mark>đâuđó</mark>"
    text = "Mở đầu. " + "x " * 200 + "Kế hoạch đầu tư công trung hạn. " + "y " * 200
    piece = highlight.snippet(text, fold(text), parse("dau tu").terms)
    assert "<mark>đầu</mark> <mark>tư</mark>" in piece and piece.startswith("… ") and piece.endswith(" …")
