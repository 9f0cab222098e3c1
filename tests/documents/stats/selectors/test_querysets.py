"""What is counted is what the viewer may see: secret documents, and the cheap visibility form against the
documents' selector."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from documents.models import (
    Confidentiality,
    IncomingDocument,
    IncomingDocumentUserObjectPermission,
    incoming_content_type,
)
from documents.stats import selectors
from documents.stats.selectors import querysets
from tests.documents.stats.conftest import (
    make_doc,
    make_part,
    make_work,
    recent_period,
    scope_of,
)
from workflow.models import WorkflowState, WorkItem

pytestmark = pytest.mark.django_db


def test_secret_document_not_granted_is_not_counted(people, agency_a):
    leader = people["leader"]
    secret = make_doc(agency_a, confidentiality=Confidentiality.SECRET, completed_at=timezone.now())
    make_part(secret, department=people["unit"], status="done", completed_at=timezone.now())
    make_doc(agency_a, completed_at=timezone.now())
    period = recent_period()

    def totals():
        agency = selectors.report(user=leader, scope=scope_of(leader, "agency"), period=period, kind="all")
        return agency.headline.total, agency.totals.total

    assert totals() == (1, 0)
    IncomingDocumentUserObjectPermission.objects.create(
        user=leader,
        content_object=secret,
        permission=Permission.objects.get(
            content_type=incoming_content_type(), codename="view_incomingdocument"
        ),
    )
    assert totals() == (2, 1)


def _reference_visibility(user, kinds, agency_id):
    """Parts whose record the documents' own selector shows the user (one EXISTS per part)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Exists, OuterRef, Q

    from documents.incoming.selectors import visible_incoming

    docs = visible_incoming(user).filter(pk=OuterRef("object_id"))
    items = WorkItem.visible_to(user).filter(pk=OuterRef("object_id"))
    return (Q(content_type=ContentType.objects.get_for_model(IncomingDocument)) & Q(Exists(docs))) | (
        Q(content_type=ContentType.objects.get_for_model(WorkItem)) & Q(Exists(items))
    )


def test_parts_visibility_matches_the_documents_selector(people, agency_a, monkeypatch):
    """The cheap form (hide the few secret or unregistered documents the viewer may not see) counts
    exactly the parts whose record ``visible_incoming`` shows the viewer, for every viewer and scope."""
    unit, other = people["unit"], people["other_unit"]
    perm = Permission.objects.get(content_type=incoming_content_type(), codename="view_incomingdocument")
    now = timezone.now()
    for i in range(8):
        secret = i % 4 == 0
        doc = make_doc(
            agency_a, state=WorkflowState.PROCESSING, confidentiality=Confidentiality.SECRET if secret else 0
        )
        if i == 4:  # granted to the head only; i == 0 granted to nobody
            IncomingDocumentUserObjectPermission.objects.create(
                user=people["head"], content_object=doc, permission=perm
            )
        holder = [people["officer"], people["officer2"], None][i % 3]
        top = make_part(
            doc, department=unit if i % 2 else other, assignee=None if i % 2 else people["other_officer"]
        )
        if holder and i % 2:
            make_part(doc, department=unit, assignee=holder, parent=top)
    # a part the officer held in another unit before moving, a recalled document's finished part
    moved = make_doc(agency_a, state=WorkflowState.PROCESSING)
    make_part(moved, department=other, assignee=people["officer"])
    recalled = make_doc(agency_a, completed_at=now, recalled_at=now)
    make_part(recalled, department=unit, status="done", completed_at=now)
    make_work(agency_a, people["leader"])
    work = make_work(agency_a, people["leader"])
    make_part(work, department=unit, assignee=people["officer2"])

    cases = [
        (people["leader"], "agency", ""),
        (people["leader"], f"unit-{unit.pk}", ""),
        (people["leader"], f"unit-{unit.pk}", "people"),
        (people["leader"], f"person-{people['officer'].pk}", ""),
        (people["clerk"], "agency", ""),
        (people["clerk"], f"unit-{unit.pk}", "people"),
        (people["head"], f"unit-{unit.pk}", ""),
        (people["head"], f"unit-{unit.pk}", "people"),
        (people["head"], f"person-{people['officer'].pk}", ""),
        (people["officer"], "", ""),
        (people["officer2"], "", ""),
    ]
    kinds = selectors.kinds_of("all")
    for user, key, by in cases:
        scope = scope_of(user, key)
        fast = set(selectors.parts_qs(user, scope, kinds, by=by).values_list("pk", flat=True))
        with monkeypatch.context() as m:
            m.setattr(querysets, "_visible_parts_q", _reference_visibility)
            reference = set(selectors.parts_qs(user, scope, kinds, by=by).values_list("pk", flat=True))
        assert fast == reference, (user.full_name, key, by)
        assert reference, (user.full_name, key, by)
