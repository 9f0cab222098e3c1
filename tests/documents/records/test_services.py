"""Case files core (Phụ lục VI III.4b–đ–e, V.5 ordering): open from the plan or ad hoc, hold records of any
kind without copies, number them chronologically, reorder, upload papers, close, refuse changes once frozen.

The helpers at the top are shared by the other ``tests/documents/records/test_*.py`` modules."""

from __future__ import annotations

import hashlib
import io
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from documents.models import DocumentType
from documents.outgoing.models import OutgoingDocument, OutgoingVersion
from documents.records.models import (
    CaseFile,
    CaseFileItem,
    FilePlan,
    FilePlanEntry,
    FilePlanHeading,
    Retention,
)
from documents.records.services import files as services
from documents.registers.models import Register
from tests.documents.conftest import pdf_bytes, pdf_upload, receive
from workflow.models import HistoryEntry, WorkflowState
from workflow.selectors import history_for

pytestmark = pytest.mark.django_db

FROZEN = "Hồ sơ đã nộp lưu, không được thay đổi."


def open_file(by, code="01.VP", title="Hồ sơ kế hoạch năm", retention=Retention.Y10, **extra) -> CaseFile:
    return services.case_file_open(by=by, title=title, retention=retention, code=code, **extra)


def incoming_on(clerk, n: int, issued: date, **extra):
    return receive(clerk, n=n, issued_date=issued, **extra)


def issued_outgoing(*, by, n: int = 7, issued_at=None, drafts: int = 2) -> OutgoingDocument:
    """An issued outgoing document built from the models (drafts, then its signed and sealed PDFs)."""
    issued_at = issued_at or timezone.now()
    register = Register.objects.get_or_create(
        agency_id=by.agency_id, kind=Register.Kind.OUTGOING, code="VBDI", defaults={"name": "Sổ văn bản đi"}
    )[0]
    doc = OutgoingDocument.objects.create(
        register=register,
        agency_id=by.agency_id,
        department=by.department,
        doc_type=DocumentType.objects.get_or_create(name="Công văn")[0],
        summary=f"Về việc báo cáo kết quả số {n}",
        number=n,
        year=issued_at.year,
        number_symbol=f"{n:02d}/SKHDT-VP",
        issued_at=issued_at,
        drafted_by=by,
        signer=by,
        signer_title="Giám đốc",
        state=WorkflowState.ISSUED,
    )
    kinds = [OutgoingVersion.Kind.RENDERED] * drafts + [
        OutgoingVersion.Kind.SIGNED,
        OutgoingVersion.Kind.SEALED,
    ]
    for number, kind in enumerate(kinds, start=1):
        data = pdf_bytes(f"Phiên bản {number} {kind}")
        version = OutgoingVersion(
            document=doc,
            number=number,
            kind=kind,
            sha256=hashlib.sha256(data).hexdigest(),
            size=len(data),
            pages=number,
            created_by=by,
        )
        version.file.save(f"v{number}.pdf", ContentFile(data), save=False)
        version.save()
    return doc


def png_named_pdf() -> SimpleUploadedFile:
    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (40, 40), (255, 0, 0)).save(buf, format="PNG")
    return SimpleUploadedFile("bao-cao.pdf", buf.getvalue(), content_type="application/pdf")


def ordinals(case_file) -> list[tuple[int, str]]:
    return list(
        CaseFileItem.objects.filter(case_file=case_file).order_by("ordinal").values_list("ordinal", "subject")
    )


# --- opening -------------------------------------------------------------------------------------------


def test_open_ad_hoc_without_plan_and_unique_code(people):
    case_file = open_file(people["officer"], code="01.KT", year=2026)
    assert (case_file.year, case_file.code, case_file.retention) == (2026, "01.KT", "10")
    assert case_file.owner == people["officer"] and case_file.department == people["unit"]
    assert case_file.plan_entry is None and case_file.status == CaseFile.Status.OPEN
    with pytest.raises(ValidationError) as exc:
        open_file(people["clerk"], code="01.kt", year=2026)
    assert "đã có trong năm 2026" in exc.value.messages[0]
    assert CaseFile.objects.count() == 1
    # another year takes the same code
    assert open_file(people["clerk"], code="01.KT", year=2027).year == 2027
    assert history_for(record=case_file).filter(action="casefile_open").exists()


def test_open_ad_hoc_is_added_to_the_years_plan(people):
    plan = FilePlan.objects.create(agency=people["clerk"].agency, year=2026, created_by=people["clerk"])
    heading = FilePlanHeading.objects.create(plan=plan, title="Tổng hợp", position=1)
    FilePlanEntry.objects.create(
        plan=plan, heading=heading, number=4, code="04.TH", title="Kế hoạch", retention=Retention.Y20
    )
    first = open_file(people["officer"], code="05.BS", title="Hồ sơ đoàn kiểm tra", year=2026)
    second = open_file(people["officer"], code="06.BS", title="Hồ sơ hội nghị", year=2026)
    assert first.plan_entry.ad_hoc and first.plan_entry.number == 5 and first.plan_entry.code == "05.BS"
    assert second.plan_entry.number == 6
    assert first.plan_entry.heading == second.plan_entry.heading
    assert first.plan_entry.heading.title == "Hồ sơ bổ sung ngoài danh mục"
    assert FilePlanHeading.objects.filter(plan=plan).count() == 2
    with pytest.raises(ValidationError):  # the plan's own code is taken
        open_file(people["officer"], code="04.TH", year=2026)


def test_open_from_plan_entry_takes_its_code_title_retention_and_unit(people):
    plan = FilePlan.objects.create(agency=people["clerk"].agency, year=2026, created_by=people["clerk"])
    heading = FilePlanHeading.objects.create(plan=plan, title="Kinh tế", position=1)
    entry = FilePlanEntry.objects.create(
        plan=plan,
        heading=heading,
        number=1,
        code="01.KT",
        title="Hồ sơ đăng ký doanh nghiệp",
        retention=Retention.Y20,
        department=people["other_unit"],
    )
    case_file = services.case_file_open(by=people["officer"], plan_entry=entry)
    assert (case_file.code, case_file.title, case_file.retention, case_file.year) == (
        "01.KT",
        "Hồ sơ đăng ký doanh nghiệp",
        "20",
        2026,
    )
    assert case_file.department == people["other_unit"] and case_file.plan_entry == entry
    with pytest.raises(ValidationError):
        services.case_file_open(by=people["clerk"], plan_entry=entry)


def test_open_refuses_bad_input_and_other_agency_plan(people, people_b):
    with pytest.raises(ValidationError):
        open_file(people["clerk"], code="")
    with pytest.raises(ValidationError):
        open_file(people["clerk"], retention="11")
    plan_b = FilePlan.objects.create(agency=people_b["clerk"].agency, year=2026, created_by=people_b["clerk"])
    heading = FilePlanHeading.objects.create(plan=plan_b, title="B", position=1)
    entry_b = FilePlanEntry.objects.create(
        plan=plan_b, heading=heading, number=1, code="01", title="B", retention="5"
    )
    with pytest.raises(PermissionDenied):
        services.case_file_open(by=people["clerk"], plan_entry=entry_b)
    assert not CaseFile.objects.exists()


# --- items ---------------------------------------------------------------------------------------------


def test_items_numbered_chronologically_with_totals_and_history(people):
    clerk = people["clerk"]
    case_file = open_file(clerk)
    march = incoming_on(clerk, 3, date(2026, 3, 1), page_count=3)
    january = incoming_on(clerk, 1, date(2026, 1, 10), page_count=2)
    february = incoming_on(clerk, 2, date(2026, 2, 5), page_count=4)
    for doc in (march, january, february):
        services.case_file_add_record(case_file=case_file, kind="incoming", object_id=doc.pk, by=clerk)
    assert [s for _, s in ordinals(case_file)] == [january.summary, february.summary, march.summary]
    assert [n for n, _ in ordinals(case_file)] == [1, 2, 3]
    case_file.refresh_from_db()
    assert (case_file.doc_total, case_file.page_total) == (3, 9)
    item = CaseFileItem.objects.get(case_file=case_file, object_id=january.pk)
    assert (item.code_number, item.code_notation, item.organ_name) == ("01", "UBND-KT", january.issuer_name)
    assert item.issued_date == date(2026, 1, 10) and item.page_amount == 2
    assert history_for(record=case_file).filter(action="casefile_add").count() == 3
    assert history_for(record=january).filter(event=HistoryEntry.Event.COMMENT, action="case_file").exists()


def test_a_document_in_several_files_without_copies(people):
    clerk = people["clerk"]
    doc = receive(clerk, n=1)
    a, b = open_file(clerk, code="01.VP"), open_file(clerk, code="02.VP")
    services.case_file_add_record(case_file=a, kind="incoming", object_id=doc.pk, by=clerk)
    services.case_file_add_record(case_file=b, kind="incoming", object_id=doc.pk, by=clerk)
    assert CaseFileItem.objects.filter(kind="incoming", object_id=doc.pk).count() == 2
    with pytest.raises(ValidationError) as exc:
        services.case_file_add_record(case_file=a, kind="incoming", object_id=doc.pk, by=clerk)
    assert exc.value.messages == ["Tài liệu đã có trong hồ sơ này."]
    with pytest.raises(ValidationError):
        services.case_file_add_record(case_file=a, kind="nonsense", object_id=doc.pk, by=clerk)


def test_move_sort_and_remove_renumber(people):
    clerk = people["clerk"]
    case_file = open_file(clerk)
    docs = [incoming_on(clerk, n, date(2026, 1, n)) for n in (1, 2, 3)]
    for doc in docs:
        services.case_file_add_record(case_file=case_file, kind="incoming", object_id=doc.pk, by=clerk)
    third = CaseFileItem.objects.get(case_file=case_file, object_id=docs[2].pk)
    services.case_file_move_item(case_file=case_file, item=third, up=True, by=clerk)
    assert [s for _, s in ordinals(case_file)] == [docs[0].summary, docs[2].summary, docs[1].summary]
    services.case_file_move_item(case_file=case_file, item=third, up=True, by=clerk)
    services.case_file_move_item(case_file=case_file, item=third, up=True, by=clerk)  # already first: no-op
    assert ordinals(case_file)[0][1] == docs[2].summary
    services.case_file_sort_chronologically(case_file=case_file, by=clerk)
    assert [s for _, s in ordinals(case_file)] == [d.summary for d in docs]
    first = CaseFileItem.objects.get(case_file=case_file, object_id=docs[0].pk)
    services.case_file_remove_item(case_file=case_file, item=first, by=clerk)
    assert ordinals(case_file) == [(1, docs[1].summary), (2, docs[2].summary)]
    case_file.refresh_from_db()
    assert case_file.doc_total == 2
    assert docs[0].__class__.objects.filter(pk=docs[0].pk).exists()  # the record itself stays


def test_paper_upload_hashed_counted_and_inserted_by_date(people):
    clerk = people["clerk"]
    case_file = open_file(clerk)
    doc = incoming_on(clerk, 1, date(2026, 3, 1))
    services.case_file_add_record(case_file=case_file, kind="incoming", object_id=doc.pk, by=clerk)
    upload = pdf_upload("to-trinh.pdf", "Tờ trình")
    data = upload.read()
    upload.seek(0)
    item = services.case_file_add_paper(
        case_file=case_file, upload=upload, subject="Tờ trình đề xuất", by=clerk, issued_date=date(2026, 2, 1)
    )
    assert item.kind == "paper" and item.object_id is None and item.ordinal == 1
    assert item.file_sha256 == hashlib.sha256(data).hexdigest() and item.page_amount == 1
    assert item.file.read() == data
    assert ordinals(case_file)[1][0] == 2
    with pytest.raises(ValidationError):
        services.case_file_add_paper(case_file=case_file, upload=png_named_pdf(), subject="Giả PDF", by=clerk)
    assert CaseFileItem.objects.filter(case_file=case_file).count() == 2


def test_outgoing_kind_files_drafts_then_issued(people):
    leader = people["leader"]
    doc = issued_outgoing(by=leader, drafts=2)
    case_file = open_file(leader)
    item = services.case_file_add_record(case_file=case_file, kind="outgoing", object_id=doc.pk, by=leader)
    assert (item.code_number, item.code_notation, item.signer_name) == ("07", "SKHDT-VP", leader.full_name)
    assert item.signer_position == "Giám đốc" and item.page_amount == 4  # the sealed PDF's pages
    from documents.records import kinds

    files = kinds.get("outgoing").files(doc)
    assert [f.caption for f in files] == ["Dự thảo lần 1", "Dự thảo lần 2", "Văn bản phát hành"]
    sealed = doc.versions.get(kind=OutgoingVersion.Kind.SEALED)
    assert files[-1].sha256 == sealed.sha256 and files[-1].read() == sealed.file.open("rb").read()


def test_incoming_kind_files_main_and_attachments(people):
    doc = receive(people["clerk"], n=4, number_symbol="15/QĐ-UBND")
    from documents.records import kinds

    files = kinds.get("incoming").files(doc)
    assert files[0].sha256 == doc.file_sha256 and files[0].read()[:5] == b"%PDF-"
    snapshot = kinds.get("incoming").snapshot(doc)
    assert (snapshot.code_number, snapshot.code_notation) == ("15", "QĐ-UBND")


def test_refresh_snapshots_takes_changed_metadata(people):
    clerk = people["clerk"]
    case_file = open_file(clerk)
    doc = receive(clerk, n=1)
    services.case_file_add_record(case_file=case_file, kind="incoming", object_id=doc.pk, by=clerk)
    type(doc).objects.filter(pk=doc.pk).update(summary="Trích yếu đã sửa", page_count=6)
    assert services.case_file_refresh_snapshots(case_file=case_file) == 1
    item = CaseFileItem.objects.get(case_file=case_file)
    assert item.subject == "Trích yếu đã sửa"
    case_file.refresh_from_db()
    assert case_file.page_total == 6


# --- who may change, closed and frozen files --------------------------------------------------------------


def test_only_owner_clerk_leader_manage(people):
    case_file = open_file(people["officer"])
    doc = receive(people["clerk"], n=1)
    with pytest.raises(PermissionDenied):
        services.case_file_add_record(
            case_file=case_file, kind="incoming", object_id=doc.pk, by=people["officer2"]
        )
    services.case_file_add_record(case_file=case_file, kind="incoming", object_id=doc.pk, by=people["leader"])
    with pytest.raises(PermissionDenied):
        services.case_file_close(case_file=case_file, by=people["head"])


def test_record_the_user_cannot_see_or_of_another_agency_is_refused(people, people_b):
    doc_b = receive(people_b["clerk"], n=1)
    case_file = open_file(people["clerk"])
    with pytest.raises(PermissionDenied):
        services.case_file_add_record(
            case_file=case_file, kind="incoming", object_id=doc_b.pk, by=people["clerk"]
        )
    with pytest.raises(PermissionDenied):  # the other agency's clerk cannot touch this file
        services.case_file_add_record(
            case_file=case_file, kind="incoming", object_id=doc_b.pk, by=people_b["clerk"]
        )
    assert not CaseFileItem.objects.exists()


def test_close_sets_transfer_due_and_reopen(people):
    clerk = people["clerk"]
    case_file = open_file(clerk)
    closed = services.case_file_close(case_file=case_file, by=clerk)
    assert closed.status == CaseFile.Status.CLOSED and closed.closed_at is not None
    assert closed.transfer_due == services.transfer_due_for(closed.closed_at)
    assert closed.transfer_due - timezone.localdate() >= timedelta(days=364)
    with pytest.raises(ValidationError):
        services.case_file_add_record(
            case_file=closed, kind="incoming", object_id=receive(clerk, n=2).pk, by=clerk
        )
    with pytest.raises(ValidationError):
        services.case_file_close(case_file=closed, by=clerk)
    reopened = services.case_file_reopen(case_file=closed, by=clerk)
    assert reopened.status == CaseFile.Status.OPEN and reopened.transfer_due is None
    with pytest.raises(ValidationError):
        services.case_file_reopen(case_file=reopened, by=clerk)


@pytest.mark.parametrize(
    "status", [CaseFile.Status.SUBMITTED, CaseFile.Status.ARCHIVED, CaseFile.Status.DISPOSED]
)
def test_every_write_refused_once_frozen(people, status):
    clerk = people["clerk"]
    case_file = open_file(clerk)
    doc = receive(clerk, n=1)
    item = services.case_file_add_record(case_file=case_file, kind="incoming", object_id=doc.pk, by=clerk)
    CaseFile.objects.filter(pk=case_file.pk).update(status=status)
    case_file.refresh_from_db()
    other = receive(clerk, n=2)
    writes = [
        lambda: services.case_file_add_record(
            case_file=case_file, kind="incoming", object_id=other.pk, by=clerk
        ),
        lambda: services.case_file_add_paper(
            case_file=case_file, upload=pdf_upload(), subject="Giấy", by=clerk
        ),
        lambda: services.case_file_remove_item(case_file=case_file, item=item, by=clerk),
        lambda: services.case_file_move_item(case_file=case_file, item=item, up=False, by=clerk),
        lambda: services.case_file_sort_chronologically(case_file=case_file, by=clerk),
        lambda: services.case_file_close(case_file=case_file, by=clerk),
        lambda: services.case_file_reopen(case_file=case_file, by=clerk),
        lambda: services.case_file_update(case_file=case_file, by=clerk, title="Đổi tên"),
        lambda: services.case_file_refresh_snapshots(case_file=case_file),
    ]
    for write in writes:
        with pytest.raises(ValidationError) as exc:
            write()
        assert exc.value.messages == [FROZEN]
    assert ordinals(case_file) == [(1, doc.summary)]
