"""The body of an outgoing document as a small, safe subset of HTML.

Browser side: ``static/js/richtext.js`` turns a ``<textarea data-richtext>`` into a contenteditable editor
with a toolbar (our own, no third-party editor: see the header of that file for why) and keeps the textarea's
value in sync. With JavaScript off the textarea stays a plain textarea and what the person typed is plain
text.

Server side, ``sanitize()`` accepts both and returns the one form the rest of the system stores and renders:

- HTML is cleaned with nh3 (html5ever + ammonia) to the tags in ``ALLOWED_TAGS`` and no attributes but
  ``colspan`` / ``rowspan`` (small numbers) on table cells; ``<b>``/``<i>`` become ``<strong>``/``<em>``,
  ``<div>`` becomes ``<p>``, ``h1``/``h2`` become ``h3``, ``h5``/``h6`` become ``h4``; loose inline text
  at the top level is wrapped in ``<p>``; empty paragraphs, list items and emphasis are dropped;
- plain text (nothing that looks like a tag) becomes one ``<p>`` per non-blank line.

``to_text()`` gives the plain text (one line per block) for the search column and previews.
"""

from __future__ import annotations

import html as html_lib
import json
import re

import nh3
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from eoffice.params import int_param

# Limits that fit real documents and keep a render to about 2 s (issue 14: a 192,690-character body took
# 12 s of CPU, a 5,000-row table 34 s). NĐ 30 documents run to a few dozen pages; a list annexed in a table
# to a few hundred rows. Longer material is attached as a file, not typed into the body.
MAX_LENGTH = 200_000  # the input as typed or pasted: Word's HTML is verbose, cleaning it is cheap
MAX_BODY = 100_000  # the body as stored and rendered: about 35 pages of text
MAX_TABLE_ROWS = 300  # in all the body's tables together
MAX_TABLE_CELLS = 3_000

ALLOWED_TAGS = frozenset(
    {
        "p", "br", "strong", "b", "em", "i", "u", "ol", "ul", "li", "h3", "h4", "blockquote",
        "table", "thead", "tbody", "tr", "th", "td",
    }
)  # fmt: skip
# Kept by the first pass only, to be renamed to an allowed tag before the second pass.
RENAMED = {"div": "p", "h1": "h3", "h2": "h3", "h5": "h4", "h6": "h4", "b": "strong", "i": "em"}
# Removed together with everything inside them (Word's <xml> blocks, scripts, styles, embedded objects).
DROPPED_WITH_CONTENT = frozenset(
    {"script", "style", "xml", "head", "title", "template", "noscript", "iframe", "object", "svg", "math"}
)
CELL_ATTRIBUTES = {"td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}}
BLOCK_TAGS = frozenset({"p", "ol", "ul", "h3", "h4", "blockquote", "table"})

_TAG_LIKE = re.compile(r"</?[a-zA-Z][a-zA-Z0-9:-]*(?:\s[^<>]*)?/?>|<!--")
_RENAME = re.compile(r"<(/?)(div|h1|h2|h5|h6|b|i)>")
_TOKEN = re.compile(r"<(/?)([a-z0-9]+)[^>]*>|[^<]+")
_WHITESPACE = re.compile(r"[ \t\r\n\f]+")
_AROUND_BLOCK = re.compile(r" ?(</?(?:p|ol|ul|li|h3|h4|blockquote|table|thead|tbody|tr|th|td)>) ?")
_EMPTY = [
    re.compile(r"<(strong|em|u)>\s*</\1>"),
    re.compile(r"<(p|li|h3|h4)>(?:\s|&nbsp;|\xa0|<br>)*</\1>"),
    re.compile(r"<(ol|ul|blockquote)>\s*</\1>"),
]


def _cell_attribute(tag: str, attr: str, value: str) -> str | None:
    """Only small positive integers for colspan/rowspan."""
    span = int_param(value, min_value=1, max_value=100)
    return str(span) if span is not None else None


def _clean(html: str, tags: frozenset[str]) -> str:
    return nh3.clean(
        html,
        tags=set(tags),
        clean_content_tags=set(DROPPED_WITH_CONTENT),
        attributes={tag: set(names) for tag, names in CELL_ATTRIBUTES.items()},
        attribute_filter=_cell_attribute,
        strip_comments=True,
        link_rel=None,
    )


def _wrap_loose_inline(html: str) -> str:
    """Wrap runs of text and inline elements found at the top level (outside any block) in <p>."""
    out: list[str] = []
    run: list[str] = []
    depth = 0
    in_run = False  # is the open top-level element an inline one (part of a run)?
    for match in _TOKEN.finditer(html):
        token, closing, tag = match.group(0), match.group(1), match.group(2)
        is_element = tag is not None and tag != "br"
        if depth == 0:
            inline = tag is None or tag not in BLOCK_TAGS
            if not inline and run:
                out.append(f"<p>{''.join(run)}</p>")
                run = []
            (run if inline else out).append(token)
            if is_element and not closing:
                depth, in_run = 1, inline
            continue
        (run if in_run else out).append(token)
        if is_element:
            depth += -1 if closing else 1
    if run:
        out.append(f"<p>{''.join(run)}</p>")
    return "".join(out)


def _drop_empty(html: str) -> str:
    previous = None
    while previous != html:
        previous = html
        for pattern in _EMPTY:
            html = pattern.sub("", html)
    return html


def _plain_text_to_html(text: str) -> str:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    paragraphs = [html_lib.escape(line.strip(), quote=False) for line in lines if line.strip()]
    return "".join(f"<p>{p}</p>" for p in paragraphs)


def _n(value: int) -> str:
    return f"{value:,}".replace(",", ".")


_ROW = re.compile(r"<tr[\s/>]", re.IGNORECASE)
_CELL = re.compile(r"<t[dh][\s/>]", re.IGNORECASE)


def _check_length(text: str, limit: int = MAX_LENGTH) -> None:
    if len(text) > limit:
        raise ValidationError(
            _("Nội dung quá dài: tối đa %(max)s ký tự, hiện có %(length)s ký tự."),
            code="max_length",
            params={"max": _n(limit), "length": _n(len(text))},
        )


def _check_tables(html: str) -> None:
    rows, cells = len(_ROW.findall(html)), len(_CELL.findall(html))
    if rows > MAX_TABLE_ROWS or cells > MAX_TABLE_CELLS:
        raise ValidationError(
            _(
                "Bảng trong nội dung quá lớn: tối đa %(rows)s dòng và %(cells)s ô, hiện có %(n_rows)s dòng "
                "và %(n_cells)s ô. Danh sách dài hãy đưa vào tệp đính kèm (phụ lục)."
            ),
            code="table_size",
            params={
                "rows": _n(MAX_TABLE_ROWS),
                "cells": _n(MAX_TABLE_CELLS),
                "n_rows": _n(rows),
                "n_cells": _n(cells),
            },
        )


def check_limits(html: str | None) -> None:
    """Refuse, before any parsing, a body too long or with too large tables (counted in the input as
    sent: at least as many rows and cells as the cleaned body has)."""
    if html:
        _check_length(html)
        _check_tables(html)


def sanitize(html: str | None) -> str:
    """The body as stored: the allowed HTML subset, or "" when there is no text at all."""
    if not html:
        return ""
    check_limits(html)
    if not _TAG_LIKE.search(html):
        result = _plain_text_to_html(html)
        _check_length(result, MAX_BODY)
        return result
    first = _clean(html, ALLOWED_TAGS | frozenset(RENAMED))
    renamed = _RENAME.sub(lambda m: f"<{m.group(1)}{RENAMED[m.group(2)]}>", first)
    second = _clean(renamed, ALLOWED_TAGS - {"b", "i"})
    tidy = _AROUND_BLOCK.sub(r"\1", _WHITESPACE.sub(" ", second))  # HTML whitespace: a newline is a space
    result = _drop_empty(_wrap_loose_inline(tidy)).strip()
    _check_length(result, MAX_BODY)
    _check_tables(result)  # rows the parser made up (cells outside any <tr>)
    return result if to_text(result) else ""


_BREAK = re.compile(r"<br\s*/?>|</(?:p|li|h[1-6]|blockquote|tr|div|table|ol|ul)\s*>", re.IGNORECASE)
_CELL_END = re.compile(r"</t[dh]\s*>", re.IGNORECASE)
_SPACES = re.compile(r"[ \t\xa0\u200b]+")


def to_text(html: str | None) -> str:
    """Plain text of a body (sanitized or not): one line per paragraph, list item or table row."""
    if not html:
        return ""
    marked = _CELL_END.sub("\t", _BREAK.sub("\n", _WHITESPACE.sub(" ", html)))
    text = html_lib.unescape(nh3.clean(marked, tags=set(), clean_content_tags=set(DROPPED_WITH_CONTENT)))
    lines = (_SPACES.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


class RichTextWidget(forms.Textarea):
    """A textarea that static/js/richtext.js turns into the editor (base.html loads the JS and CSS on every
    page; the Media is there for templates that do not extend base.html and render {{ form.media }})."""

    LABELS = {
        "toolbar": _("Định dạng văn bản"),
        "bold": _("In đậm (Ctrl+B)"),
        "italic": _("In nghiêng (Ctrl+I)"),
        "underline": _("Gạch chân (Ctrl+U)"),
        "ol": _("Danh sách số"),
        "ul": _("Danh sách dấu đầu dòng"),
        "indent": _("Tăng lề"),
        "outdent": _("Giảm lề"),
        "undo": _("Hoàn tác (Ctrl+Z)"),
        "redo": _("Làm lại (Ctrl+Y)"),
        "clear": _("Xóa định dạng"),
        "editor": _("Nội dung văn bản"),
    }

    class Media:
        css = {"all": ["css/richtext.css"]}
        js = [forms.Script("js/richtext.js", defer=True)]

    def __init__(self, attrs=None):
        super().__init__({"rows": 14, **(attrs or {}), "data-richtext": ""})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        labels = {key: str(label) for key, label in self.LABELS.items()}
        context["widget"]["attrs"]["data-richtext-i18n"] = json.dumps(labels, ensure_ascii=False)
        return context


class RichTextField(forms.CharField):
    """A form field for a document body: the editor widget, and ``sanitize()`` as its cleaning."""

    widget = RichTextWidget

    def __init__(self, **kwargs):
        kwargs.setdefault("strip", False)
        super().__init__(**kwargs)

    def to_python(self, value):
        return sanitize(super().to_python(value))
