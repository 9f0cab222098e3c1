"""Registering letters (sổ xử lý đơn): numbering, identities, scans (encrypted when protected), one case
per content, the online letter taken by an officer, classification, splitting, duplicates."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone
from pypdf import PdfWriter

from complaints import crypto, rules, services
from complaints.models import Case, CaseKind, CaseState, Field, Identity, Letter, LetterFile, Source
from complaints.services import ContentInput
from tests.complaints.conftest import COMPLAINANT, DENOUNCER
from tests.factories import png_bytes
from workflow.models import Assignment, HistoryEntry

pytestmark = pytest.mark.django_db


def pdf_bytes() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_upload(name="don.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf_bytes(), content_type="application/pdf")


def register(org, *, by=None, people=(COMPLAINANT,), contents=None, **kwargs):
    return services.letter_register(
        by=by or org["reception"],
        received_on=kwargs.pop("received_on", timezone.localdate()),
        source=kwargs.pop("source", Source.IN_PERSON),
        summary=kwargs.pop("summary", "Khiếu nại việc thu hồi đất"),
        people=list(people),
        contents=contents
        or [
            ContentInput(
                kind=CaseKind.COMPLAINT, content="Khiếu nại quyết định thu hồi đất", field=Field.LAND
            )
        ],
        **kwargs,
    )


def test_register_numbers_people_cases_and_clock(org):
    first = register(org)
    second = register(
        org,
        contents=[
            ContentInput(kind=CaseKind.COMPLAINT, content="Khiếu nại bồi thường", field=Field.LAND),
            ContentInput(kind=CaseKind.PETITION, content="Kiến nghị sửa đường", field=Field.OTHER),
        ],
    )
    assert (first.number, second.number) == (1, 2)
    assert first.received_by == org["reception"]
    person = Identity.objects.get(letter=first)
    assert (
        person.display_name == COMPLAINANT.name
        and person.name_enc
        and COMPLAINANT.id_number not in person.id_number_enc
    )
    cases = list(second.cases.order_by("order"))
    assert [c.order for c in cases] == [1, 2]
    assert [c.kind for c in cases] == [CaseKind.COMPLAINT, CaseKind.PETITION]
    for case in cases:
        assert case.handler == org["reception"]
        assert case.department == org["ttr"]
        assert case.decider == org["leader"]
        assert case.state == CaseState.REGISTERED
        assert case.due_at is not None and case.due_rule is not None
        assert HistoryEntry.objects.filter(object_id=case.pk, event=HistoryEntry.Event.CREATED).exists()


def test_register_refuses_bad_input_without_saving(org):
    with pytest.raises(ValidationError):
        register(org, contents=[ContentInput(kind=CaseKind.DENUNCIATION, content="x", instance=2)])
    with pytest.raises(ValidationError):
        register(org, people=())
    with pytest.raises(ValidationError):
        register(org, received_on=timezone.localdate() + dt.timedelta(days=1))
    bad = SimpleUploadedFile("don.pdf", b"not a pdf at all", content_type="application/pdf")
    with pytest.raises(ValidationError):
        register(org, files=[bad])
    with pytest.raises(PermissionDenied):
        register(org, by=org["officer"])
    assert not Letter.objects.exists() and not Case.objects.exists()


def test_register_protected_letter_encrypts_files_and_keeps_no_name(org):
    upload = pdf_upload("Hoang Thi Bi Mat - don to cao.pdf")
    data = pdf_bytes()
    letter = register(
        org,
        people=[DENOUNCER],
        contents=[ContentInput(kind=CaseKind.DENUNCIATION, content="Tố cáo cán bộ nhận tiền")],
        files=[upload],
        papers=[SimpleUploadedFile("anh.png", png_bytes(), content_type="image/png")],
    )
    assert letter.protected
    assert letter.cases.get().protected
    person = letter.people.get()
    assert person.protected and person.display_name == ""
    scan = letter.files.get(kind=LetterFile.Kind.LETTER)
    assert scan.encrypted and "Bi Mat" not in scan.name and "Bi Mat" not in scan.file.name
    stored = scan.file.read()
    assert stored[:4] != b"%PDF"
    assert crypto.decrypt_bytes(stored) == data
    assert scan.sha256 == hashlib.sha256(data).hexdigest()
    assert letter.files.get(kind=LetterFile.Kind.PAPER).encrypted


def test_file_add_plain_and_redacted(org):
    letter = register(org)
    row = services.letter_file_add(
        letter=letter, upload=pdf_upload(), kind=LetterFile.Kind.PAPER, by=org["reception"]
    )
    assert not row.encrypted and row.file.read()[:4] == b"%PDF" and row.name == "don.pdf"
    protected = register(
        org, people=[DENOUNCER], contents=[ContentInput(kind=CaseKind.DENUNCIATION, content="Tố cáo")]
    )
    redacted = services.letter_file_add(
        letter=protected, upload=pdf_upload(), kind=LetterFile.Kind.REDACTED, by=org["reception"]
    )
    assert not redacted.encrypted
    with pytest.raises(ValidationError):
        services.letter_file_add(
            letter=letter,
            upload=SimpleUploadedFile("x.docx", b"PK\x03\x04junk", content_type="application/zip"),
            kind=LetterFile.Kind.PAPER,
            by=org["reception"],
        )
    with pytest.raises(PermissionDenied):
        services.letter_file_add(letter=letter, upload=pdf_upload(), kind=LetterFile.Kind.PAPER, by=None)


def test_online_letter_taken_by_officer(org):
    letter = services.letter_register(
        by=None,
        agency=org["agency"],
        received_on=timezone.localdate(),
        source=Source.ONLINE,
        summary="Tố cáo trực tuyến",
        people=[DENOUNCER],
        contents=[ContentInput(kind=CaseKind.DENUNCIATION, content="Tố cáo cán bộ")],
        protected=True,
    )
    assert letter.received_by is None
    services.letter_file_add(letter=letter, upload=pdf_upload(), kind=LetterFile.Kind.LETTER, by=None)
    person = letter.people.get()
    assert not rules.identity_entitled(org["verifier"], person)
    with pytest.raises(Http404):
        services.letter_take(letter=letter, by=org["officer"])
    services.letter_take(letter=letter, by=org["verifier"])
    letter.refresh_from_db()
    person.refresh_from_db()
    assert letter.received_by == org["verifier"] and person.received_by == org["verifier"]
    case = letter.cases.get()
    assert case.handler == org["verifier"] and case.due_at is not None
    assert rules.identity_entitled(org["verifier"], person)
    assert Assignment.objects.for_record(case).filter(assignee=org["verifier"]).exists()
    with pytest.raises(ValidationError):
        services.letter_take(letter=letter, by=org["reception"])
    with pytest.raises(PermissionDenied):
        services.letter_file_add(letter=letter, upload=pdf_upload(), kind=LetterFile.Kind.PAPER, by=None)


def test_representatives_follow_the_count_rules(org):
    rep = dataclasses.replace(COMPLAINANT, role=Identity.Role.REPRESENTATIVE)
    assert services.representatives_allowed(4) == (0, 0)
    assert services.representatives_allowed(7) == (1, 2)
    assert services.representatives_allowed(30) == (1, 5)
    with pytest.raises(ValidationError, match="tối đa 2"):
        register(org, people=[rep, rep, rep], signer_count=8)
    letter = register(org, people=[rep, rep], signer_count=8)
    assert letter.signer_count == 8 and letter.multi_signer
    assert register(org, people=[rep] * 5, signer_count=12).people.count() == 5
