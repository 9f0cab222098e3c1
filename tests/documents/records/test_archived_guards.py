"""IV.1g: a record inside a case file handed to the archive does not change. Outgoing documents too: every
outgoing write that locks the document refuses it (an archived outgoing document cannot even be recalled),
custom field values of an archived incoming or outgoing document are refused, and the case file page offers
no usage-rights request while the file is locked or frozen."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from documents.outgoing import services as outgoing_services
from documents.outgoing.models import DraftComment, OutgoingDocument
from documents.records.metadata import services as metadata
from documents.records.models import CaseFile, CustomField, CustomFieldValue
from documents.records.services import files as case_files
from tests.documents.conftest import receive
from tests.documents.records.test_services import issued_outgoing, open_file
from workflow.models import HistoryEntry, WorkflowState

pytestmark = pytest.mark.django_db

IN_ARCHIVE = "Văn bản nằm trong hồ sơ đã nộp lưu, không được thay đổi."


def _archived_with(clerk, kind: str, object_id: int, status=CaseFile.Status.ARCHIVED) -> CaseFile:
    case_file = open_file(clerk)
    case_files.case_file_add_record(case_file=case_file, kind=kind, object_id=object_id, by=clerk)
    CaseFile.objects.filter(pk=case_file.pk).update(status=status)
    return case_file


# --- outgoing documents ------------------------------------------------------------------------------


def test_an_archived_outgoing_document_cannot_be_recalled(people, login):
    clerk = people["clerk"]
    doc = issued_outgoing(by=clerk)
    case_file = _archived_with(clerk, "outgoing", doc.pk)
    with pytest.raises(ValidationError, match=IN_ARCHIVE):
        outgoing_services.document_recall(document=doc, by=clerk, reason="Ban hành nhầm")
    response = login(clerk).post(
        reverse("documents:outgoing_recall", args=[doc.pk]), {"reason": "Ban hành nhầm"}, follow=True
    )
    assert IN_ARCHIVE in response.content.decode()
    doc = OutgoingDocument.objects.get(pk=doc.pk)
    assert doc.state == WorkflowState.ISSUED and doc.recalled_at is None and not doc.recall_reason
    assert not HistoryEntry.objects.for_record(doc).filter(action="recall").exists()

    # the same document in a file not handed to the archive is recalled as before
    CaseFile.objects.filter(pk=case_file.pk).update(status=CaseFile.Status.CLOSED)
    outgoing_services.document_recall(document=doc, by=clerk, reason="Ban hành nhầm")
    assert OutgoingDocument.objects.get(pk=doc.pk).state == WorkflowState.RECALLED


@pytest.mark.parametrize("status", [CaseFile.Status.SUBMITTED, CaseFile.Status.DISPOSED])
def test_an_outgoing_draft_in_a_file_handed_to_the_archive_takes_no_comment(people, status):
    clerk = people["clerk"]
    doc = issued_outgoing(by=clerk)
    OutgoingDocument.objects.filter(pk=doc.pk).update(state=WorkflowState.SUBMITTED)
    case_file = _archived_with(clerk, "outgoing", doc.pk, status=status)
    with pytest.raises(ValidationError, match=IN_ARCHIVE):
        outgoing_services.draft_comment(document=doc, by=clerk, text="Sửa lại trích yếu")
    assert not DraftComment.objects.filter(document=doc).exists()
    CaseFile.objects.filter(pk=case_file.pk).update(status=CaseFile.Status.OPEN)
    outgoing_services.draft_comment(document=doc, by=clerk, text="Sửa lại trích yếu")
    assert DraftComment.objects.filter(document=doc).count() == 1


# --- custom field values of records in an archived file ------------------------------------------------


@pytest.mark.parametrize("kind", ["incoming", "outgoing"])
def test_custom_values_of_an_archived_record_are_refused(people, login, kind):
    clerk = people["clerk"]
    record = receive(clerk, n=11) if kind == "incoming" else issued_outgoing(by=clerk, n=11)
    field = CustomField.objects.create(agency_id=clerk.agency_id, kind=kind, label="Mã dự án", position=1)
    assert metadata.custom_values_save(by=clerk, kind=kind, pk=record.pk, values={field.pk: "DA-01"}) == 1
    case_file = _archived_with(clerk, kind, record.pk)
    with pytest.raises(ValidationError, match=IN_ARCHIVE):
        metadata.custom_values_save(by=clerk, kind=kind, pk=record.pk, values={field.pk: "DA-02"})
    response = login(clerk).post(
        reverse("documents:metadata_values", args=[kind, record.pk]),
        {f"cf_{field.pk}": "DA-03", "next": record.get_absolute_url()},
        follow=True,
    )
    assert IN_ARCHIVE in response.content.decode()
    assert CustomFieldValue.objects.get(field=field, object_id=record.pk).value == "DA-01"
    CaseFile.objects.filter(pk=case_file.pk).update(status=CaseFile.Status.CLOSED)
    assert metadata.custom_values_save(by=clerk, kind=kind, pk=record.pk, values={field.pk: "DA-02"}) == 1


# --- the usage-rights request on the case file page ---------------------------------------------------


def test_no_rights_request_while_the_file_is_locked_or_frozen(people, login):
    clerk, leader = people["clerk"], people["leader"]
    case_file = open_file(clerk)
    page = reverse("documents:casefile_detail", args=[case_file.pk])
    client = login(clerk)
    assert 'data-testid="rights-form"' in client.get(page).content.decode()

    case_files.case_file_lock(case_file=case_file, by=leader, reason="Thanh tra")
    html = client.get(page).content.decode()
    assert 'data-testid="rights-form"' not in html
    assert 'data-testid="metadata-form"' in html or "Phụ lục VI, Phần II, Mục III" in html  # still shown
    with pytest.raises(ValidationError, match="Hồ sơ đang bị khóa"):
        metadata.access_rights_request(case_file_pk=case_file.pk, by=clerk, new_rights="secret")

    case_files.case_file_unlock(case_file=case_file, by=leader)
    assert 'data-testid="rights-form"' in client.get(page).content.decode()
    CaseFile.objects.filter(pk=case_file.pk).update(status=CaseFile.Status.SUBMITTED)
    assert 'data-testid="rights-form"' not in client.get(page).content.decode()
