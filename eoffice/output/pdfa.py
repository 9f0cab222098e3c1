"""PDF → PDF/A-2b with Ghostscript, for long-term preservation (Phụ lục VI III.5.e: files can be converted
when technology changes).

``convert(data)`` returns a new PDF: Ghostscript (``gs``, Debian package ghostscript) rewrites the document
with its fonts embedded, its colours converted to sRGB, an sRGB output intent and the XMP identification
``pdfaid:part=2``, ``pdfaid:conformance=B``. The original bytes are never changed (a signed PDF stays as it
is; the rendition is a separate file, and it carries no valid signature).

Ghostscript runs as a subprocess with ``-dSAFER`` (no file access but its input, output and the ICC
profile it is granted), a timeout, in a temporary directory that is removed afterwards. ``available()``
says whether the server can convert at all, so that the option can say so instead of failing.
"""

from __future__ import annotations

import glob
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT_SECONDS = 120
# The sRGB profile Ghostscript ships (the Debian package installs it in both places).
ICC_CANDIDATES = (
    "/usr/share/color/icc/ghostscript/srgb.icc",
    "/usr/share/ghostscript/*/iccprofiles/srgb.icc",
    "/usr/share/ghostscript/*/iccprofiles/default_rgb.icc",
)
PDFA_DEF = """%!
[ /Title ({title}) /DOCINFO pdfmark
/ICCProfile ({icc}) def
[/_objdef {{icc_PDFA}} /type /stream /OBJ pdfmark
[{{icc_PDFA}} << /N 3 >> /PUT pdfmark
[{{icc_PDFA}} ICCProfile (r) file /PUT pdfmark
[/_objdef {{OutputIntent_PDFA}} /type /dict /OBJ pdfmark
[{{OutputIntent_PDFA}} << /Type /OutputIntent /S /GTS_PDFA1 /DestOutputProfile {{icc_PDFA}}
  /OutputConditionIdentifier (sRGB) >> /PUT pdfmark
[{{Catalog}} << /OutputIntents [ {{OutputIntent_PDFA}} ] >> /PUT pdfmark
"""


class PdfaError(RuntimeError):
    """The conversion could not be made (no Ghostscript, a damaged input, a timeout)."""


def ghostscript() -> str | None:
    return shutil.which("gs")


def icc_profile() -> str | None:
    for pattern in ICC_CANDIDATES:
        found = sorted(glob.glob(pattern))
        if found:
            return found[-1]
    return None


def available() -> bool:
    """Whether this server can make PDF/A renditions (Ghostscript and its sRGB profile installed)."""
    return bool(ghostscript() and icc_profile())


def _ps_string(text: str) -> str:
    """ASCII text safe inside a PostScript string literal."""
    ascii_text = text.encode("ascii", "ignore").decode()
    return "".join(ch for ch in ascii_text if ch.isalnum() or ch in " -_.,:")[:120]


def convert(data: bytes, *, title: str = "", timeout: int = TIMEOUT_SECONDS) -> bytes:
    """A PDF/A-2b rendition of the PDF ``data``; ``PdfaError`` when it cannot be made."""
    gs, icc = ghostscript(), icc_profile()
    if not gs or not icc:
        raise PdfaError("Ghostscript is not installed")
    if b"%PDF-" not in data[:1024]:
        raise PdfaError("not a PDF")
    pages = _pages(data)
    with tempfile.TemporaryDirectory(prefix="eoffice-pdfa-") as folder:
        source, target, definition = (Path(folder) / n for n in ("in.pdf", "out.pdf", "pdfa_def.ps"))
        source.write_bytes(data)
        definition.write_text(PDFA_DEF.format(title=_ps_string(title) or "eOffice", icc=icc), "ascii")
        command = [
            gs,
            "-q",
            "-dSAFER",
            "-dBATCH",
            "-dNOPAUSE",
            "-dNOOUTERSAVE",
            "-dPDFA=2",
            "-dPDFACompatibilityPolicy=1",
            "-sColorConversionStrategy=RGB",
            "-sDEVICE=pdfwrite",
            f"--permit-file-read={icc}",
            f"-sOutputFile={target}",
            str(definition),
            str(source),
        ]
        try:
            done = subprocess.run(
                command,
                capture_output=True,
                timeout=timeout,
                cwd=folder,
                env={"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "HOME": folder},
                check=False,
            )
        except subprocess.TimeoutExpired as exc:
            raise PdfaError(f"Ghostscript took more than {timeout} s") from exc
        except OSError as exc:
            raise PdfaError(f"Ghostscript could not run: {exc}") from exc
        if done.returncode != 0 or not target.exists() or target.stat().st_size == 0:
            message = (done.stderr or done.stdout).decode(errors="replace").strip()[-500:]
            raise PdfaError(f"Ghostscript failed ({done.returncode}): {message}")
        out = target.read_bytes()
    if declares_pdfa(out) is None or _pages(out) != pages:
        raise PdfaError("Ghostscript did not make a complete PDF/A file")
    return out


def _pages(data: bytes) -> int:
    """The PDF's page count; a damaged or encrypted PDF (which Ghostscript would 'repair' into a different
    document, or a blank one) is refused."""
    from django.core.exceptions import ValidationError

    from eoffice.uploads import pdf_pages

    try:
        return pdf_pages(data)
    except ValidationError as exc:
        raise PdfaError(f"unreadable PDF: {exc.messages[0]}") from exc


def declares_pdfa(data: bytes) -> tuple[str, str] | None:
    """(part, conformance) of the XMP identification a PDF carries, e.g. ("2", "B"); None without."""
    match = re.search(
        rb"pdfaid:part\s*=\s*['\"](\d)['\"][^>]*?pdfaid:conformance\s*=\s*['\"]([ABU])['\"]", data
    )
    if match is None:
        match = re.search(rb"<pdfaid:part>(\d)</pdfaid:part>\s*<pdfaid:conformance>([ABU])<", data)
    return (match.group(1).decode(), match.group(2).decode()) if match else None
