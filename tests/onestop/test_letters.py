"""Forms 04 and 05 of a dossier as official letters (onestop/letters.py): drafted as outgoing documents from
the form's text, numbered on signature, registered and issued through the outgoing flow; the printed form
serves the signed letter once issued; the applicant is e-mailed the issued letter only."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from documents.models import DocumentType
from documents.outgoing import services as outgoing
from documents.registers import numbering
from documents.registers.rows import outgoing_rows
from eoffice.models import Role
from onestop import letters, records, services
from onestop.models import DossierState
from onestop.models.letters import DossierLetter
from tests.documents.outgoing.helpers import PIN, office  # noqa: F401
from tests.factories import make_department, make_user
from tests.onestop.conftest import advance, receive
from tests.signing import samples
from tests.signing.conftest import _signing_settings, authority, pki_dir  # noqa: F401
from workflow.models import WorkflowState

pytestmark = pytest.mark.django_db


def _text(data: bytes) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def _fold(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture
def staff(people, office):  # noqa: F811
    """The one-stop people with the office's leader (Giám đốc with a signing credential) and clerk (seal)."""
    for name, abbreviation in (("Công văn", ""), ("Thông báo", "TB")):
        DocumentType.objects.get_or_create(name=name, defaults={"abbreviation": abbreviation})
    return {**people, "leader": office["leader"], "clerk": office["clerk"], "office_head": office["head"]}


def _extended(procedure, staff):
    dossier = advance(receive(procedure, staff), DossierState.UNIT, staff)
    return services.dossier_extend(
        dossier=dossier,
        by=staff["leader"],
        reason="Chờ ý kiến của cơ quan thuế",
        due_at=dossier.due_at + (dossier.due_at - dossier.received_at),
    )


def _stopped(procedure, staff):
    dossier = advance(receive(procedure, staff), DossierState.UNIT, staff)
    return services.dossier_stop(dossier=dossier, by=staff["leader"], reason="Người nộp rút hồ sơ")


def _issue(row, staff):
    doc = outgoing.draft_submit(document=row.outgoing, by=row.created_by, reviewer=staff["office_head"])
    doc = outgoing.draft_approve(document=doc, by=staff["office_head"])
    assert doc.state == WorkflowState.SIGNING
    doc = outgoing.document_sign(document=doc, by=staff["leader"], pin=PIN)
    assert doc.number and doc.number_symbol  # numbered on signature
    return outgoing.document_issue(document=doc, by=staff["clerk"], pin=PIN)


def _fetch(client, user, url):
    client.force_login(user)
    response = client.get(url)
    return response, b"".join(response.streaming_content) if response.streaming else response.content


# ---- form 04 -------------------------------------------------------------------------------------------


def test_form_04_draft_has_the_content_and_signer_and_no_number(procedure, staff, client):
    dossier = _extended(procedure, staff)
    client.force_login(staff["onestop"])
    page = client.get(reverse("onestop:detail", args=[dossier.pk])).content.decode()
    assert 'data-testid="draft-letter-04"' in page and 'data-testid="draft-letter-05"' not in page

    response = client.post(reverse("onestop:letter_draft", args=[dossier.pk, "04"]))
    row = DossierLetter.objects.get(dossier=dossier)
    doc = row.outgoing
    assert response.status_code == 302 and response["Location"] == doc.get_absolute_url()
    assert row.form == "04" and row.created_by == staff["onestop"]
    assert doc.doc_type.name == "Công văn" and doc.agency_id == dossier.agency_id
    assert doc.state == WorkflowState.NEW and doc.number is None and doc.number_symbol == ""
    assert doc.signer == staff["leader"] and doc.signer_authority == ""
    assert dossier.code in doc.summary and "gia hạn" in doc.summary
    assert doc.addressees == "Ông/Bà Nguyễn Văn An"
    assert "Chờ ý kiến của cơ quan thuế" in doc.body and "xin lỗi" in doc.body and dossier.code in doc.body
    assert "Như trên" in doc.distribution
    draft_text = _fold(_text(doc.current_version.file.read()))
    assert "Chờ ý kiến của cơ quan thuế" in draft_text and "Vũ Đức Thắng" in draft_text

    page = client.get(reverse("onestop:detail", args=[dossier.pk])).content.decode()
    assert 'data-testid="letter-04"' in page and "Dự thảo, chưa có số" in page
    assert 'data-testid="draft-letter-04"' not in page  # one letter per form
    # Before issue the printed form is the draft: marked, no number.
    _, data = _fetch(client, staff["onestop"], reverse("onestop:form", args=[dossier.pk, 4]))
    text = _text(data)
    assert "DỰ THẢO" in text and "Chờ ý kiến của cơ quan thuế" in text


def test_form_04_numbered_on_sign_issued_and_served_signed(procedure, staff, client, tmp_path):
    dossier = _extended(procedure, staff)
    row = letters.letter_draft(dossier=dossier, form="04", by=staff["onestop"])
    doc = _issue(row, staff)
    assert doc.state == WorkflowState.ISSUED

    response, data = _fetch(client, staff["onestop"], reverse("onestop:form", args=[dossier.pk, 4]))
    assert response.status_code == 200
    # The stored signed letter (served with the print mark as an incremental update, signatures kept).
    assert data.startswith(doc.current_version.file.open("rb").read())
    text = _fold(_text(data))
    assert "DỰ THẢO" not in text and doc.number_symbol in text
    signatures = samples.pdfsig_signatures(samples.pdfsig(data, tmp_path))
    assert len(signatures) >= 2 and all(s["valid"] for s in signatures)

    page = client.get(reverse("onestop:detail", args=[dossier.pk])).content.decode()
    assert f"Số {doc.number_symbol}" in page
    # Filed into a record, the dossier's form 04 is the signed letter too.
    (filed,) = [f for f in records.files(dossier) if f.name.startswith("mau-04-")]
    assert filed.read() == doc.current_version.file.open("rb").read()


def test_issued_letter_is_in_the_outgoing_register(procedure, staff):
    dossier = _stopped(procedure, staff)
    doc = _issue(letters.letter_draft(dossier=dossier, form="05", by=staff["onestop"]), staff)
    register = numbering.outgoing_register(agency=doc.agency, doc_type=doc.doc_type, secret=False)
    today = timezone.localdate()
    rows = list(outgoing_rows(user=staff["clerk"], register=register, date_from=today, date_to=today))
    assert doc in rows and doc.register_id == register.pk


# ---- form 05 -------------------------------------------------------------------------------------------


def test_form_05_draft_signed_and_served(procedure, staff, client, tmp_path):
    dossier = _stopped(procedure, staff)
    row = letters.letter_draft(dossier=dossier, form="05", by=staff["head"])
    doc = row.outgoing
    assert doc.doc_type.name == "Thông báo" and doc.number is None
    assert doc.signer == staff["leader"] and "Người nộp rút hồ sơ" in doc.body
    assert "Dừng giải quyết" in doc.summary
    doc = _issue(row, staff)
    assert doc.number_symbol.split("/")[1].startswith("TB-")
    _, data = _fetch(client, staff["onestop"], reverse("onestop:form", args=[dossier.pk, 5]))
    assert doc.number_symbol in _fold(_text(data))
    assert all(s["valid"] for s in samples.pdfsig_signatures(samples.pdfsig(data, tmp_path)))

    # Recalled, it no longer stands: the form prints as a draft again and a new letter may be drafted.
    outgoing.document_recall(document=doc, by=staff["clerk"], reason="Sai tên người nộp")
    _, data = _fetch(client, staff["onestop"], reverse("onestop:form", args=[dossier.pk, 5]))
    assert "DỰ THẢO" in _text(data) and doc.number_symbol not in _fold(_text(data))
    again = letters.letter_draft(dossier=dossier, form="05", by=staff["onestop"])
    assert again.outgoing_id != doc.pk


# ---- who, how many -------------------------------------------------------------------------------------


def test_double_creation_refused_until_cancelled(procedure, staff, client):
    dossier = _extended(procedure, staff)
    row = letters.letter_draft(dossier=dossier, form="04", by=staff["onestop"])
    with pytest.raises(ValidationError):
        letters.letter_draft(dossier=dossier, form="04", by=staff["leader"])
    client.force_login(staff["onestop"])
    response = client.post(reverse("onestop:letter_draft", args=[dossier.pk, "04"]), follow=True)
    assert "Hồ sơ đã có văn bản mẫu 04" in response.content.decode()
    assert DossierLetter.objects.filter(dossier=dossier).count() == 1

    outgoing.draft_cancel(document=row.outgoing, by=staff["onestop"], comment="Soạn lại")
    again = letters.letter_draft(dossier=dossier, form="04", by=staff["onestop"])
    assert again.pk != row.pk and DossierLetter.objects.filter(dossier=dossier).count() == 2


def test_without_a_leader_on_the_dossier_the_agency_head_signs(procedure, staff, people):
    dossier = advance(receive(procedure, staff), DossierState.UNIT, staff)
    assert dossier.leader_id is None
    dossier = services.dossier_stop(dossier=dossier, by=staff["onestop"], reason="Người nộp rút hồ sơ")
    row = letters.letter_draft(dossier=dossier, form="05", by=staff["onestop"])
    # A Giám đốc of the agency (both fixtures make one), not the officer who stopped it.
    assert row.outgoing.signer in (people["leader"], staff["leader"])
    assert row.outgoing.signer_authority == ""


def test_form_that_does_not_apply_refused(procedure, staff):
    dossier = _extended(procedure, staff)
    with pytest.raises(ValidationError):
        letters.letter_draft(dossier=dossier, form="05", by=staff["onestop"])
    with pytest.raises(ValidationError):
        letters.letter_draft(dossier=dossier, form="07", by=staff["onestop"])
    assert not DossierLetter.objects.exists()


def test_officer_of_another_unit_or_agency_refused(procedure, staff, agency_b, client):
    dossier = _extended(procedure, staff)
    with pytest.raises((PermissionDenied, Http404)):  # an officer of another unit does not see it
        letters.letter_draft(dossier=dossier, form="04", by=staff["officer2"])
    other_head = make_user(
        agency=dossier.agency,
        department=make_department(agency=dossier.agency, name="Phòng Khác", abbreviation="PK"),
        roles=[Role.DEPARTMENT_HEAD],
    )
    assert not letters.may_draft(other_head, dossier)
    with pytest.raises((PermissionDenied, Http404)):
        letters.letter_draft(dossier=dossier, form="04", by=other_head)
    outsider = make_user(agency=agency_b, roles=[Role.LEADER, Role.ONESTOP_OFFICER])
    client.force_login(outsider)
    response = client.post(reverse("onestop:letter_draft", args=[dossier.pk, "04"]))
    assert response.status_code in (403, 404)
    client.force_login(staff["officer2"])
    assert client.post(reverse("onestop:letter_draft", args=[dossier.pk, "04"])).status_code in (403, 404)
    assert client.get(reverse("onestop:letter_draft", args=[dossier.pk, "04"])).status_code == 405
    assert not DossierLetter.objects.exists()


# ---- the applicant's e-mails -----------------------------------------------------------------------------


def test_applicant_gets_the_issued_letter_never_the_draft(
    procedure, staff, mailoutbox, django_capture_on_commit_callbacks
):
    dossier = advance(receive(procedure, staff), DossierState.UNIT, staff)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        dossier = services.dossier_extend(
            dossier=dossier,
            by=staff["leader"],
            reason="Chờ ý kiến của cơ quan thuế",
            due_at=dossier.due_at + (dossier.due_at - dossier.received_at),
        )
    (notice,) = mailoutbox
    assert notice.attachments == []  # no unsigned form 04
    with django_capture_on_commit_callbacks(execute=True):
        row = letters.letter_draft(dossier=dossier, form="04", by=staff["onestop"])
    assert len(mailoutbox) == 1
    with django_capture_on_commit_callbacks(execute=True):
        doc = _issue(row, staff)
    sent = [m for m in mailoutbox[1:] if m.to == [dossier.applicant_email]]
    assert len(sent) == 1
    letter = sent[0]
    assert doc.number_symbol in letter.body
    (name, content, mimetype) = letter.attachments[0]
    assert name == f"mau-04-{dossier.code}.pdf" and mimetype == "application/pdf"
    assert content == doc.current_version.file.open("rb").read()
