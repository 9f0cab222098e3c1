from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from documents.incoming import selectors, services
from documents.records import services as records_services
from eoffice.models import Notification
from tests.documents.conftest import pdf_upload, receive
from workflow.models import Assignment, HistoryEntry, WorkflowState
from workflow.services import RecordChanged

pytestmark = pytest.mark.django_db


def _direct(doc, people, **extra):
    kwargs = {
        "document": doc,
        "by": people["leader"],
        "instruction": "Giao Phòng ĐKKD chủ trì, báo cáo trước 15/3.",
        "lead_department": people["unit"],
        "informed": [people["other_head"]],
        "due_at": timezone.now() + timedelta(days=7),
    }
    kwargs.update(extra)
    return services.incoming_direct(**kwargs)


def test_full_path_clerk_leader_head_officer_finish(people):
    doc = receive(people["clerk"], n=1)
    assert doc in selectors.incoming_list(user=people["leader"], queue="direction")
    doc = _direct(doc, people)
    assert doc.state == WorkflowState.ASSIGNED and doc.instruction.startswith("Giao")
    # the head is notified once (by the workflow engine), and sees the document to process
    assert Notification.objects.filter(recipient=people["head"], kind="workflow.assigned").count() == 1
    assert doc in selectors.incoming_list(user=people["head"], queue="todo")
    unit_part = Assignment.objects.for_record(doc).get(role="lead")
    services.incoming_forward(
        document=doc,
        assignment=unit_part,
        by=people["head"],
        to_user=people["officer"],
        instruction="Đức xử lý.",
    )
    assert Notification.objects.filter(recipient=people["officer"], kind="workflow.assigned").count() == 1
    assert doc not in selectors.incoming_list(user=people["head"], queue="todo")
    assert doc in selectors.incoming_list(user=people["officer"], queue="todo")
    services.incoming_progress(
        document=doc,
        by=people["officer"],
        note="Đã dự thảo báo cáo",
        percent=50,
        attachment=pdf_upload("du-thao.pdf", "Dự thảo"),
    )
    doc.refresh_from_db()
    assert doc.state == WorkflowState.PROCESSING
    assert doc in selectors.incoming_list(user=people["officer"], queue="progress")
    services.incoming_request_input(
        document=doc, by=people["officer"], coordinators=[people["other_officer"]], note="Cho ý kiến số liệu"
    )
    co_part = Assignment.objects.for_record(doc).get(role="coordinate", assignee=people["other_officer"])
    services.incoming_coordinate_reply(
        document=doc, assignment=co_part, by=people["other_officer"], note="Số liệu đã rà soát"
    )
    services.incoming_propose(
        document=doc, by=people["officer"], proposal="Đề nghị ban hành công văn trả lời"
    )
    services.incoming_link_reply(document=doc, by=people["officer"], reply_number_symbol="12/SKHĐT-ĐKKD")
    doc = services.incoming_finish(document=doc, by=people["officer"], note="Đã trả lời")
    assert doc.state == WorkflowState.ARCHIVED and doc.completed_at
    assert not Assignment.objects.for_record(doc).filter(status="open").exclude(role="inform").exists()
    assert doc in selectors.incoming_list(user=people["officer"], queue="done")
    # the leader who directed is told it is done
    assert Notification.objects.filter(recipient=people["leader"], title__startswith="Đã hoàn thành").exists()
    actions = set(HistoryEntry.objects.for_record(doc).values_list("action", flat=True))
    assert {"register_number", "assign", "start", "propose", "link_reply", "finish"} <= actions
    # the leader reopens
    doc = services.incoming_reopen(document=doc, by=people["leader"], reason="Cần bổ sung số liệu")
    assert doc.state == WorkflowState.PROCESSING
    assert (
        Assignment.objects.for_record(doc)
        .filter(role="lead", status="open", assignee=people["officer"])
        .exists()
    )


def test_direct_to_a_person(people):
    doc = receive(people["clerk"], n=1)
    doc = _direct(
        doc, people, lead_department=None, lead_user=people["officer2"], coordinators=[people["officer"]]
    )
    assert doc in selectors.incoming_list(user=people["officer2"], queue="todo")
    assert doc in selectors.incoming_list(user=people["officer"], queue="todo")
    with pytest.raises(PermissionDenied):
        services.incoming_finish(document=doc, by=people["officer"])
    services.incoming_finish(document=doc, by=people["officer2"], note="Xong")


def test_only_leaders_direct(people):
    doc = receive(people["clerk"], n=1)
    for who in ("clerk", "head", "officer"):
        with pytest.raises(PermissionDenied):
            _direct(doc, people, by=people[who])


def test_direction_needs_instruction_and_future_deadline(people):
    doc = receive(people["clerk"], n=1)
    with pytest.raises(ValidationError):
        _direct(doc, people, instruction=" ")
    with pytest.raises(ValidationError):
        _direct(doc, people, due_at=timezone.now() - timedelta(days=1))


def test_delegate_to_deputy(people):
    doc = receive(people["clerk"], n=1)
    services.incoming_delegate(document=doc, by=people["leader"], to_leader=people["deputy"])
    assert doc in selectors.incoming_list(user=people["deputy"], queue="direction")
    doc.refresh_from_db()
    assert Notification.objects.filter(
        recipient=people["deputy"], title__contains="Được giao chỉ đạo"
    ).exists()
    _direct(doc, people, by=people["deputy"])


def test_delegated_document_leaves_other_leaders_queue(people, agency_a):
    from eoffice.models import Role
    from tests.factories import make_user

    third = make_user(agency=agency_a, roles=[Role.LEADER])
    doc = receive(people["clerk"], n=1)
    services.incoming_delegate(document=doc, by=people["leader"], to_leader=people["deputy"])
    assert doc not in selectors.incoming_list(user=third, queue="direction")
    with pytest.raises(PermissionDenied):
        _direct(doc, people, by=third)


def test_second_direction_is_refused(people):
    doc = receive(people["clerk"], n=1)
    _direct(doc, people)
    with pytest.raises((RecordChanged, ValidationError)):
        _direct(doc, people)


def test_head_of_other_unit_cannot_forward(people):
    doc = _direct(receive(people["clerk"], n=1), people)
    part = Assignment.objects.for_record(doc).get(role="lead")
    with pytest.raises(PermissionDenied):
        services.incoming_forward(
            document=doc, assignment=part, by=people["other_head"], to_user=people["other_officer"]
        )
    with pytest.raises(ValidationError):
        services.incoming_forward(
            document=doc, assignment=part, by=people["head"], to_user=people["other_officer"]
        )


def test_progress_needs_a_part(people):
    doc = _direct(receive(people["clerk"], n=1), people)
    with pytest.raises(PermissionDenied):
        services.incoming_progress(document=doc, by=people["officer2"], note="x")
    with pytest.raises(ValidationError):
        services.incoming_progress(document=doc, by=people["head"], note=" ")


def test_only_leader_reopens(people):
    doc = _direct(receive(people["clerk"], n=1), people, lead_department=None, lead_user=people["officer"])
    services.incoming_finish(document=doc, by=people["officer"])
    with pytest.raises(PermissionDenied):
        services.incoming_reopen(document=doc, by=people["officer"], reason="Làm lại")
    with pytest.raises(ValidationError):
        services.incoming_reopen(document=doc, by=people["leader"], reason="")


def test_case_files_hold_documents_without_copies(people):
    doc = receive(people["clerk"], n=1)
    a = records_services.case_file_create(
        by=people["clerk"], year=2026, code="01.VP", title="Hồ sơ kế hoạch", retention="10"
    )
    b = records_services.case_file_create(
        by=people["clerk"], year=2026, code="02.VP", title="Hồ sơ đầu tư", retention="20"
    )
    records_services.case_file_add(case_file=a, document=doc, by=people["clerk"])
    records_services.case_file_add(case_file=b, document=doc, by=people["clerk"])
    assert set(doc.case_files.all()) == {a, b}
    with pytest.raises(ValidationError):
        records_services.case_file_add(case_file=a, document=doc, by=people["clerk"])
    with pytest.raises(ValidationError):
        records_services.case_file_create(
            by=people["clerk"], year=2026, code="01.vp", title="Trùng", retention="10"
        )
    records_services.case_file_set_status(case_file=a, by=people["clerk"], close=True)
    a.refresh_from_db()
    with pytest.raises(ValidationError):
        records_services.case_file_add(
            case_file=a, document=receive(people["clerk"], n=2), by=people["clerk"]
        )
