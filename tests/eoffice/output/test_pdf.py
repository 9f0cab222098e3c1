"""eoffice.output.pdf: WeasyPrint with the shipped fonts, one font configuration per process, a fetcher that
reads the fonts and the folders it is given and nothing else."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from eoffice.output import pdf


def _fonts_of(content: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(content)).pages:
        for font in page["/Resources"]["/Font"].values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


def test_write_uses_the_shipped_liberation_serif():
    content = pdf.write("<p style=\"font-family: 'Liberation Serif'\">Cộng hòa xã hội chủ nghĩa Việt Nam</p>")
    assert content.startswith(b"%PDF")
    assert {name.split("+")[-1] for name in _fonts_of(content)} == {"Liberation-Serif"}
    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert "Cộng hòa xã hội chủ nghĩa Việt Nam" in text


def test_one_font_configuration_and_stylesheets_parsed_once():
    assert pdf.fonts() is pdf.fonts()
    assert pdf.header_stylesheet() is pdf.header_stylesheet()


def test_the_fetcher_reads_the_fonts_and_the_given_folders_only(tmp_path):
    allowed = tmp_path / "css"
    allowed.mkdir()
    (allowed / "a.css").write_text("p { color: red; }")
    (tmp_path / "secret.txt").write_text("secret")
    fetcher = pdf.fetcher(allowed)
    assert fetcher.fetch(pdf.font_path("Bold").as_uri())
    assert fetcher.fetch((allowed / "a.css").as_uri())
    for url in (
        "http://192.0.2.1/x.png",
        "https://example.com/a.css",
        "file:///etc/passwd",
        (tmp_path / "secret.txt").as_uri(),
        (allowed / ".." / "secret.txt").as_uri(),
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_a_document_cannot_fetch_what_it_names(tmp_path):
    secret = tmp_path / "secret.png"
    secret.write_bytes(b"not an image")
    html = f'<p>Nội dung</p><img src="http://192.0.2.1/x.png"><img src="{secret.as_uri()}">'
    content = pdf.write(html)  # the images are left out, the document is still written
    assert "Nội dung" in PdfReader(io.BytesIO(content)).pages[0].extract_text()


def test_template_file_finds_a_stylesheet_among_the_templates():
    path = pdf.template_file("documents/outgoing/pdf/nd30.css")
    assert path.is_file() and path.name == "nd30.css"
    from django.template import TemplateDoesNotExist

    with pytest.raises(TemplateDoesNotExist):
        pdf.template_file("eoffice/output/missing.css")


def _png(color=(200, 30, 30)) -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (12, 12), color).save(buffer, format="PNG")
    return buffer.getvalue()


def test_write_page_sizes_the_page_and_reads_inline_images_only(tmp_path):
    import base64

    inline = "data:image/png;base64," + base64.b64encode(_png()).decode("ascii")
    secret = tmp_path / "secret.png"
    secret.write_bytes(_png((0, 0, 200)))
    html = (
        "<p style=\"font-family: 'Liberation Serif'\">Chữ ký số</p>"
        f'<img src="{inline}"><img src="{secret.as_uri()}"><img src="http://192.0.2.1/x.png">'
    )
    content = pdf.write_page(html, width=250, height=40)
    page = PdfReader(io.BytesIO(content)).pages[0]
    assert [round(float(v), 2) for v in page.mediabox] == [0, 0, 250, 40]
    assert {name.split("+")[-1] for name in _fonts_of(content)} == {"Liberation-Serif"}
    assert "Chữ ký số" in page.extract_text()
    assert len(page.images) == 1  # the inline one; the file and the address are not read
    with pytest.raises(ValueError):  # the other writers' fetcher takes no data: URI
        pdf.fetcher().fetch(inline)
