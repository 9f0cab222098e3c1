"""documents.outgoing.delivery.email: a failed e-mail recorded and resent by the clerk."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.core.mail.backends.base import BaseEmailBackend

from documents.models import (
    DeliveryStatus,
)
from documents.outgoing import delivery
from tests.documents.conftest import pdf_bytes
from tests.documents.outgoing.delivery.helpers import (
    _events,
    _recipient,
    deliver,
    make_issued,
)
from tests.signing.conftest import _signing_settings, pki_dir  # noqa: F401 - the signing tests' settings

pytestmark = pytest.mark.django_db


class FailingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise OSError("Máy chủ thư không phản hồi")


def test_email_failure_is_recorded_and_can_be_resent(
    people, settings, mailoutbox, django_capture_on_commit_callbacks
):
    doc = make_issued(people, pdf=pdf_bytes(), recipients=[("email", "Báo Nhân Dân", "toasoan@nhandan.vn")])
    settings.EMAIL_BACKEND = f"{__name__}.FailingBackend"
    deliver(doc, people, pdf_bytes(), django_capture_on_commit_callbacks)
    r = _recipient(doc)
    assert r.status == DeliveryStatus.FAILED and "không phản hồi" in r.error
    assert _events(r) == [DeliveryStatus.FAILED]

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with pytest.raises(PermissionDenied):
        delivery.email_resend(recipient=r, by=people["officer"])
    with django_capture_on_commit_callbacks(execute=True):
        delivery.email_resend(recipient=r, by=people["clerk"])
    r.refresh_from_db()
    assert r.status == DeliveryStatus.SENT and r.error == ""
    assert _events(r) == [DeliveryStatus.FAILED, DeliveryStatus.PENDING, DeliveryStatus.SENT]
    assert len(mailoutbox) == 1 and mailoutbox[0].attachments[0][2] == "application/pdf"
