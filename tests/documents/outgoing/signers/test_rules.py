"""The prefix rules of documents.outgoing.signers: each prefix allowed and refused, records valid, expired,
revoked, out of scope, and another agency's records ignored."""

from __future__ import annotations

from datetime import date

import pytest
from django.utils import timezone

from documents.outgoing.models import OutgoingDocument
from documents.outgoing.signers import allowed_signers, authority_problem, authorization_for, is_deputy
from tests.documents.outgoing.signers.conftest import doc_type, grant

pytestmark = pytest.mark.django_db
DAY = date(2026, 12, 7)


def names(qs) -> set[str]:
    return {u.full_name for u in qs}


def doc(org, signer, prefix, type_name="Công văn"):
    return OutgoingDocument(
        agency=org["head"].agency, doc_type=doc_type(type_name), signer=signer, signer_authority=prefix
    )


def test_deputy_is_read_from_the_position():
    class P:
        def __init__(self, position):
            self.position = position

    assert is_deputy(P("Phó Giám đốc")) and is_deputy(P("PHÓ CHỦ TỊCH")) and is_deputy(P("Pho\u0301 Chánh"))
    assert not is_deputy(P("Giám đốc")) and not is_deputy(P("Phòng viên")) and not is_deputy(P(""))


def test_places_without_records(org, agency_a):
    allowed = lambda prefix: names(  # noqa: E731
        allowed_signers(document_or_agency=agency_a, authority=prefix, on=DAY)
    )
    assert allowed("") == {"Vũ Đức Thắng"}
    assert allowed("TM.") == {"Vũ Đức Thắng", "Ngô Thị Lan Anh"}
    assert allowed("KT.") == {"Ngô Thị Lan Anh"}
    assert allowed("TL.") == {"Bùi Văn Hải"}
    assert allowed("Q.") == set() and allowed("TUQ.") == set()
    assert allowed("XX.") == set()


def test_no_prefix_refuses_a_deputy_and_kt_refuses_the_head(org):
    assert authority_problem(document=doc(org, org["head"], ""), on=DAY) is None
    problem = authority_problem(document=doc(org, org["deputy"], ""), on=DAY)
    assert "Ngô Thị Lan Anh" in problem and "người đứng đầu" in problem
    assert authority_problem(document=doc(org, org["deputy"], "KT."), on=DAY) is None
    assert "KT." in authority_problem(document=doc(org, org["head"], "KT."), on=DAY)
    assert authority_problem(document=doc(org, org["deputy"], "TM."), on=DAY) is None
    assert authority_problem(document=doc(org, org["unit_head"], "TM."), on=DAY) is not None
    assert authority_problem(document=doc(org, None, "TUQ."), on=DAY) is None  # no signer yet


def test_tl_for_unit_heads_until_the_agency_keeps_records(org, agency_a):
    assert authority_problem(document=doc(org, org["unit_head"], "TL."), on=DAY) is None
    assert authority_problem(document=doc(org, org["unit_deputy"], "TL."), on=DAY) is not None
    assert authority_problem(document=doc(org, org["officer"], "TL."), on=DAY) is not None
    # Once TL. is given by records, only a valid record allows it (a deputy of the unit included).
    record = grant(org, authority="TL.", grantee=org["unit_deputy"], authority_title="GIÁM ĐỐC")
    assert names(allowed_signers(document_or_agency=agency_a, authority="TL.", on=DAY)) == {"Lê Thị Thu"}
    assert authority_problem(document=doc(org, org["unit_head"], "TL."), on=DAY) is not None
    assert authority_problem(document=doc(org, org["unit_deputy"], "TL."), on=DAY) is None
    assert (
        authorization_for(user=org["unit_deputy"], authority="TL.", doc_type=doc_type("Công văn"), on=DAY)
        == record
    )


def test_tuq_needs_a_valid_record_within_its_period(org):
    document = doc(org, org["unit_head"], "TUQ.")
    assert "ủy quyền" in authority_problem(document=document, on=DAY)
    record = grant(
        org, authority="TUQ.", grantee=org["unit_head"], start=date(2026, 12, 1), end=date(2026, 12, 10)
    )
    assert authority_problem(document=document, on=DAY) is None
    assert authority_problem(document=document, on=date(2026, 12, 10)) is None
    assert authorization_for(user=org["unit_head"], authority="TUQ.", doc_type=None, on=DAY) == record
    expired = authority_problem(document=document, on=date(2026, 12, 11))
    assert "15/QĐ-SKHĐT" in expired and "hết hiệu lực" in expired and "10/12/2026" in expired
    early = authority_problem(document=document, on=date(2026, 11, 30))
    assert "chỉ có hiệu lực từ ngày 01/12/2026" in early
    assert (
        authorization_for(user=org["unit_head"], authority="TUQ.", doc_type=None, on=date(2026, 12, 11))
        is None
    )


def test_revoked_record_refused(org):
    record = grant(org, authority="Q.", grantee=org["deputy"], end=None)
    document = doc(org, org["deputy"], "Q.")
    assert authority_problem(document=document, on=DAY) is None  # no end date: open
    record.revoked_at = timezone.now()
    record.revoked_by = org["head"]
    record.save()
    problem = authority_problem(document=document, on=DAY)
    assert "chấm dứt" in problem
    assert authorization_for(user=org["deputy"], authority="Q.", doc_type=None, on=DAY) is None


def test_doc_type_scope(org, agency_a):
    decision, letter = doc_type("Quyết định", "QĐ"), doc_type("Công văn")
    grant(org, authority="TUQ.", grantee=org["unit_head"], types=[letter])
    assert authority_problem(document=doc(org, org["unit_head"], "TUQ.", "Công văn"), on=DAY) is None
    problem = authority_problem(document=doc(org, org["unit_head"], "TUQ.", "Quyết định"), on=DAY)
    assert "không bao gồm loại văn bản Quyết định" in problem
    assert (
        names(allowed_signers(document_or_agency=agency_a, authority="TUQ.", doc_type=decision, on=DAY))
        == set()
    )
    assert names(allowed_signers(document_or_agency=agency_a, authority="TUQ.", doc_type=letter, on=DAY)) == {
        "Bùi Văn Hải"
    }


def test_kt_record_lets_a_non_deputy_sign(org, agency_a):
    grant(org, authority="KT.", grantee=org["unit_head"], authority_title="GIÁM ĐỐC")
    assert names(allowed_signers(document_or_agency=agency_a, authority="KT.", on=DAY)) == {
        "Ngô Thị Lan Anh",
        "Bùi Văn Hải",
    }
    assert authority_problem(document=doc(org, org["unit_head"], "KT."), on=DAY) is None


def test_other_agency_record_ignored(org, agency_a, agency_b):
    # A record kept by agency B naming a person of A, and one of A naming B's leader: neither counts.
    grant(org, authority="TUQ.", grantee=org["unit_head"], agency=agency_b)
    grant(org, authority="Q.", grantee=org["leader_b"], agency=agency_a)
    assert authority_problem(document=doc(org, org["unit_head"], "TUQ."), on=DAY) is not None
    assert authorization_for(user=org["unit_head"], authority="TUQ.", doc_type=None, on=DAY) is None
    assert names(allowed_signers(document_or_agency=agency_a, authority="Q.", on=DAY)) == set()
    assert names(allowed_signers(document_or_agency=agency_b, authority="TUQ.", on=DAY)) == set()


def test_inactive_and_foreign_signers_refused(org):
    assert "không phải cán bộ" in authority_problem(document=doc(org, org["leader_b"], ""), on=DAY)
    org["head"].is_active = False
    org["head"].save()
    assert authority_problem(document=doc(org, org["head"], ""), on=DAY) is not None
