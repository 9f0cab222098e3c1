"""The case file pages over HTTP with their real forms: the list (open a file, filters, "Hồ sơ của tôi"),
the detail (items of mixed kinds, upload, reorder, remove, close, reopen), "Lưu vào hồ sơ" from a record's
page, serving a paper after the file's check, and query counts that do not grow with the rows."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from documents.records.models import CaseFile, CaseFileItem
from documents.records.services import files as services
from tests.documents.conftest import pdf_upload, receive
from tests.documents.records.test_services import FROZEN, issued_outgoing, open_file, png_named_pdf

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_open_ad_hoc_file_with_the_form(people, client):
    _login(client, people["officer"])
    page = client.get(reverse("documents:casefile_list"))
    assert page.status_code == 200 and 'id="open-file"' in page.content.decode()
    form = {
        "plan_entry": "",
        "code": "03.KT",
        "title": "Hồ sơ kiểm tra doanh nghiệp",
        "retention": "10",
        "year": "2026",
        "department": people["unit"].pk,
        "rights": "restricted",
        "description": "",
    }
    response = client.post(reverse("documents:casefile_list"), form)
    case_file = CaseFile.objects.get()
    assert response.status_code == 302 and response["Location"] == case_file.get_absolute_url()
    again = client.post(reverse("documents:casefile_list"), form)
    assert again.status_code == 200 and "đã có trong năm 2026" in again.content.decode()
    missing = client.post(reverse("documents:casefile_list"), {**form, "code": "", "title": ""})
    assert "Hồ sơ ngoài danh mục cần trường này." in missing.content.decode()
    assert CaseFile.objects.count() == 1


def test_open_from_the_plan_with_the_form(people, client):
    from django.utils import timezone

    from documents.records.models import FilePlan, FilePlanEntry, FilePlanHeading

    year = timezone.localdate().year
    plan = FilePlan.objects.create(agency=people["clerk"].agency, year=year, created_by=people["clerk"])
    heading = FilePlanHeading.objects.create(plan=plan, title="Kinh tế", position=1)
    entry = FilePlanEntry.objects.create(
        plan=plan,
        heading=heading,
        number=3,
        code="03.KT",
        title="Hồ sơ thẩm định dự án",
        retention="20",
        department=people["unit"],
    )
    FilePlanEntry.objects.create(
        plan=plan,
        heading=heading,
        number=4,
        code="04.TH",
        title="Của phòng khác",
        retention="5",
        department=people["other_unit"],
    )
    _login(client, people["officer"])
    page = client.get(reverse("documents:casefile_list")).content.decode()
    assert "03.KT · Hồ sơ thẩm định dự án" in page and "04.TH" not in page
    response = client.post(
        reverse("documents:casefile_list"), {"plan_entry": entry.pk, "year": year, "rights": "restricted"}
    )
    case_file = CaseFile.objects.get()
    assert response.status_code == 302
    assert (case_file.code, case_file.title, case_file.plan_entry) == (
        "03.KT",
        "Hồ sơ thẩm định dự án",
        entry,
    )
    assert (
        "03.KT · Hồ sơ"
        not in client.get(reverse("documents:casefile_list")).content.decode().split("open-file")[-1]
    )


def test_list_filters_and_my_statistics(people, client):
    officer = people["officer"]
    a = open_file(officer, code="01.KT")
    open_file(officer, code="02.KT")
    services.case_file_close(case_file=a, by=officer)
    services.case_file_add_paper(
        case_file=open_file(people["clerk"], code="09.VP"),
        upload=pdf_upload(),
        subject="Giấy tờ",
        by=people["clerk"],
    )
    _login(client, officer)
    html = client.get(reverse("documents:casefile_list")).content.decode()
    assert 'data-testid="stat-files">2<' in html and 'data-testid="stat-closed">1<' in html
    closed = client.get(reverse("documents:casefile_list"), {"status": "closed"})
    assert [f.code for f in closed.context["files"]] == ["01.KT"]
    mine = client.get(reverse("documents:casefile_list"), {"mine": "1"})
    assert {f.code for f in mine.context["files"]} == {"01.KT", "02.KT"}
    everything = client.get(reverse("documents:casefile_list"))
    assert {f.code for f in everything.context["files"]} == {"01.KT", "02.KT"}  # 09.VP: the clerk's unit
    by_unit = client.get(reverse("documents:casefile_list"), {"unit": people["other_unit"].pk})
    assert list(by_unit.context["files"]) == []


def test_list_queries_do_not_grow_with_files(people, client):
    clerk = people["clerk"]
    for n in range(2):
        open_file(clerk, code=f"{n:02d}.VP")
    _login(client, clerk)
    url = reverse("documents:casefile_list")
    client.get(url)  # warm: the first request of a session reads what later ones have cached
    few = _count(client, url)
    for n in range(2, 14):
        open_file(clerk, code=f"{n:02d}.VP")
    assert _count(client, url) == few


def _fill(case_file, clerk, leader, n: int):
    for i in range(n):
        doc = receive(clerk, n=i + 1, issued_date=date(2026, 1, i + 1))
        services.case_file_add_record(case_file=case_file, kind="incoming", object_id=doc.pk, by=clerk)
        out = issued_outgoing(by=leader, n=100 + case_file.pk * 10 + i, drafts=1)
        services.case_file_add_record(case_file=case_file, kind="outgoing", object_id=out.pk, by=leader)
        services.case_file_add_paper(case_file=case_file, upload=pdf_upload(), subject=f"Giấy {i}", by=clerk)


def test_detail_queries_do_not_grow_with_items_of_mixed_kinds(people, client):
    clerk, leader = people["clerk"], people["leader"]
    small, large = open_file(clerk, code="01.VP"), open_file(clerk, code="02.VP")
    _fill(small, clerk, leader, 1)
    _fill(large, clerk, leader, 3)
    _login(client, leader)
    client.get(reverse("documents:casefile_detail", args=[small.pk]))
    few = _count(client, reverse("documents:casefile_detail", args=[small.pk]))
    many = _count(client, reverse("documents:casefile_detail", args=[large.pk]))
    assert many == few
    html = client.get(reverse("documents:casefile_detail", args=[large.pk])).content.decode()
    assert html.count('data-testid="item-row"') == 9
    assert "Tên loại và trích yếu nội dung" in html and "Tác giả" in html


def test_file_this_from_the_incoming_page(people, client):
    clerk, officer = people["clerk"], people["officer"]
    doc = receive(clerk, n=1)
    case_file = open_file(clerk, code="01.VP")
    other = open_file(officer, code="02.KT")  # not the clerk's... but a clerk may add to any open file
    _login(client, clerk)
    page = client.get(doc.get_absolute_url()).content.decode()
    assert 'data-testid="file-this"' in page and "01.VP" in page and "Chưa thuộc hồ sơ nào." in page
    response = client.post(
        reverse("documents:casefile_file_record"),
        {"kind": "incoming", "object_id": doc.pk, "case_file": case_file.pk, "next": doc.get_absolute_url()},
    )
    assert response.status_code == 302 and response["Location"] == doc.get_absolute_url()
    page = client.get(doc.get_absolute_url()).content.decode()
    assert case_file.get_absolute_url() in page
    assert CaseFileItem.objects.filter(case_file=case_file, kind="incoming", object_id=doc.pk).exists()
    # a person who does not manage a file is not offered it and cannot post to it
    _login(client, people["officer2"])
    response = client.post(
        reverse("documents:casefile_file_record"),
        {"kind": "incoming", "object_id": doc.pk, "case_file": other.pk, "next": "https://evil.example/"},
        follow=True,
    )
    assert "Hồ sơ không còn mở hoặc bạn không có quyền thêm vào." in " ".join(_messages(response))
    assert not CaseFileItem.objects.filter(case_file=other).exists()


def test_file_this_on_the_issued_outgoing_page(people, client):
    leader = people["leader"]
    doc = issued_outgoing(by=leader)
    open_file(leader, code="01.VP")
    _login(client, leader)
    page = client.get(doc.get_absolute_url()).content.decode()
    assert 'data-testid="file-this"' in page and 'data-prominent="1"' in page


def test_upload_reorder_remove_close_reopen_over_http(people, client):
    clerk = people["clerk"]
    case_file = open_file(clerk)
    _login(client, clerk)
    url = case_file.get_absolute_url()
    upload = client.post(
        reverse("documents:casefile_upload", args=[case_file.pk]),
        {"file": pdf_upload("bien-ban.pdf"), "subject": "Biên bản họp", "issued_date": "2026-02-01"},
        follow=True,
    )
    assert "Đã thêm tài liệu vào hồ sơ." in _messages(upload)
    fake = client.post(
        reverse("documents:casefile_upload", args=[case_file.pk]),
        {"file": png_named_pdf(), "subject": "Giả mạo"},
        follow=True,
    )
    assert any("kiểu tệp được kiểm tra theo nội dung" in m or "Chỉ chấp nhận" in m for m in _messages(fake))
    assert CaseFileItem.objects.filter(case_file=case_file).count() == 1
    doc = receive(clerk, n=1, issued_date=date(2026, 1, 1))
    services.case_file_add_record(case_file=case_file, kind="incoming", object_id=doc.pk, by=clerk)
    paper = CaseFileItem.objects.get(case_file=case_file, kind="paper")
    assert paper.ordinal == 2
    client.post(reverse("documents:casefile_item_action", args=[case_file.pk, paper.pk]), {"op": "up"})
    paper.refresh_from_db()
    assert paper.ordinal == 1
    client.post(reverse("documents:casefile_sort", args=[case_file.pk]))
    paper.refresh_from_db()
    assert paper.ordinal == 2
    served = client.get(reverse("documents:casefile_item_open", args=[case_file.pk, paper.pk]))
    assert served.status_code == 200 and served["Content-Type"] == "application/pdf"
    linked = CaseFileItem.objects.get(case_file=case_file, kind="incoming")
    opened = client.get(reverse("documents:casefile_item_open", args=[case_file.pk, linked.pk]))
    assert opened.status_code == 302 and opened["Location"] == doc.get_absolute_url()
    bogus = client.post(
        reverse("documents:casefile_item_action", args=[case_file.pk, linked.pk]), {"op": "drop"}, follow=True
    )
    assert "Yêu cầu không hợp lệ." in _messages(bogus)  # a message on the file's page, nothing changed
    assert bogus.redirect_chain[-1][0] == case_file.get_absolute_url()
    assert CaseFileItem.objects.filter(case_file=case_file).count() == 2
    client.post(reverse("documents:casefile_item_action", args=[case_file.pk, linked.pk]), {"op": "remove"})
    assert list(CaseFileItem.objects.filter(case_file=case_file).values_list("ordinal", flat=True)) == [1]
    client.post(reverse("documents:casefile_close", args=[case_file.pk]))
    case_file.refresh_from_db()
    assert case_file.status == "closed" and case_file.transfer_due
    page = client.get(url).content.decode()
    assert 'data-testid="upload-form"' not in page and 'data-testid="reopen-file"' in page
    client.post(reverse("documents:casefile_reopen", args=[case_file.pk]))
    case_file.refresh_from_db()
    assert case_file.status == "open"
    history = client.get(url).content.decode()
    assert "Mở lại hồ sơ" in history and "Sắp xếp văn bản theo thời gian" in history


def test_other_agency_and_archived_files(people, people_b, client):
    case_file = open_file(people["clerk"])
    item = services.case_file_add_paper(
        case_file=case_file, upload=pdf_upload(), subject="Giấy", by=people["clerk"]
    )
    _login(client, people_b["leader"])
    assert client.get(case_file.get_absolute_url()).status_code == 404
    assert (
        client.get(reverse("documents:casefile_item_open", args=[case_file.pk, item.pk])).status_code == 404
    )
    assert client.post(reverse("documents:casefile_close", args=[case_file.pk])).status_code == 404
    CaseFile.objects.filter(pk=case_file.pk).update(status=CaseFile.Status.ARCHIVED)
    _login(client, people["clerk"])
    asked = client.get(case_file.get_absolute_url())  # needs a borrow request now: a 404 that links it
    assert asked.status_code == 404
    assert f'href="{reverse("documents:borrow_create", args=[case_file.pk])}"' in asked.content.decode()
    _login(client, people["leader"])
    page = client.get(case_file.get_absolute_url())
    assert page.status_code == 200 and 'data-testid="upload-form"' not in page.content.decode()
    refused = client.post(
        reverse("documents:casefile_upload", args=[case_file.pk]),
        {"file": pdf_upload(), "subject": "Thêm sau khi nộp lưu"},
        follow=True,
    )
    assert FROZEN in _messages(refused)
    assert CaseFileItem.objects.filter(case_file=case_file).count() == 1


def test_menu_entry_in_the_records_section(people, client):
    _login(client, people["officer"])
    html = client.get(reverse("documents:casefile_list")).content.decode()
    assert f'href="{reverse("documents:casefile_list")}"' in html
