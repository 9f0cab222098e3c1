"""signing.appearance: the stamp boxes, and the stamps rendered by the output layer (eoffice.output.pdf)."""

import datetime as dt
import io

import pytest
from pypdf import PdfReader

from signing import appearance
from tests.signing import samples

WHEN = dt.datetime(2026, 3, 2, 2, 15, 4, tzinfo=dt.UTC)


def test_seal_box_geometry():
    leader = appearance.leader_box(page=0, x1=300, y1=400, x2=480, y2=470)
    seal = appearance.seal_box_over(leader, width=102, height=102)
    assert seal.x2 == pytest.approx(360) and seal.width == pytest.approx(102)
    assert (seal.y1 + seal.y2) / 2 == pytest.approx(435)
    w, h = appearance.image_size_pt(samples.seal_png())
    assert w == pytest.approx(36 * 72 / 25.4, rel=0.02)


def _fonts(content: bytes) -> set[str]:
    resources = PdfReader(io.BytesIO(content)).pages[0]["/Resources"]
    fonts = resources.get("/Font")
    return {str(f.get_object()["/BaseFont"]).split("+")[-1] for f in fonts.values()} if fonts else set()


def test_stamps_are_one_page_of_the_box_with_the_shipped_font():
    box = samples.SIGNER_BOX
    leader = appearance.leader_stamp(
        box=box, signature_png=samples.signature_png(), signer_name="Nguyễn Văn An", when=WHEN
    )
    page = PdfReader(io.BytesIO(leader)).pages[0]
    assert [round(float(v), 2) for v in page.mediabox] == [0, 0, box.width, box.height]
    assert len(page.images) == 1  # the signature image, given inline
    assert "Ký ngày 02/03/2026 09:15:04" in page.extract_text()  # Vietnamese under a leader's image
    assert "+07:00" not in page.extract_text()
    assert _fonts(leader) == {"Liberation-Serif"}

    named = appearance.leader_stamp(box=box, signature_png=None, signer_name="Nguyễn Văn An", when=None)
    assert "Nguyễn Văn An" in PdfReader(io.BytesIO(named)).pages[0].extract_text()

    seal_box = appearance.seal_box_over(box, width=102, height=102)
    seal = PdfReader(io.BytesIO(appearance.seal_stamp(box=seal_box, seal_png=samples.seal_png()))).pages[0]
    assert len(seal.images) == 1

    text_box = appearance.StampBox(page=0, x1=300, y1=800, x2=550, y2=816)
    attachment = appearance.attachment_stamp(box=text_box, number_symbol="15/QĐ-SKHĐT", when=WHEN)
    assert (
        "15/QĐ-SKHĐT; 2026-03-02T09:15:04+07:00" in PdfReader(io.BytesIO(attachment)).pages[0].extract_text()
    )
    assert _fonts(attachment) == {"Liberation-Serif"}
