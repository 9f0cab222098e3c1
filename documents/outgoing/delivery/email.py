"""E-mail recipients: the PDF (or the recall notice) sent by a Celery task after commit, one per recipient,
idempotent; a failed one resent by the clerk."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from documents import tasks
from documents.outgoing.attachments.selectors import delivered_files
from documents.outgoing.delivery.common import attachment_name
from documents.outgoing.delivery.tracking import set_status
from documents.outgoing.models import (
    DeliveryEvent,
    DeliveryStatus,
    OutgoingDocument,
    OutgoingRecipient,
    is_clerk,
)
from eoffice.models import User
from eoffice.notifications import subject_line
from workflow.models import WorkflowState

logger = logging.getLogger(__name__)


EMAIL_QUEUE = "notifications"


def queue_emails(task_name: str, recipient_ids: Sequence[int]) -> None:
    """After commit, one task per recipient on the notifications queue."""
    ids = list(recipient_ids)
    if not ids:
        return

    from eoffice.outbox import enqueue

    task = getattr(tasks, task_name)
    for pk in ids:
        enqueue(task, args=(pk,), queue=EMAIL_QUEUE)


def email_resend(*, recipient: OutgoingRecipient, by: User) -> OutgoingRecipient:
    """Queue the e-mail again for a recipient whose sending failed."""
    with transaction.atomic():
        locked = (
            OutgoingRecipient.objects.select_for_update(of=("self",))
            .select_related("document")
            .get(pk=recipient.pk)
        )
        if not is_clerk(locked.document, by):
            raise PermissionDenied(_("Chỉ văn thư của cơ quan ban hành được gửi lại văn bản."))
        if locked.channel != OutgoingRecipient.Channel.EMAIL or locked.status != DeliveryStatus.FAILED:
            raise ValidationError(_("Chỉ gửi lại thư điện tử bị lỗi."))
        if locked.document.state != WorkflowState.ISSUED:
            raise ValidationError(_("Văn bản chưa phát hành hoặc đã bị thu hồi."))
        set_status([locked], DeliveryStatus.PENDING, actor=by, note=_("Gửi lại thư điện tử."), error="")
        queue_emails("send_outgoing_email", [locked.pk])
    return locked


def _email_body(document: OutgoingDocument, recipient: OutgoingRecipient, lines: Sequence[str]) -> str:
    greeting = _("Kính gửi: %(name)s,") % {"name": recipient.name} if recipient.name else ""
    footer = _(
        "Thư được gửi tự động từ hệ thống quản lý văn bản %(site)s; vui lòng không trả lời thư này."
    ) % {"site": settings.EOFFICE_SITE_NAME}
    return "\n\n".join(p for p in [greeting, *lines, footer] if p)


def _subject(*parts: str) -> str:
    return subject_line(*parts)


def _verification_lines(document: OutgoingDocument) -> list[str]:
    if not document.public_code:
        return []
    from signing.rules import verification_url

    return [
        _("Tra cứu, xác thực văn bản điện tử (mã %(code)s): %(url)s")
        % {"code": document.public_code, "url": verification_url(document.public_code)}
    ]


def _attachment_lines(document: OutgoingDocument) -> list[str]:
    titles = [a.title for a in document.attachments.order_by("position", "id")]
    if not titles:
        return []
    return [
        _("Các tệp kèm theo (đã ký số cơ quan): %(titles)s.") % {"titles": "; ".join(titles)},
    ]


def _lock_recipient(recipient_id: int) -> OutgoingRecipient | None:
    return (
        OutgoingRecipient.objects.select_for_update(of=("self",))
        .select_related("document__agency", "document__current_version")
        .filter(pk=recipient_id)
        .first()
    )


def _send(message: EmailMessage) -> str:
    """'' when sent, else the error text (never raises: the status records the failure)."""
    try:
        message.send(fail_silently=False)
    except Exception as exc:  # SMTP, DNS, socket, bad address …
        logger.warning("outgoing e-mail failed: %s", exc)
        return str(exc) or exc.__class__.__name__
    return ""


def email_deliver(*, recipient_id: int) -> str:
    """Send the issued PDF to an e-mail recipient; the recipient becomes SENT or FAILED (with the error)."""
    with transaction.atomic():
        recipient = _lock_recipient(recipient_id)
        if (
            recipient is None
            or recipient.channel != OutgoingRecipient.Channel.EMAIL
            or recipient.status != DeliveryStatus.PENDING
        ):
            return recipient.status if recipient else ""
        document = recipient.document
        if document.state != WorkflowState.ISSUED:
            error = _("Không gửi: văn bản đã bị thu hồi trước khi gửi.")
            set_status([recipient], DeliveryStatus.FAILED, actor=None, note=error, error=error)
            return recipient.status
        version = document.current_version
        if version is None or not version.file:
            error = _("Không tìm thấy tệp văn bản đã phát hành.")
            set_status([recipient], DeliveryStatus.FAILED, actor=None, note=error, error=error)
            return recipient.status
        with version.file.open("rb") as fh:
            pdf = fh.read()
        issued = timezone.localtime(document.issued_at).strftime("%d/%m/%Y") if document.issued_at else ""
        lines = [
            _("%(agency)s gửi văn bản số %(symbol)s ngày %(date)s về việc: %(summary)s.")
            % {
                "agency": document.agency.name,
                "symbol": document.number_symbol,
                "date": issued,
                "summary": document.summary.strip(),
            },
            _("Văn bản điện tử đã được ký số, gửi kèm theo thư này (tệp PDF)."),
            *_attachment_lines(document),
            *_verification_lines(document),
        ]
        message = EmailMessage(
            subject=_subject(document.number_symbol, document.summary),
            body=_email_body(document, recipient, lines),
            to=[recipient.email],
            reply_to=[document.agency.email] if document.agency.email else None,
        )
        message.attach(attachment_name(document.number_symbol), pdf, "application/pdf")
        base = attachment_name(document.number_symbol).rsplit(".", 1)[0]
        for position, (_attached, data) in enumerate(delivered_files(document), start=1):
            message.attach(f"{base}-kem-theo-{position}.pdf", data, "application/pdf")
        error = _send(message)
        if error:
            set_status(
                [recipient], DeliveryStatus.FAILED, actor=None, note=_("Gửi thư điện tử lỗi."), error=error
            )
        else:
            set_status(
                [recipient],
                DeliveryStatus.SENT,
                actor=None,
                note=_("Đã gửi thư điện tử đến %(email)s.") % {"email": recipient.email},
                error="",
            )
        return recipient.status


def email_recall_deliver(*, recipient_id: int) -> str:
    """Tell an e-mail recipient that the document sent to them is recalled (status 13 when sent)."""
    with transaction.atomic():
        recipient = _lock_recipient(recipient_id)
        if recipient is None or recipient.channel != OutgoingRecipient.Channel.EMAIL:
            return ""
        document = recipient.document
        if document.state != WorkflowState.RECALLED or recipient.status != DeliveryStatus.SENT:
            return recipient.status
        recalled = (
            timezone.localtime(document.recalled_at).strftime("%d/%m/%Y") if document.recalled_at else ""
        )
        lines = [
            _(
                "%(agency)s thông báo thu hồi văn bản số %(symbol)s về việc: %(summary)s "
                "(đã gửi đến quý cơ quan)."
            )
            % {
                "agency": document.agency.name,
                "symbol": document.number_symbol,
                "summary": document.summary.strip(),
            },
            _("Ngày thu hồi: %(date)s. Lý do: %(reason)s")
            % {"date": recalled, "reason": document.recall_reason},
            _("Đề nghị quý cơ quan không sử dụng và hủy bỏ văn bản này."),
            *_verification_lines(document),
        ]
        message = EmailMessage(
            subject=_subject(
                _("Thu hồi văn bản %(symbol)s") % {"symbol": document.number_symbol}, document.summary
            ),
            body=_email_body(document, recipient, lines),
            to=[recipient.email],
            reply_to=[document.agency.email] if document.agency.email else None,
        )
        error = _send(message)
        if error:
            recipient.error = error[:2000]
            recipient.save(update_fields=["error"])
            DeliveryEvent.objects.create(
                recipient=recipient,
                status=DeliveryStatus.FAILED,
                note=(_("Gửi thư báo thu hồi lỗi: %(error)s") % {"error": error})[:500],
            )
        else:
            set_status(
                [recipient],
                DeliveryStatus.RECALL_REQUESTED,
                actor=None,
                note=_("Đã gửi thư báo thu hồi đến %(email)s.") % {"email": recipient.email},
                error="",
            )
        return recipient.status
