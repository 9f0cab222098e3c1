"""The QR code of the public verification page: an SVG without style attributes that encodes the absolute
address EOFFICE_BASE_URL + /verify/<code>/ (no QR decoder is installed: the SVG's modules are read back
and compared with the matrix of the expected address)."""

import re

import pytest
import segno
from django.template import Context, Template
from django.urls import reverse

from signing import rules, services
from tests.signing.factories import PIN

pytestmark = pytest.mark.django_db


def svg_matrix(svg: str) -> list[list[int]]:
    """Read the dark modules back from segno's path ("M x y" then runs of "h n" / moves "m dx dy")."""
    view = re.search(r'viewBox="0 0 (\d+) (\d+)"', svg)
    scale = int(re.search(r"scale\((\d+)\)", svg).group(1))
    size = int(view.group(1)) // scale
    grid = [[0] * size for _ in range(size)]
    path = re.search(r'class="signing-qr-dark"[^>]* d="([^"]+)"', svg).group(1)
    x = y = 0.0
    for op, args in re.findall(r"([MmHhVv])([-\d. ]+)", path):
        nums = [float(n) for n in args.split()]
        if op == "M":
            x, y = nums
        elif op == "m":
            x, y = x + nums[0], y + nums[1]
        elif op == "h":
            for i in range(int(nums[0])):
                grid[int(y)][int(x) + i] = 1
            x += nums[0]
    return grid


def expected_matrix(url: str, border: int = 2) -> list[list[int]]:
    qr = segno.make(url, error="m", micro=False)
    return [[1 if v else 0 for v in row] for row in qr.matrix_iter(border=border)]


def test_qr_svg_encodes_the_absolute_public_url(settings):
    settings.EOFFICE_BASE_URL = "https://vanban.example.gov.vn"
    svg = rules.verification_qr_svg("AbC-123_xyz")
    url = "https://vanban.example.gov.vn/verify/AbC-123_xyz/"
    assert rules.verification_url("AbC-123_xyz") == url
    assert svg.startswith("<svg") and "style=" not in svg and "<script" not in svg.lower()
    assert 'class="signing-qr"' in svg and "<title>Mã QR tra cứu văn bản</title>" in svg
    assert svg_matrix(svg) == expected_matrix(url)
    assert svg_matrix(svg) != expected_matrix(url.replace("xyz", "xyZ"))


def test_template_tag_and_public_page_show_the_qr(client, settings, sample, leader_a, leader_credential):
    settings.EOFFICE_BASE_URL = "https://vanban.example.gov.vn"
    html = Template("{% load signing_tags %}{% verification_qr code %}").render(Context({"code": "abc"}))
    assert html.startswith("<svg") and "&lt;" not in html
    signed = services.sign_pdf_bytes(
        data=sample, credential=leader_credential, pin=PIN, by=leader_a, kind="leader"
    )
    code = services.register_public_verification(signed.data, "Quyết định 15/QĐ-SKHĐT")
    body = client.get(reverse("public_verify", args=[code])).content.decode()
    assert 'class="signing-qr"' in body and f"https://vanban.example.gov.vn/verify/{code}/" in body
    assert "style=" not in body
    svg = body[body.index("<svg role") : body.index("</svg>") + 6]
    assert svg_matrix(svg) == expected_matrix(f"https://vanban.example.gov.vn/verify/{code}/")


def test_verify_upload_of_an_issued_file_shows_its_code_and_qr(
    login, officer_a, sample, leader_a, leader_credential
):
    import io

    signed = services.sign_pdf_bytes(
        data=sample, credential=leader_credential, pin=PIN, by=leader_a, kind="leader"
    )
    code = services.register_public_verification(signed.data, "Quyết định 16/QĐ-SKHĐT")
    upload = io.BytesIO(signed.data)
    upload.name = "qd.pdf"
    body = login(officer_a).post(reverse("signing:verify"), {"file": upload}).content.decode()
    assert code in body and 'class="signing-qr"' in body and "Quyết định 16/QĐ-SKHĐT" in body
