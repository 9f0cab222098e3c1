# ruff: noqa: F811
"""One-stop dossiers in case files (kind "dossier"): registration, access, visibility in one query, the
Phần II snapshot, the files in the order they were made, and filing from the dossier's page."""

from __future__ import annotations

import pytest
from django.http import Http404

from documents.records import kinds
from eoffice.models import Role
from onestop import records
from onestop.models import Dossier, DossierState
from tests.factories import make_user
from tests.onestop.conftest import (  # noqa: F401
    advance,
    all_papers,
    jpeg_upload,
    pdf_bytes,
    pdf_upload,
    people,
    procedure,
    receive,
)
from tests.records_kinds.helpers import file_through_page, open_file, pages

pytestmark = pytest.mark.django_db


def _with_scans(procedure, people):
    papers = all_papers(procedure)
    papers[0].file = pdf_upload("don-de-nghi.pdf", "Giấy đề nghị đăng ký doanh nghiệp")
    papers[1].file = jpeg_upload("cccd.jpg")
    return receive(procedure, people, papers=papers, summary="Thành lập doanh nghiệp tư nhân An Phát")


def test_the_dossier_kind_is_registered_by_the_app():
    kind = kinds.get("dossier")
    assert kind.model is Dossier
    assert kind.access is records.access
    assert kinds.key_for(Dossier()) == "dossier"


def test_access_is_the_dossier_page_rule(procedure, people, staff_b):
    dossier = receive(procedure, people)
    kind = kinds.get("dossier")
    assert kind.access(people["onestop"], dossier.pk) == dossier
    assert kind.access(people["leader"], dossier.pk) == dossier
    with pytest.raises(Http404):  # another agency, even with every role
        kind.access(staff_b[Role.ONESTOP_OFFICER], dossier.pk)
    with pytest.raises(Http404):  # the agency's officer with no part in it
        kind.access(people["officer2"], dossier.pk)
    with pytest.raises(Http404):  # missing: the same answer
        kind.access(people["onestop"], dossier.pk + 1000)


def test_visible_ids_filters_in_one_query(procedure, people, staff_b, django_assert_num_queries):
    first = advance(receive(procedure, people), DossierState.PROCESSING, people)  # held by the officer
    second = receive(procedure, people)
    ids = [first.pk, second.pk, second.pk + 1000]
    kind = kinds.get("dossier")
    with django_assert_num_queries(1):
        assert kind.visible_ids(people["officer"], ids) == {first.pk}
    with django_assert_num_queries(1):
        assert kind.visible_ids(people["onestop"], ids) == {first.pk, second.pk}
    assert kind.visible_ids(people["officer2"], ids) == set()
    assert kind.visible_ids(staff_b[Role.LEADER], ids) == set()


def test_snapshot_has_the_fields_of_phan_ii(procedure, people, agency_a):
    dossier = advance(_with_scans(procedure, people), DossierState.RETURNED, people)
    snap = kinds.get("dossier").snapshot(dossier)
    assert snap.type_name == "Hồ sơ thủ tục hành chính"
    assert snap.code_notation == dossier.code
    assert snap.sort_date == dossier.received_at
    assert snap.organ_name == agency_a.name
    assert procedure.name in snap.subject and "Nguyễn Văn An" in snap.subject
    assert snap.subject == f"{procedure.name} — Nguyễn Văn An"
    # the scan of the request (1 page), the ID card picture (1), the result (1)
    assert snap.page_amount == pages(pdf_bytes("Giấy đề nghị đăng ký doanh nghiệp")) + 1 + pages(pdf_bytes())
    assert "0101234567" in snap.description and "Đã trả kết quả" in snap.description
    fields = snap.as_fields()
    assert fields["code_notation"] == dossier.code


def test_issued_date_is_the_local_day_of_reception(procedure, people):
    from django.utils import timezone

    dossier = receive(procedure, people)
    snap = kinds.get("dossier").snapshot(dossier)
    assert snap.issued_date == timezone.localtime(dossier.received_at).date()


def test_files_in_the_order_they_were_made(procedure, people):
    dossier = advance(_with_scans(procedure, people), DossierState.RETURNED, people)
    files = kinds.get("dossier").files(dossier)
    code = dossier.code
    assert [f.name for f in files] == [
        "01-giay-to.pdf",
        "02-giay-to.jpg",
        f"mau-01-{code}.pdf",
        f"ket-qua-{code}.pdf",
        f"mau-06-{code}.pdf",
    ]
    assert files[0].caption == "Giấy đề nghị đăng ký doanh nghiệp"
    assert files[0].read() == pdf_bytes("Giấy đề nghị đăng ký doanh nghiệp")
    assert files[1].content_type == "image/jpeg" and files[1].read()[:2] == b"\xff\xd8"
    assert files[3].read() == pdf_bytes() and files[3].sha256 == dossier.result_sha256
    assert files[3].caption.startswith(procedure.result_name)
    for rendered in (files[2], files[4]):
        assert rendered.read().startswith(b"%PDF")
    assert files[4].caption == "Phiếu kiểm soát quá trình giải quyết hồ sơ"


def test_a_stopped_dossier_files_its_stop_notice_before_the_control_slip(procedure, people):
    from onestop import services

    dossier = advance(receive(procedure, people), DossierState.PROCESSING, people)
    dossier = services.dossier_stop(dossier=dossier, by=people["leader"], reason="Người nộp xin rút hồ sơ")
    names = [f.name for f in kinds.get("dossier").files(dossier)]
    assert names == [f"mau-01-{dossier.code}.pdf", f"mau-05-{dossier.code}.pdf", f"mau-06-{dossier.code}.pdf"]
    assert records.ended(dossier)


def test_the_block_is_prominent_once_the_result_is_returned(procedure, people):
    dossier = receive(procedure, people)
    assert records.file_this(user=people["onestop"], dossier=dossier)["prominent"] is False
    dossier = advance(dossier, DossierState.RETURNED, people)
    case_file = open_file(people["onestop"])
    context = records.file_this(user=people["onestop"], dossier=dossier)
    assert context["prominent"] is True
    assert [f.pk for f in context["targets"]] == [case_file.pk]
    from documents.records.services.files import case_file_add_record

    case_file_add_record(case_file=case_file, kind="dossier", object_id=dossier.pk, by=people["onestop"])
    context = records.file_this(user=people["onestop"], dossier=dossier)
    assert context["prominent"] is False and [f.pk for f in context["holders"]] == [case_file.pk]


def test_filing_from_the_dossier_page(procedure, people, login):
    dossier = advance(_with_scans(procedure, people), DossierState.RETURNED, people)
    case_file = open_file(people["onestop"])
    client = login(people["onestop"])
    html = client.get(dossier.get_absolute_url()).content.decode()
    assert 'data-prominent="1"' in html
    item = file_through_page(
        client, page_url=dossier.get_absolute_url(), kind="dossier", object_id=dossier.pk, case_file=case_file
    )
    assert item.type_name == "Hồ sơ thủ tục hành chính"
    assert item.code_notation == dossier.code
    assert item.sort_date == dossier.received_at
    html = client.get(dossier.get_absolute_url()).content.decode()
    assert case_file.get_absolute_url() in html and 'data-prominent="1"' not in html


def test_another_agency_cannot_file_the_dossier_into_its_file(procedure, people, staff_b, login):
    dossier = advance(receive(procedure, people), DossierState.RETURNED, people)
    clerk_b = staff_b[Role.CLERK]
    case_file = open_file(clerk_b)
    from django.urls import reverse

    client = login(clerk_b)
    response = client.post(
        reverse("documents:casefile_file_record"),
        {"kind": "dossier", "object_id": dossier.pk, "case_file": case_file.pk},
    )
    assert response.status_code == 302
    assert not case_file.items.exists()


def test_an_officer_without_part_in_it_is_not_offered_the_block_data(procedure, people):
    outsider = make_user(agency=people["onestop"].agency, roles=[Role.OFFICER], username="ngoai_cuoc")
    dossier = receive(procedure, people)
    with pytest.raises(Http404):
        records.access(outsider, dossier.pk)
