"""The format check between the unit head's approval and the signature (NĐ 30 Điều 12.2): who checks,
approve and return through the page, who may see and act."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from documents.outgoing import selectors, services
from documents.outgoing.format import services as format_services
from documents.outgoing.models import DraftComment, FormatCheck, FormatReviewRule
from documents.outgoing.services import read_bytes
from eoffice.models import Notification, Role
from tests.documents.outgoing.format.helpers import ALL_TICKS, to_format_check
from tests.documents.outgoing.helpers import PIN, _fields, _to_signing, _type
from tests.factories import make_user
from workflow.models import WorkflowState


def _login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _message(response) -> str:
    return [str(m) for m in get_messages(response.wsgi_request)][-1]


def test_without_a_reviewer_the_head_sends_straight_to_the_signer(office, agency_b):
    doc = _to_signing(office, agency_b)
    assert doc.state == WorkflowState.SIGNING and doc.format_reviewer is None and doc.sign_request_id


def test_with_a_reviewer_approval_goes_to_the_format_check(office, agency_b, checker):
    doc = to_format_check(office, agency_b)
    assert doc.state == WorkflowState.FORMAT_CHECK
    assert doc.format_reviewer == checker and doc.number is None and not doc.sign_request_id
    assert Notification.objects.filter(recipient=checker, title__contains="kiểm tra thể thức").exists()
    assert selectors.outgoing_access(user=checker, pk=doc.pk) == doc  # the reviewer sees it
    assert not Notification.objects.filter(recipient=office["leader"], title__contains="chờ ký").exists()


def test_rules_per_type_come_before_the_role(office, agency_b, checker, agency_a):
    other = make_user(agency=agency_a, roles=[Role.OFFICER], full_name="Lê Văn Văn Phòng")
    qd = _type("Quyết định", "QĐ")
    FormatReviewRule.objects.create(agency=agency_a, doc_type=qd, reviewer=other)
    letter = to_format_check(office, agency_b)  # công văn: no rule of its own, no rule without type -> role
    assert letter.format_reviewer == checker
    decision = to_format_check(office, agency_b, doc_type=qd)
    assert decision.format_reviewer == other
    with pytest.raises(ValidationError):  # the role holder is not among the rule's reviewers for QĐ
        to_format_check(office, agency_b, doc_type=qd, format_reviewer=checker)


def test_the_approver_chooses_among_several_reviewers(office, agency_b, checker, agency_a, client):
    second = make_user(agency=agency_a, roles=[Role.FORMAT_REVIEWER], full_name="Võ Thị Văn Thư")
    doc = services.draft_create(by=office["officer"], fields=_fields(office, agency_b))
    doc = services.draft_submit(document=doc, by=office["officer"], reviewer=office["head"])
    head = _login(client, office["head"])
    html = head.get(doc.get_absolute_url()).content.decode()
    assert 'name="format_reviewer"' in html and "Võ Thị Văn Thư" in html
    response = head.post(
        reverse("documents:outgoing_approve", args=[doc.pk]),
        {"signer": office["leader"].pk, "format_reviewer": second.pk, "comment": ""},
    )
    assert response.status_code == 302
    doc.refresh_from_db()
    assert doc.state == WorkflowState.FORMAT_CHECK and doc.format_reviewer == second


def test_reviewer_approves_through_the_checklist(office, agency_b, checker, client):
    doc = to_format_check(office, agency_b)
    page = _login(client, checker).get(doc.get_absolute_url())
    html = page.content.decode()
    assert 'data-testid="format-checklist"' in html and 'data-code="margins"' in html
    url = reverse("documents:outgoing_format_approve", args=[doc.pk])
    # every row checked by eye must be ticked
    response = client.post(url, {"ticked": ["layout"], "comment": ""})
    assert "Vui lòng kiểm tra và đánh dấu" in _message(response)
    doc.refresh_from_db()
    assert doc.state == WorkflowState.FORMAT_CHECK and not FormatCheck.objects.exists()

    response = client.post(url, {"ticked": sorted(ALL_TICKS), "comment": "Đạt."})
    assert _message(response) == "Đã xác nhận đạt thể thức và trình ký."
    doc.refresh_from_db()
    assert doc.state == WorkflowState.SIGNING and doc.format_checked_at and doc.sign_request_id
    check = FormatCheck.objects.get(document=doc)
    assert check.outcome == "approved" and check.checker == checker and check.version == doc.current_version
    assert {r["code"] for r in check.checklist} >= {"page_size", "margins", "fonts", "layout"}
    assert all(r["ok"] for r in check.checklist if not r["auto"])
    assert Notification.objects.filter(recipient=office["leader"], title__contains="chờ ký").exists()
    # then the leader signs as before: numbered at the signature only
    signed = services.document_sign(document=doc, by=office["leader"], pin=PIN)
    assert signed.number and signed.state == WorkflowState.SIGNED
    # the check stays on the page as history
    html = _login(client, office["officer"]).get(doc.get_absolute_url()).content.decode()
    assert 'data-testid="format-check"' in html and "Đạt thể thức, trình ký" in html


def test_reviewer_returns_with_a_comment_on_the_version(office, agency_b, checker, client):
    doc = to_format_check(office, agency_b)
    url = reverse("documents:outgoing_format_return", args=[doc.pk])
    response = _login(client, checker).post(url, {"comment": "  "})
    assert "Vui lòng nhập ý kiến" in _message(response)
    response = client.post(url, {"comment": "Trích yếu quá dài; lề phải chưa đúng.", "ticked": ["layout"]})
    assert _message(response) == "Đã trả lại dự thảo để sửa thể thức."
    doc.refresh_from_db()
    assert doc.state == WorkflowState.RETURNED
    comment = DraftComment.objects.get(document=doc)
    assert comment.version == doc.current_version and comment.author == checker
    check = FormatCheck.objects.get(document=doc)
    assert check.outcome == "returned" and check.comment.startswith("Trích yếu")
    assert Notification.objects.filter(recipient=office["officer"], title__contains="thể thức").exists()
    # resubmitted and approved again: back to the check, then on to the signer
    doc = services.draft_submit(document=doc, by=office["officer"], reviewer=office["head"])
    doc = services.draft_approve(document=doc, by=office["head"])
    assert doc.state == WorkflowState.FORMAT_CHECK
    doc = format_services.format_approve(document=doc, by=checker, ticked=ALL_TICKS)
    assert doc.state == WorkflowState.SIGNING and doc.format_checks.count() == 2


def test_others_may_neither_act_nor_see(office, agency_b, checker, client, agency_a):
    doc = to_format_check(office, agency_b)
    other_checker = make_user(agency=agency_a, roles=[Role.FORMAT_REVIEWER], full_name="Người Khác")
    # another reviewer of the agency: not theirs (a secret-free document of another unit is not visible)
    assert _login(client, office["outsider"]).get(doc.get_absolute_url()).status_code == 404
    response = _login(client, other_checker).post(
        reverse("documents:outgoing_format_approve", args=[doc.pk]), {"ticked": sorted(ALL_TICKS)}
    )
    assert response.status_code == 404
    # the leader (the signer) sees nothing to approve yet and cannot force it
    with pytest.raises(PermissionDenied):
        format_services.format_approve(document=doc, by=office["leader"], ticked=ALL_TICKS)
    with pytest.raises(PermissionDenied):
        services.document_sign(document=doc, by=office["leader"], pin=PIN)
    # the drafter sees it waiting, without the checklist
    html = _login(client, office["officer"]).get(doc.get_absolute_url()).content.decode()
    assert "Chờ kiểm tra thể thức" in html and 'data-testid="format-checklist"' not in html
    doc.refresh_from_db()
    assert doc.state == WorkflowState.FORMAT_CHECK


def test_the_checklist_is_measured_on_the_current_version(office, agency_b, checker):
    doc = to_format_check(
        office,
        agency_b,
        body="<p>Đề nghị Quý cơ quan gửi số liệu về Sở trước ngày 01/01/2020 để tổng hợp.</p>",
    )
    rows = {r["code"]: r for r in format_services.checklist_for(doc)}
    assert rows["page_size"]["ok"] and rows["margins"]["ok"] and rows["fonts"]["ok"]
    assert rows["national_motto"]["ok"] and rows["signer"]["ok"] and rows["type_summary"]["ok"]
    assert rows["past_dates"]["ok"] is False
    assert "trước ngày 01/01/2020" in rows["past_dates"]["items"][0]
    assert read_bytes(doc.current_version.file)  # the file the rows were read from
