# ruff: noqa: F811
"""Complaint cases in case files (kind "complaint"): registration, who may file a case (access and
visible_ids), the Phần II snapshot that never carries the protected denouncer's identity, the files in the
order they were made (a protected case: the redacted copies only), and filing from the case's page."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import asdict

import pytest
from django.core.files.base import ContentFile
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from complaints import records, services
from complaints.models import (
    Case,
    CaseDocument,
    CaseKind,
    CaseMember,
    CaseState,
    CaseStep,
    FormCode,
    LetterFile,
)
from documents.records import kinds
from tests.complaints.conftest import (  # noqa: F401
    COMPLAINANT,
    DENOUNCER,
    _signing_settings,
    authority,
    make_case,
    office,
    org,
    pki_dir,
)
from tests.complaints.redaction_helpers import NAME_BOX, pdf_text, protected_letter
from tests.onestop.conftest import pdf_bytes
from tests.records_kinds.helpers import file_through_page, open_file
from tests.records_kinds.outgoing import issued_outgoing

pytestmark = pytest.mark.django_db

IDENTITY = [DENOUNCER.name, DENOUNCER.id_number, DENOUNCER.address, DENOUNCER.phone, DENOUNCER.email]


def _step(case, by, kind, title, data: bytes, name: str, at):
    step = CaseStep(case=case, kind=kind, title=title, created_by=by, created_at=at)
    step.sha256 = hashlib.sha256(data).hexdigest()
    step.file_name = name
    step.file.save(f"{step.sha256[:16]}-{kind}", ContentFile(data), save=False)
    step.save()
    return step


def _decision(case, org, *, at, symbol="12/QĐ-SKHĐT", form=FormCode.DENUNCIATION_CONCLUSION):
    document, sealed = issued_outgoing(
        agency=case.agency,
        by=org["chief"],
        type_name="Kết luận",
        abbreviation="KL",
        symbol=symbol,
        summary="Kết luận nội dung tố cáo",
        pdf=pdf_bytes("Kết luận nội dung tố cáo"),
        at=at,
    )
    CaseDocument.objects.create(
        case=case, form=form, document=document, issued_at=at, created_by=org["chief"]
    )
    return document, sealed


def _protected_case(org):
    letter, scan = protected_letter(org)
    copy = services.letter_redact(source=scan, boxes=[NAME_BOX], by=org["reception"])
    case = letter.cases.get()
    return case, scan, copy


def test_the_complaint_kind_is_the_case():
    kind = kinds.get("complaint")
    assert kind.model is Case
    assert kind.access is records.access
    assert kinds.key_for(Case()) == "complaint"


def test_access_for_those_who_work_on_the_case(org):
    case = make_case(org)
    kind = kinds.get("complaint")
    for who in ("reception", "verifier", "chief", "leader"):  # the inspectorate and the decider
        assert kind.access(org[who], case.pk) == case
    for who in ("other_b", "clerk", "officer", "outsider"):  # another agency; the agency's uninvolved people
        with pytest.raises(Http404):
            kind.access(org[who], case.pk)
    with pytest.raises(Http404):
        kind.access(org["reception"], case.pk + 1000)


def test_a_team_member_sees_the_case_but_only_the_lead_files_it(org):
    case = make_case(org)
    CaseMember.objects.create(case=case, user=org["officer"], role=CaseMember.Role.MEMBER)
    CaseMember.objects.create(case=case, user=org["outsider"], role=CaseMember.Role.LEAD)
    assert Case.visible_to(org["officer"]).filter(pk=case.pk).exists()
    with pytest.raises(Http404):
        records.access(org["officer"], case.pk)
    assert records.access(org["outsider"], case.pk) == case
    assert records.file_this(user=org["officer"], case=case) is None


def test_visible_ids_in_one_query(org, django_assert_num_queries):
    from complaints import rules

    mine = make_case(org, handler=org["officer"])
    other = make_case(org, content="Khiếu nại về bồi thường khi thu hồi đất")
    member = make_case(org, content="Kiến nghị về thủ tục")
    CaseMember.objects.create(case=member, user=org["officer"], role=CaseMember.Role.MEMBER)
    ids = [mine.pk, other.pk, member.pk, member.pk + 1000]
    kind = kinds.get("complaint")
    for who, expected in (("officer", {mine.pk}), ("reception", {mine.pk, other.pk, member.pk})):
        user = org[who]
        rules.is_staff_of(user)  # the person's standing and roles: read once per request, kept on the user
        user.has_role("leader")
        with django_assert_num_queries(1):
            assert kind.visible_ids(user, ids) == expected
    assert kind.visible_ids(org["other_b"], ids) == set()
    assert kind.visible_ids(org["clerk"], ids) == set()


def test_snapshot_fields(org):
    case = make_case(org, content="Khiếu nại quyết định thu hồi đất số 15/QĐ-UBND")
    Case.objects.filter(pk=case.pk).update(state=CaseState.CLOSED, outcome="accept")
    case.refresh_from_db()
    snap = kinds.get("complaint").snapshot(case)
    assert snap.type_name == "Hồ sơ giải quyết khiếu nại"
    assert snap.code_notation == case.code
    assert snap.issued_date == case.letter.received_on
    assert snap.sort_date == timezone.make_aware(dt.datetime.combine(case.letter.received_on, dt.time.min))
    assert snap.organ_name == org["agency"].name
    assert snap.subject == "Khiếu nại: Khiếu nại quyết định thu hồi đất số 15/QĐ-UBND"
    assert f"Đơn số {case.letter.number}/{case.letter.year}" in snap.description
    assert snap.page_amount is None  # no file yet


def test_an_intake_exit_is_a_letter_handling_file(org):
    case = make_case(org, state=CaseState.GUIDED)
    assert kinds.get("complaint").snapshot(case).type_name == "Hồ sơ xử lý đơn"


def test_a_protected_case_snapshot_never_names_the_denouncer(org):
    case, _scan, _copy = _protected_case(org)
    Case.objects.filter(pk=case.pk).update(state=CaseState.CLOSED, result_summary="Tố cáo đúng một phần")
    case.refresh_from_db()
    snap = kinds.get("complaint").snapshot(case)
    text = " ".join(str(value) for value in asdict(snap).values())
    for secret in IDENTITY:
        assert secret not in text
    assert snap.type_name == "Hồ sơ giải quyết tố cáo"
    assert "Giữ bí mật người tố cáo" in snap.description
    assert snap.page_amount == 2  # the redacted copy of the two-page letter


def test_a_protected_case_files_the_redacted_copies_only(org):
    case, scan, copy = _protected_case(org)
    base = timezone.now()
    _step(case, org["chief"], CaseStep.Kind.PLAN, "Kế hoạch xác minh", pdf_bytes("Kế hoạch"), "kh.pdf", base)
    _step(
        case,
        org["chief"],
        CaseStep.Kind.EVIDENCE,
        "Tài liệu người tố cáo nộp",
        pdf_bytes("Chứng cứ"),
        "cc.pdf",
        base,
    )
    _decision(case, org, at=base + dt.timedelta(minutes=5))
    files = kinds.get("complaint").files(case)
    assert [f.caption for f in files] == [
        "Bản đã che thông tin người tố cáo",
        "Kế hoạch xác minh: Kế hoạch xác minh",
        "Kết luận nội dung tố cáo số 12/QĐ-SKHĐT",
    ]
    with copy.file.open("rb") as handle:
        assert files[0].read() == handle.read()
    assert files[0].sha256 == copy.sha256 != scan.sha256
    for record_file in files:
        data = record_file.read()
        assert data.startswith(b"%PDF")
        for secret in IDENTITY:
            assert secret not in pdf_text(data)


def test_a_protected_original_without_a_redacted_copy_is_left_out(org):
    letter, _scan = protected_letter(org)
    case = letter.cases.get()
    assert kinds.get("complaint").files(case) == []


def test_an_unprotected_case_files_letter_steps_and_decisions_in_order(org):
    case = make_case(org)
    letter_scan = services.letter_file_add(
        letter=case.letter,
        upload=ContentFile(pdf_bytes("Đơn khiếu nại"), name="don.pdf"),
        kind=LetterFile.Kind.LETTER,
        by=org["reception"],
    )
    base = timezone.now() + dt.timedelta(minutes=1)
    _decision(
        case, org, at=base + dt.timedelta(minutes=9), symbol="20/QĐ-SKHĐT", form=FormCode.COMPLAINT_DECISION
    )
    _step(
        case,
        org["chief"],
        CaseStep.Kind.REPORT,
        "Báo cáo kết quả xác minh",
        pdf_bytes("Báo cáo"),
        "bc.pdf",
        base + dt.timedelta(minutes=3),
    )
    _step(
        case,
        org["chief"],
        CaseStep.Kind.EVIDENCE,
        "Biên bản làm việc",
        b"\xff\xd8\xff\xe0 jpeg",
        "bb.jpg",
        base + dt.timedelta(minutes=2),
    )
    files = kinds.get("complaint").files(case)
    assert [(f.name, f.caption) for f in files] == [
        ("don-01.pdf", "Bản chụp đơn"),
        ("tai-lieu-01.jpg", "Thông tin, tài liệu, chứng cứ: Biên bản làm việc"),
        ("tai-lieu-02.pdf", "Báo cáo kết quả xác minh: Báo cáo kết quả xác minh"),
        ("20-qd-skhdt.pdf", "Quyết định giải quyết khiếu nại số 20/QĐ-SKHĐT"),
    ]
    assert files[0].read() == pdf_bytes("Đơn khiếu nại") and files[0].sha256 == letter_scan.sha256
    assert files[1].content_type == "image/jpeg"
    assert files[3].read() == pdf_bytes("Kết luận nội dung tố cáo")  # the sealed version, not the draft


def test_filing_a_closed_case_from_its_page(org, login):
    case, _scan, _copy = _protected_case(org)
    Case.objects.filter(pk=case.pk).update(state=CaseState.CLOSED)
    case.refresh_from_db()
    chief = org["chief"]
    case_file = open_file(chief, code="TTr-01", title="Hồ sơ giải quyết tố cáo năm 2026")
    client = login(chief)
    html = client.get(case.get_absolute_url()).content.decode()
    assert 'data-prominent="1"' in html
    item = file_through_page(
        client, page_url=case.get_absolute_url(), kind="complaint", object_id=case.pk, case_file=case_file
    )
    assert item.type_name == "Hồ sơ giải quyết tố cáo" and item.code_notation == case.code
    for value in (item.subject, item.description, item.organ_name):
        for secret in IDENTITY:
            assert secret not in value
    # the file's page: the item opens the case for the chief
    page = client.get(reverse("documents:casefile_detail", args=[case_file.pk])).content.decode()
    assert case.code in page


def test_a_team_member_gets_no_block_and_cannot_post(org, login):
    case = make_case(org, state=CaseState.CLOSED)
    CaseMember.objects.create(case=case, user=org["officer"], role=CaseMember.Role.MEMBER)
    case_file = open_file(org["officer"], code="KT-05")
    client = login(org["officer"])
    html = client.get(case.get_absolute_url()).content.decode()
    assert 'data-testid="file-this"' not in html
    client.post(
        reverse("documents:casefile_file_record"),
        {"kind": "complaint", "object_id": case.pk, "case_file": case_file.pk},
    )
    assert not case_file.items.exists()


def test_an_open_case_shows_the_block_not_prominent(org, login):
    case = make_case(org, kind=CaseKind.PETITION, content="Kiến nghị về thủ tục")
    client = login(org["reception"])
    html = client.get(case.get_absolute_url()).content.decode()
    assert 'data-testid="file-this"' in html and 'data-prominent="1"' not in html
