"""Hostile uploads, built cheaply: a PNG that claims a huge picture, a truncated PDF, a zip bomb named
.docx. Each is made once per test run (cached) and stays small in memory."""

from __future__ import annotations

import functools
import io
import struct
import zipfile
import zlib

from django.core.files.uploadedfile import SimpleUploadedFile

MB = 1024 * 1024


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


@functools.cache
def png_bomb_bytes(width: int = 20000, height: int = 20000) -> bytes:
    """A valid 1-bit palette PNG of ``width`` × ``height`` transparent pixels (a decompression bomb:
    some 10-50 kB on disk). The rows of zeros are compressed in slices, never held whole."""
    row = b"\0" * (1 + (width + 7) // 8)  # filter byte + 1 bit per pixel
    compressor = zlib.compressobj(9)
    idat = bytearray()
    block = row * 500
    for start in range(0, height, 500):
        idat += compressor.compress(block if start + 500 <= height else row * (height - start))
    idat += compressor.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 1, 3, 0, 0, 0)  # bit depth 1, colour type 3 (palette)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _chunk(b"IHDR", ihdr)
        + _chunk(b"PLTE", b"\x00\x00\xff\x14\x28\xc8")
        + _chunk(b"tRNS", b"\x00")  # palette entry 0 is fully transparent
        + _chunk(b"IDAT", bytes(idat))
        + _chunk(b"IEND", b"")
    )


def png_bomb(name: str = "scan.png", width: int = 20000, height: int = 20000) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bomb_bytes(width, height), content_type="image/png")


def truncated_pdf_bytes() -> bytes:
    """The first 100 bytes of a real PDF: the header and the start of its first object."""
    data = (
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
        b"2 0 obj\n<< /Type /Pages /Kids [3 0 R] /Count 1 >>\nendobj\n"
    )
    return data[:100]


def truncated_pdf(name: str = "bao-cao.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, truncated_pdf_bytes(), content_type="application/pdf")


@functools.cache
def zip_bomb_bytes(unpacked: int = 200 * MB) -> bytes:
    """A .docx-shaped zip whose one big member is ``unpacked`` bytes of zeros (some 200 kB packed),
    written through zipfile's streaming writer in 1 MB slices."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", '<?xml version="1.0"?><w:document/>')
        zeros = b"\0" * MB
        with archive.open("word/media/image1.bin", "w", force_zip64=True) as member:
            for _ in range(unpacked // MB):
                member.write(zeros)
    return out.getvalue()


def zip_bomb(name: str = "bien-ban.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name,
        zip_bomb_bytes(),
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )


def docx_bytes(text: str = "Biên bản họp") -> bytes:
    """A small, sound .docx (the members Word needs to open it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="xml" ContentType="application/xml"/></Types>',
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?>'
            '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">'
            f"<w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>",
        )
    return out.getvalue()


def small_pdf_bytes() -> bytes:
    """A sound one-page PDF (a blank 10 × 10 page drawn by Pillow)."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("1", (10, 10), 1).save(out, format="PDF")
    return out.getvalue()
