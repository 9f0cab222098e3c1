"""An attachment's bytes from its ``ContentTransferEncoded`` text: base64, then the ZIP opened safely.

Limits (Django settings, with defaults): ``EXCHANGE_MAX_ATTACHMENT_BYTES`` per file (50 MB),
``EXCHANGE_MAX_ATTACHMENTS_TOTAL_BYTES`` for a package (200 MB, passed in as ``budget``),
``EXCHANGE_MAX_ZIP_RATIO`` (100) for files over 1 MB, ``EXCHANGE_MAX_ZIP_MEMBERS`` (1000). A member is read
in chunks and the limits are checked on what is read, not on what the ZIP header claims. No absolute path,
no ``..``, no encryption. A ZIP of several files gives the one named like the attachment. The type of a
file comes from its content (``sniff``).
"""

from __future__ import annotations

import base64
import binascii
import io
import mimetypes
import re
import zipfile
import zlib
from pathlib import PurePosixPath

from django.conf import settings

from documents.exchange.edxml import messages as m
from documents.exchange.edxml.types import EdxmlError, Notice

MB = 1024 * 1024
_WRAPPER_TYPES = {"", "application/zip", "application/x-zip-compressed", "application/octet-stream"}


def limit_setting(name: str, default: int) -> int:
    """A size limit from the Django settings (``EXCHANGE_…``), or its default."""
    return int(getattr(settings, name, default))


def sniff(data: bytes, name: str = "") -> str:
    """The content type of a file from its first bytes (the name only tells OLE and ZIP formats apart)."""
    suffix = PurePosixPath(name.lower()).suffix
    if data[:1024].lstrip().startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"PK\x03\x04"):
        return _sniff_zip(data, suffix)
    if data.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return {
            ".xls": "application/vnd.ms-excel",
            ".ppt": "application/vnd.ms-powerpoint",
        }.get(suffix, "application/msword")
    for magic, kind in (
        (b"\x89PNG", "image/png"),
        (b"\xff\xd8\xff", "image/jpeg"),
        (b"GIF8", "image/gif"),
        (b"II*\x00", "image/tiff"),
        (b"MM\x00*", "image/tiff"),
        (b"{\\rtf", "application/rtf"),
    ):
        if data.startswith(magic):
            return kind
    head = data[:64].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<?xml") or head.startswith(b"<"):
        return "application/xml"
    return "application/octet-stream"


def _sniff_zip(data: bytes, suffix: str) -> str:
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except Exception:  # a broken ZIP raises a zoo of types; _unzip refuses it properly
        return "application/zip"
    if "mimetype" in names and "META-INF/manifest.xml" in names:
        return {
            ".odt": "application/vnd.oasis.opendocument.text",
            ".ods": "application/vnd.oasis.opendocument.spreadsheet",
        }.get(suffix, "application/vnd.oasis.opendocument.text")
    if "[Content_Types].xml" not in names:
        return "application/zip"  # a plain ZIP (the wrapper), whatever its folders are called
    for folder, kind in (
        ("word/", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("xl/", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("ppt/", "application/vnd.openxmlformats-officedocument.presentationml.presentation"),
    ):
        if any(n.startswith(folder) for n in names):
            return kind
    return "application/zip"


def _b64(text: str, name: str) -> bytes:
    compact = re.sub(r"\s+", "", text)
    limit = limit_setting("EXCHANGE_MAX_PACKAGE_BYTES", 50 * MB)
    if len(compact) > limit * 4 // 3 + 4:
        raise m.error("attachment_too_large", name=name, limit=limit)
    try:
        return base64.b64decode(compact, validate=True)
    except (binascii.Error, ValueError):
        raise m.error("attachment_base64", name=name) from None


def _safe_member(info: zipfile.ZipInfo, name: str) -> None:
    path = info.filename.replace("\\", "/")
    if path.startswith("/") or re.match(r"^[A-Za-z]:", path) or ".." in PurePosixPath(path).parts:
        raise m.error("zip_traversal", name=name, path=info.filename[:120])
    if info.flag_bits & 0x1:
        raise m.error("zip_encrypted", name=name)


def _read_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, name: str, budget: int) -> bytes:
    """Read one member in chunks, never more than the limits allow, whatever the header claims."""
    per_file = limit_setting("EXCHANGE_MAX_ATTACHMENT_BYTES", 50 * MB)
    ratio = limit_setting("EXCHANGE_MAX_ZIP_RATIO", 100)
    cap = min(per_file, budget)
    out = bytearray()
    with archive.open(info) as handle:
        while chunk := handle.read(256 * 1024):
            out += chunk
            if len(out) > cap:
                code = "attachments_too_large" if budget < per_file else "attachment_too_large"
                if len(out) > MB and len(out) > ratio * max(info.compress_size, 1):
                    raise m.error("zip_bomb", name=name)
                raise m.error(code, name=name, limit=cap)
            if len(out) > MB and len(out) > ratio * max(info.compress_size, 1):
                raise m.error("zip_bomb", name=name)
    return bytes(out)


def _unzip(raw: bytes, name: str, budget: int, notices: list[Notice]) -> tuple[str, bytes]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        infos = [i for i in archive.infolist() if not i.is_dir()]
    except Exception:  # BadZipFile, EOFError, struct.error …: all mean a broken ZIP
        raise m.error("zip_invalid", name=name) from None
    if len(infos) > limit_setting("EXCHANGE_MAX_ZIP_MEMBERS", 1000):
        raise m.error("zip_too_many", name=name)
    for info in infos:
        _safe_member(info, name)
    if not infos:
        raise m.error("zip_empty", name=name)
    chosen = infos[0]
    if len(infos) > 1:
        matching = [i for i in infos if PurePosixPath(i.filename.replace("\\", "/")).name == name]
        if not matching:
            raise m.error("zip_ambiguous", name=name)
        chosen = matching[0]
    try:
        data = _read_member(archive, chosen, name, budget)
    except EdxmlError:
        raise
    except (zipfile.BadZipFile, zlib.error, ValueError, OSError, EOFError, NotImplementedError, RuntimeError):
        raise m.error("zip_invalid", name=name) from None
    inner = PurePosixPath(chosen.filename.replace("\\", "/")).name
    if name and inner != name:
        notices.append(m.notice("attachment_name_differs", inner=inner[:120], name=name[:120]))
    return inner, data


def unpack(text: str, *, name: str, budget: int, notices: list[Notice]) -> bytes:
    """The file carried by ``text`` (base64 of a ZIP holding it; a bare file is taken with a Notice)."""
    raw = _b64(text, name)
    if not raw:
        raise m.error("attachment_empty", name=name)
    if raw.startswith(b"PK\x05\x06") or (
        raw.startswith(b"PK\x03\x04") and sniff(raw, name) == "application/zip"
    ):
        data = _unzip(raw, name, budget, notices)[1]
    else:
        notices.append(m.notice("attachment_not_zipped", name=name[:120]))
        data = raw
        limit = min(budget, limit_setting("EXCHANGE_MAX_ATTACHMENT_BYTES", 50 * MB))
        if len(data) > limit:
            raise m.error("attachment_too_large", name=name, limit=limit)
    if not data:
        raise m.error("attachment_empty", name=name)
    return data


def check_declared(declared: str, actual: str, name: str, notices: list[Notice]) -> None:
    """A Notice when the declared type (or, for a ZIP wrapper, the name's) disagrees with the content."""
    declared = declared.strip().lower()
    if declared in _WRAPPER_TYPES:
        declared = mimetypes.guess_type(name)[0] or ""
    if declared and declared != actual:
        notices.append(m.notice("attachment_type_differs", name=name[:120], declared=declared, actual=actual))
