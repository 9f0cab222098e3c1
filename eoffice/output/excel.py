"""The one Excel writer: every exported workbook (registers, statistics, search results, the procedures
catalogue) writes its cells and lays out its sheet through these functions.

Formula injection (OWASP "CSV Injection"): text that a person typed — a summary, a name, a note — may begin
with ``=``, ``+``, ``-``, ``@``, a tab or a line break; a spreadsheet reading such a cell as a formula could
run it (``=HYPERLINK(…)`` sends data away, ``=cmd|…`` used DDE). Here text is always stored as text (cell
type ``s``, never ``f``), and text that starts with one of those characters also carries Excel's "quote
prefix" (what typing an apostrophe first does): Excel and LibreOffice show it as the text, and keep it text
when the cell is edited. The value itself is not changed, so an exported file imports back as it was (the
catalogue round trip). Numbers, dates and times stay numbers, dates and times.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# The first characters that make a spreadsheet read a cell as a formula (OWASP), with the full-width forms
# that some spreadsheet programs turn into the ASCII ones.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")

_THIN = Side(style="thin")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
ITALIC = Font(italic=True)


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def put(cell: Cell, value) -> Cell:
    """Write ``value`` into ``cell``: text as text (never a formula), anything else as it is."""
    cell.value = value
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if is_formula_like(cell.value):
            cell.quotePrefix = True
    return cell


def write(ws: Worksheet, row: int, column: int, value) -> Cell:
    return put(ws.cell(row=row, column=column), value)


def append(ws: Worksheet, values: Iterable = ()) -> int:
    """Add a row under the last one (as ``Worksheet.append`` does, empty rows included); its number."""
    ws.append([put(Cell(ws), value) for value in values])
    return ws._current_row  # openpyxl's own cursor of append(); counts empty rows, which max_row does not


def next_row(ws: Worksheet) -> int:
    """The row the next ``append()`` writes."""
    return ws._current_row + 1


def continue_after(ws: Worksheet, row: int) -> None:
    """Let the next ``append()`` write under ``row`` (after cells written with ``write()``)."""
    ws._current_row = max(ws._current_row, row)


def workbook(title: str) -> tuple[Workbook, Worksheet]:
    """A new workbook and its first sheet, named ``title`` (31 characters at most, as Excel requires)."""
    wb = Workbook()
    ws = wb.active
    ws.title = title[:31]
    return wb, ws


def to_bytes(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def heading(ws: Worksheet, lines: Sequence[str], *, fonts: Sequence[Font] | None = None, blank: bool = True):
    """The report's first lines (agency, title, scope…), each in column A, then an empty row.

    By default: the first line bold, the second bold and larger (the title), the third italic."""
    fonts = (BOLD, TITLE, ITALIC) if fonts is None else fonts
    for index, line in enumerate(lines):
        row = append(ws, [line])
        if index < len(fonts) and fonts[index] is not None:
            ws.cell(row=row, column=1).font = fonts[index]
    if blank:
        append(ws)


def grid(
    ws: Worksheet,
    *,
    first_row: int,
    last_row: int,
    columns: int,
    header_rows: int = 1,
    bold_header_rows: int | None = None,
    centered: Iterable[int] = (),
    bold_rows: Iterable[int] = (),
    header_vertical: str = "center",
) -> None:
    """Borders, wrapping and alignment of a table: the header rows centred (the first ``bold_header_rows``
    of them bold, all by default), the body top-aligned, columns in ``centered`` (1-based) centred."""
    centered, bold_rows = set(centered), set(bold_rows)
    bold_header_rows = header_rows if bold_header_rows is None else bold_header_rows
    for r in range(first_row, last_row + 1):
        header = r < first_row + header_rows
        bold = (r < first_row + bold_header_rows) or r in bold_rows
        for c in range(1, columns + 1):
            cell = ws.cell(row=r, column=c)
            cell.border = BORDER
            cell.alignment = Alignment(
                wrap_text=True,
                vertical=header_vertical if header else "top",
                horizontal="center" if header or c in centered else None,
            )
            if bold:
                cell.font = BOLD


def widths(ws: Worksheet, values: Sequence[float], *, start: int = 1) -> None:
    for index, width in enumerate(values, start=start):
        ws.column_dimensions[get_column_letter(index)].width = width


def page(ws: Worksheet, *, freeze=None, title_rows: str | None = None, fit_width: bool = False) -> None:
    """A4 landscape; frozen panes; header rows repeated on every printed page; optionally one page wide."""
    if freeze is not None:
        ws.freeze_panes = freeze
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    if fit_width:
        ws.sheet_properties.pageSetUpPr.fitToPage = True
        ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    if title_rows:
        ws.print_title_rows = title_rows


def notes(ws: Worksheet, *, title: str, lines: Iterable[str], columns: int, height: float = 45) -> None:
    """A blank row, a bold ``title``, then each line merged across the table's width and wrapped."""
    append(ws)
    ws.cell(row=append(ws, [title]), column=1).font = BOLD
    for line in lines:
        row = append(ws, [line])
        ws.merge_cells(start_row=row, end_row=row, start_column=1, end_column=columns)
        ws.cell(row=row, column=1).alignment = Alignment(wrap_text=True, vertical="top")
        ws.row_dimensions[row].height = height


def made_line(ws: Worksheet, text: str) -> None:
    """A blank row and the italic "made on … by …" line."""
    append(ws)
    ws.cell(row=append(ws, [text]), column=1).font = ITALIC


# --- a note the reader must not miss (documents.search.export) ----------------------------------------------

WARNING = Font(bold=True, color="B42318")


def warning_line(ws: Worksheet, text: str, *, blank: bool = True) -> int:
    """A blank row (unless ``blank`` is False), then ``text`` in bold red in column A; its row number."""
    if blank:
        append(ws)
    row = append(ws, [text])
    ws.cell(row=row, column=1).font = WARNING
    return row


# --- drop-down lists, a filled header row, reading an uploaded workbook (onestop.catalogue) -----------------

HEADER_FILL = "E8EEF7"
MAX_UNPACKED_BYTES = 200 * 1024 * 1024


class UnreadableWorkbook(ValueError):
    """The bytes are not a workbook that can be read: damaged, not an .xlsx, or too large once unpacked."""


def add_sheet(wb: Workbook, title: str) -> Worksheet:
    """A new sheet after the others, named ``title`` (31 characters at most)."""
    return wb.create_sheet(title[:31])


def hidden_lists(wb: Workbook, title: str, lists: Sequence[Sequence[str]]) -> list[str]:
    """A hidden sheet ``title`` holding each list of values in its own column from row 1; the absolute
    reference of each list (``'title'!$A$1:$A$3``) for :func:`dropdown` (values may hold commas, which a
    list written into the validation itself could not)."""
    ws = add_sheet(wb, title)
    ws.sheet_state = "hidden"
    refs = []
    for column, values in enumerate(lists, start=1):
        for row, value in enumerate(values, start=1):
            write(ws, row, column, value)
        letter = get_column_letter(column)
        refs.append(f"'{ws.title}'!${letter}$1:${letter}${len(values)}")
    return refs


def dropdown(ws: Worksheet, *, column: int, source: str, first_row: int, last_row: int) -> None:
    """The cells of ``column`` (1-based) from ``first_row`` to ``last_row`` offer the values of the range
    ``source`` (blank allowed)."""
    letter = get_column_letter(column)
    check = DataValidation(type="list", formula1=source, allow_blank=True)
    check.add(f"{letter}{first_row}:{letter}{last_row}")
    ws.add_data_validation(check)


def header_row(ws: Worksheet, *, columns: int, row: int = 1, fill: str | None = HEADER_FILL) -> None:
    """The header cells of a plain table (no borders): bold, on a ``fill`` background, wrapped, centred
    vertically."""
    background = PatternFill("solid", fgColor=fill) if fill else None
    for column in range(1, columns + 1):
        cell = ws.cell(row=row, column=column)
        cell.font = BOLD
        if background is not None:
            cell.fill = background
        cell.alignment = Alignment(wrap_text=True, vertical="center")


def wrap_body(ws: Worksheet, *, first_row: int = 2) -> None:
    """Every written cell from ``first_row`` down wraps its text and sits at the top."""
    for line in ws.iter_rows(min_row=first_row):
        for cell in line:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def freeze(ws: Worksheet, cell: str) -> None:
    """Keep the rows above and the columns left of ``cell`` in view while scrolling."""
    ws.freeze_panes = cell


# A workbook written by a spreadsheet program never declares a DTD; one that does may carry entities that
# expand (openpyxl parses the workbook part with lxml, which expands them). Its marker in the encodings an
# XML part may use.
_DTD_MARKERS = tuple("<!DOCTYPE".encode(codec) for codec in ("utf-8", "utf-16-le", "utf-16-be"))


def _declares_dtd(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bool:
    if info.is_dir() or not info.filename.lower().endswith((".xml", ".rels", ".vml")):
        return False
    with archive.open(info) as part:
        head = part.read(info.file_size)
    upper = head.upper()
    return any(marker.upper() in upper for marker in _DTD_MARKERS)


def load(data: bytes, *, max_unpacked: int = MAX_UNPACKED_BYTES) -> Workbook:
    """The workbook in ``data``, opened read-only (rows are streamed), with the values cached by the
    spreadsheet program instead of formulas, and without external links. Raises
    :class:`UnreadableWorkbook` for anything that cannot be read, for a file whose parts unpack to more
    than ``max_unpacked`` bytes (a zip bomb), and for a part that declares a DTD (entity expansion). Close
    it after use (``wb.close()``)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
            if unpacked > max_unpacked:
                raise UnreadableWorkbook(f"{unpacked} bytes once unpacked (at most {max_unpacked})")
            for info in archive.infolist():
                if _declares_dtd(archive, info):
                    raise UnreadableWorkbook(f"{info.filename} declares a DTD (entities are refused)")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        if isinstance(exc, UnreadableWorkbook):
            raise
        raise UnreadableWorkbook(str(exc)) from exc
    try:
        return load_workbook(io.BytesIO(data), read_only=True, data_only=True, keep_links=False)
    except Exception as exc:  # a damaged file can fail in many ways inside openpyxl
        raise UnreadableWorkbook(str(exc)) from exc


def sheets(wb: Workbook) -> list[Worksheet]:
    """The workbook's sheets, in order (each has its ``title``)."""
    return list(wb.worksheets)


def rows(ws: Worksheet) -> Iterator[tuple]:
    """The values of a sheet row by row, from the first (tuples; ``None`` for an empty cell)."""
    return ws.iter_rows(values_only=True)
