"""The case file page completed against Phụ lục VI: its Mục III metadata with custom field values and the
usage-rights request (III.7c, III.3c, IV.1d), every view and paper download logged (III.6a, III.6l), the
links to the archive (nộp lưu, the transfer, the borrow request), the lock on demand (IV.1g) and the records
of an archived file refused any change."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from documents.incoming import services as incoming_services
from documents.records import access, selectors
from documents.records.archive import services as archive_services
from documents.records.models import AccessChange, CaseFile, CaseFileItem, CustomField, CustomFieldValue
from documents.records.services import files as services
from eoffice.models import AccessEvent, Role
from tests.documents.conftest import pdf_upload, receive
from tests.documents.records.test_services import FROZEN, open_file
from tests.factories import make_user
from workflow.models import HistoryEntry
from workflow.selectors import history_for

pytestmark = pytest.mark.django_db

LOCKED = "Hồ sơ đang bị khóa, không được thay đổi"
IN_ARCHIVE = "Văn bản nằm trong hồ sơ đã nộp lưu, không được thay đổi."


def _messages(response) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


def _events(case_file) -> list[tuple[int, str]]:
    return list(
        AccessEvent.objects.filter(kind="casefile", object_id=case_file.pk)
        .order_by("id")
        .values_list("user_id", "action")
    )


# --- III.7c, III.3c, IV.1d: the metadata partial on the page ------------------------------------------


def test_custom_value_and_rights_request_from_the_case_file_page(people, login):
    clerk = people["clerk"]
    case_file = open_file(clerk)
    field = CustomField.objects.create(
        agency_id=clerk.agency_id, kind="casefile", label="Mã dự án", position=1
    )
    page = reverse("documents:casefile_detail", args=[case_file.pk])
    client = login(clerk)
    html = client.get(page).content.decode()
    assert "Phụ lục VI, Phần II, Mục III" in html and 'data-field="rights"' in html
    assert 'data-testid="metadata-form"' in html and f'name="cf_{field.pk}"' in html
    assert 'data-testid="rights-form"' in html
    # the value entered with the page's form
    values_url = reverse("documents:metadata_values", args=["casefile", case_file.pk])
    assert f'action="{values_url}"' in html
    response = client.post(values_url, {f"cf_{field.pk}": "DA-2026-07", "next": page}, follow=True)
    assert response.status_code == 200
    assert CustomFieldValue.objects.get(field=field, object_id=case_file.pk).value == "DA-2026-07"
    html = response.content.decode()
    assert f'data-field="cf{field.pk}"' in html and "DA-2026-07" in html
    # the rights change asked with the page's form, pending until a leader confirms it
    rights_url = reverse("documents:casefile_rights_request", args=[case_file.pk])
    assert f'action="{rights_url}"' in html
    response = client.post(
        rights_url, {"new_rights": "public", "reason": "Công khai theo quy chế", "next": page}, follow=True
    )
    change = AccessChange.objects.get(kind="casefile", object_id=case_file.pk)
    assert change.status == AccessChange.Status.PENDING and change.new_rights == "public"
    html = response.content.decode()
    assert 'data-testid="access-pending"' in html and 'data-testid="rights-form"' not in html
    case_file.refresh_from_db()
    assert case_file.rights == "restricted"
    # the leader confirms it from the same page
    html = login(people["leader"]).get(page).content.decode()
    assert 'data-testid="access-decide-form"' in html
    login(people["leader"]).post(
        reverse("documents:access_change_decide", args=[change.pk]), {"decision": "confirm", "next": page}
    )
    case_file.refresh_from_db()
    assert case_file.rights == "public"
    # someone who only reads the file sees the block, not the forms
    reader = make_user(agency=clerk.agency, roles=[Role.AGENCY_ADMIN])
    html = login(reader).get(page).content.decode()
    assert "DA-2026-07" in html and 'data-testid="metadata-form"' not in html
    assert 'data-testid="rights-form"' not in html


# --- III.6a, III.6l: every view and download logged -----------------------------------------------------


def test_every_view_and_paper_download_is_logged_with_one_insert(people, client, login):
    officer = people["officer"]
    case_file = open_file(officer)
    item = services.case_file_add_paper(
        case_file=case_file, upload=pdf_upload(), subject="Tờ trình", by=officer
    )
    page = reverse("documents:casefile_detail", args=[case_file.pk])
    login(officer).get(page)
    login(people["head"]).get(page)
    paper = login(officer).get(reverse("documents:casefile_item_open", args=[case_file.pk, item.pk]))
    assert paper.status_code == 200
    content = b"".join(paper.streaming_content) if paper.streaming else paper.content
    assert content.startswith(b"%PDF")
    assert _events(case_file) == [
        (officer.pk, "view"),
        (people["head"].pk, "view"),
        (officer.pk, "download"),
    ]
    # a refused read is not logged; writes are not views
    assert login(people["other_officer"]).get(page).status_code == 404
    login(officer).post(reverse("documents:casefile_sort", args=[case_file.pk]))
    assert len(_events(case_file)) == 3


# --- links to the archive --------------------------------------------------------------------------------


def test_links_to_the_archive(people, login):
    officer, clerk = people["officer"], people["clerk"]
    archivist = make_user(agency=clerk.agency, roles=[Role.ARCHIVIST])
    case_file = open_file(officer)
    page = reverse("documents:casefile_detail", args=[case_file.pk])
    html = login(officer).get(page).content.decode()
    assert 'data-testid="transfer-create"' not in html  # still open
    services.case_file_close(case_file=case_file, by=officer)
    html = login(officer).get(page).content.decode()
    assert (
        f'href="{reverse("documents:transfer_create")}"' in html and 'data-testid="transfer-create"' in html
    )
    html = login(people["officer2"]).get(page).content.decode()  # reads the unit's file, may not hand it over
    assert 'data-testid="transfer-create"' not in html
    transfer = archive_services.transfer_create(by=officer, file_ids=[case_file.pk])
    transfer_url = reverse("documents:transfer_detail", args=[transfer.pk])
    html = login(officer).get(page).content.decode()
    assert f'href="{transfer_url}"' in html and 'data-testid="transfer-create"' not in html
    html = login(people["officer2"]).get(page).content.decode()
    assert f'href="{transfer_url}"' not in html  # not a transfer of theirs
    archive_services.transfer_accept(transfer=transfer, by=archivist)
    assert f'href="{transfer_url}"' in login(archivist).get(page).content.decode()
    # archived: the owner may not read it any more (a 404) but is shown the way to ask the archive
    response = login(officer).get(page)
    borrow_url = reverse("documents:borrow_create", args=[case_file.pk])
    assert response.status_code == 404 and f'href="{borrow_url}"' in response.content.decode()
    login(officer).post(borrow_url, {"purpose": "Tra cứu số liệu.", "until": "2099-01-01"})
    html = login(officer).get(page).content.decode()
    assert 'data-testid="borrow-pending"' in html and f'href="{borrow_url}"' not in html


def test_archived_file_of_another_agency_is_a_plain_404(people, people_b, login):
    case_file = open_file(people["clerk"])
    CaseFile.objects.filter(pk=case_file.pk).update(status=CaseFile.Status.ARCHIVED)
    page = reverse("documents:casefile_detail", args=[case_file.pk])
    response = login(people_b["clerk"]).get(page)
    assert response.status_code == 404 and 'data-testid="borrow-needed"' not in response.content.decode()
    secret = open_file(people["clerk"], code="02.VP", rights="secret")
    CaseFile.objects.filter(pk=secret.pk).update(status=CaseFile.Status.ARCHIVED)
    response = login(people["officer"]).get(reverse("documents:casefile_detail", args=[secret.pk]))
    assert response.status_code == 404 and 'data-testid="borrow-needed"' not in response.content.decode()


# --- IV.1g: the lock on demand ----------------------------------------------------------------------------


def test_lock_and_unlock_over_http(people, login):
    officer, leader = people["officer"], people["leader"]
    archivist = make_user(agency=officer.agency, roles=[Role.ARCHIVIST])
    case_file = open_file(officer)
    services.case_file_add_paper(case_file=case_file, upload=pdf_upload(), subject="Giấy mời", by=officer)
    page = reverse("documents:casefile_detail", args=[case_file.pk])
    lock_url = reverse("documents:casefile_lock", args=[case_file.pk])
    html = login(officer).get(page).content.decode()
    assert 'data-testid="lock-form"' not in html  # the owner has no authority to lock
    response = login(officer).post(lock_url, {"reason": "Tự khóa"}, follow=True)
    assert "Chỉ lãnh đạo hoặc lưu trữ cơ quan được khóa, mở khóa hồ sơ." in _messages(response)
    assert access.lock_entry(CaseFile.objects.get(pk=case_file.pk)) is None
    html = login(leader).get(page).content.decode()
    assert 'data-testid="lock-form"' in html
    response = login(leader).post(lock_url, {"reason": ""}, follow=True)
    assert "Vui lòng nêu lý do khóa hồ sơ." in " ".join(_messages(response))
    response = login(leader).post(lock_url, {"reason": "Đang thanh tra dự án"}, follow=True)
    assert "Đã khóa hồ sơ." in _messages(response)
    html = response.content.decode()
    assert 'data-testid="lock-alert"' in html and "Đang thanh tra dự án" in html
    assert 'data-testid="upload-form"' not in html and 'data-testid="close-file"' not in html
    # every write refused, with the reason
    html = login(officer).get(page).content.decode()
    assert 'data-testid="upload-form"' not in html and 'data-testid="unlock-file"' not in html
    refused = [
        login(officer).post(
            reverse("documents:casefile_upload", args=[case_file.pk]),
            {"file": pdf_upload(), "subject": "Thêm khi bị khóa"},
            follow=True,
        ),
        login(officer).post(reverse("documents:casefile_close", args=[case_file.pk]), follow=True),
        login(officer).post(
            reverse("documents:casefile_edit", args=[case_file.pk]), {"title": "Đổi tên"}, follow=True
        ),
        login(officer).post(reverse("documents:casefile_sort", args=[case_file.pk]), follow=True),
    ]
    for response in refused:
        assert any(m.startswith(LOCKED) and "Đang thanh tra dự án" in m for m in _messages(response))
    case_file.refresh_from_db()
    assert case_file.status == CaseFile.Status.OPEN and case_file.title == "Hồ sơ kế hoạch năm"
    assert CaseFileItem.objects.filter(case_file=case_file).count() == 1
    doc = receive(people["clerk"], n=3)
    with pytest.raises(ValidationError, match=LOCKED):
        services.case_file_add_record(
            case_file=case_file, kind="incoming", object_id=doc.pk, by=people["clerk"]
        )
    with pytest.raises(ValidationError, match="đã bị khóa"):
        services.case_file_lock(case_file=case_file, by=archivist, reason="Lần nữa")
    # the rights request refused too (helper 7's service calls ensure_changeable)
    response = login(officer).post(
        reverse("documents:casefile_rights_request", args=[case_file.pk]),
        {"new_rights": "public", "reason": "x"},
        follow=True,
    )
    assert not AccessChange.objects.filter(kind="casefile").exists()
    # the archivist unlocks it; changes are taken again
    response = login(archivist).post(lock_url, {"op": "unlock"}, follow=True)
    assert "Đã mở khóa hồ sơ." in _messages(response)
    response = login(officer).post(reverse("documents:casefile_close", args=[case_file.pk]), follow=True)
    assert "Đã kết thúc hồ sơ." in _messages(response)
    actions = [e.action for e in history_for(record=case_file) if e.action in (access.LOCK, access.UNLOCK)]
    assert actions == [access.UNLOCK, access.LOCK]  # newest first
    assert "Khóa hồ sơ" in login(officer).get(page).content.decode()  # the history label


def test_locked_closed_file_cannot_be_reopened_or_transferred(people):
    officer, leader = people["officer"], people["leader"]
    case_file = open_file(officer)
    services.case_file_close(case_file=case_file, by=officer)
    services.case_file_lock(case_file=case_file, by=leader, reason="Chờ kết luận kiểm toán")
    case_file.refresh_from_db()
    assert not access.can_reopen(officer, case_file)
    with pytest.raises(ValidationError, match=LOCKED):
        services.case_file_reopen(case_file=case_file, by=officer)
    with pytest.raises(ValidationError, match=LOCKED):
        archive_services.transfer_create(by=officer, file_ids=[case_file.pk])
    assert CaseFile.objects.get(pk=case_file.pk).status == CaseFile.Status.CLOSED
    services.case_file_unlock(case_file=case_file, by=leader)
    archive_services.transfer_create(by=officer, file_ids=[case_file.pk])
    assert CaseFile.objects.get(pk=case_file.pk).status == CaseFile.Status.SUBMITTED
    # a file in the archive is not locked on demand: it is frozen already
    with pytest.raises(ValidationError, match=FROZEN):
        services.case_file_lock(case_file=case_file, by=leader, reason="x")


def test_lock_state_is_one_query(people, django_assert_num_queries):
    case_file = open_file(people["officer"])
    services.case_file_lock(case_file=case_file, by=people["leader"], reason="Kiểm tra")
    fresh = CaseFile.objects.get(pk=case_file.pk)
    with django_assert_num_queries(1):
        assert access.lock_entry(fresh).comment == "Kiểm tra"
        assert not access.can_manage(people["officer"], fresh)  # remembered on the instance
    assert HistoryEntry.objects.for_record(case_file).filter(action=access.LOCK).count() == 1


# --- IV.1g: records of an archived file do not change ------------------------------------------------


def test_incoming_document_in_an_archived_file_refuses_changes(people, login):
    clerk = people["clerk"]
    doc = receive(clerk, n=5)
    case_file = open_file(clerk)
    services.case_file_add_record(case_file=case_file, kind="incoming", object_id=doc.pk, by=clerk)
    assert not selectors.record_in_archived_file("incoming", doc.pk)
    incoming_services.incoming_add_attachments(document=doc, by=clerk, files=[pdf_upload(text="Phụ lục 1")])
    CaseFile.objects.filter(pk=case_file.pk).update(status=CaseFile.Status.ARCHIVED)
    assert selectors.record_in_archived_file("incoming", doc.pk)
    assert not selectors.record_in_archived_file("outgoing", doc.pk)
    with pytest.raises(ValidationError, match=IN_ARCHIVE):
        incoming_services.incoming_add_attachments(
            document=doc, by=clerk, files=[pdf_upload(text="Phụ lục 2")]
        )
    response = login(clerk).post(
        reverse("documents:incoming_attachments", args=[doc.pk]),
        {"attachments-files": [pdf_upload(text="Phụ lục 3")]},
        follow=True,
    )
    assert IN_ARCHIVE in response.content.decode()
    assert doc.attachments.count() == 1
    with pytest.raises(ValidationError, match=IN_ARCHIVE):
        incoming_services.incoming_link_reply(document=doc, by=clerk, reply_number_symbol="12/SKHDT-VP")
