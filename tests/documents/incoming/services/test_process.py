"""The processing of an incoming document: the whole path, progress, finish, reopen."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from documents.incoming import selectors, services
from eoffice.models import Notification
from tests.documents.conftest import pdf_upload, receive
from tests.documents.incoming.helpers import direct
from workflow.models import Assignment, HistoryEntry, WorkflowState

pytestmark = pytest.mark.django_db


def test_full_path_clerk_leader_head_officer_finish(people):
    doc = receive(people["clerk"], n=1)
    assert doc in selectors.incoming_list(user=people["leader"], queue="direction")
    doc = direct(doc, people)
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


def test_progress_needs_a_part(people):
    doc = direct(receive(people["clerk"], n=1), people)
    with pytest.raises(PermissionDenied):
        services.incoming_progress(document=doc, by=people["officer2"], note="x")
    with pytest.raises(ValidationError):
        services.incoming_progress(document=doc, by=people["head"], note=" ")


def test_only_leader_reopens(people):
    doc = direct(receive(people["clerk"], n=1), people, lead_department=None, lead_user=people["officer"])
    services.incoming_finish(document=doc, by=people["officer"])
    with pytest.raises(PermissionDenied):
        services.incoming_reopen(document=doc, by=people["officer"], reason="Làm lại")
    with pytest.raises(ValidationError):
        services.incoming_reopen(document=doc, by=people["leader"], reason="")
