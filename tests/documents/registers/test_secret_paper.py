"""Đăng ký văn bản mật (bản giấy): a secret outgoing document at the agency's metadata-only level gets its
number from the secret outgoing register, is issued at once without any file, and is listed in the secret
register with its paper location."""

from __future__ import annotations

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from documents.common import Confidentiality
from documents.models import DocumentType, Register
from documents.outgoing.models import OutgoingDocument
from documents.registers import numbering, paper
from workflow.models import HistoryEntry, WorkflowState

pytestmark = pytest.mark.django_db


def _kwargs(people, **extra):
    kwargs = {
        "by": people["clerk"],
        "doc_type": DocumentType.objects.get_or_create(name="Công văn")[0],
        "summary": "V/v bảo vệ bí mật nhà nước năm 2026",
        "signer": people["leader"],
        "department": people["unit"],
        "confidentiality": Confidentiality.TOP_SECRET,
        "distribution": "Bộ Công an;\nLưu: VT.",
        "copies": 3,
        "paper_location": "Tủ mật số 1, phòng Văn thư",
    }
    kwargs.update(extra)
    return kwargs


def test_registered_with_a_secret_number_issued_and_no_file(people):
    doc = paper.register_secret_paper(**_kwargs(people))
    second = paper.register_secret_paper(**_kwargs(people, summary="V/v thứ hai"))
    assert doc.state == WorkflowState.ISSUED and doc.register.is_secret
    assert doc.register.kind == Register.Kind.OUTGOING
    assert (doc.number, second.number) == (1, 2)
    assert doc.number_symbol == "01/SKHĐT-DKKD"
    assert doc.current_version_id is None and doc.paper_location == "Tủ mật số 1, phòng Văn thư"
    assert doc.issued_by == people["clerk"] and doc.released_at and doc.identifier
    entry = HistoryEntry.objects.for_record(doc).get()
    assert entry.to_state == WorkflowState.ISSUED and "Tủ mật số 1" in entry.comment
    # the ordinary outgoing series is untouched
    ordinary = numbering.default_register(agency=people["clerk"].agency, kind=Register.Kind.OUTGOING)
    assert numbering.peek(register=ordinary) == 1


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"confidentiality": Confidentiality.SECRET}, "confidentiality"),
        ({"paper_location": " "}, "paper_location"),
        ({"summary": ""}, "summary"),
    ],
)
def test_refused_with_a_message_and_nothing_saved(people, extra, field):
    with pytest.raises(ValidationError) as exc:
        paper.register_secret_paper(**_kwargs(people, **extra))
    assert field in exc.value.message_dict
    assert not OutgoingDocument.objects.exists()


def test_signer_of_another_agency_refused(people, people_b):
    with pytest.raises(ValidationError) as exc:
        paper.register_secret_paper(**_kwargs(people, signer=people_b["leader"]))
    assert "signer" in exc.value.message_dict


def test_only_the_clerk(people):
    with pytest.raises(PermissionDenied):
        paper.register_secret_paper(**_kwargs(people, by=people["leader"]))


def test_through_the_register_page(people, client):
    client.force_login(people["clerk"])
    page = client.get(reverse("documents:registers")).content.decode()
    url = reverse("documents:registers_secret_paper")
    assert f'href="{url}"' in page
    form = client.get(url).content.decode()
    levels = re.search(r'<select name="confidentiality".*?</select>', form, re.S).group(0)
    assert "Tối mật" in levels and "Tuyệt mật" in levels and ">Mật<" not in levels
    data = {
        "doc_type": DocumentType.objects.get_or_create(name="Công văn")[0].pk,
        "summary": "V/v bảo vệ bí mật nhà nước",
        "confidentiality": str(Confidentiality.TOP_SECRET),
        "urgency": "0",
        "department": people["unit"].pk,
        "signer": people["leader"].pk,
        "copies": "2",
        "paper_location": "",
    }
    response = client.post(url, data)
    assert response.status_code == 200 and "Vui lòng nhập nơi lưu bản giấy" in response.content.decode()
    assert not OutgoingDocument.objects.exists()
    data["paper_location"] = "Tủ mật số 1"
    response = client.post(url, data)
    doc = OutgoingDocument.objects.get()
    assert response.status_code == 302 and response["Location"] == doc.get_absolute_url()
    detail = client.get(doc.get_absolute_url()).content.decode()
    assert "Tủ mật số 1" in detail
    today = timezone.localdate()
    listed = client.get(
        reverse("documents:registers"),
        {
            "register": doc.register_id,
            "kind": "outgoing",
            "date_from": today.isoformat(),
            "date_to": today.isoformat(),
        },
    ).content.decode()
    assert doc.number_symbol in listed and "Bản giấy lưu tại: Tủ mật số 1" in listed


def test_others_cannot_open_the_form(people, client):
    for who in ("leader", "head", "officer"):
        client.force_login(people[who])
        assert client.get(reverse("documents:registers_secret_paper")).status_code == 403
    agency = people["clerk"].agency
    agency.secret_metadata_only_from = 4  # the agency keeps files at every level
    agency.save(update_fields=["secret_metadata_only_from"])
    client.force_login(people["clerk"])
    assert client.get(reverse("documents:registers_secret_paper")).status_code == 403
    assert "secret-paper-link" not in client.get(reverse("documents:registers")).content.decode()


def test_a_draft_at_that_level_is_refused_and_points_to_the_paper_registration(people):
    from documents.outgoing import services as outgoing_services
    from documents.outgoing.services import DraftFields

    doc_type = DocumentType.objects.get_or_create(name="Công văn")[0]
    fields = DraftFields(doc_type=doc_type, summary="Thử", confidentiality=Confidentiality.TOP_SECRET)
    with pytest.raises(ValidationError) as exc:
        outgoing_services.draft_create(by=people["officer"], fields=fields)
    assert "Đăng ký văn bản mật (bản giấy)" in " ".join(exc.value.message_dict["confidentiality"])
    assert not OutgoingDocument.objects.exists()
    # Mật (below the default level) is drafted and signed in the system as before.
    fields = DraftFields(doc_type=doc_type, summary="Thử", confidentiality=Confidentiality.SECRET)
    assert outgoing_services.draft_create(by=people["officer"], fields=fields).pk
