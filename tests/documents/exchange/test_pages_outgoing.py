"""The sender's side: the recipient picker offers the outside agencies marked "ngoài hệ thống"; the
document's page shows every status of each recipient with its time and the recipient's officer, the same
for inside and outside recipients, and "Gửi lại" on a failed package; the delivery page's counters."""

# ruff: noqa: F811

from __future__ import annotations

import datetime as dt
import re

import pytest
from django import forms as django_forms
from django.urls import reverse
from django.utils import timezone

from documents.exchange.forms import RecipientChoiceField, initial_values
from documents.exchange.models import ExternalAgency, OutboxMessage
from documents.outgoing.forms import EXCHANGE_RECIPIENTS
from documents.outgoing.models import DeliveryEvent, DeliveryStatus, OutgoingDocument, OutgoingRecipient
from eoffice.models import Agency
from tests.documents.exchange.test_pages_support import (
    URLCONF,
    exchange_recipient,
    other,  # noqa: F401
    outgoing_document,
    outside,
    package_out,
    sender,  # noqa: F401
)
from tests.factories import make_agency, make_user

pytestmark = pytest.mark.urls(URLCONF)


def _field():
    return RecipientChoiceField(
        agencies=Agency.objects.all(),
        externals=ExternalAgency.objects.filter(active=True),
        required=False,
        widget=django_forms.SelectMultiple(),
    )


def test_picker_offers_outside_agencies_marked_and_cleans_both(db):
    inside = make_agency(name="Sở Tư pháp")
    ministry = outside(1, name="Bộ Tài chính")
    outside(2, name="Bộ Ngoại giao", active=False)
    field = _field()
    html = field.widget.render("recipients", [], attrs={"id": "r"})
    assert '<optgroup label="Ngoài hệ thống (liên thông)">' in html
    assert f'value="x{ministry.pk}"' in html and "Bộ Tài chính (ngoài hệ thống · 000.00.01.G22)" in html
    assert "Bộ Ngoại giao" not in html  # inactive: not offered
    assert field.clean([str(inside.pk), f"x{ministry.pk}"]) == [inside, ministry]


def test_picker_without_outside_agencies_is_the_flat_list(db):
    make_agency(name="Sở Tư pháp")
    assert "optgroup" not in _field().widget.render("recipients", [])


@pytest.mark.parametrize("value", ["x999999", "abc", "x1x"])
def test_picker_refuses_unknown_values_with_a_message(db, value):
    with pytest.raises(django_forms.ValidationError) as error:
        _field().clean([value])
    assert error.value.messages[0] in (
        "Nơi nhận không hợp lệ.",
        "Nơi nhận không còn trong danh bạ, vui lòng chọn lại.",
    )


def test_initial_values_keep_outside_recipients_out_of_the_text_lines(sender):
    from documents.outgoing.forms import initial_from

    doc = outgoing_document(sender["officer"])
    ministry = outside(3, name="Bộ Công Thương")
    exchange_recipient(doc, ministry)
    OutgoingRecipient.objects.create(
        document=doc, name="Công ty Minh Phát", channel=OutgoingRecipient.Channel.PAPER
    )
    recipients = list(doc.recipients.all())
    assert initial_values(recipients) == [f"x{ministry.pk}"]
    assert initial_from(doc)["external_recipients"] == "Công ty Minh Phát"


@pytest.fixture
def issued(sender, other):
    """An issued document of agency A: agency B inside the installation, two ministries outside."""
    doc = outgoing_document(sender["officer"])
    OutgoingDocument.objects.filter(pk=doc.pk).update(state="issued", number_symbol="15/SKHĐT-VP")
    doc.refresh_from_db()
    now = timezone.now()
    inside = OutgoingRecipient.objects.create(
        document=doc,
        agency=other["agency"],
        name=other["agency"].name,
        channel=OutgoingRecipient.Channel.INTERNAL,
        status=DeliveryStatus.REGISTERED,
        status_at=now,
    )
    DeliveryEvent.objects.create(recipient=inside, status="01", at=now - dt.timedelta(minutes=5))
    DeliveryEvent.objects.create(recipient=inside, status="03", at=now, actor=other["clerk"])
    ministry = exchange_recipient(
        doc, outside(1, name="Bộ Tài chính"), status=DeliveryStatus.REGISTERED, status_at=now
    )
    DeliveryEvent.objects.create(recipient=ministry, status="01", at=now - dt.timedelta(minutes=3))
    DeliveryEvent.objects.create(recipient=ministry, status="03", at=now, actor_name="Trần Thị Văn Thư")
    failed = exchange_recipient(
        doc,
        outside(2, name="Bộ Nội vụ"),
        status=DeliveryStatus.FAILED,
        error="Gửi không thành công: HTTP 503",
    )
    failed_row = package_out(failed, state=OutboxMessage.State.FAILED, last_error="HTTP 503")
    return {"doc": doc, "inside": inside, "ministry": ministry, "failed": failed, "failed_row": failed_row}


def test_document_page_shows_each_status_time_and_officer_alike(client, sender, other, issued):
    client.force_login(sender["clerk"])
    html = client.get(issued["doc"].get_absolute_url()).content.decode()
    assert html.count('data-testid="recipient-trail"') == 2
    assert other["clerk"].full_name in html  # the inside recipient's clerk
    assert "Trần Thị Văn Thư" in html  # the outside recipient's officer, as the status message named them
    assert html.count("Đã vào sổ") >= 4  # two pills, two trail entries
    resend = reverse("documents:exchange_resend", args=[issued["failed_row"].pk])
    assert resend in html
    client.force_login(sender["officer"])  # the drafter sees the trail, not the clerk's button
    html = client.get(issued["doc"].get_absolute_url()).content.decode()
    assert "Trần Thị Văn Thư" in html and resend not in html


def test_resend_from_the_document_page_returns_there(
    client, sender, issued, django_capture_on_commit_callbacks
):
    client.force_login(sender["clerk"])
    url = issued["doc"].get_absolute_url()
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            reverse("documents:exchange_resend", args=[issued["failed_row"].pk]), {"next": url}
        )
    assert response["Location"] == url
    issued["failed"].refresh_from_db()
    assert issued["failed"].status == DeliveryStatus.PENDING


def test_delivery_counters_and_the_rows_behind_them(client, sender, issued, settings):
    doc = issued["doc"]
    late = exchange_recipient(
        doc,
        outside(5, name="Bộ Y tế"),
        status=DeliveryStatus.SENT,
        status_at=timezone.now() - dt.timedelta(hours=settings.EXCHANGE_LATE_ARRIVAL_HOURS + 1),
    )
    exchange_recipient(
        doc, outside(6, name="Bộ Xây dựng"), status=DeliveryStatus.SENT, status_at=timezone.now()
    )
    refused = exchange_recipient(
        doc, outside(7, name="Bộ Giáo dục"), status=DeliveryStatus.REFUSED, error="Gửi nhầm cơ quan."
    )
    exchange_recipient(doc, outside(8, name="Bộ Công an"))
    client.force_login(sender["clerk"])
    response = client.get(reverse("documents:exchange_delivery"))
    counts = {c["key"]: c["count"] for c in response.context["counters"]}
    assert counts == {"pending": 1, "failed": 1, "refused": 1, "late": 1}
    html = response.content.decode()
    assert (
        "Bộ Nội vụ" in html and reverse("documents:exchange_resend", args=[issued["failed_row"].pk]) in html
    )
    html = client.get(reverse("documents:exchange_delivery"), {"show": "refused"}).content.decode()
    assert refused.name in html and "Lý do: Gửi nhầm cơ quan." in html and "Bộ Nội vụ" not in html
    html = client.get(reverse("documents:exchange_delivery"), {"show": "late"}).content.decode()
    assert late.name in html and "Bộ Xây dựng" not in html
    client.force_login(sender["officer"])
    assert client.get(reverse("documents:exchange_delivery")).status_code == 403
    other_clerk = make_user(agency=make_agency(), roles=["clerk"])
    client.force_login(other_clerk)
    response = client.get(reverse("documents:exchange_delivery"))
    assert {c["count"] for c in response.context["counters"]} == {0}


@pytest.mark.skipif(
    not EXCHANGE_RECIPIENTS,
    reason="documents/outgoing/services/drafting.py does not save outside recipients yet "
    "(DraftFields.exchange_agencies: see the exchange pages' report)",
)
def test_the_draft_form_saves_an_outside_agency_as_an_exchange_recipient(client, sender, other):
    from documents.models import DocumentType

    doc_type = DocumentType.objects.get_or_create(name="Công văn", defaults={"abbreviation": "CV"})[0]
    ministry = outside(4, name="Bộ Kế hoạch và Đầu tư")
    client.force_login(sender["officer"])
    url = reverse("documents:outgoing_create") + f"?type={doc_type.pk}"
    html = client.get(url).content.decode()
    assert f'value="x{ministry.pk}"' in html and "ngoài hệ thống · 000.00.04.G22" in html
    data = {
        "doc_type": doc_type.pk,
        "summary": "Báo cáo tình hình giải ngân vốn đầu tư công",
        "recipient_agencies": [str(other["agency"].pk), f"x{ministry.pk}"],
        "copies": 1,
        "urgency": 0,
        "confidentiality": 0,
    }
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    doc = OutgoingDocument.objects.get(summary=data["summary"])
    rows = {(r.channel, r.agency_id, r.external_agency_id) for r in doc.recipients.all()}
    assert rows == {
        (OutgoingRecipient.Channel.INTERNAL, other["agency"].pk, None),
        (OutgoingRecipient.Channel.EXCHANGE, None, ministry.pk),
    }
    # the edit page offers it again, chosen, and not as a line of the free-text recipients
    html = client.get(reverse("documents:outgoing_edit", args=[doc.pk])).content.decode()
    assert re.search(rf'<option value="x{ministry.pk}"[^>]* selected>', html)
