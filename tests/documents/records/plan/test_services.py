"""The file plan's services: numbering both ways and after moves and deletions, copy forward, the approval
through the outgoing flow (submit → decision drafted; issued → approved; cancelled or recalled → draft),
draft-only edits, another agency's plan, opening a case file from an approved entry."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from documents.outgoing.signals import document_issued
from documents.records.models import CaseFile, FilePlan, FilePlanEntry, Retention
from documents.records.plan import approval, selectors, services
from tests.documents.records.plan.conftest import build_plan, codes
from workflow.models import HistoryEntry, WorkflowState

pytestmark = pytest.mark.django_db


def test_numbering_continuous_in_the_plan(org):
    built = build_plan(org)
    assert codes(built["plan"]) == ["01.TCCB", "02.TCCB", "03.KHTC", "04.KHTC"]
    assert [e.number for e in selectors.layout(built["plan"]).entries] == [1, 2, 3, 4]


def test_numbering_within_each_large_heading(org):
    built = build_plan(org, numbering=FilePlan.Numbering.HEADING)
    assert codes(built["plan"]) == ["01.TCCB", "02.TCCB", "01.KHTC", "02.KHTC"]
    plan = services.plan_set_numbering(by=org["clerk"], plan=built["plan"], numbering=FilePlan.Numbering.PLAN)
    assert codes(plan) == ["01.TCCB", "02.TCCB", "03.KHTC", "04.KHTC"]
    assert HistoryEntry.objects.for_record(plan).filter(action="numbering").exists()


def test_moves_and_deletions_renumber_the_draft(org):
    built = build_plan(org)
    clerk, plan = org["clerk"], built["plan"]
    e1, e2, e3, e4 = built["entries"]
    services.entry_move(by=clerk, entry=e4, up=True)
    titles = [e.title for e in selectors.layout(plan).entries]
    assert titles[2:] == ["Hồ sơ quyết toán ngân sách", "Kế hoạch đầu tư công năm 2027"]
    assert FilePlanEntry.objects.get(pk=e4.pk).code == "03.KHTC"
    services.heading_move(by=clerk, heading=built["khtc"], up=True)  # KHTC becomes heading I
    assert codes(plan) == ["01.KHTC", "02.KHTC", "03.TCCB", "04.TCCB"]
    assert selectors.layout(plan).larges[0].numeral == "I"
    services.entry_delete(by=clerk, entry=e4)
    assert codes(plan) == ["01.KHTC", "02.TCCB", "03.TCCB"]
    # a heading that still holds files is not deleted
    with pytest.raises(ValidationError):
        services.heading_delete(by=clerk, heading=built["hiring"])
    # changing the abbreviation of a large heading changes the symbols of its files
    services.heading_save(
        by=clerk, plan=plan, heading=built["tccb"], title="Tổ chức, cán bộ", abbreviation="TC"
    )
    assert codes(plan) == ["01.KHTC", "02.TC", "03.TC"]


def test_a_large_heading_needs_its_abbreviation(org):
    plan = services.plan_create(by=org["clerk"], year=2027)
    with pytest.raises(ValidationError) as exc:
        services.heading_save(by=org["clerk"], plan=plan, title="Tổng hợp")
    assert "chữ viết tắt" in str(exc.value.message_dict["abbreviation"])


def test_only_the_office_drafts(org):
    with pytest.raises(PermissionDenied):
        services.plan_create(by=org["officer"], year=2027)
    with pytest.raises(PermissionDenied):
        services.plan_create(by=org["head"], year=2027)
    plan = services.plan_create(by=org["admin"], year=2027)
    with pytest.raises(PermissionDenied):
        services.heading_save(by=org["head"], plan=plan, title="Tổng hợp", abbreviation="TH")
    with pytest.raises(ValidationError):
        services.plan_create(by=org["clerk"], year=2027)  # one plan a year


def test_copy_forward_copies_headings_and_entries_not_case_files(org):
    built = build_plan(org, numbering=FilePlan.Numbering.HEADING)
    old = built["plan"]
    CaseFile.objects.create(
        agency=old.agency, plan_entry=built["entries"][0], year=2027, code="01.TCCB", title="x",
        retention=Retention.PERMANENT, owner=org["clerk"],
    )  # fmt: skip
    org["officer"].is_active = False
    org["officer"].save(update_fields=["is_active"])
    new = services.plan_copy_forward(by=org["clerk"], year=2028)
    assert new.copied_from == old and new.year == 2028 and new.status == FilePlan.Status.DRAFT
    assert new.numbering == FilePlan.Numbering.HEADING
    tree = selectors.layout(new)
    assert [large.heading.title for large in tree.larges] == ["Tổ chức cán bộ", "Kế hoạch tài chính"]
    assert [s.heading.title for s in tree.larges[0].children] == ["Tuyển dụng"]
    assert [e.code for e in tree.entries] == ["01.TCCB", "02.TCCB", "01.KHTC", "02.KHTC"]
    assert all(e.plan_id == new.pk for e in tree.entries)
    assert not CaseFile.objects.filter(plan_entry__plan=new).exists()
    assert [e.responsible_id for e in tree.entries] == [None, None, None, None]  # the officer left
    assert HistoryEntry.objects.for_record(new).get().action == "copy"
    with pytest.raises(ValidationError):
        services.plan_copy_forward(by=org["clerk"], year=2028)
    with pytest.raises(ValidationError):
        services.plan_copy_forward(by=org["clerk"], year=2030)  # no plan of 2029


def test_submit_drafts_the_decision_then_issue_approves(org):
    built = build_plan(org)
    plan = approval.plan_submit(by=org["clerk"], plan=built["plan"])
    assert plan.status == FilePlan.Status.SUBMITTED
    decision = plan.decision
    assert decision.doc_type.abbreviation == "QĐ" and decision.state == WorkflowState.NEW
    assert decision.signer == org["head"]  # the head, not the deputy
    assert decision.drafted_by == org["clerk"]
    assert "Danh mục hồ sơ năm 2027" in decision.summary
    assert "03.KHTC" in decision.body and "Kế hoạch đầu tư công năm 2027" in decision.body
    # read-only while submitted, with a Vietnamese message
    with pytest.raises(ValidationError) as exc:
        services.entry_save(
            by=org["clerk"], plan=plan, heading=built["khtc"], title="Mới", retention=Retention.Y5
        )
    assert "chỉ sửa được khi còn là dự thảo" in exc.value.messages[0]
    decision.number_symbol = "15/QĐ-SKHĐT"
    document_issued.send(sender=type(decision), document=decision, by=org["clerk"])
    plan.refresh_from_db()
    assert plan.status == FilePlan.Status.APPROVED and plan.approved_at is not None
    actions = list(HistoryEntry.objects.for_record(plan).order_by("id").values_list("action", flat=True))
    assert actions[0] == "create" and actions[-2:] == ["submit", "approve"]
    with pytest.raises(ValidationError):
        services.heading_save(by=org["clerk"], plan=plan, title="Khác", abbreviation="K")


def test_an_empty_plan_is_not_submitted(org):
    plan = services.plan_create(by=org["clerk"], year=2027)
    with pytest.raises(ValidationError):
        approval.plan_submit(by=org["clerk"], plan=plan)
    assert FilePlan.objects.get(pk=plan.pk).status == FilePlan.Status.DRAFT


def test_cancelled_decision_returns_the_plan_to_draft(org):
    built = build_plan(org)
    plan = approval.plan_submit(by=org["clerk"], plan=built["plan"])
    with pytest.raises(ValidationError):
        approval.plan_withdraw(by=org["clerk"], plan=plan, reason="")
    plan = approval.plan_withdraw(by=org["clerk"], plan=plan, reason="Bổ sung hồ sơ của Phòng Tổng hợp")
    assert plan.status == FilePlan.Status.DRAFT and plan.decision is None
    last = HistoryEntry.objects.for_record(plan).order_by("-id").first()
    assert last.action == "decision_cancelled" and last.actor == org["clerk"]
    services.entry_save(
        by=org["clerk"], plan=plan, heading=built["khtc"], title="Mới", retention=Retention.Y5
    )
    assert codes(plan)[-1] == "05.KHTC"


def test_another_agency_sees_nothing(org):
    built = build_plan(org)
    with pytest.raises(Http404):
        selectors.plan_access(user=org["clerk_b"], pk=built["plan"].pk)
    with pytest.raises(Http404):
        services.entry_delete(by=org["clerk_b"], entry=built["entries"][0])
    assert not selectors.plan_list(user=org["clerk_b"]).exists()


def test_officers_see_only_approved_plans(org):
    built = build_plan(org)
    assert not selectors.visible_plans(org["officer"]).exists()
    assert selectors.visible_plans(org["head"]).get() == built["plan"]
    FilePlan.objects.filter(pk=built["plan"].pk).update(status=FilePlan.Status.APPROVED)
    assert selectors.visible_plans(org["officer"]).get() == built["plan"]


def test_open_a_case_file_from_an_approved_entry(org):
    built = build_plan(org)
    plan, entry = built["plan"], built["entries"][2]  # 03.KHTC, the officer's
    with pytest.raises(Http404):
        approval.entry_open_file(by=org["officer"], entry=entry)  # a draft is not his to see
    with pytest.raises(ValidationError):
        approval.entry_open_file(by=org["clerk"], entry=entry)  # not approved yet
    FilePlan.objects.filter(pk=plan.pk).update(status=FilePlan.Status.APPROVED)
    with pytest.raises(PermissionDenied):
        approval.entry_open_file(by=org["stranger"], entry=built["entries"][3])
    case_file = approval.entry_open_file(by=org["officer"], entry=entry)
    assert case_file.plan_entry == entry and case_file.code == "03.KHTC" and case_file.year == 2027
    assert case_file.retention == Retention.PERMANENT and case_file.title == entry.title
    with pytest.raises(ValidationError):
        approval.entry_open_file(by=org["clerk"], entry=entry)  # already open
    # the clerk opens any file of the plan
    other = approval.entry_open_file(by=org["clerk"], entry=built["entries"][0])
    assert other.code == "01.TCCB"


def test_ad_hoc_entries_keep_their_code_when_a_draft_is_renumbered(org):
    built = build_plan(org)
    plan = built["plan"]
    FilePlanEntry.objects.create(
        plan=plan, heading=built["khtc"], position=9, number=3, code="03.KHTC-BS", title="Phát sinh",
        retention=Retention.Y5, ad_hoc=True,
    )  # fmt: skip
    FilePlanEntry.objects.filter(pk=built["entries"][3].pk).delete()
    FilePlanEntry.objects.create(
        plan=plan, heading=built["khtc"], position=10, number=4, code="04.KHTC", title="Phát sinh 2",
        retention=Retention.Y5, ad_hoc=True,
    )  # fmt: skip
    services.entry_save(
        by=org["clerk"], plan=plan, heading=built["khtc"], title="Thêm", retention=Retention.Y5
    )
    assert codes(plan) == ["01.TCCB", "02.TCCB", "03.KHTC", "03.KHTC-BS", "04.KHTC", "05.KHTC"]
