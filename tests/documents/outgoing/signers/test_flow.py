"""The prefix checked through the outgoing flow: at save of the draft, at approval, and at signature (an
authorisation that expired or was revoked in between refuses the signature with the reason); the record
used stored on the document and its title printed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from documents.outgoing import services
from documents.outgoing.models import OutgoingDocument
from eoffice.models import Role
from tests.documents.outgoing.helpers import PIN, _fields, _text, _type
from tests.documents.outgoing.signers.conftest import grant
from tests.factories import make_user
from tests.signing.conftest import _signing_settings, authority, pki_dir  # noqa: F401
from tests.signing.factories import make_credential
from workflow.models import WorkflowState

pytestmark = pytest.mark.django_db


@pytest.fixture
def team(office, agency_a, authority):  # noqa: F811
    """The office plus a deputy director with a credential; the unit head gets a credential too."""
    deputy = make_user(
        agency=agency_a, roles=[Role.LEADER], full_name="Ngô Thị Lan Anh", position="Phó Giám đốc"
    )
    office["head"].position = "Trưởng phòng Kinh tế"
    office["head"].save()
    make_credential(authority=authority, agency=agency_a, owner=deputy)
    make_credential(authority=authority, agency=agency_a, owner=office["head"])
    return {**office, "deputy": deputy, "org_head": office["leader"]}


def org(team):
    return {"head": team["leader"]}


def _to_approval(team, agency_b, **extra) -> OutgoingDocument:
    doc = services.draft_create(by=team["officer"], fields=_fields(team, agency_b, **extra))
    return services.draft_submit(document=doc, by=team["officer"], reviewer=team["leader"])


def test_draft_save_refuses_a_prefix_without_rule_or_record(team, agency_b):
    with pytest.raises(ValidationError) as caught:
        services.draft_create(
            by=team["officer"],
            fields=_fields(
                team, agency_b, signer=team["head"], signer_authority="TUQ.", authority_title="GIÁM ĐỐC"
            ),
        )
    assert "ủy quyền" in caught.value.message_dict["signer_authority"][0]
    with pytest.raises(ValidationError) as caught:
        # "" is what the form sends for "Ký trực tiếp": said, so checked as it is (no prefix picked).
        services.draft_create(
            by=team["officer"], fields=_fields(team, agency_b, signer=team["deputy"], signer_authority="")
        )
    assert "người đứng đầu" in caught.value.message_dict["signer_authority"][0]
    assert not OutgoingDocument.objects.exists()


def test_record_stored_and_its_title_printed(team, agency_b):
    record = grant(org(team), authority="TUQ.", grantee=team["head"], start=timezone.localdate(), end=None)
    doc = services.draft_create(
        by=team["officer"],
        fields=_fields(team, agency_b, signer=team["head"], signer_authority="TUQ.", authority_title=""),
    )
    assert doc.authorization == record and doc.authority_title == "GIÁM ĐỐC"
    from documents.outgoing.services import read_bytes

    assert "TUQ. GIÁM ĐỐC" in _text(read_bytes(doc.current_version.file))


def test_approval_refuses_a_signer_the_prefix_does_not_allow(team, agency_b):
    doc = _to_approval(
        team, agency_b, signer=team["deputy"], signer_authority="KT.", authority_title="GIÁM ĐỐC"
    )
    with pytest.raises(ValidationError) as caught:
        services.draft_approve(document=doc, by=team["leader"], signer=team["leader"])
    assert "KT." in caught.value.message_dict["signer"][0]
    doc.refresh_from_db()
    assert doc.state == WorkflowState.SUBMITTED


def test_signer_changed_at_approval_redraws_with_the_records_title(team, agency_b):
    """The approver names another signer whose record carries its own title: the draft the office checks
    and the signer reads is redrawn with that title, not the one typed for the first signer."""
    record = grant(
        org(team),
        authority="KT.",
        grantee=team["head"],
        start=timezone.localdate(),
        end=None,
        authority_title="GIÁM ĐỐC SỞ",
    )
    doc = _to_approval(
        team, agency_b, signer=team["deputy"], signer_authority="KT.", authority_title="GIÁM ĐỐC"
    )
    doc = services.draft_approve(document=doc, by=team["leader"], signer=team["head"])
    assert doc.authorization == record and doc.authority_title == "GIÁM ĐỐC SỞ"
    from documents.outgoing.services import read_bytes

    assert "KT. GIÁM ĐỐC SỞ" in _text(read_bytes(doc.current_version.file))


def test_deputy_signs_kt_without_record(team, agency_b):
    doc = _to_approval(
        team, agency_b, signer=team["deputy"], signer_authority="KT.", authority_title="GIÁM ĐỐC"
    )
    doc = services.draft_approve(document=doc, by=team["leader"])
    assert doc.state == WorkflowState.SIGNING
    doc = services.document_sign(document=doc, by=team["deputy"], pin=PIN)
    assert doc.state == WorkflowState.SIGNED and doc.number and doc.authorization is None


@pytest.mark.parametrize("how", ["expired", "revoked"])
def test_signature_refused_when_the_record_ended_after_approval(team, agency_b, how):
    today = timezone.localdate()
    record = grant(
        org(team), authority="TUQ.", grantee=team["head"], start=today - timedelta(days=5), end=today
    )
    doc = _to_approval(
        team,
        agency_b,
        signer=team["head"],
        signer_authority="TUQ.",
        authority_title="GIÁM ĐỐC",
        doc_type=_type("Công văn"),
    )
    doc = services.draft_approve(document=doc, by=team["leader"])
    assert doc.state == WorkflowState.SIGNING and doc.authorization == record
    if how == "expired":
        record.valid_to = today - timedelta(days=1)
        record.save()
        expected = "hết hiệu lực"
    else:
        record.revoked_at, record.revoked_by = timezone.now(), team["leader"]
        record.save()
        expected = "chấm dứt"
    with pytest.raises(ValidationError) as caught:
        services.document_sign(document=doc, by=team["head"], pin=PIN)
    assert expected in caught.value.messages[0] and record.decision_number in caught.value.messages[0]
    doc.refresh_from_db()
    assert doc.state == WorkflowState.SIGNING and doc.number is None


def test_signature_with_a_valid_record_keeps_it(team, agency_b):
    record = grant(org(team), authority="TUQ.", grantee=team["head"], start=timezone.localdate(), end=None)
    doc = _to_approval(team, agency_b, signer=team["head"], signer_authority="TUQ.", authority_title="")
    doc = services.draft_approve(document=doc, by=team["leader"])
    doc = services.document_sign(document=doc, by=team["head"], pin=PIN)
    assert doc.state == WorkflowState.SIGNED and doc.authorization == record
    from documents.outgoing.services import read_bytes

    assert "TUQ. GIÁM ĐỐC" in _text(read_bytes(doc.current_version.file))


def test_callers_that_do_not_say_get_the_signers_prefix(team, agency_b):
    """A meeting's notice or a complaint's decision drafts without a prefix: KT. for a deputy (the head's
    title above it), the record's prefix for a record holder, none for the head."""
    fields = _fields(team, agency_b, signer=team["deputy"])
    unsaid = fields.signer_authority is None
    doc = services.draft_create(by=team["officer"], fields=fields)
    assert unsaid and (doc.signer_authority, doc.authority_title) == ("KT.", "GIÁM ĐỐC")
    grant(org(team), authority="TUQ.", grantee=team["head"], start=timezone.localdate(), end=None)
    doc = services.draft_create(by=team["officer"], fields=_fields(team, agency_b, signer=team["head"]))
    assert (doc.signer_authority, doc.authority_title, doc.authorization.authority) == (
        "TUQ.",
        "GIÁM ĐỐC",
        "TUQ.",
    )
    doc = services.draft_create(by=team["officer"], fields=_fields(team, agency_b, signer=team["leader"]))
    assert (doc.signer_authority, doc.authorization) == ("", None)
