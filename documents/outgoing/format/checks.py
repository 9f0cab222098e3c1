"""The checklist of format and presentation (NĐ 30 Phụ lục I) shown to Văn phòng before signing.

Each row is ``{"code", "label", "auto", "ok", "detail"}``: ``auto`` rows are measured here from the rendered
PDF of the current version and the document's fields (``ok`` True/False, or None when it cannot be measured);
the others are ticked by the reviewer. Positions come from ``render.positions`` (baselines and character
extents in PDF points); a text line's top is its baseline plus 0.8 of its size, its bottom the baseline
minus 0.25 of it.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from documents.outgoing.recipients_check import reconcile
from documents.outgoing.render.positions import Line, page_lines, pdf_reader
from documents.outgoing.signers import authority_problem
from eoffice.search import fold

MM = 72 / 25.4
A4 = (210.0, 297.0)  # mm
MARGINS = {"top": (20, 25), "bottom": (20, 25), "left": (30, 35), "right": (15, 20)}  # mm (Phụ lục I, I.4)
TOLERANCE = 0.6  # mm: rounding of the renderer and of the measure
BODY_SIZES = (13.0, 14.0)
# Times New Roman and its metric equivalents (the renderer ships Liberation Serif; Tinos is its twin).
SERIF_NAMES = ("times", "liberationserif", "tinos", "nimbusroman", "texgyretermes")
DRAFT_MARK = "DỰ THẢO"

MANUAL_ROWS = (
    ("layout", gettext_lazy("Vị trí các thành phần thể thức đúng sơ đồ bố trí (Phụ lục I, Phần I, Mục IV)")),
    (
        "typeface",
        gettext_lazy("Cỡ chữ, kiểu chữ (in hoa, in thường, đậm, nghiêng) của từng thành phần đúng quy định"),
    ),
    (
        "rules",
        gettext_lazy("Đường kẻ dưới tên cơ quan và dưới tiêu ngữ; vị trí dấu chỉ độ mật, độ khẩn (nếu có)"),
    ),
    (
        "symbol",
        gettext_lazy(
            "Ký hiệu văn bản (chữ viết tắt tên loại, tên cơ quan, đơn vị soạn thảo) đúng Phụ lục III"
        ),
    ),
    (
        "structure",
        gettext_lazy(
            "Bố cục nội dung (phần, chương, mục, điều, khoản, điểm) và cách trình bày đúng quy định"
        ),
    ),
    ("spelling", gettext_lazy("Chính tả, viết hoa, viết tắt đúng quy định (Phụ lục II)")),
)


@dataclass
class Page:
    width: float  # points
    height: float
    lines: list[Line]  # the content: no draft mark, no page number
    fonts: list[str] = field(default_factory=list)


def read_pages(pdf: bytes) -> list[Page]:
    """The pages of ``pdf`` with their text lines (ValueError with a Vietnamese message when unreadable)."""
    pages = []
    for page in pdf_reader(pdf).pages:
        lines = [
            ln
            for ln in page_lines(page)
            if ln.text.strip() not in ("", DRAFT_MARK) and not ln.text.strip().isdigit()
        ]
        fonts: set[str] = set()

        def visit(text, cm, tm, font_dict, font_size, fonts=fonts):
            if font_dict is not None and (text or "").strip():
                fonts.add(str(font_dict.get("/BaseFont", "")))

        page.extract_text(visitor_text=visit)  # the fonts text is drawn in, not those merely declared
        pages.append(Page(float(page.mediabox.width), float(page.mediabox.height), lines, sorted(fonts)))
    return pages


def _row(code: str, label, ok: bool | None, detail: str = "", *, items: list[str] | None = None) -> dict:
    return {"code": code, "label": str(label), "auto": True, "ok": ok, "detail": detail, "items": items or []}


def _mm(points: float) -> str:
    return f"{points / MM:.1f}".replace(".", ",")


# ---- page and margins -----------------------------------------------------------------------------------


def check_page_size(pages: list[Page]) -> dict:
    wrong = [
        i + 1 for i, p in enumerate(pages) if abs(p.width / MM - A4[0]) > 1 or abs(p.height / MM - A4[1]) > 1
    ]
    first = pages[0]
    size = f"{_mm(first.width)} × {_mm(first.height)} mm"
    if wrong:
        return _row(
            "page_size",
            _("Khổ giấy A4 (210 × 297 mm)"),
            False,
            _("Trang %(pages)s không phải khổ A4 (%(size)s).")
            % {"pages": ", ".join(map(str, wrong)), "size": size},
        )
    return _row("page_size", _("Khổ giấy A4 (210 × 297 mm)"), True, size)


def _inside(value_mm: float, bounds: tuple[float, float]) -> bool:
    return bounds[0] - TOLERANCE <= value_mm <= bounds[1] + TOLERANCE


def measure_margins(pages: list[Page]) -> dict[str, float | None]:
    """The margins the text shows, in mm: left (the leftmost character), right (the rightmost), top (the
    first line of the first page), bottom (the lowest line of any page). None where there is no text."""
    lines = [(p, ln) for p in pages for ln in p.lines if ln.chars]
    if not lines:
        return dict.fromkeys(MARGINS)
    first_page = next((p for p in pages if p.lines), pages[0])
    first = first_page.lines[0]
    return {
        "left": min(ln.chars[0].x1 for _p, ln in lines) / MM,
        "right": min(p.width - ln.chars[-1].x2 for p, ln in lines) / MM,
        "top": (first_page.height - first.y - 0.8 * first.size) / MM,
        "bottom": min(ln.y - 0.25 * ln.size for _p, ln in lines) / MM,
    }


def check_margins(pages: list[Page]) -> dict:
    label = _("Lề trang: trên 20–25 mm, dưới 20–25 mm, trái 30–35 mm, phải 15–20 mm")
    measured = measure_margins(pages)
    if measured["left"] is None:
        return _row("margins", label, None, _("Tệp không có lớp chữ, không đo được lề."))
    names = {"top": _("trên"), "bottom": _("dưới"), "left": _("trái"), "right": _("phải")}
    problems = []
    if not _inside(measured["left"], MARGINS["left"]):
        problems.append("left")
    if not _inside(measured["top"], MARGINS["top"]):
        problems.append("top")
    # Text need not reach the right or bottom margin; it must not enter it.
    if measured["right"] < MARGINS["right"][0] - TOLERANCE:
        problems.append("right")
    if measured["bottom"] < MARGINS["bottom"][0] - TOLERANCE:
        problems.append("bottom")
    detail = "; ".join(f"{names[k]} {str(round(v, 1)).replace('.', ',')} mm" for k, v in measured.items())
    if problems:
        wrong = ", ".join(str(names[k]) for k in problems)
        return _row(
            "margins",
            label,
            False,
            _("Sai lề %(sides)s (đo được: %(detail)s).") % {"sides": wrong, "detail": detail},
        )
    return _row("margins", label, True, _("Đo được: %(detail)s.") % {"detail": detail})


# ---- fonts ------------------------------------------------------------------------------------------------


def _family(base_font: str) -> str:
    name = base_font.lstrip("/")
    if "+" in name[:7]:
        name = name.split("+", 1)[1]  # subset prefix ABCDEF+
    return name


def check_fonts(pages: list[Page]) -> dict:
    label = _("Phông chữ Times New Roman (hoặc tương đương), nội dung cỡ 13–14")
    families = sorted({_family(f) for p in pages for f in p.fonts if f})
    other = [f for f in families if not any(s in re.sub(r"[^a-z]", "", f.lower()) for s in SERIF_NAMES)]
    sizes: Counter[float] = Counter()
    for p in pages:
        for ln in p.lines:
            sizes[round(ln.size, 1)] += len(ln.chars)
    if not sizes:
        return _row("fonts", label, None, _("Tệp không có lớp chữ, không kiểm tra được phông chữ."))
    body = sizes.most_common(1)[0][0]
    body_ok = BODY_SIZES[0] - 0.1 <= body <= BODY_SIZES[1] + 0.1
    size_text = f"{body:g}".replace(".", ",")
    problems = []
    if other:
        problems.append(_("phông chữ không đúng: %(fonts)s") % {"fonts": ", ".join(other)})
    if not body_ok:
        problems.append(_("cỡ chữ phần nội dung %(size)s") % {"size": size_text})
    if problems:
        text = "; ".join(problems)
        return _row("fonts", label, False, text[:1].upper() + text[1:] + ".")
    names = ", ".join(sorted({re.sub(r"[-,](Bold|Italic|Regular|BoldItalic)+$", "", f) for f in families}))
    return _row(
        "fonts", label, True, _("%(fonts)s; nội dung cỡ %(size)s.") % {"fonts": names, "size": size_text}
    )


# ---- required parts ---------------------------------------------------------------------------------------


def _norm(text: str) -> str:
    text = fold(unicodedata.normalize("NFC", text or ""))
    text = re.sub(r"[\u2010-\u2015]", "-", text)
    return re.sub(r"\s+", " ", text).strip()


def _words_present(words: str, text: str) -> bool:
    return all(w in text.split() for w in _norm(words).split())


def check_parts(pages: list[Page], document) -> list[dict]:
    """The parts Phụ lục I requires for the type, each found in the text of the PDF."""
    lines = [_norm(ln.text) for p in pages for ln in p.lines]
    text = " ".join(lines)
    spaced = re.sub(r"\s*-\s*", " - ", text)
    is_letter = not document.doc_type.abbreviation  # công văn: no type name, "V/v" before the summary
    signer = document.signer
    rows = [
        (
            "national_motto",
            _("Quốc hiệu và Tiêu ngữ"),
            "cong hoa xa hoi chu nghia viet nam" in text and "doc lap - tu do - hanh phuc" in spaced,
        ),
        ("agency", _("Tên cơ quan, tổ chức ban hành"), _words_present(document.agency.name, text)),
        ("number", _("Số, ký hiệu của văn bản"), bool(re.search(r"\bso\s*:", text))),
        (
            "place_date",
            _("Địa danh và thời gian ban hành"),
            bool(re.search(r"ngay\b.{0,20}\bthang\b.{0,20}\bnam \d{4}", text))
            and (not document.place_name or _norm(document.place_name) in text),
        ),
    ]
    summary_words = " ".join(_norm(document.summary).split()[:6])
    if is_letter:
        rows.append(
            ("type_summary", _("Trích yếu nội dung (V/v …)"), "v/v" in text and summary_words in text)
        )
    else:
        rows.append(
            (
                "type_summary",
                _("Tên loại và trích yếu nội dung"),
                _norm(document.doc_type.name) in lines and summary_words in text,
            )
        )
    if document.doc_type.abbreviation == "QĐ":
        rows.append(("legal_bases", _("Căn cứ ban hành (Quyết định)"), "can cu" in text))
    content = strip_tags(document.body or "").strip() if document.source == "template" else text
    rows.append(("content", _("Nội dung văn bản"), len(content) >= 20))
    rows.append(
        (
            "signer",
            _("Chức vụ, họ tên người ký"),
            bool(signer)
            and _norm(signer.full_name) in text
            and _words_present(document.signer_title or signer.position or "", text),
        )
    )
    rows.append(("distribution", _("Nơi nhận"), "noi nhan" in text))
    return [
        _row(code, label, ok, "" if ok else _("Không tìm thấy trong văn bản.")) for code, label, ok in rows
    ]


# ---- dates in the past ------------------------------------------------------------------------------------

DATE_PATTERNS = (
    re.compile(r"(?<![\d/])(\d{1,2})\s*[/.-]\s*(\d{1,2})(?:\s*[/.-]\s*(\d{4}))?(?![\d/])"),
    re.compile(r"ngày\s+(\d{1,2})\s+tháng\s+(\d{1,2})(?:\s+năm\s+(\d{4}))?", re.IGNORECASE),
)
# "Công văn số 12/UBND ngày 30/11/2026": a reference to another document, dated in the past by nature.
REFERENCE = re.compile(r"\bs[oố]\s+\S+\s+(?:của\s+.{0,60}?)?ngày\s*$", re.IGNORECASE)


def body_sentences(pages: list[Page]) -> list[str]:
    """The sentences of the body: after the line of place and date, before "Nơi nhận", by paragraph (a line
    indented or centred starts one), legal bases left out (they cite earlier documents)."""
    lines = [ln for p in pages for ln in p.lines if ln.chars]
    texts = [ln.text for ln in lines]
    start = next((i + 1 for i, t in enumerate(texts) if re.search(r"ngày.{0,20}tháng.{0,20}năm", t)), 0)
    end = next((i for i, t in enumerate(texts) if _norm(t).startswith("noi nhan")), len(texts))
    body = lines[start:end]
    if not body:
        return []
    left = min(ln.chars[0].x1 for ln in lines)
    paragraphs: list[str] = []
    for ln in body:
        if not paragraphs or ln.chars[0].x1 - left > 3 * MM or _norm(ln.text).startswith("can cu"):
            paragraphs.append(ln.text)
        else:
            paragraphs[-1] += " " + ln.text
    sentences = []
    for paragraph in paragraphs:
        if _norm(paragraph).startswith("can cu"):
            continue
        text = re.sub(r"\s+", " ", paragraph).strip()
        sentences += [s.strip() for s in re.split(r"(?<=[.;!?])\s+", text) if s.strip()]
    return sentences


def past_dates(sentences: list[str], *, on: date) -> list[tuple[str, date]]:
    """(sentence, date) for each date before ``on`` that is not a reference to another document; a date
    without a year takes ``on``'s year."""
    found = []
    for sentence in sentences:
        for pattern in DATE_PATTERNS:
            for match in pattern.finditer(sentence):
                day, month, year = match.groups()
                try:
                    when = date(int(year) if year else on.year, int(month), int(day))
                except ValueError:
                    continue
                if when < on and not REFERENCE.search(sentence[: match.start()]):
                    found.append((sentence, when))
    return found


def check_past_dates(pages: list[Page], *, on: date) -> dict:
    label = _("Thời hạn, ngày tháng trong nội dung không trước ngày ban hành dự kiến (%(day)s)") % {
        "day": on.strftime("%d/%m/%Y")
    }
    found = past_dates(body_sentences(pages), on=on)
    if not found:
        return _row("past_dates", label, True, _("Không có ngày nào đã qua."))
    items = [f"{when.strftime('%d/%m/%Y')}: {sentence}" for sentence, when in found]
    return _row(
        "past_dates",
        label,
        False,
        _("%(n)s ngày đã qua so với ngày ban hành:") % {"n": len(found)},
        items=items,
    )


# ---- signer and recipients (the helpers of their own modules) ---------------------------------------------


def check_signer(document) -> dict:
    label = _("Thẩm quyền ký (TM., KT., Q., TL., TUQ.) phù hợp người ký")
    problem = authority_problem(document=document)
    return _row("signer_authority", label, problem is None, problem or "")


def check_recipients(document) -> dict:
    label = _("Nơi nhận in trên văn bản khớp danh sách gửi")
    result = reconcile(document=document)
    items = [
        _("Được gửi nhưng không có trong Nơi nhận: %(name)s") % {"name": n}
        for n in result.missing_in_distribution
    ]
    items += [
        _("Có trong Nơi nhận nhưng không được gửi: %(name)s") % {"name": n} for n in result.not_delivered
    ]
    return _row("recipients", label, bool(result.ok), "" if result.ok else _("Chưa khớp:"), items=items)


# ---- the checklist -----------------------------------------------------------------------------------------


def manual_rows() -> list[dict]:
    return [
        {"code": code, "label": str(label), "auto": False, "ok": None, "detail": "", "items": []}
        for code, label in MANUAL_ROWS
    ]


def build_checklist(document, pdf: bytes, *, on: date | None = None) -> list[dict]:
    """Every row of the checklist of ``document`` (its current version is ``pdf``), manual rows unticked."""
    on = on or timezone.localdate()
    try:
        pages = read_pages(pdf)
    except ValueError as exc:
        rows = [_row("pdf", _("Đọc tệp văn bản"), False, str(exc))]
    else:
        rows = [
            check_page_size(pages),
            check_margins(pages),
            check_fonts(pages),
            *check_parts(pages, document),
            check_past_dates(pages, on=on),
        ]
    rows += [check_signer(document), check_recipients(document)]
    return rows + manual_rows()
