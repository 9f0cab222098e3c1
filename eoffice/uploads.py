"""One content check for every upload.

The kind of a file is read from its content (magic bytes, and the zip listing for Office files), never
from its name. Then the file itself is checked, cheaply and before anything else reads it:

- a PDF is opened and its pages counted; a damaged, truncated or password-protected one is refused;
- an image's pixel count is read from its header, before any decoding, and refused above a limit
  (a decompression bomb is a small file that claims a huge picture); then its structure is verified;
- an Office file (.docx, .xlsx) must be a sound zip whose unpacked size and compression ratio are
  sane (a zip bomb is a small file that unpacks to gigabytes) and which holds the members it needs.

Every form and service that accepts a file calls :func:`check_upload` (or one of the checks below for
data already read). Pillow's own limit (``Image.MAX_IMAGE_PIXELS``) is lowered here too, once, when the
core's models load, so that no code path decodes a bomb even if it skipped the check.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from collections.abc import Collection

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext as _
from PIL import Image

# An A4 page scanned at 600 dpi is 35 MP; at 300 dpi, the usual setting, 8.7 MP.
SCAN_MAX_PIXELS = 40_000_000
# A signature or a seal is a few hundred pixels across; 4 MP leaves room for a 2000 × 2000 scan.
STAMP_MAX_PIXELS = 4_000_000
# Several scans merged into one PDF are held in memory together (3 bytes a pixel).
MERGE_MAX_PIXELS = 200_000_000
# Office files: the sum of the members' unpacked sizes, the members' count, and the ratio (unpacked /
# packed) above which a large member is taken for a bomb. Real documents: text XML packs 5-30 times, so
# a large real spreadsheet of 8-10 MB unpacks to 60-100 MB; a zip bomb unpacks to gigabytes.
OFFICE_MAX_UNPACKED = 100 * 1024 * 1024
OFFICE_MAX_MEMBERS = 5000
OFFICE_MAX_RATIO = 200
OFFICE_RATIO_FROM = 5 * 1024 * 1024

# Pillow warns above this many pixels and refuses above twice as many, whoever opens the image.
Image.MAX_IMAGE_PIXELS = SCAN_MAX_PIXELS

IMAGE_KINDS = frozenset({"png", "jpeg", "gif", "webp"})
OFFICE_KINDS = frozenset({"docx", "xlsx"})
SCAN_KINDS = frozenset({"pdf", "png", "jpeg"})
ATTACHMENT_KINDS = frozenset({"pdf"}) | IMAGE_KINDS | OFFICE_KINDS

# The name's extension that goes with each kind, where a caller asks for the two to agree.
EXTENSIONS = {
    "pdf": "pdf",
    "png": "png",
    "jpg": "jpeg",
    "jpeg": "jpeg",
    "gif": "gif",
    "webp": "webp",
    "docx": "docx",
    "xlsx": "xlsx",
}

# The members without which an Office file cannot be opened.
OFFICE_MEMBERS = {
    "docx": ("[Content_Types].xml", "word/document.xml"),
    "xlsx": ("[Content_Types].xml", "xl/workbook.xml"),
}


def max_upload_bytes() -> int:
    return settings.EOFFICE_MAX_UPLOAD_MB * 1024 * 1024


# ---- the kind, by content -------------------------------------------------------------------------


def kind_of_head(head: bytes) -> str | None:
    """The kind that the first bytes announce; ``"zip"`` for any zip (an Office file or not)."""
    if head[:1024].lstrip().startswith(b"%PDF-"):
        return "pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if head.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "gif"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "webp"
    if head.startswith(b"PK\x03\x04"):
        return "zip"
    return None


def _office_kind(file) -> str | None:
    """docx or xlsx, from the zip's listing (the central directory only: nothing is unpacked)."""
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError):
        return None
    finally:
        file.seek(0)
    if "[Content_Types].xml" not in names:
        return None
    if any(n.startswith("word/") for n in names):
        return "docx"
    if any(n.startswith("xl/") for n in names):
        return "xlsx"
    return None


def sniff(file) -> str | None:
    """The kind of an open file by its content: pdf, png, jpeg, gif, webp, docx, xlsx, or None."""
    try:
        file.seek(0)
        head = file.read(1024)
    finally:
        file.seek(0)
    kind = kind_of_head(head)
    if kind == "zip":
        return _office_kind(file)
    return kind


# ---- the checks of each kind ----------------------------------------------------------------------


def pdf_pages(data: bytes) -> int:
    """Open the PDF and count its pages; a damaged, truncated or password-protected file is refused."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        encrypted = reader.encrypted
        pages = 0 if encrypted else int(reader.root["/Pages"]["/Count"])
    except Exception as exc:  # a damaged file raises many different exception types
        raise ValidationError(
            _("Tệp PDF bị hỏng, không đọc được. Vui lòng quét hoặc xuất lại tệp."), code="damaged"
        ) from exc
    if encrypted:
        raise ValidationError(
            _(
                "Tệp PDF được đặt mật khẩu (mã hóa). "
                "Vui lòng đề nghị nơi gửi cung cấp bản không đặt mật khẩu."
            ),
            code="encrypted",
        )
    if pages < 1:
        raise ValidationError(_("Tệp PDF không có trang nào."), code="damaged")
    return pages


def _too_many_pixels(max_pixels: int) -> ValidationError:
    return ValidationError(
        _(
            "Ảnh có kích thước quá lớn (tối đa %(mp)s triệu điểm ảnh). "
            "Vui lòng quét hoặc lưu lại ảnh ở độ phân giải thấp hơn (300 dpi là đủ)."
        )
        % {"mp": f"{max_pixels / 1_000_000:g}"},
        code="too_many_pixels",
    )


def image_size(file, *, max_pixels: int = SCAN_MAX_PIXELS) -> tuple[str, int, int]:
    """(format, width, height) of an image, read from its header without decoding the picture; refused
    above ``max_pixels``, or if its structure is damaged (Pillow's verify: PNG chunks and checksums)."""
    damaged = ValidationError(_("Ảnh bị hỏng, không đọc được."), code="damaged")
    try:
        file.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(file) as image:
                width, height = image.size
                fmt = image.format or ""
                if width < 1 or height < 1:
                    raise damaged
                if width * height > max_pixels:
                    raise _too_many_pixels(max_pixels)
                image.verify()
    except ValidationError:
        raise
    except Image.DecompressionBombError as exc:  # above twice Image.MAX_IMAGE_PIXELS: refused on open
        raise _too_many_pixels(max_pixels) from exc
    except Exception as exc:  # Pillow raises many types on a damaged file
        raise damaged from exc
    finally:
        file.seek(0)
    return fmt, width, height


def check_office(file, kind: str) -> None:
    """A sound zip, within the unpacked-size, member-count and ratio limits, holding the members that
    ``kind`` (docx, xlsx) needs. Then every member is read through (bounded by the checked sizes), so
    that a member whose data is damaged or longer than it claims is refused too."""
    damaged = ValidationError(
        _("Tệp Word/Excel bị hỏng, không đọc được. Vui lòng lưu lại tệp rồi thử lại."), code="damaged"
    )
    bomb = ValidationError(
        _(
            "Tệp Word/Excel khi giải nén lớn hơn %(mb)d MB hoặc có tỷ lệ nén bất thường; "
            "tệp không được nhận. Vui lòng lưu lại tệp (bỏ bớt ảnh lớn) rồi thử lại."
        )
        % {"mb": OFFICE_MAX_UNPACKED // (1024 * 1024)},
        code="zip_bomb",
    )
    try:
        file.seek(0)
        with zipfile.ZipFile(file) as archive:
            infos = archive.infolist()
            if len(infos) > OFFICE_MAX_MEMBERS:
                raise bomb
            if sum(info.file_size for info in infos) > OFFICE_MAX_UNPACKED:
                raise bomb
            for info in infos:
                if info.file_size > OFFICE_RATIO_FROM and info.file_size > OFFICE_MAX_RATIO * max(
                    info.compress_size, 1
                ):
                    raise bomb
            names = {info.filename for info in infos}
            if not all(member in names for member in OFFICE_MEMBERS[kind]):
                raise damaged
            for info in infos:
                if info.is_dir():
                    continue
                with archive.open(info) as member:  # stops at the declared size; checks the CRC
                    while member.read(1 << 20):
                        pass
    except ValidationError:
        raise
    except Exception as exc:  # BadZipFile, zlib.error, NotImplementedError (compression), EOFError...
        raise damaged from exc
    finally:
        file.seek(0)


# ---- the one check --------------------------------------------------------------------------------


def _bad_type(kinds: Collection[str]) -> ValidationError:
    if set(kinds) <= SCAN_KINDS:
        message = _("Chỉ chấp nhận tệp PDF hoặc ảnh quét (PNG, JPEG); kiểu tệp được kiểm tra theo nội dung.")
    elif set(kinds) <= IMAGE_KINDS:
        message = _("Tệp không phải là ảnh hợp lệ.")
    else:
        message = _("Chỉ chấp nhận tệp PDF, ảnh (PNG, JPEG, GIF, WEBP), Word (.docx) hoặc Excel (.xlsx).")
    return ValidationError(message, code="bad_type")


def check_upload(
    file,
    *,
    kinds: Collection[str] = ATTACHMENT_KINDS,
    max_pixels: int = SCAN_MAX_PIXELS,
    max_bytes: int | None = None,
    match_name: bool = True,
) -> str | None:
    """Check an uploaded file by content and return its kind (None for no file).

    ``kinds``: the kinds accepted here; ``max_pixels``: the images' limit; ``max_bytes``: the size limit
    (default EOFFICE_MAX_UPLOAD_MB); ``match_name``: the name's extension must agree with the content
    (a PDF named ``.docx`` is refused), as for attachments that people download and open."""
    if file is None:
        return None
    limit = max_upload_bytes() if max_bytes is None else max_bytes
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise ValidationError(
            _("Tệp không được lớn hơn %(mb)s MB.") % {"mb": f"{limit / (1024 * 1024):g}"}, code="too_large"
        )
    if size == 0:
        raise ValidationError(_("Tệp rỗng."), code="empty")
    kind = sniff(file)
    if kind is None or kind not in kinds:
        raise _bad_type(kinds)
    if match_name:
        name = getattr(file, "name", "") or ""
        extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
        if EXTENSIONS.get(extension) != kind:
            raise _bad_type(kinds)
    if kind == "pdf":
        try:
            file.seek(0)
            data = file.read()
        finally:
            file.seek(0)
        pdf_pages(data)
    elif kind in IMAGE_KINDS:
        image_size(file, max_pixels=max_pixels)
    elif kind in OFFICE_KINDS:
        check_office(file, kind)
    return kind


@deconstructible
class UploadValidator:
    """:func:`check_upload` as a form or model field validator."""

    def __init__(
        self,
        *,
        kinds: Collection[str] = ATTACHMENT_KINDS,
        max_pixels: int = SCAN_MAX_PIXELS,
        max_bytes: int | None = None,
        match_name: bool = True,
    ):
        self.kinds = frozenset(kinds)
        self.max_pixels = max_pixels
        self.max_bytes = max_bytes
        self.match_name = match_name

    def __call__(self, file) -> None:
        check_upload(
            file,
            kinds=self.kinds,
            max_pixels=self.max_pixels,
            max_bytes=self.max_bytes,
            match_name=self.match_name,
        )

    def __eq__(self, other) -> bool:
        return isinstance(other, UploadValidator) and vars(self) == vars(other)

    def __hash__(self) -> int:
        return hash((self.kinds, self.max_pixels, self.max_bytes, self.match_name))


class StampImageField(forms.ImageField):
    """An image field for signatures and seals: the pixel count is checked from the header before
    Django's ImageField opens the image, so a bomb gets a clear message."""

    def __init__(self, *args, max_pixels: int = STAMP_MAX_PIXELS, **kwargs):
        self.max_pixels = max_pixels
        super().__init__(*args, **kwargs)

    def to_python(self, data):
        if data and hasattr(data, "seek"):
            try:
                image_size(data, max_pixels=self.max_pixels)
            except ValidationError as exc:
                if exc.code == "too_many_pixels":
                    raise
        return super().to_python(data)
