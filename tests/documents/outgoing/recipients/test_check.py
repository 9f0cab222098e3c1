"""The printed Nơi nhận beside the sending list: expansion, matching to the directory, both directions."""

from __future__ import annotations

import pytest

from documents.exchange.models import ExternalAgency
from documents.models import DocumentType
from documents.outgoing import recipients_check
from documents.outgoing.models import OutgoingDocument, OutgoingRecipient
from tests.factories import make_agency


def _doc(agency, *, addressees="", distribution="") -> OutgoingDocument:
    return OutgoingDocument(agency=agency, addressees=addressees, distribution=distribution)


def _to(agency=None, *, external=None, name="") -> OutgoingRecipient:
    if agency is not None:
        return OutgoingRecipient(agency=agency, name=agency.name, channel="internal")
    if external is not None:
        return OutgoingRecipient(external_agency=external, name=external.name, channel="exchange")
    return OutgoingRecipient(name=name, channel="paper")


def test_clean_drops_bullets_punctuation_and_notes():
    assert recipients_check.clean("- Sở Tài chính;") == "Sở Tài chính"
    assert recipients_check.clean("+ UBND tỉnh (để báo cáo).") == "UBND tỉnh"
    assert recipients_check.clean("Kính gửi: Sở Y tế.") == "Sở Y tế"
    assert recipients_check.clean("  1. Sở  Nội vụ ,") == "Sở Nội vụ"


def test_key_folds_case_diacritics_and_abbreviations():
    assert recipients_check.key("- SỞ TƯ PHÁP;") == recipients_check.key("Sở Tư pháp")
    assert recipients_check.key("UBND tỉnh Hòa Bình") == recipients_check.key("Ủy ban nhân dân tỉnh Hoà Bình")
    assert recipients_check.key("Sở Lao động-Thương binh") == recipients_check.key(
        "Sở Lao động - Thương binh"
    )
    assert recipients_check.key("Sở Tư pháp") != recipients_check.key("Sở Tài chính")


def test_expand_replaces_as_above_and_drops_heading_and_archive(db):
    doc = _doc(
        None,
        addressees="Kính gửi:\n- Sở Tài chính;\n- Sở Tư pháp.",
        distribution="Nơi nhận:\n- Như trên;\n- UBND tỉnh (để b/c);\n- sở tài chính;\n- Lưu: VT, KHTH, 02b.",
    )
    assert recipients_check.expand_distribution(doc) == ["Sở Tài chính", "Sở Tư pháp", "UBND tỉnh"]


def test_expand_without_as_above_keeps_printed_lines_only(db):
    doc = _doc(None, addressees="Sở Tài chính", distribution="Lưu VT\nSở Y tế")
    assert recipients_check.expand_distribution(doc) == ["Sở Y tế"]


def test_reconcile_agrees_when_printed_and_sent_match(agency_a, agency_b):
    finance = make_agency(name="Sở Tài chính", abbreviation="STC")
    doc = _doc(agency_a, addressees=agency_b.name, distribution="Như trên;\n- SỞ TÀI CHÍNH.\n- Lưu: VT.")
    result = recipients_check.reconcile(document=doc, sending=[_to(agency_b), _to(finance)])
    assert result.ok
    assert result.missing_in_distribution == [] and result.not_delivered == []


def test_reconcile_names_a_recipient_not_printed(agency_a, agency_b):
    finance = make_agency(name="Sở Tài chính", abbreviation="STC")
    doc = _doc(agency_a, addressees=agency_b.name, distribution="Như trên")
    result = recipients_check.reconcile(
        document=doc, sending=[_to(agency_b), _to(finance), _to(name="Công ty Minh Phát")]
    )
    assert not result.ok
    assert result.missing_in_distribution == ["Sở Tài chính", "Công ty Minh Phát"]
    assert result.not_delivered == []


def test_reconcile_names_a_printed_directory_agency_not_sent(agency_a, agency_b):
    outside = ExternalAgency.objects.create(code="000.00.00.G09", name="Bộ Tư pháp", transport="loop")
    doc = _doc(agency_a, distribution=f"- {agency_b.abbreviation};\n- bộ tư pháp.\n- Giám đốc Sở")
    result = recipients_check.reconcile(document=doc, sending=[])
    assert result.not_delivered == [agency_b.abbreviation, "bộ tư pháp"]
    assert result.to_add == [agency_b, outside]
    assert not result.ok
    # a line naming nobody in the directory is not a recipient to deliver
    assert "Giám đốc Sở" in result.printed and "Giám đốc Sở" not in result.not_delivered


def test_reconcile_free_name_printed_is_fine(agency_a):
    doc = _doc(agency_a, distribution="- Công ty CP Minh Phát;")
    result = recipients_check.reconcile(document=doc, sending=[_to(name="CÔNG TY CP MINH PHÁT")])
    assert result.ok


def test_installation_agency_preferred_over_its_exchange_entry(agency_a, agency_b):
    ExternalAgency.objects.create(code=agency_b.code, name=agency_b.name, transport="loop")
    doc = _doc(agency_a, distribution=agency_b.name)
    result = recipients_check.reconcile(document=doc, sending=[])
    assert result.to_add == [agency_b]


def test_ambiguous_name_or_abbreviation_names_nobody(agency_a):
    make_agency(name="Ủy ban nhân dân huyện A", abbreviation="UBNDH")
    make_agency(name="Ủy ban nhân dân huyện B", abbreviation="UBNDH")
    doc = _doc(agency_a, distribution="UBNDH")
    assert recipients_check.reconcile(document=doc, sending=[]).not_delivered == []


def test_own_agency_is_not_a_recipient_to_add(agency_a):
    doc = _doc(agency_a, distribution=agency_a.name)
    assert recipients_check.reconcile(document=doc, sending=[]).not_delivered == []


def test_inactive_agency_not_matched(agency_a):
    make_agency(name="Sở Đã Giải Thể", is_active=False)
    doc = _doc(agency_a, distribution="Sở đã giải thể")
    assert recipients_check.reconcile(document=doc, sending=[]).ok


@pytest.mark.parametrize(
    "line",
    [
        "Sở Thông tin và Truyền thông",
        "- sở thông tin và truyền thông;",
        "SO THONG TIN VA TRUYEN THONG.",
        "STTTT",
    ],
)
def test_matching_variants(agency_a, agency_b, line):
    doc = _doc(agency_a, distribution=line)
    assert recipients_check.reconcile(document=doc, sending=[_to(agency_b)]).ok
    assert recipients_check.reconcile(document=doc, sending=[]).to_add == [agency_b]


def test_problem_sentence(agency_a, agency_b, officer_a):
    doc_type = DocumentType.objects.get_or_create(name="Công văn", defaults={"abbreviation": ""})[0]
    doc = _doc(agency_a, distribution="Như trên")
    doc.doc_type, doc.drafted_by = doc_type, officer_a
    doc.save()
    OutgoingRecipient.objects.create(document=doc, agency=agency_b, name=agency_b.name, channel="internal")
    assert "Sở Thông tin và Truyền thông" in recipients_check.problem(document=doc)
    doc.distribution = agency_b.name
    doc.save()
    assert recipients_check.problem(document=doc) is None
