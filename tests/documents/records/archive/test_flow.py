"""Transfer to the archive, acceptance or return, borrowing and disposal: through the services and through
HTTP with the real forms; other agencies see nothing; the archive's lists cost a fixed number of queries."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from documents.records.archive import selectors, services
from documents.records.models import Appraisal, AppraisalItem, BorrowRequest, CaseFile, Transfer
from eoffice.menu import visible_items
from eoffice.models import AccessEvent, Notification
from workflow.models import HistoryEntry

from .conftest import make_file

pytestmark = pytest.mark.django_db


def messages_of(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# --- transfer -----------------------------------------------------------------------------------------


def test_owner_transfers_archivist_accepts_and_the_file_is_frozen(arch, login, client):
    closed = timezone.now() - timedelta(days=200)
    ten = make_file(arch, closed_at=closed, retention="10")
    forever = make_file(arch, closed_at=closed, retention="permanent")
    still_open = make_file(arch, status=CaseFile.Status.OPEN)

    login(arch["owner"])
    page = client.get(reverse("documents:transfer_create"))
    assert page.status_code == 200
    listed = {f.pk for f in page.context["files"]}
    assert listed == {ten.pk, forever.pk}  # the open file is not offered
    response = client.post(
        reverse("documents:transfer_create"),
        {"files": [ten.pk, forever.pk], "note": "Đầy đủ văn bản, đã sắp xếp."},
    )
    transfer = Transfer.objects.get()
    assert response.status_code == 302 and response["Location"] == transfer.get_absolute_url()
    assert sorted(transfer.file_ids) == sorted([ten.pk, forever.pk])
    assert transfer.note == "Đầy đủ văn bản, đã sắp xếp." and transfer.department == arch["unit"]
    for f in (ten, forever):
        f.refresh_from_db()
        assert f.status == CaseFile.Status.SUBMITTED and f.transfer_id == transfer.pk
    assert Notification.objects.filter(
        recipient=arch["archivist"], kind="records.transfer_submitted"
    ).exists()
    assert not Notification.objects.filter(recipient=arch["other_archivist"]).exists()
    # an open file cannot be forced in
    response = client.post(reverse("documents:transfer_create"), {"files": [still_open.pk]})
    assert response.status_code == 200 and Transfer.objects.count() == 1

    login(arch["archivist"])
    home = client.get(reverse("documents:archive_home"))
    assert home.status_code == 200 and transfer in home.context["transfers"]
    detail = client.get(transfer.get_absolute_url())
    html = detail.content.decode()
    assert reverse("documents:transfer_list_pdf", args=[transfer.pk]) in html
    assert reverse("documents:transfer_record_pdf", args=[transfer.pk]) in html
    assert ten.get_absolute_url() in html and detail.context["may_decide"]
    # the archivist may read a submitted file
    assert client.get(ten.get_absolute_url()).status_code == 200

    response = client.post(
        reverse("documents:transfer_accept", args=[transfer.pk]), {"accept-note": "Đủ điều kiện."}
    )
    assert response.status_code == 302
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.ACCEPTED and transfer.decided_by == arch["archivist"]
    ten.refresh_from_db()
    forever.refresh_from_db()
    year = timezone.localdate().year
    assert ten.status == forever.status == CaseFile.Status.ARCHIVED
    assert {ten.archive_code, forever.archive_code} == {f"LT.{year}.0001", f"LT.{year}.0002"}
    assert ten.archived_at is not None
    assert ten.retention_until == date(timezone.localtime(closed).year + 10, 12, 31)
    assert forever.retention_until is None
    assert HistoryEntry.objects.filter(
        object_id=ten.pk, action="transfer_accept", to_state="archived"
    ).exists()
    assert Notification.objects.filter(recipient=arch["owner"], kind="records.transfer_accepted").exists()

    # frozen: a leader (who reads archived files) is refused an edit through HTTP
    login(arch["leader"])
    response = client.post(
        reverse("documents:casefile_edit", args=[ten.pk]),
        {"title": "Đổi tiêu đề", "description": ""},
        follow=True,
    )
    assert "Hồ sơ đã nộp lưu, không được thay đổi." in " ".join(messages_of(response))
    ten.refresh_from_db()
    assert ten.title != "Đổi tiêu đề"
    # accepting twice is refused
    with pytest.raises(ValidationError):
        services.transfer_accept(transfer=transfer, by=arch["archivist"])


def test_archivist_returns_with_a_reason_and_the_files_are_closed_again(arch, login, client):
    f = make_file(arch)
    transfer = services.transfer_create(by=arch["owner"], file_ids=[f.pk], note="")
    login(arch["archivist"])
    url = reverse("documents:transfer_return", args=[transfer.pk])
    response = client.post(url, {"return-reason": "  "}, follow=True)
    assert "Vui lòng nhập lý do trả lại." in " ".join(messages_of(response))
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.SUBMITTED
    client.post(url, {"return-reason": "Thiếu mục lục văn bản, chưa đánh số tờ."})
    transfer.refresh_from_db()
    f.refresh_from_db()
    assert transfer.status == Transfer.Status.RETURNED and transfer.file_ids == [f.pk]
    assert f.status == CaseFile.Status.CLOSED and f.transfer_id is None
    note = Notification.objects.get(recipient=arch["owner"], kind="records.transfer_returned")
    assert "Thiếu mục lục" in note.body
    # closed again: it can be transferred anew
    assert services.transfer_create(by=arch["owner"], file_ids=[f.pk]).file_ids == [f.pk]


def test_who_may_transfer(arch):
    mine = make_file(arch)
    other_unit = make_file(arch, owner=arch["stranger"], department=arch["other_unit"])
    with pytest.raises(PermissionDenied):
        services.transfer_create(by=arch["colleague"], file_ids=[mine.pk])  # same unit, not the owner
    with pytest.raises(PermissionDenied):
        services.transfer_create(by=arch["head"], file_ids=[other_unit.pk])  # another unit's head
    with pytest.raises(ValidationError):
        services.transfer_create(by=arch["clerk"], file_ids=[mine.pk, other_unit.pk])  # two units at once
    assert CaseFile.objects.filter(status=CaseFile.Status.SUBMITTED).count() == 0  # nothing half-done
    assert services.transfer_create(by=arch["head"], file_ids=[mine.pk]).submitted_by == arch["head"]
    assert (
        services.transfer_create(by=arch["clerk"], file_ids=[other_unit.pk]).department == arch["other_unit"]
    )
    with pytest.raises(PermissionDenied):
        services.transfer_accept(transfer=Transfer.objects.first(), by=arch["leader"])


def test_announcement_sets_the_due_date_and_tells_the_owners(arch, login, client):
    year = timezone.localdate().year - 1
    closed = timezone.now().replace(year=year)
    a = make_file(arch, closed_at=closed)
    b = make_file(arch, closed_at=closed, department=arch["other_unit"], owner=arch["stranger"])
    due = timezone.localdate() + timedelta(days=45)
    login(arch["archivist"])
    client.post(
        reverse("documents:transfer_announce"),
        {"department": arch["unit"].pk, "year": year, "due": due.isoformat()},
    )
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.transfer_due == due and b.transfer_due != due
    note = Notification.objects.get(recipient=arch["owner"], kind="records.transfer_announce")
    assert a.code in note.body
    login(arch["owner"])
    assert client.post(reverse("documents:transfer_announce"), {"year": year, "due": due}).status_code == 403


# --- borrowing ----------------------------------------------------------------------------------------


def test_borrow_request_opens_the_file_until_the_approved_date(arch, login, client):
    f = make_file(arch, status=CaseFile.Status.ARCHIVED, archive_code="LT.2026.0001")
    reader = arch["stranger"]
    login(reader)
    assert client.get(f.get_absolute_url()).status_code == 404
    catalogue = client.get(reverse("documents:archive_catalogue"))
    assert f in list(catalogue.context["page"].object_list)
    until = timezone.localdate() + timedelta(days=3)
    response = client.post(
        reverse("documents:borrow_create", args=[f.pk]),
        {"purpose": "Tra cứu số liệu để lập báo cáo.", "until": until.isoformat()},
    )
    assert response.status_code == 302
    borrow = BorrowRequest.objects.get()
    assert borrow.status == BorrowRequest.Status.PENDING and borrow.requester == reader
    assert client.get(f.get_absolute_url()).status_code == 404  # not before the archivist's approval
    assert Notification.objects.filter(recipient=arch["archivist"], kind="records.borrow_requested").exists()

    login(arch["archivist"])
    page = client.get(reverse("documents:archive_borrows"))
    assert [b for b, _form in page.context["pending"]] == [borrow]
    client.post(
        reverse("documents:borrow_decide", args=[borrow.pk]),
        {f"b{borrow.pk}-approve": "1", f"b{borrow.pk}-until": until.isoformat(), f"b{borrow.pk}-note": ""},
    )
    borrow.refresh_from_db()
    assert borrow.status == BorrowRequest.Status.APPROVED and borrow.until == until
    assert Notification.objects.filter(recipient=reader, kind="records.borrow_decided").exists()

    login(reader)
    assert client.get(f.get_absolute_url()).status_code == 200
    assert AccessEvent.objects.filter(kind="casefile", object_id=f.pk, user=reader).exists()
    # the archivist sees who read it
    login(arch["archivist"])
    log = client.get(reverse("documents:archive_file", args=[f.pk]))
    assert reader in [e.user for e in log.context["events"].object_list]
    # the window ends
    BorrowRequest.objects.filter(pk=borrow.pk).update(until=timezone.localdate() - timedelta(days=1))
    login(reader)
    assert client.get(f.get_absolute_url()).status_code == 404


def test_borrow_refusal_needs_a_reason_and_entitled_readers_need_no_request(arch):
    f = make_file(arch, status=CaseFile.Status.ARCHIVED)
    borrow = services.borrow_request(
        case_file=f, by=arch["owner"], purpose="Đọc lại", until=timezone.localdate() + timedelta(days=1)
    )
    with pytest.raises(ValidationError):
        services.borrow_request(
            case_file=f, by=arch["owner"], purpose="Lần nữa", until=timezone.localdate() + timedelta(days=1)
        )
    with pytest.raises(ValidationError):
        services.borrow_decide(borrow=borrow, by=arch["archivist"], approve=False, note="")
    with pytest.raises(PermissionDenied):
        services.borrow_decide(borrow=borrow, by=arch["leader"], approve=True)
    with pytest.raises(PermissionDenied):
        services.borrow_decide(borrow=borrow, by=arch["other_archivist"], approve=True)
    services.borrow_decide(borrow=borrow, by=arch["archivist"], approve=False, note="Hồ sơ mật.")
    assert BorrowRequest.objects.get().status == BorrowRequest.Status.REFUSED
    with pytest.raises(ValidationError):
        services.borrow_request(
            case_file=f, by=arch["leader"], purpose="x", until=timezone.localdate() + timedelta(days=1)
        )


# --- retention and disposal -------------------------------------------------------------------------------


def test_disposal_only_after_the_recorded_decision(arch, login, client, django_capture_on_commit_callbacks):
    past = date(2020, 12, 31)
    doomed = make_file(arch, status=CaseFile.Status.ARCHIVED, retention="2", retention_until=past, papers=2)
    kept = make_file(arch, status=CaseFile.Status.ARCHIVED, retention="5", retention_until=past, papers=1)
    young = make_file(
        arch, status=CaseFile.Status.ARCHIVED, retention="10", retention_until=date(2099, 12, 31)
    )
    names = [i.file.name for i in doomed.items.all()]
    assert all(default_storage.exists(n) for n in names)

    with pytest.raises(ValidationError):
        services.appraisal_propose(by=arch["archivist"], file_ids=[young.pk], reason="Hết hạn")

    login(arch["archivist"])
    page = client.get(reverse("documents:retention_expired"))
    assert {f.pk for f in page.context["files"]} == {doomed.pk, kept.pk}
    client.post(
        reverse("documents:retention_expired"),
        {"files": [doomed.pk, kept.pk], "reason": "Hết thời hạn bảo quản, không còn giá trị."},
    )
    appraisal = Appraisal.objects.get()
    assert appraisal.items.count() == 2 and appraisal.status == Appraisal.Status.PROPOSED
    assert Notification.objects.filter(recipient=arch["leader"], kind="records.appraisal_proposed").exists()
    assert not list(selectors.expired_files(arch["archivist"]))  # held by the pending proposal
    # the archivist cannot decide; nothing destroyed yet
    with pytest.raises(PermissionDenied):
        services.appraisal_decide(
            appraisal=appraisal,
            by=arch["archivist"],
            decision_number="1/QĐ",
            verdicts={doomed.pk: ("destroy", None)},
        )
    doomed.refresh_from_db()
    assert doomed.status == CaseFile.Status.ARCHIVED and all(default_storage.exists(n) for n in names)

    login(arch["leader"])
    url = reverse("documents:appraisal_detail", args=[appraisal.pk])
    form = {f"verdict_{doomed.pk}": "destroy", f"verdict_{kept.pk}": "extend", f"years_{kept.pk}": "3"}
    response = client.post(url, {**form, "decision_number": ""})  # no decision number: nothing happens
    assert response.status_code == 200 and response.context["form"].errors
    doomed.refresh_from_db()
    assert doomed.status == CaseFile.Status.ARCHIVED and all(default_storage.exists(n) for n in names)
    response = client.post(url, {f"verdict_{doomed.pk}": "destroy", "decision_number": "15/QĐ-SKHĐT"})
    assert response.status_code == 200  # a file without a verdict: refused whole
    assert Appraisal.objects.get().status == Appraisal.Status.PROPOSED

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**form, "decision_number": "15/QĐ-SKHĐT", "note": "Hủy theo đề nghị."})
    assert response.status_code == 302
    appraisal.refresh_from_db()
    assert appraisal.status == Appraisal.Status.DECIDED and appraisal.decision_number == "15/QĐ-SKHĐT"
    doomed.refresh_from_db()
    kept.refresh_from_db()
    assert doomed.status == CaseFile.Status.DISPOSED and doomed.disposed_at is not None
    assert not any(default_storage.exists(n) for n in names)  # its own papers are gone
    assert doomed.items.count() == 2 and doomed.title  # the metadata stays
    assert kept.status == CaseFile.Status.ARCHIVED and kept.retention_until == date(2023, 12, 31)
    assert kept.items.get().file and default_storage.exists(kept.items.get().file.name)
    verdicts = dict(AppraisalItem.objects.values_list("case_file_id", "verdict"))
    assert verdicts == {doomed.pk: "destroy", kept.pk: "extend"}
    assert HistoryEntry.objects.filter(object_id=doomed.pk, action="appraisal_destroy").exists()
    with pytest.raises(ValidationError):
        services.appraisal_decide(
            appraisal=appraisal,
            by=arch["leader"],
            decision_number="16/QĐ",
            verdicts={doomed.pk: ("destroy", None)},
        )


def test_leader_todo_counter_and_menus(arch):
    f = make_file(arch, status=CaseFile.Status.ARCHIVED, retention="2", retention_until=date(2020, 12, 31))
    assert selectors.pending_appraisal_count(arch["leader"]) == 0
    services.appraisal_propose(by=arch["archivist"], file_ids=[f.pk], reason="Hết hạn")
    assert selectors.pending_appraisal_count(arch["leader"]) == 1
    assert selectors.pending_appraisal_count(arch["archivist"]) == 0

    def keys(user):
        return {i.key for i in visible_items(user) if i.key.startswith("records.")}

    assert {"records.archive", "records.catalogue"} <= keys(arch["archivist"])
    assert "records.appraisals" in keys(arch["leader"]) and "records.archive" not in keys(arch["leader"])
    assert "records.transfer" in keys(arch["clerk"]) and "records.transfer" in keys(arch["head"])
    assert "records.transfer" not in keys(arch["colleague"])  # owns nothing past "open"
    assert "records.transfer" in keys(arch["owner"])


# --- other agencies, roles ----------------------------------------------------------------------------


def test_another_agency_gets_404_everywhere(arch, login, client):
    f = make_file(arch, status=CaseFile.Status.ARCHIVED, retention="2", retention_until=date(2020, 12, 31))
    pending = make_file(arch)
    transfer = services.transfer_create(by=arch["owner"], file_ids=[pending.pk])
    borrow = services.borrow_request(
        case_file=f, by=arch["stranger"], purpose="x", until=timezone.localdate() + timedelta(days=1)
    )
    appraisal = services.appraisal_propose(by=arch["archivist"], file_ids=[f.pk], reason="Hết hạn")
    login(arch["other_archivist"])
    assert client.get(reverse("documents:transfer_detail", args=[transfer.pk])).status_code == 404
    assert client.post(reverse("documents:transfer_accept", args=[transfer.pk])).status_code == 404
    assert client.get(reverse("documents:archive_file", args=[f.pk])).status_code == 404
    assert client.get(reverse("documents:borrow_create", args=[f.pk])).status_code == 404
    assert client.post(reverse("documents:borrow_decide", args=[borrow.pk]), {}).status_code == 404
    assert client.get(reverse("documents:appraisal_detail", args=[appraisal.pk])).status_code == 404
    assert client.get(reverse("documents:archive_files")).context["page"].paginator.count == 0
    transfer.refresh_from_db()
    assert transfer.status == Transfer.Status.SUBMITTED
    # an officer is not an archivist
    login(arch["owner"])
    assert client.get(reverse("documents:archive_home")).status_code == 403
    assert client.get(reverse("documents:retention_expired")).status_code == 403


# --- query counts ----------------------------------------------------------------------------------------


def _archive_rows(arch, n: int, start: int = 0):
    for k in range(start, start + n):
        f = make_file(
            arch,
            status=CaseFile.Status.ARCHIVED,
            retention="2",
            retention_until=date(2020, 12, 31),
            archive_code=f"LT.2026.{k:04d}",
        )
        BorrowRequest.objects.create(
            case_file=f, requester=arch["stranger"], purpose="x", until=date(2099, 1, 1)
        )
        BorrowRequest.objects.create(case_file=f, requester=arch["colleague"], purpose="y")
        AccessEvent.objects.create(
            kind="casefile", object_id=f.pk, user=arch["leader"], agency=arch["agency"]
        )
        services.transfer_create(by=arch["owner"], file_ids=[make_file(arch).pk])
    return f


def test_archive_lists_cost_a_fixed_number_of_queries(arch, login, client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def counts(f) -> dict[str, int]:
        pages = {
            "home": reverse("documents:archive_home"),
            "files": reverse("documents:archive_files"),
            "search": reverse("documents:archive_files") + "?q=DKKD&retention=2&status=all",
            "borrows": reverse("documents:archive_borrows"),
            "expired": reverse("documents:retention_expired"),
            "appraisals": reverse("documents:appraisal_list"),
            "catalogue": reverse("documents:archive_catalogue"),
            "file": reverse("documents:archive_file", args=[f.pk]),
            "transfer": reverse("documents:transfer_create"),
        }
        result = {}
        for user in ("archivist", "stranger"):
            login(arch[user])
            for name, url in pages.items():
                client.get(url)  # warm (per-process caches: content types, the calendar)
                with CaptureQueriesContext(connection) as ctx:
                    status = client.get(url).status_code
                result[f"{user}:{name}"] = (status, len(ctx.captured_queries))
        return result

    few = counts(_archive_rows(arch, 2))
    many = counts(_archive_rows(arch, 10, start=2))
    assert few == many  # the same status and number of queries with 2 rows and with 12
    assert few["archivist:files"][0] == 200 and few["stranger:catalogue"][0] == 200
    assert all(n <= 30 for _status, n in many.values())
    login(arch["stranger"])
    assert len(client.get(reverse("documents:archive_catalogue")).context["page"].object_list) == 12
