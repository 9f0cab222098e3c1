"""The file-plan pages through HTTP with the real forms: create, add headings and files, move, submit; the
approved plan's "Mở hồ sơ"; another agency's 404; the plan page's query count against the number of
entries; the PDF's counts."""

from __future__ import annotations

import io
import re

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from documents.records.models import FilePlan, FilePlanEntry, Retention
from documents.records.plan import services
from tests.documents.records.plan.conftest import build_plan, codes

pytestmark = pytest.mark.django_db


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages).split())


def test_the_office_drafts_a_plan_through_the_pages(org, login):
    client = login(org["clerk"])
    response = client.post(reverse("documents:fileplan_list"), {"year": "2027", "numbering": "heading"})
    plan = FilePlan.objects.get(agency=org["clerk"].agency, year=2027)
    assert response.status_code == 302 and response["Location"] == plan.get_absolute_url()
    assert plan.numbering == FilePlan.Numbering.HEADING

    page = client.get(plan.get_absolute_url())
    assert page.status_code == 200 and "Thêm đề mục" in page.content.decode()

    url = reverse("documents:fileplan_heading_add", args=[plan.pk])
    response = client.post(url, {"h-title": "Tổng hợp", "h-abbreviation": ""})
    assert response.status_code == 200  # refused: a large heading needs its abbreviation
    assert "Đề mục lớn cần chữ viết tắt" in response.content.decode()
    response = client.post(url, {"h-title": "Tổng hợp", "h-abbreviation": "th"})
    assert response.status_code == 302
    heading = plan.headings.get()
    assert heading.abbreviation == "TH"

    add = reverse("documents:fileplan_entry_add", args=[plan.pk])
    for title, retention in (("Báo cáo năm", "permanent"), ("Kế hoạch tháng", "5"), ("Sổ công văn", "20")):
        response = client.post(
            add,
            {
                "e-heading": heading.pk,
                "e-title": title,
                "e-retention": retention,
                "e-responsible": org["officer"].pk,
            },
        )
        assert response.status_code == 302, response.content.decode()[:500]
    assert codes(plan) == ["01.TH", "02.TH", "03.TH"]
    third = FilePlanEntry.objects.get(plan=plan, title="Sổ công văn")
    response = client.post(
        reverse("documents:fileplan_entry_move", args=[third.pk]), {"direction": "sideways"}
    )
    assert "Yêu cầu không hợp lệ." in " ".join(_messages(response))
    assert FilePlanEntry.objects.get(pk=third.pk).code == "03.TH"  # an unknown direction moves nothing
    response = client.post(reverse("documents:fileplan_entry_move", args=[third.pk]), {"direction": "up"})
    assert response.status_code == 302
    assert response["Location"] == plan.get_absolute_url() + f"#e{third.pk}"
    assert FilePlanEntry.objects.get(pk=third.pk).code == "02.TH"
    response = client.post(
        reverse("documents:fileplan_entry_edit", args=[third.pk]),
        {
            "e-heading": heading.pk,
            "e-title": "Sổ đăng ký văn bản đi",
            "e-retention": "20",
            "e-note": "Bản giấy",
        },
    )
    assert response.status_code == 302
    assert FilePlanEntry.objects.get(pk=third.pk).title == "Sổ đăng ký văn bản đi"

    response = client.post(
        reverse("documents:fileplan_submit", args=[plan.pk]), {"s-signer": org["head"].pk, "s-comment": ""}
    )
    plan.refresh_from_db()
    assert plan.status == FilePlan.Status.SUBMITTED
    assert response["Location"] == plan.decision.get_absolute_url()
    # submitted: the edit is refused with the Vietnamese message, nothing saved
    response = client.post(reverse("documents:fileplan_entry_delete", args=[third.pk]))
    assert "chỉ sửa được khi còn là dự thảo" in " ".join(_messages(response))
    assert FilePlanEntry.objects.filter(pk=third.pk).exists()
    page = client.get(plan.get_absolute_url()).content.decode()
    assert "Trình ban hành" in page and "Rút lại để sửa danh mục" in page


def test_copy_forward_from_the_list(org, login):
    build_plan(org)
    client = login(org["clerk"])
    page = client.get(reverse("documents:fileplan_list")).content.decode()
    assert "Sao từ danh mục năm 2027" in page
    response = client.post(
        reverse("documents:fileplan_list"), {"year": "2028", "numbering": "plan", "mode": "copy"}
    )
    new = FilePlan.objects.get(year=2028)
    assert response["Location"] == new.get_absolute_url()
    assert codes(new) == ["01.TCCB", "02.TCCB", "03.KHTC", "04.KHTC"]


def test_a_leader_reads_and_an_officer_cannot_draft(org, login):
    built = build_plan(org)
    page = login(org["head"]).get(built["plan"].get_absolute_url())
    assert page.status_code == 200 and "Thêm đề mục" not in page.content.decode()
    client = login(org["officer"])
    assert client.get(built["plan"].get_absolute_url()).status_code == 404  # a draft is the office's
    response = client.post(reverse("documents:fileplan_list"), {"year": "2029", "numbering": "plan"})
    assert response.status_code == 403
    assert not FilePlan.objects.filter(year=2029).exists()


def test_another_agency_gets_404(org, login):
    built = build_plan(org)
    client = login(org["clerk_b"])
    for name, pk in (
        ("documents:fileplan_detail", built["plan"].pk),
        ("documents:fileplan_pdf", built["plan"].pk),
        ("documents:fileplan_entry_edit", built["entries"][0].pk),
        ("documents:fileplan_heading_edit", built["tccb"].pk),
    ):
        assert client.get(reverse(name, args=[pk])).status_code == 404
    assert (
        client.post(reverse("documents:fileplan_entry_delete", args=[built["entries"][0].pk])).status_code
        == 404
    )
    assert FilePlanEntry.objects.filter(pk=built["entries"][0].pk).exists()


def test_open_a_file_from_the_approved_plan(org, login):
    built = build_plan(org)
    FilePlan.objects.filter(pk=built["plan"].pk).update(status=FilePlan.Status.APPROVED)
    client = login(org["officer"])
    page = client.get(built["plan"].get_absolute_url()).content.decode()
    assert page.count('data-testid="open-file"') == 2  # the unit's (KHTC, heading's unit) files only
    entry = built["entries"][2]
    response = client.post(reverse("documents:fileplan_entry_open", args=[entry.pk]))
    case_file = entry.case_files.get()
    assert response["Location"] == case_file.get_absolute_url()
    assert case_file.owner == org["officer"] and case_file.code == "03.KHTC"
    page = client.get(built["plan"].get_absolute_url()).content.decode()
    assert page.count('data-testid="open-file"') == 1
    assert case_file.get_absolute_url() in page and "Đang mở" in page
    # somebody of another unit may not open the unit's file
    response = login(org["stranger"]).post(
        reverse("documents:fileplan_entry_open", args=[built["entries"][3].pk])
    )
    assert "người, đơn vị khác" in " ".join(_messages(response))
    assert not built["entries"][3].case_files.exists()


def test_plan_page_queries_do_not_grow_with_entries(org, login, django_assert_max_num_queries):
    built = build_plan(org)
    client = login(org["clerk"])
    client.get(built["plan"].get_absolute_url())  # warm caches (content types, session)
    with django_assert_max_num_queries(40) as small:
        client.get(built["plan"].get_absolute_url())
    for n in range(30):
        services.entry_save(
            by=org["clerk"],
            plan=built["plan"],
            heading=built["hiring"] if n % 2 else built["khtc"],
            title=f"Hồ sơ số {n}",
            retention=Retention.Y10,
            responsible=org["officer"] if n % 3 else None,
        )
    with django_assert_max_num_queries(len(small.captured_queries)) as big:
        response = client.get(built["plan"].get_absolute_url())
    assert response.content.decode().count('data-testid="entry-row"') == 34
    assert len(big.captured_queries) == len(small.captured_queries)


def test_the_pdf_has_the_form_and_the_counts(org, login):
    built = build_plan(org)
    response = login(org["clerk"]).get(reverse("documents:fileplan_pdf", args=[built["plan"].pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = _pdf_text(response.content)
    assert "DANH MỤC HỒ SƠ" in text and "Năm 2027" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "SỞ KẾ HOẠCH VÀ ĐẦU TƯ" in text
    assert "I. TỔ CHỨC CÁN BỘ" in text and "1. Tuyển dụng" in text and "II. KẾ HOẠCH TÀI CHÍNH" in text
    assert re.search(r"01\.TCCB Hồ sơ quy hoạch cán bộ Vĩnh viễn", text)
    assert (
        "Danh mục hồ sơ này có 4 hồ sơ, bao gồm: 2 hồ sơ bảo quản vĩnh viễn; 2 hồ sơ bảo quản có thời hạn."
        in text
    )
    assert "Kèm theo Quyết định số" in text


def test_withdraw_and_delete_through_the_pages(org, login):
    built = build_plan(org)
    plan = built["plan"]
    client = login(org["clerk"])
    client.post(reverse("documents:fileplan_submit", args=[plan.pk]), {"s-signer": org["deputy"].pk})
    plan.refresh_from_db()
    assert plan.status == FilePlan.Status.SUBMITTED and plan.decision.signer == org["deputy"]
    response = client.post(reverse("documents:fileplan_withdraw", args=[plan.pk]), {"w-reason": ""})
    assert "Vui lòng nhập lý do rút lại." in " ".join(_messages(response))
    response = client.post(reverse("documents:fileplan_withdraw", args=[plan.pk]), {"w-reason": "Sửa đề mục"})
    plan.refresh_from_db()
    assert plan.status == FilePlan.Status.DRAFT and plan.decision is None
    history = client.get(plan.get_absolute_url()).content.decode()
    assert "Hủy dự thảo quyết định, danh mục trở về dự thảo" in history and "Sửa đề mục" in history
    # a heading still holding files is refused on its edit page; an empty one goes
    edit = client.get(reverse("documents:fileplan_heading_edit", args=[built["hiring"].pk])).content.decode()
    assert reverse("documents:fileplan_heading_delete", args=[built["hiring"].pk]) in edit
    response = client.post(reverse("documents:fileplan_heading_delete", args=[built["hiring"].pk]))
    assert "Đề mục còn đề mục nhỏ hoặc hồ sơ" in " ".join(_messages(response))
    client.post(reverse("documents:fileplan_entry_delete", args=[built["entries"][1].pk]))
    client.post(reverse("documents:fileplan_heading_delete", args=[built["hiring"].pk]))
    assert not plan.headings.filter(pk=built["hiring"].pk).exists()
    assert codes(plan) == ["01.TCCB", "02.KHTC", "03.KHTC"]


def test_the_menu_entry_opens_the_list(org, login):
    from eoffice.menu import _REGISTRY

    item = _REGISTRY["records.fileplan"]
    assert item.section == "records" and item.url_name == "documents:fileplan_list"
    assert item.can_open(org["officer"]) and not item.can_open(type("Anon", (), {"agency_id": None})())
    page = login(org["officer"]).get(reverse("documents:fileplan_list")).content.decode()
    assert "Danh mục hồ sơ" in page and 'data-testid="plan-create"' not in page
