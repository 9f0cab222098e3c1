"""The recipients of an issued outgoing document, the delivery status the sender sees (QCVN 102), and
the trail of each recipient's statuses."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.outgoing.models.document import OutgoingDocument
from eoffice.models import Agency


class DeliveryStatus(models.TextChoices):
    """What the sender sees per recipient: our own two steps, then the QCVN 102 status codes."""

    PENDING = "pending", _("Chờ gửi")
    SENT = "sent", _("Đã gửi")
    FAILED = "failed", _("Gửi lỗi")
    ARRIVED = "01", _("Đã đến")
    REFUSED = "02", _("Bị từ chối")
    REGISTERED = "03", _("Đã vào sổ")
    ASSIGNED = "04", _("Đã giao xử lý")
    PROCESSING = "05", _("Đang xử lý")
    DONE = "06", _("Đã xử lý xong")
    RECALL_REQUESTED = "13", _("Đề nghị thu hồi")
    RECALL_ACCEPTED = "15", _("Đã thu hồi")
    RECALL_REFUSED = "16", _("Từ chối thu hồi")


class OutgoingRecipient(models.Model):
    """A recipient of an issued document and the status the sender sees."""

    class Channel(models.TextChoices):
        INTERNAL = "internal", _("Liên thông trong hệ thống")
        EXCHANGE = "exchange", _("Liên thông ngoài hệ thống")
        EMAIL = "email", _("Thư điện tử")
        PAPER = "paper", _("Bản giấy")

    document = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE, related_name="recipients")
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan nhận"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    external_agency = models.ForeignKey(
        "documents.ExternalAgency",
        verbose_name=_("cơ quan ngoài hệ thống"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recipients",
    )
    name = models.CharField(_("nơi nhận"), max_length=255)
    email = models.EmailField(_("thư điện tử"), blank=True)
    channel = models.CharField(_("hình thức gửi"), max_length=10, choices=Channel.choices)
    status = models.CharField(
        _("tình trạng"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    status_at = models.DateTimeField(_("cập nhật lúc"), null=True, blank=True)
    incoming = models.OneToOneField(
        "documents.IncomingDocument",
        verbose_name=_("văn bản đến tại nơi nhận"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="source_recipient",
    )
    error = models.TextField(_("lỗi"), blank=True)

    class Meta:
        verbose_name = _("nơi nhận văn bản đi")
        verbose_name_plural = _("nơi nhận văn bản đi")
        ordering = ["document", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["document", "agency"],
                condition=Q(agency__isnull=False),
                name="recipient_unique_agency",
            ),
            models.UniqueConstraint(
                fields=["document", "external_agency"],
                condition=Q(external_agency__isnull=False),
                name="recipient_unique_external_agency",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class DeliveryEvent(models.Model):
    """Append-only trail of a recipient's statuses (what happened, when, who)."""

    recipient = models.ForeignKey(OutgoingRecipient, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=10, choices=DeliveryStatus.choices)
    at = models.DateTimeField(default=timezone.now)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)
    # the recipient's officer when the status came from outside (edXML StaffInfo), as sent
    actor_name = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.status}"
