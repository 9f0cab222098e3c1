"""HTML → PDF with WeasyPrint and the fonts the project ships: Decree-30 documents, one-stop forms, the
statistics report, the signature stamp's text.

- ``fonts()``: the process's one ``FontConfiguration`` and the ``@font-face`` rules of Liberation Serif
  (metric-compatible with Times New Roman, which Decree 30 prescribes) under the family "Liberation Serif".
- ``fetcher(*folders)``: a URL fetcher that reads only the shipped fonts and the given folders, so that
  nothing in a document (a user's text, an image tag in a body) makes the server reach the network or read
  another file.
- ``stylesheet(path)``: a stylesheet file, parsed once per process with that configuration.
- ``document(html, …)`` (laid out, for the anchors) and ``write(html, …)`` (the PDF bytes).
- ``write_page(html, width=…, height=…)``: a PDF of pages of that size without margins, its images inline
  (``data:`` URIs) and nothing read but the fonts: the signature stamp.

The font configuration lives as long as the process; ``release()`` (at exit, and ``eoffice.logs``) lets it
go while the interpreter is still whole.
"""

from __future__ import annotations

import atexit
import logging
from collections.abc import Iterable, Sequence
from functools import lru_cache
from pathlib import Path

logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)  # one INFO line per step otherwise

BASE_DIR = Path(__file__).resolve().parents[2]
FONT_DIR = BASE_DIR / "static" / "fonts" / "liberation-serif"
FAMILY = "Liberation Serif"
FACES = (
    ("Regular", "normal", "normal"),
    ("Bold", "bold", "normal"),
    ("Italic", "normal", "italic"),
    ("BoldItalic", "bold", "italic"),
)
HEADER_CSS = Path(__file__).resolve().parent / "agency_header.css"


def template_file(name: str) -> Path:
    """The file ``name`` among the templates (a stylesheet kept beside its templates), wherever the
    template directories put it."""
    from django.template import engines
    from django.template.exceptions import TemplateDoesNotExist

    for loader in engines["django"].engine.template_loaders:
        for origin in loader.get_template_sources(name):
            if Path(origin.name).is_file():
                return Path(origin.name)
    raise TemplateDoesNotExist(name)


def font_path(face: str = "Regular") -> Path:
    """The file of one shipped face: "Regular", "Bold", "Italic" or "BoldItalic"."""
    return FONT_DIR / f"LiberationSerif-{face}.ttf"


def fetcher(*folders: Path):
    """A WeasyPrint URL fetcher for the shipped fonts and ``folders`` only: a document never reaches the
    network (anything else raises ValueError)."""
    return _local_fetcher(folders, inline=False)


def _local_fetcher(folders: Iterable[Path], *, inline: bool):
    """``fetcher``; with ``inline`` it also reads ``data:`` URIs (what they hold is in the document)."""
    from weasyprint.urls import URLFetcher

    allowed = tuple({FONT_DIR.resolve(), *(Path(f).resolve() for f in folders)})

    class LocalFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if inline and url.startswith("data:"):
                return super().fetch(url, headers)
            if url.startswith("file:"):
                from urllib.parse import unquote, urlsplit

                path = Path(unquote(urlsplit(url).path)).resolve()
                if any(path.is_relative_to(folder) for folder in allowed):
                    return super().fetch(url, headers)
            raise ValueError(f"resource not allowed in a document: {url[:80]}")

    return LocalFetcher(allowed_protocols={"file", "data"} if inline else {"file"})


@lru_cache(maxsize=1)
def fonts():
    """(the ``@font-face`` stylesheet, the ``FontConfiguration``): one of each for the process."""
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    font_config = FontConfiguration()
    rules = "\n".join(
        f'@font-face {{ font-family: "{FAMILY}"; font-weight: {weight}; font-style: {style}; '
        f'src: url("{font_path(face).as_uri()}"); }}'
        for face, weight, style in FACES
    )
    return CSS(string=rules, font_config=font_config, url_fetcher=fetcher()), font_config


@lru_cache(maxsize=16)
def stylesheet(path: Path):
    """The stylesheet file at ``path``, parsed once per process (resources only from its own folder)."""
    from weasyprint import CSS

    _faces, font_config = fonts()
    path = Path(path)
    return CSS(
        string=path.read_text(encoding="utf-8"),
        base_url=str(path.parent),
        font_config=font_config,
        url_fetcher=fetcher(path.parent),
    )


def header_stylesheet():
    """The layout of the agency header block (``templates/eoffice/output/_agency_header.html``): the table
    and the national title; each document's own stylesheet sets the sizes after it."""
    return stylesheet(HEADER_CSS)


def _html(html_text: str, *, base_url: Path | None, folders: Iterable[Path]):
    from weasyprint import HTML

    folders = tuple(folders) + ((base_url,) if base_url is not None else ())
    return HTML(
        string=html_text,
        base_url=str(base_url) if base_url is not None else None,
        url_fetcher=fetcher(*folders),
    )


def document(
    html_text: str,
    *,
    stylesheets: Sequence = (),
    base_url: Path | None = None,
    folders: Iterable[Path] = (),
):
    """``html_text`` laid out (a WeasyPrint ``Document``: pages, anchors) with the shipped fonts and
    ``stylesheets`` after them; resources only from the fonts, ``base_url`` and ``folders``."""
    faces, font_config = fonts()
    return _html(html_text, base_url=base_url, folders=folders).render(
        stylesheets=[faces, *stylesheets], font_config=font_config
    )


def write(
    html_text: str,
    *,
    stylesheets: Sequence = (),
    base_url: Path | None = None,
    folders: Iterable[Path] = (),
) -> bytes:
    """``html_text`` as PDF bytes (see ``document``)."""
    faces, font_config = fonts()
    return _html(html_text, base_url=base_url, folders=folders).write_pdf(
        stylesheets=[faces, *stylesheets], font_config=font_config
    )


def write_page(html_text: str, *, width: float, height: float, stylesheets: Sequence = ()) -> bytes:
    """``html_text`` as PDF bytes on pages of ``width`` × ``height`` points without margins (a signature
    stamp), with the shipped fonts and ``stylesheets`` after them. Images come inline as ``data:`` URIs:
    nothing is read but those and the fonts (no other file, no network)."""
    from weasyprint import CSS, HTML

    faces, font_config = fonts()
    page = CSS(
        string=f"@page {{ size: {width:.2f}pt {height:.2f}pt; margin: 0; }}",
        font_config=font_config,
        url_fetcher=fetcher(),
    )
    return HTML(string=html_text, url_fetcher=_local_fetcher((), inline=True)).write_pdf(
        stylesheets=[faces, *stylesheets, page], font_config=font_config
    )


@atexit.register
def release() -> None:
    """Let the cached FontConfiguration go while the interpreter is still whole (its __del__ needs it)."""
    stylesheet.cache_clear()
    fonts.cache_clear()
