"""A visit whose outcome is "forwarded" has its slip (Phiếu hướng dẫn, chuyển đơn: VISIT_FORWARD, from the
LegalForm table) as a visit whose letter was received has its receipt; the slip never names a protected
denouncer."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import NoReverseMatch, reverse
from pypdf import PdfReader

from complaints import deadlines, render, services
from complaints.models import CaseKind, FormCode, LegalForm, Visit
from complaints.services.reception import VisitInput
from tests.complaints.conftest import COMPLAINANT, DENOUNCER

pytestmark = pytest.mark.django_db

BODY = "UBND huyện Yên Phú"


def forwarded(org, **kw) -> Visit:
    data = {
        "kind": CaseKind.COMPLAINT,
        "content": "Khiếu nại việc cấp giấy chứng nhận quyền sử dụng đất",
        "outcome": Visit.Outcome.FORWARDED,
        "forwarded_to": BODY,
        "outcome_note": "Mang theo bản sao giấy chứng nhận",
        "people": [COMPLAINANT],
        **kw,
    }
    return services.visit_record(by=org["reception"], data=VisitInput(**data))


def slip_text(visit: Visit) -> str:
    content = render.form_pdf(
        FormCode.VISIT_FORWARD,
        on=deadlines.local_date(visit.received_at),
        context={"agency": visit.agency, "visit": visit},
    )
    assert content[:4] == b"%PDF"
    return " ".join("\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(content)).pages).split())


def test_a_forwarded_visit_prints_its_slip_from_the_form_table(org):
    visit = forwarded(org)
    form = LegalForm.objects.in_force(FormCode.VISIT_FORWARD, on=deadlines.local_date(visit.received_at))
    assert form is not None and "Luật Tiếp công dân Đ26" in form.source
    text = slip_text(visit)
    assert "PHIẾU HƯỚNG DẪN, CHUYỂN ĐƠN" in text
    assert BODY in text and COMPLAINANT.name in text and "Mang theo bản sao giấy chứng nhận" in text
    assert "NGƯỜI TIẾP CÔNG DÂN" in text.upper() and org["reception"].full_name in text


def test_the_slip_of_a_protected_denouncer_names_nobody(org):
    visit = forwarded(org, kind=CaseKind.DENUNCIATION, people=[DENOUNCER], content="Tố cáo cán bộ thuế")
    text = slip_text(visit)
    assert "Người tố cáo" in text and BODY in text
    assert DENOUNCER.name not in text and DENOUNCER.address not in text


def test_the_visit_page_offers_the_slip_when_its_page_exists(org, login):
    visit = forwarded(org)
    page = login(org["reception"]).get(visit.get_absolute_url()).content.decode()
    try:
        url = reverse("complaints:visit_forward_pdf", args=[visit.pk])
    except NoReverseMatch:
        url = None  # the print view is the lead's (views/urls); the page links to it once it exists
    assert (url is not None) == ('data-testid="forward-pdf"' in page)
    guided = services.visit_record(
        by=org["reception"],
        data=VisitInput(
            kind=CaseKind.COMPLAINT,
            content="Hỏi thủ tục",
            outcome=Visit.Outcome.GUIDED,
            outcome_note="Đã giải thích",
            people=[COMPLAINANT],
        ),
    )
    assert (
        'data-testid="forward-pdf"'
        not in login(org["reception"]).get(guided.get_absolute_url()).content.decode()
    )


def test_a_visit_form_is_not_a_case_form(org):
    with pytest.raises(ValidationError):
        render.form_pdf(FormCode.FORWARD, on=deadlines.local_date(forwarded(org).received_at), context={})
