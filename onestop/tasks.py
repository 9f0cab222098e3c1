"""Emails to applicants (the ``notifications`` queue): codes, receipts and every event of their dossier."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation
from django.utils.translation import gettext as _

from eoffice.notifications import send_email

logger = logging.getLogger(__name__)


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_code_email(email: str, code: str) -> bool:
    with translation.override(settings.LANGUAGE_CODE):
        message = EmailMessage(
            subject=_("Mã xác thực nộp hồ sơ trực tuyến: %(code)s") % {"code": code},
            body=_(
                "Mã xác thực của bạn là %(code)s. Mã có hiệu lực trong 10 phút.\n"
                "Nếu bạn không yêu cầu mã này, vui lòng bỏ qua thư."
            )
            % {"code": code},
            to=[email],
        )
        sent = send_email(message, source="onestop.code", keep=False)
    if sent:
        logger.info("onestop: code email sent")
    return sent


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def send_applicant_email(dossier_id: int, event: str) -> bool:
    from .emails import build

    with translation.override(settings.LANGUAGE_CODE):
        message = build(dossier_id, event)
        if message is None:
            return False
        sent = send_email(message, source=f"onestop.{event}")
    if sent:
        logger.info("onestop: applicant email %s sent for dossier %s", event, dossier_id)
    return sent


@shared_task(acks_late=True, ignore_result=True)
def scan_deadlines() -> dict:
    from .reminders import scan

    result = scan()
    logger.info("onestop deadline scan: %s", result)
    return result
