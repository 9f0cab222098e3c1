"""The decision through the real outgoing flow: submitted by the clerk, approved and signed by the head,
issued by the clerk with the agency's seal → the plan is approved and its PDF names the decision; a recall
of the issued decision returns the plan to a draft."""

# ruff: noqa: F811
from __future__ import annotations

import io

import pytest
from django.core.files.base import ContentFile

from documents.models import DocumentType
from documents.outgoing import services as outgoing
from documents.records.models import FilePlan, Retention
from documents.records.plan import approval, pdf, services
from tests.documents.outgoing.helpers import PIN, office  # noqa: F401
from tests.signing import samples
from tests.signing.conftest import _signing_settings, authority, pki_dir  # noqa: F401
from workflow.models import HistoryEntry, WorkflowState

pytestmark = pytest.mark.django_db


def _text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def test_issued_decision_approves_the_plan_and_a_recall_returns_it(office, agency_a):
    DocumentType.objects.get_or_create(name="Quyết định", defaults={"abbreviation": "QĐ"})
    clerk, leader = office["clerk"], office["leader"]
    plan = services.plan_create(by=clerk, year=2027)
    heading = services.heading_save(by=clerk, plan=plan, title="Văn phòng", abbreviation="VP")
    services.entry_save(by=clerk, plan=plan, heading=heading, title="Hồ sơ hội nghị", retention=Retention.Y10)
    services.entry_save(
        by=clerk, plan=plan, heading=heading, title="Tập lưu văn bản đi", retention=Retention.PERMANENT
    )
    plan = approval.plan_submit(by=clerk, plan=plan, signer=leader)
    doc = plan.decision
    doc = outgoing.draft_submit(document=doc, by=clerk, reviewer=leader)
    doc = outgoing.draft_approve(document=doc, by=leader)
    doc = outgoing.document_sign(document=doc, by=leader, pin=PIN)
    assert FilePlan.objects.get(pk=plan.pk).status == FilePlan.Status.SUBMITTED  # signed is not issued
    doc = outgoing.document_issue(document=doc, by=clerk, pin=PIN)
    assert doc.state == WorkflowState.ISSUED
    plan.refresh_from_db()
    assert plan.status == FilePlan.Status.APPROVED and plan.approved_at == doc.issued_at
    text = " ".join(_text(pdf.plan_pdf(plan=plan)).split())
    assert f"Kèm theo Quyết định số {doc.number_symbol}" in text
    assert "Danh mục hồ sơ này có 2 hồ sơ" in text

    outgoing.document_recall(
        document=doc, by=leader if doc.signer == leader else clerk, reason="Ban hành nhầm"
    )
    plan.refresh_from_db()
    assert plan.status == FilePlan.Status.DRAFT and plan.decision is None and plan.approved_at is None
    assert HistoryEntry.objects.for_record(plan).order_by("-id").first().action == "decision_recalled"


@pytest.fixture(autouse=True)
def _seal(office, agency_a):
    agency_a.seal_image.save("seal.png", ContentFile(samples.seal_png()), save=True)


def test_demo_seeds_an_approved_plan_and_next_years_draft(office, agency_a, settings):
    """The demo data: SKHĐT's plan of this year approved by a decision issued through the real flow (the
    demo PIN), two files opened from it, next year's draft copied forward; a second run adds nothing."""
    from django.utils import timezone

    from documents.records.models import CaseFile
    from documents.records.plan.demo import seed_file_plans
    from eoffice.demo import SKHDT

    DocumentType.objects.get_or_create(name="Quyết định", defaults={"abbreviation": "QĐ"})
    agency_a.code = SKHDT
    agency_a.save(update_fields=["code"])
    for key, username in (("clerk", "vanthu.skhdt"), ("leader", "giamdoc.skhdt")):
        office[key].username = username
        office[key].save(update_fields=["username"])
    settings.SIGNING_DEMO_PIN = PIN
    out = io.StringIO()
    seed_file_plans(out)
    year = timezone.localdate().year
    plan = FilePlan.objects.get(agency=agency_a, year=year)
    assert plan.status == FilePlan.Status.APPROVED and plan.decision.state == WorkflowState.ISSUED
    assert CaseFile.objects.filter(plan_entry__plan=plan).count() == 2
    draft = FilePlan.objects.get(agency=agency_a, year=year + 1)
    assert draft.status == FilePlan.Status.DRAFT and draft.copied_from == plan
    assert draft.entries.count() == plan.entries.count() == 11
    seed_file_plans(out)
    assert FilePlan.objects.filter(agency=agency_a).count() == 2
