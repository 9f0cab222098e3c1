"""The printed outputs of records management, as PDF through the output layer (``eoffice.output.pdf``:
WeasyPrint, the shipped Liberation Serif, a fetcher that stays off the network; the shared agency header):

- ``toc_pdf``: Mục lục văn bản, tài liệu of a file (Phụ lục V mục IV; Phụ lục VI V.5);
- ``files_list_pdf``: Mục lục hồ sơ (Phụ lục VI V.6) or Mục lục hồ sơ, tài liệu nộp lưu (Phụ lục V mục III);
- ``file_pdf``: the whole file as one PDF: its cover, its table of contents, then every item's files in order
  (PDF pages merged with pypdf; PNG/JPEG placed on A4 pages through the output layer);
- ``transfer_record_pdf``: Biên bản giao nhận hồ sơ, tài liệu (Phụ lục V mục V) of a transfer.

"Tờ số/Trang số" of the table of contents are the pages each document occupies in the exported file. They
depend on the length of the cover and of the table itself: the table is laid out with a guess of its own
length, then again until the guess holds (``_layout``), and ``toc_pdf`` prints the same table the file holds.
The totals the cover and the table print ("Gồm: … văn bản, tài liệu; … trang") are the file's own, by the one
rule of ``documents.records.services.files.file_totals`` (the stored ``doc_total``/``page_total``): recorded
pages of every item, the cover and the table not counted.
"""

from __future__ import annotations

import io
import tempfile
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone
from pypdf import PdfReader, PdfWriter
from pypdf.errors import PdfReadError

from documents.records.models import CaseFile, UsageRights
from documents.records.services.files import file_totals
from eoffice.output import pdf as output_pdf
from eoffice.output.header import parent_line

from . import contents
from .contents import IMAGE, PDF, Entry, nfc
from .words import number_words

STYLESHEET = "documents/records/print/print.css"
TITLE_LIST = "MỤC LỤC HỒ SƠ"
TITLE_TRANSFER_LIST = "MỤC LỤC HỒ SƠ, TÀI LIỆU NỘP LƯU"
DOTS = "……………………"


@lru_cache(maxsize=1)
def stylesheet_path() -> Path:
    return output_pdf.template_file(STYLESHEET)


def _render(template: str, context: dict, *, folders=()) -> bytes:
    return output_pdf.write(
        render_to_string(template, context),
        stylesheets=[output_pdf.header_stylesheet(), output_pdf.stylesheet(stylesheet_path())],
        base_url=stylesheet_path().parent,
        folders=folders,
    )


def page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def _agency_lines(agency) -> dict:
    return {
        "parent": parent_line(agency.parent_name) if agency.parent_id else "",
        "agency": nfc(agency.name).upper(),
    }


def place_date(agency, day=None) -> str:
    day = day or timezone.localdate()
    place = nfc(agency.place_name)
    return f"{place}, {contents.day_line(day)}" if place else contents.day_line(day)


# ---- the parts of an exported file -------------------------------------------------------------------------


@dataclass
class Part:
    """An item's pages in the exported file: the PDFs of its files, in order, and their length."""

    entry: Entry
    pdfs: list[bytes]
    pages: int
    first: int = 0  # its first page in the exported file (0: none)

    @property
    def range_text(self) -> str:
        if not self.pages:
            return ""
        last = self.first + self.pages - 1
        return str(self.first) if last == self.first else f"{self.first}–{last}"


def image_pdf(data: bytes, name: str) -> bytes:
    """A PNG or JPEG placed on its own A4 page (through the output layer: the file is read from a private
    temporary folder the fetcher is allowed to read, nothing else)."""
    suffix = ".png" if data.startswith(b"\x89PNG") else ".jpg"
    with tempfile.TemporaryDirectory(prefix="eo-export-") as folder:
        path = Path(folder) / f"image{suffix}"
        path.write_bytes(data)
        return _render(
            "documents/records/print/image.html",
            {"src": path.as_uri(), "name": name},
            folders=(Path(folder),),
        )


def pdf_pages(data: bytes) -> int | None:
    """The number of pages of a PDF that can be merged; None for one that cannot (damaged, encrypted)."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            return None
        return len(reader.pages)
    except (PdfReadError, ValueError, KeyError, TypeError, OSError):
        return None


def parts(entries: list[Entry]) -> list[Part]:
    out = []
    for entry in entries:
        pdfs, pages = [], 0
        for item_file in entry.files:
            form = item_file.form
            if form == PDF:
                n = pdf_pages(item_file.data)
                if n is None:
                    item_file.unmergeable = True
                    continue
                pdfs.append(item_file.data)
                pages += n
            elif form == IMAGE:
                rendered = image_pdf(item_file.data, item_file.name)
                pdfs.append(rendered)
                pages += page_count(rendered)
        out.append(Part(entry=entry, pdfs=pdfs, pages=pages))
    return out


def _note(part: Part) -> str:
    note = contents.note(part.entry)
    bad = [f.name for f in part.entry.files if f.unmergeable]
    if bad:
        extra = "Tệp PDF không ghép được (hỏng hoặc có mật khẩu): " + ", ".join(bad)
        note = f"{note}; {extra}" if note else extra
    return note


# ---- the table of contents and the cover -------------------------------------------------------------------


def _toc_rows(file_parts: list[Part]) -> list[dict]:
    return [
        {
            "ordinal": part.entry.item.ordinal,
            "number_symbol": part.entry.number_symbol,
            "date": contents.d(part.entry.date),
            "subject": contents.type_and_subject(part.entry.item),
            "author": nfc(part.entry.item.organ_name),
            "pages": part.range_text,
            "note": _note(part),
        }
        for part in file_parts
    ]


def _toc_html_pdf(case_file: CaseFile, file_parts: list[Part], page_total: int) -> bytes:
    """The table of contents; ``page_total`` is the file's (``file_totals``), not the export's length."""
    context = {
        **_agency_lines(case_file.agency),
        "code": nfc(case_file.code),
        "year": case_file.year,
        "rows": _toc_rows(file_parts),
        "page_total": page_total,
    }
    return _render("documents/records/print/toc.html", context)


def _cover_pdf(case_file: CaseFile, *, doc_total: int, page_total: int) -> bytes:
    start, end = contents.file_span(case_file)
    context = {
        **_agency_lines(case_file.agency),
        "unit": nfc(case_file.department.name) if case_file.department_id else "",
        "file_code": contents.file_code(case_file),
        "code": nfc(case_file.code),
        "title": nfc(case_file.title),
        "start": contents.d(start),
        "end": contents.d(end),
        "doc_total": doc_total,
        "page_total": page_total,
        "retention": contents.retention_label(case_file.retention),
        "rights": str(UsageRights(case_file.rights).label) if case_file.rights in UsageRights.values else "",
        "creator": contents.creator(case_file),
        "archive_code": nfc(case_file.archive_code),
    }
    return _render("documents/records/print/cover.html", context)


@dataclass
class Layout:
    cover: bytes
    toc: bytes
    parts: list[Part]
    total_pages: int


def _layout(case_file: CaseFile) -> Layout:
    """The cover, the table of contents and the items' pages, the table's page ranges agreeing with where
    each item lands once merged (two passes, or more while the table's own length changes)."""
    file_parts = parts(contents.entries(case_file))
    doc_pages = sum(part.pages for part in file_parts)
    doc_total, page_total = file_totals(case_file)  # the one rule of the stored totals
    cover = _cover_pdf(case_file, doc_total=doc_total, page_total=page_total)
    cover_pages = page_count(cover)
    toc_pages, toc = 1, b""
    for _attempt in range(5):
        first = cover_pages + toc_pages + 1
        for part in file_parts:
            part.first = first if part.pages else 0
            first += part.pages
        toc = _toc_html_pdf(case_file, file_parts, page_total)
        laid_out = page_count(toc)
        if laid_out == toc_pages:
            break
        toc_pages = laid_out
    return Layout(cover=cover, toc=toc, parts=file_parts, total_pages=cover_pages + toc_pages + doc_pages)


def toc_pdf(*, case_file: CaseFile) -> bytes:
    """Mục lục văn bản, tài liệu of ``case_file`` (the page ranges are those of ``file_pdf``)."""
    return _layout(case_file).toc


def file_pdf(*, case_file: CaseFile) -> bytes:
    """The whole file as one PDF: cover, table of contents, then every item's files in ordinal order."""
    layout = _layout(case_file)
    writer = PdfWriter()
    for data in (layout.cover, layout.toc, *(pdf for part in layout.parts for pdf in part.pdfs)):
        writer.append(io.BytesIO(data), import_outline=False)
    writer.add_metadata({"/Title": f"{nfc(case_file.code)} - {nfc(case_file.title)}"})
    # an outline entry per document, so that a reader jumps to it
    for part in layout.parts:
        if part.pages:
            label = f"{part.entry.item.ordinal}. {contents.type_and_subject(part.entry.item)}"[:120]
            writer.add_outline_item(title=label, page_number=part.first - 1)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


# ---- the list of files -------------------------------------------------------------------------------------


def _compiler(user) -> tuple[str, str]:
    if user is None:
        return "", ""
    return nfc(user.get_full_name()), nfc(getattr(user, "position", ""))


def files_list_pdf(*, agency, files, year, title: str = TITLE_LIST, unit: str = "", compiler=None) -> bytes:
    """Mục lục hồ sơ of ``files`` (a queryset of case files, or their list): one row per file, in the order
    given (for a queryset, by code), with the time its documents span, its retention and its pages; then the
    count in figures and in words, the place and date and "Người lập" (``compiler``, a user, or a blank)."""
    if hasattr(files, "model"):
        queryset = files
    else:
        ids = [f.pk for f in files]
        queryset = CaseFile.objects.filter(pk__in=ids)
    annotated = {f.pk: f for f in contents.with_dates(queryset.order_by())}
    order = (
        [f.pk for f in files]
        if not hasattr(files, "model")
        else list(queryset.order_by("code", "pk").values_list("pk", flat=True))
    )
    rows = []
    for pk in order:
        case_file = annotated.get(pk)
        if case_file is None:
            continue
        start, end = contents.span(case_file)
        rows.append(
            {
                "code": nfc(case_file.code),
                "title": nfc(case_file.title),
                "span": contents.span_text(start, end),
                "retention": contents.retention_label(case_file.retention),
                "pages": case_file.page_total or "",
                "note": nfc(case_file.description),
            }
        )
    name, position = _compiler(compiler)
    context = {
        **_agency_lines(agency),
        "title": nfc(title),
        "unit": nfc(unit),
        "year": year if year else "",
        "rows": rows,
        "count_words": number_words(len(rows)),
        "place_date": place_date(agency),
        "compiler_name": name,
        "compiler_position": position,
    }
    return _render("documents/records/print/filelist.html", context)


# ---- transfer (nộp lưu) ------------------------------------------------------------------------------------


def transfer_files(transfer) -> list[CaseFile]:
    """The files handed over in ``transfer`` (its own agency's only), by number and symbol as the archive's
    transfer page lists them."""
    ids = [int(pk) for pk in (transfer.file_ids or []) if str(pk).isdigit()]
    return list(
        CaseFile.objects.filter(pk__in=ids, agency_id=transfer.agency_id)
        .select_related("department")
        .order_by("code", "pk")
    )


def transfer_list_pdf(*, transfer) -> bytes:
    """Mục lục hồ sơ, tài liệu nộp lưu of ``transfer`` (Phụ lục V mục III), drawn up by its submitter."""
    files = transfer_files(transfer)
    years = sorted({f.year for f in files})
    return files_list_pdf(
        agency=transfer.agency,
        files=files,
        year=", ".join(str(y) for y in years) or timezone.localtime(transfer.submitted_at).year,
        title=TITLE_TRANSFER_LIST,
        unit=nfc(transfer.department.name) if transfer.department_id else "",
        compiler=transfer.submitted_by,
    )


def transfer_record_pdf(*, transfer) -> bytes:
    """Biên bản giao nhận hồ sơ, tài liệu of ``transfer`` (Phụ lục V mục V): the giver (its submitter and
    unit), the receiver (the archivist who decided it; blank until then), the files' time span, the number
    of files and of computer files, the condition noted."""
    files = transfer_files(transfer)
    annotated = list(contents.with_dates(CaseFile.objects.filter(pk__in=[f.pk for f in files])))
    starts = [s for s, _e in map(contents.span, annotated) if s]
    ends = [e or s for s, e in map(contents.span, annotated) if e or s]
    years = sorted({f.year for f in files})
    years_text = ", ".join(str(y) for y in years)
    unit = nfc(transfer.department.name) if transfer.department_id else ""
    giver = transfer.submitted_by
    receiver = transfer.decided_by
    day = timezone.localtime(transfer.decided_at or transfer.submitted_at).date()
    block = "Hồ sơ, tài liệu"
    if unit:
        block += f" của {unit}"
    if years_text:
        block += f" năm {years_text}"
    span = ""
    if starts and ends:
        span = f"Từ {contents.d(min(starts))} đến {contents.d(max(ends))}"
    context = {
        **_agency_lines(transfer.agency),
        "place_date": place_date(transfer.agency, day),
        "basis": f"Danh mục hồ sơ năm {years_text}" if years_text else "Danh mục hồ sơ",
        "giver_unit": unit or nfc(transfer.agency.name),
        "giver_name": nfc(giver.get_full_name()),
        "giver_position": nfc(giver.position) or DOTS,
        "receiver_name": nfc(receiver.get_full_name()) if receiver else DOTS,
        "receiver_position": (nfc(receiver.position) or DOTS) if receiver else DOTS,
        "receiver_signature": nfc(receiver.get_full_name()) if receiver else "",
        "block_name": block,
        "span": span or DOTS,
        "paper_boxes": "không",
        "paper_files": "không",
        "paper_meters": "không",
        "file_count": len(files),
        "file_count_words": number_words(len(files)),
        "computer_files": contents.count_files(CaseFile.objects.filter(pk__in=[f.pk for f in files])),
        "condition": nfc(transfer.note) or DOTS,
    }
    return _render("documents/records/print/handover.html", context)
