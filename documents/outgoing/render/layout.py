"""The Decree-30 layout of a document (``Layout``) and what the templates get from it: the header's
lines, the number and date lines, the summary balanced over its lines, the body cleaned with "Điều N."
in bold and "./." at its end, the signature block and Nơi nhận."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils.safestring import mark_safe

from documents.outgoing.render.positions import text_width
from eoffice.output.header import parent_name
from eoffice.params import int_param

VIETNAM = ZoneInfo("Asia/Ho_Chi_Minh")


PT_PER_PX = 0.75  # 1 CSS px = 0.75 PDF pt


MM = 72 / 25.4  # PDF points per millimetre


SIGNATURE_WIDTH = 60 * MM  # the box given to the leader's signature image, centred on the signature block


SIGNATURE_HEIGHT = 28 * MM  # the height of .signature-space in nd30.css


TEMPLATES = "documents/outgoing/pdf/"


SPACE_ID = "nd30-signature-space"


BLANK_NUMBER = " " * 8  # "Số:        /QĐ-SKHĐT" before signing: room for a number of up to 4 digits


BLANK_DAY = " " * 6


class LayoutNotFound(ValueError):
    """The uploaded draft has no place for the number or the date where stamp_number() looks for it."""


@dataclass(frozen=True)
class Appendix:
    """A phụ lục printed after the signature (Phụ lục I, Phần I, Mục III.1): its title and its content."""

    title: str
    body_html: str = ""
    landscape: bool = False


def appendices_from(rows) -> tuple[Appendix, ...]:
    """``Appendix`` values from objects with ``title``, ``body`` and ``landscape`` (the draft's rows)."""
    return tuple(Appendix(title=r.title, body_html=r.body, landscape=r.landscape) for r in rows)


@dataclass(frozen=True)
class Layout:
    type_name: str
    type_abbr: str
    parent_agency: str
    agency: str
    symbol: str
    number: int | None
    place: str
    date: dt.date | None
    summary: str
    addressees: tuple[str, ...] = ()
    legal_bases: tuple[str, ...] = ()
    body_html: str = ""
    issuing_authority: str = ""
    signer_authority: str = ""
    authority_title: str = ""
    signer_title: str = ""
    signer_name: str = ""
    distribution: tuple[str, ...] = ()
    archive: str = "VT"
    urgency: str = ""
    confidentiality: str = ""
    circulation: str = ""
    draft: bool = False
    appendices: tuple[Appendix, ...] = ()


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    signature_box: dict  # {"page": 0-based index, "rect": [x1, y1, x2, y2]} in PDF points, origin bottom-left


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "").strip()


def upper(text: str) -> str:
    return nfc(text).upper()


def key(text: str) -> str:
    return " ".join(nfc(text).lower().split())


def format_date(place: str, date: dt.date | None) -> str:
    """ "An Hòa, ngày 05 tháng 3 năm 2026": day below 10 and months 1–2 with a leading zero (Phụ lục I, II.4).
    Without a date the day and month are left blank, the year is the current one (Vietnam time)."""
    place = nfc(place)
    if date is None:
        year = dt.datetime.now(VIETNAM).year
        return f"{place}, ngày{BLANK_DAY}tháng{BLANK_DAY}năm {year}"
    month = f"{date.month:02d}" if date.month <= 2 else str(date.month)
    return f"{place}, ngày {date.day:02d} tháng {month} năm {date.year}"


def format_number(number: int | None, symbol: str) -> str:
    """ "15/QĐ-SKHĐT", "05/SKHĐT-VP"; before signing the number is blank: "        /QĐ-SKHĐT"."""
    symbol = nfc(symbol).lstrip("/")
    if number is None:
        return f"{BLANK_NUMBER}/{symbol}"
    return f"{number:02d}/{symbol}"


def _strip_item(text: str) -> str:
    text = nfc(text)
    text = re.sub(r"^[-–—•+]\s*", "", text)
    return text.rstrip(" ;.,").strip()


def _list_lines(items, *, dash: bool) -> list[str]:
    """One line per item, "- " prefix when ``dash``, ";" after each and "." after the last."""
    clean = [item for item in (_strip_item(i) for i in items) if item]
    lines = []
    for index, item in enumerate(clean):
        end = "." if index == len(clean) - 1 else ";"
        lines.append(f"- {item}{end}" if dash else f"{item}{end}")
    return lines


def _is_type(layout: Layout, abbr: str, name: str) -> bool:
    return nfc(layout.type_abbr) == abbr or key(layout.type_name) == name


BODY_TAGS = frozenset(
    {"p", "br", "strong", "b", "em", "i", "u", "ol", "ul", "li", "h3", "h4", "blockquote"}
    | {"table", "thead", "tbody", "tr", "th", "td"}
)


ARTICLE = re.compile(r"(<p\b[^>]*>\s*)(Điều\s+\d+[a-zđ]?\.)")


CLOSING = re.compile(r"(</(?:p|li|blockquote|h3|h4)>)(\s*(?:</(?:ol|ul)>\s*)*)$")


def _span_attribute(tag: str, attribute: str, value: str) -> str | None:
    span = int_param(value, min_value=1, max_value=100)
    return str(span) if span is not None else None


def _clean(html_text: str) -> str:
    """Sanitized HTML cleaned again to the same small set of tags (no attributes but colspan/rowspan), so
    that nothing in a body can make WeasyPrint fetch a resource."""
    import nh3

    html_text = unicodedata.normalize("NFC", html_text or "").strip()
    if not html_text:
        return ""
    return nh3.clean(
        html_text,
        tags=set(BODY_TAGS),
        clean_content_tags={"script", "style"},
        attributes={"td": {"colspan", "rowspan"}, "th": {"colspan", "rowspan"}},
        attribute_filter=_span_attribute,
        link_rel=None,
    )


def _body(html_text: str) -> str:
    """Bold "Điều N." at the start of an article (Phụ lục I, II.6đ) and end the text with "./."."""
    html_text = _clean(html_text)
    if not html_text:
        return ""
    html_text = ARTICLE.sub(r"\1<strong>\2</strong>", html_text)
    plain = re.sub(r"<[^>]+>", "", html_text).replace("&nbsp;", " ").strip()
    if plain and not plain.endswith("./."):
        mark = "/." if plain.endswith(".") else "./."
        match = CLOSING.search(html_text)
        if match:
            html_text = f"{html_text[: match.start()]}{mark}{html_text[match.start() :]}"
        else:  # a table or a heading last: the mark on a line of its own, as in Mẫu 1.4
            html_text = f"{html_text}<p>./.</p>"
    return html_text


def _balanced_width(text: str, *, size: float, limit: float) -> float:
    """A width in points that splits a bold ``text`` into lines of about equal length, none over ``limit``:
    no short last line under the type name (CSS text-wrap: balance, which WeasyPrint lacks)."""
    width = text_width(text, "Bold", size)
    lines = max(1, math.ceil(width / limit))
    return min(limit, width / lines * 1.06 + size) if lines > 1 else limit


ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV", "XV")


def roman(number: int) -> str:
    """1 → "I" … 15 → "XV"; past that the Arabic number (no document has so many appendices)."""
    return ROMAN[number - 1] if 1 <= number <= len(ROMAN) else str(number)


def appendix_reference(layout: Layout) -> str:
    """ "(Kèm theo Quyết định số 15/QĐ-SKHĐT ngày 07 tháng 12 năm 2026 của Sở Kế hoạch và Đầu tư)";
    before signing the number and the day are blanks, filled by the final render (Phụ lục I, III.1.c)."""
    type_name = nfc(layout.type_name) or "văn bản"
    type_name = type_name[:1].upper() + type_name[1:]
    number = (
        format_number(layout.number, layout.symbol)
        if layout.number is not None
        else (f"…/{nfc(layout.symbol).lstrip('/')}")
    )
    if layout.date is None:
        day = "ngày … tháng … năm …"
    else:
        month = f"{layout.date.month:02d}" if layout.date.month <= 2 else str(layout.date.month)
        day = f"ngày {layout.date.day:02d} tháng {month} năm {layout.date.year}"
    return f"(Kèm theo {type_name} số {number} {day} của {nfc(layout.agency)})"


def appendices_context(layout: Layout) -> list[dict]:
    """Each appendix: "Phụ lục" (numbered I, II … when there are two or more, Phụ lục I, III.1.a), its title
    in upper case, the reference to the document, its content, and its own named page (own numbering)."""
    many = len(layout.appendices) > 1
    reference = appendix_reference(layout) if layout.appendices else ""
    return [
        {
            "label": f"Phụ lục {roman(index)}" if many else "Phụ lục",
            "title": upper(appendix.title),
            "reference": reference,
            "body_html": mark_safe(_clean(appendix.body_html)),  # noqa: S308 - cleaned by nh3 in _clean()
            "page": f"nd30-appendix-{index}",
            "landscape": appendix.landscape,
        }
        for index, appendix in enumerate(layout.appendices, start=1)
    ]


def document_context(layout: Layout) -> dict:
    is_letter = not nfc(layout.type_abbr) or key(layout.type_name) == "công văn"
    if _is_type(layout, "QĐ", "quyết định"):
        decides = "QUYẾT ĐỊNH:"
    elif _is_type(layout, "NQ", "nghị quyết"):
        decides = "QUYẾT NGHỊ:"
    else:
        decides = ""
    first = " ".join(p for p in (upper(layout.signer_authority), upper(layout.authority_title)) if p)
    archive = nfc(layout.archive).removeprefix("Lưu:").strip().rstrip(" .;") or "VT"
    addressees = [_strip_item(a) for a in layout.addressees if _strip_item(a)]
    number = format_number(layout.number, layout.symbol)
    summary = nfc(layout.summary)
    if is_letter:  # "V/v" is added by the layout
        summary = re.sub(r"^v/v[\s:.]*", "", summary, flags=re.IGNORECASE)
    return {
        "type_name": nfc(layout.type_name),
        "type_upper": upper(layout.type_name),
        "is_letter": is_letter,
        "parent_agency": upper(parent_name(layout.parent_agency)),
        "agency": upper(layout.agency),
        "number_symbol": number.strip(),
        "number_line": f"Số: {number}" if layout.number is not None else f"Số:{number}",
        "date_line": format_date(layout.place, layout.date),
        "subject": f"V/v {summary}" if is_letter and summary else "",
        "summary": summary,
        "summary_width": _balanced_width(summary, size=14, limit=150 * MM),
        "issuing_authority": upper(layout.issuing_authority),
        "legal_bases": _list_lines(layout.legal_bases, dash=False),
        "decides": decides,
        "addressees": addressees if len(addressees) == 1 else _list_lines(addressees, dash=True),
        "body_html": mark_safe(_body(layout.body_html)),  # noqa: S308 - cleaned by nh3 in _body()
        "signer_lines": [line for line in (first, upper(layout.signer_title)) if line],
        "signer_name": nfc(layout.signer_name),
        "distribution": [line[:-1] + ";" for line in _list_lines(layout.distribution, dash=True)],
        "archive_line": f"- Lưu: {archive}.",
        "urgency": upper(layout.urgency),
        "confidentiality": upper(layout.confidentiality),
        "circulation": upper(layout.circulation),
        "draft": layout.draft,
        "appendices": appendices_context(layout),
    }
