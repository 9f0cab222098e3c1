"""Issuance with appendices and attached files: the final render carries the number and date in the
appendix's "Kèm theo" line; each attached PDF is stamped top right (number; signing time ISO 8601) and
signed with the agency's certificate (pdfsig: valid) in the issuance's transaction; internal delivery gives
the recipient the files with their signatures verified; e-mail carries them; downloads are checked."""

from __future__ import annotations

import subprocess

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from documents.models import IncomingDocument
from documents.outgoing import services
from documents.outgoing.models import OutgoingAttachment
from signing.appearance import signing_time_text
from tests.browser.fixtures import ARTIFACTS
from tests.documents.outgoing.attachments.helpers import decision_fields, with_appendix_and_files
from tests.documents.outgoing.helpers import PIN, _text
from tests.signing import samples
from tests.signing.conftest import _signing_settings, authority, pki_dir  # noqa: F401
from workflow.models import WorkflowState


@pytest.fixture
def signed(office, agency_b):
    doc = services.draft_create(
        by=office["officer"],
        fields=decision_fields(
            office, agency_b, external_recipients="Công ty Minh Phát <vanthu@minhphat.example>"
        ),
    )
    with_appendix_and_files(doc, office["officer"])
    doc = services.draft_submit(document=doc, by=office["officer"], reviewer=office["head"])
    doc = services.draft_approve(document=doc, by=office["head"])
    assert doc.state == WorkflowState.SIGNING
    return services.document_sign(document=doc, by=office["leader"], pin=PIN)


def _pdftotext(data: bytes, tmp_path) -> str:
    path = tmp_path / "a.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(path), "-"], capture_output=True, text=True
    ).stdout


def test_issue_stamps_and_signs_every_attachment_and_delivers_them_verified(
    signed, office, agency_b, tmp_path, client, mailoutbox, django_capture_on_commit_callbacks
):
    final = _text(signed.current_version.file.read())
    assert f"(Kèm theo Quyết định số {signed.number_symbol} ngày" in " ".join(final.split())
    with django_capture_on_commit_callbacks(execute=True):
        doc = services.document_issue(document=signed, by=office["clerk"], pin=PIN)
    assert doc.state == WorkflowState.ISSUED
    attachments = list(OutgoingAttachment.objects.filter(document=doc).order_by("position"))
    assert len(attachments) == 2
    for attachment in attachments:
        data = attachment.issued_file.read()
        assert attachment.issued_sha256 and attachment.signed_at
        rows = samples.pdfsig_signatures(samples.pdfsig(data, tmp_path))
        assert len(rows) == 1 and rows[0]["valid"] and rows[0]["total"]
        text = _pdftotext(data, tmp_path)
        assert f"{doc.number_symbol}; {signing_time_text(attachment.signed_at)}" in text
        assert attachment.file.read() != data  # the drafter's file is kept as given
    ARTIFACTS.mkdir(exist_ok=True)  # to look at: the stamp (Phụ lục I, III.1.d) and the decision's appendix
    (ARTIFACTS / "outgoing-attachment-stamped.pdf").write_bytes(attachments[0].issued_file.open("rb").read())
    (ARTIFACTS / "outgoing-decision-with-appendix.pdf").write_bytes(
        doc.current_version.file.open("rb").read()
    )

    incoming = IncomingDocument.objects.get(agency=agency_b)
    copies = list(incoming.attachments.order_by("id"))
    assert [c.name for c in copies] == ["Kế hoạch vốn năm 2027.pdf", "Bảng kê dự án.pdf"]
    assert [c.sha256 for c in copies] == [a.issued_sha256 for a in attachments]
    assert [r["status"] for r in incoming.signature_report["attachments"]] == ["valid", "valid"]
    client.force_login(office["clerk_b"])
    page = client.get(incoming.get_absolute_url()).content.decode()
    assert page.count('data-testid="attachment-signature"') == 2
    assert page.count("Chữ ký số hợp lệ") >= 2

    from documents.exchange.edxml import from_outgoing

    package = from_outgoing.package_for_outgoing(
        document=doc, recipients=[from_outgoing.organ_for_agency(agency_b)], now=doc.issued_at
    )
    assert [a.content_id for a in package.attachments] == ["cid:1", "cid:2", "cid:3"]
    assert package.attachments[1].data == attachments[0].issued_file.open("rb").read()
    assert package.attachments[2].description == "Bảng kê dự án"

    sent = [m for m in mailoutbox if m.to == ["vanthu@minhphat.example"]]
    assert len(sent) == 1
    names = [name for name, _content, _type in sent[0].attachments]
    assert len(names) == 3 and names[1].endswith("-kem-theo-1.pdf")


def test_a_failing_attachment_signature_issues_nothing(signed, office, monkeypatch):
    from signing import services as signing

    real = signing.sign_pdf_bytes

    def failing(**kwargs):
        if kwargs["kind"] == "attachment":
            raise ValidationError("Thiết bị ký số không phản hồi.")
        return real(**kwargs)

    monkeypatch.setattr(signing, "sign_pdf_bytes", failing)
    versions = signed.versions.count()
    with pytest.raises(ValidationError):
        services.document_issue(document=signed, by=office["clerk"], pin=PIN)
    signed.refresh_from_db()
    assert signed.state == WorkflowState.SIGNED and signed.versions.count() == versions
    assert not OutgoingAttachment.objects.exclude(issued_file="").exists()
    assert not IncomingDocument.objects.exists()


def test_download_checked_and_print_marked(signed, office, client):
    attachment = OutgoingAttachment.objects.filter(document=signed).first()
    url = reverse("documents:outgoing_attachment_file", args=[signed.pk, attachment.pk])
    client.force_login(office["clerk_b"])  # another agency, nothing delivered yet
    assert client.get(url).status_code == 404
    client.force_login(office["leader"])
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    served = response.content
    original = attachment.file.read()
    assert served.startswith(original) and len(served) > len(original)  # the print mark, appended
    other = OutgoingAttachment.objects.exclude(pk=attachment.pk).first()
    wrong = reverse("documents:outgoing_attachment_file", args=[signed.pk + 999, other.pk])
    assert client.get(wrong).status_code == 404
