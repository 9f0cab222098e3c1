"""Outgoing documents (văn bản đi): drafts and their versions, review comments, consultation, signature,
number, issuance, delivery to recipients and recall (NĐ 30 Điều 10–19).

Imported by ``documents.models`` (app label ``documents``). Models hold data, constraints and indexes;
transitions only guard. Every write is in ``documents.outgoing.services``.

The order that keeps every signature valid and puts the number in the PDF (Phụ lục I, "số và thời gian
ban hành được lấy bằng chức năng của hệ thống"): the number and the issue date are given by the system
at the moment the competent person signs, in the same transaction as the signature. The final PDF is
rendered with them, then signed by the leader; the clerk then adds the agency's signature (the seal) as
an incremental update and issues. A failure anywhere in the signing transaction gives the number back.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import transition

from documents.common import Confidentiality, FullTextMixin, Urgency
from eoffice.models import Agency, Department, Role
from eoffice.search import fold
from workflow.models import WorkflowRecord, WorkflowState

OUTGOING_STATE_LABELS = {
    WorkflowState.NEW: _("Đang soạn thảo"),
    WorkflowState.SUBMITTED: _("Chờ duyệt"),
    WorkflowState.SIGNING: _("Chờ ký"),
    WorkflowState.SIGNED: _("Chờ phát hành"),
    WorkflowState.ISSUED: _("Đã phát hành"),
    WorkflowState.RETURNED: _("Bị trả lại"),
    WorkflowState.RECALLED: _("Đã thu hồi"),
    WorkflowState.CANCELLED: _("Đã hủy"),
}
DRAFT_STATES = (WorkflowState.NEW, WorkflowState.RETURNED)
EDITABLE_STATES = (WorkflowState.NEW, WorkflowState.RETURNED, WorkflowState.SUBMITTED, WorkflowState.SIGNING)


class SignerAuthority(models.TextChoices):
    """Thẩm quyền ký (Phụ lục I, II.7)."""

    NONE = "", _("Ký trực tiếp")
    TM = "TM.", _("TM. (thay mặt tập thể)")
    KT = "KT.", _("KT. (ký thay người đứng đầu)")
    Q = "Q.", _("Q. (quyền)")
    TL = "TL.", _("TL. (thừa lệnh)")
    TUQ = "TUQ.", _("TUQ. (thừa ủy quyền)")


class Circulation(models.TextChoices):
    NONE = "", _("Không")
    RETURN = "XEM XONG TRẢ LẠI", _("XEM XONG TRẢ LẠI")
    INTERNAL = "LƯU HÀNH NỘI BỘ", _("LƯU HÀNH NỘI BỘ")


class Relation(models.TextChoices):
    NONE = "", _("Văn bản mới")
    REPLACE = "replace", _("Thay thế văn bản")
    CORRECT = "correct", _("Đính chính văn bản")


def _same_agency(doc, user) -> bool:
    return bool(user.agency_id) and user.agency_id == doc.agency_id


def is_drafter(doc, user) -> bool:
    return _same_agency(doc, user) and doc.drafted_by_id == user.pk


def is_reviewer(doc, user) -> bool:
    return _same_agency(doc, user) and doc.reviewer_id == user.pk


def is_signer(doc, user) -> bool:
    return _same_agency(doc, user) and doc.signer_id == user.pk


def can_return(doc, user) -> bool:
    if doc.state == WorkflowState.SUBMITTED:
        return is_reviewer(doc, user)
    return is_signer(doc, user)


def is_clerk(doc, user) -> bool:
    return _same_agency(doc, user) and user.has_role(Role.CLERK)


def can_recall(doc, user) -> bool:
    return is_clerk(doc, user) or is_signer(doc, user)


def _upload_version(instance: OutgoingVersion, filename: str) -> str:
    now = timezone.now()
    return (
        f"documents/outgoing/{now:%Y/%m}/{instance.document_id}-v{instance.number}-{instance.sha256[:12]}.pdf"
    )


class OutgoingDocument(FullTextMixin, WorkflowRecord):
    """Văn bản đi: drafted, reviewed, signed (number and date given then), sealed, issued, delivered."""

    state_labels = OUTGOING_STATE_LABELS

    class Source(models.TextChoices):
        TEMPLATE = "template", _("Soạn theo mẫu")
        UPLOAD = "upload", _("Tải lên tệp")

    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        Department,
        verbose_name=_("đơn vị soạn thảo"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    doc_type = models.ForeignKey(
        "documents.DocumentType", verbose_name=_("loại văn bản"), on_delete=models.PROTECT, related_name="+"
    )
    source = models.CharField(_("cách soạn"), max_length=10, choices=Source.choices, default=Source.TEMPLATE)

    register = models.ForeignKey(
        "documents.Register",
        verbose_name=_("sổ văn bản đi"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="outgoing",
    )
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    number = models.PositiveIntegerField(_("số"), null=True, blank=True)
    number_symbol = models.CharField(_("số, ký hiệu"), max_length=100, blank=True)
    issued_at = models.DateTimeField(_("ngày ban hành"), null=True, blank=True)

    summary = models.TextField(_("trích yếu"))
    body = models.TextField(_("nội dung"), blank=True)
    legal_bases = models.TextField(_("căn cứ ban hành"), blank=True, help_text=_("Mỗi căn cứ một dòng."))
    addressees = models.TextField(_("kính gửi"), blank=True, help_text=_("Mỗi nơi một dòng."))
    distribution = models.TextField(_("nơi nhận"), blank=True, help_text=_("Mỗi nơi một dòng."))
    archive_note = models.CharField(
        _("lưu"),
        max_length=100,
        blank=True,
        help_text=_("Ví dụ: VT, KHTH. Để trống: VT và đơn vị soạn thảo."),
    )
    copies = models.PositiveSmallIntegerField(_("số lượng bản"), default=1)
    place_name = models.CharField(_("địa danh"), max_length=100, blank=True)

    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người ký"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    signer_authority = models.CharField(
        _("thẩm quyền ký"), max_length=5, choices=SignerAuthority.choices, default="", blank=True
    )
    authority_title = models.CharField(
        _("chức danh người đứng đầu / tập thể"),
        max_length=150,
        blank=True,
        help_text=_("Với TM., KT., Q., TL., TUQ.: ví dụ ỦY BAN NHÂN DÂN hoặc GIÁM ĐỐC."),
    )
    signer_title = models.CharField(_("chức vụ người ký"), max_length=150, blank=True)
    urgency = models.PositiveSmallIntegerField(_("độ khẩn"), choices=Urgency.choices, default=Urgency.NORMAL)
    confidentiality = models.PositiveSmallIntegerField(
        _("độ mật"), choices=Confidentiality.choices, default=Confidentiality.NORMAL
    )
    circulation = models.CharField(
        _("chỉ dẫn phạm vi lưu hành"), max_length=20, choices=Circulation.choices, default="", blank=True
    )

    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người soạn thảo"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lãnh đạo đơn vị duyệt"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("văn thư phát hành"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("ngày trình"), null=True, blank=True)
    approved_at = models.DateTimeField(_("ngày duyệt"), null=True, blank=True)
    signed_at = models.DateTimeField(_("ngày ký"), null=True, blank=True)
    released_at = models.DateTimeField(_("ngày phát hành"), null=True, blank=True)

    current_version = models.ForeignKey(
        "documents.OutgoingVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    public_code = models.CharField(_("mã tra cứu công khai"), max_length=32, blank=True)
    # The open request for the competent person's signature (the leader's "chờ ký" queue).
    sign_request = models.OneToOneField(
        "signing.SignatureRequest", on_delete=models.SET_NULL, null=True, blank=True, related_name="outgoing"
    )

    reply_to = models.ForeignKey(
        "documents.IncomingDocument",
        verbose_name=_("trả lời văn bản đến"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="replies",
    )
    relation = models.CharField(_("quan hệ"), max_length=10, choices=Relation.choices, default="", blank=True)
    related = models.ForeignKey(
        "self",
        verbose_name=_("văn bản được thay thế / đính chính"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="successors",
    )
    recalled_at = models.DateTimeField(_("ngày thu hồi"), null=True, blank=True)
    recall_reason = models.TextField(_("lý do thu hồi"), blank=True)

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("văn bản đi")
        verbose_name_plural = _("văn bản đi")
        ordering = ["-created_at", "-id"]
        default_permissions = ("add", "change", "view")
        constraints = [
            models.UniqueConstraint(
                fields=["register", "year", "number"],
                condition=Q(number__isnull=False),
                name="outgoing_unique_number",
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | (Q(year__isnull=False) & Q(register__isnull=False)),
                name="outgoing_number_has_register",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "state", "-created_at"], name="outgoing_agency_state_idx"),
            models.Index(fields=["agency", "-issued_at"], name="outgoing_agency_issued_idx"),
            models.Index(fields=["drafted_by", "state"], name="outgoing_drafter_idx"),
            models.Index(fields=["reviewer", "state"], name="outgoing_reviewer_idx"),
            models.Index(fields=["signer", "state"], name="outgoing_signer_idx"),
            models.Index(fields=["agency", "number_symbol"], name="outgoing_symbol_idx"),
            models.Index(fields=["agency", "-created_at"], name="outgoing_agency_created_idx"),
            GinIndex(fields=["search_vector"], name="outgoing_search_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number_symbol or _('Dự thảo')} · {self.summary[:80]}"

    def save(self, *args, **kwargs) -> None:
        self.search_text = fold(" ".join(filter(None, [self.number_symbol, self.summary, self.addressees])))
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text", "updated_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("documents:outgoing_detail", args=[self.pk])

    # What a user may see: set to the selector by documents.outgoing.registry (see ``visible_to``).
    visibility: ClassVar[Callable[[Any], models.QuerySet] | None] = None

    @classmethod
    def visible_to(cls, user) -> models.QuerySet:
        """The engine's visibility hook (``WorkflowRecord.visible_to``). The rule is a selector,
        ``documents.outgoing.selectors.visible_outgoing``, handed over when the app is ready
        (``documents.outgoing.registry``): models import no selector."""
        if cls.visibility is None:
            raise ImproperlyConfigured("OutgoingDocument.visibility is set by documents.outgoing.registry")
        return cls.visibility(user)

    @property
    def is_secret(self) -> bool:
        return self.confidentiality > 0

    @property
    def is_urgent(self) -> bool:
        return self.urgency > 0

    @property
    def is_draft(self) -> bool:
        return self.state in DRAFT_STATES

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    @property
    def number_display(self) -> str:
        return f"{self.number:02d}" if self.number else ""

    # --- transitions: guards only -------------------------------------------------------------------

    @transition(
        field="state",
        source=[WorkflowState.NEW, WorkflowState.RETURNED],
        target=WorkflowState.SUBMITTED,
        permission=is_drafter,
        custom={"label": _("Trình lãnh đạo đơn vị duyệt"), "form": True},
    )
    def submit(self) -> None:
        self.submitted_at = timezone.now()

    @transition(
        field="state",
        source=[WorkflowState.NEW, WorkflowState.RETURNED, WorkflowState.SUBMITTED],
        target=WorkflowState.SIGNING,
        permission=lambda doc, user: (
            is_reviewer(doc, user)
            if doc.state == WorkflowState.SUBMITTED
            else is_drafter(doc, user) and user.has_role(Role.DEPARTMENT_HEAD, Role.LEADER)
        ),
        custom={"label": _("Duyệt, trình ký"), "form": True},
    )
    def approve(self) -> None:
        self.approved_at = timezone.now()

    @transition(
        field="state",
        source=[WorkflowState.SUBMITTED, WorkflowState.SIGNING],
        target=WorkflowState.RETURNED,
        permission=can_return,
        custom={"label": _("Trả lại dự thảo"), "comment_required": True, "tone": "danger", "form": True},
    )
    def send_back(self) -> None:
        pass

    @transition(
        field="state",
        source=WorkflowState.SIGNING,
        target=WorkflowState.SIGNED,
        permission=is_signer,
        custom={"label": _("Ký số"), "form": True},
    )
    def sign(self) -> None:
        self.signed_at = timezone.now()

    @transition(
        field="state",
        source=WorkflowState.SIGNED,
        target=WorkflowState.ISSUED,
        permission=is_clerk,
        custom={"label": _("Ký số cơ quan và phát hành"), "form": True},
    )
    def issue(self) -> None:
        self.released_at = timezone.now()

    @transition(
        field="state",
        source=WorkflowState.ISSUED,
        target=WorkflowState.RECALLED,
        permission=can_recall,
        custom={"label": _("Thu hồi văn bản"), "form": True, "tone": "danger"},
    )
    def recall(self) -> None:
        self.recalled_at = timezone.now()

    @transition(
        field="state",
        source=[WorkflowState.NEW, WorkflowState.RETURNED],
        target=WorkflowState.CANCELLED,
        permission=is_drafter,
        custom={"label": _("Hủy dự thảo"), "comment_required": True, "tone": "danger"},
    )
    def cancel(self) -> None:
        pass


class OutgoingVersion(models.Model):
    """One PDF of a draft: rendered from the form, uploaded, or the signed/sealed result. Never rewritten."""

    class Kind(models.TextChoices):
        RENDERED = "rendered", _("Dự thảo soạn theo mẫu")
        UPLOADED = "uploaded", _("Dự thảo tải lên")
        CONVERTED = "converted", _("Dự thảo chuyển từ DOCX")
        SIGNED = "signed", _("Bản đã ký")
        SEALED = "sealed", _("Bản phát hành (đã ký số cơ quan)")

    document = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("phiên bản"))
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("tệp PDF"), upload_to=_upload_version, max_length=300)
    sha256 = models.CharField(max_length=64)
    size = models.BigIntegerField(default=0)
    pages = models.PositiveIntegerField(_("số trang"), default=1)
    original_name = models.CharField(_("tên tệp gốc"), max_length=255, blank=True)
    # Where the leader's stamp goes: {"page": 0-based, "rect": [x1, y1, x2, y2]} in PDF points.
    signature_box = models.JSONField(null=True, blank=True)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("phiên bản dự thảo")
        verbose_name_plural = _("phiên bản dự thảo")
        ordering = ["document", "number"]
        constraints = [models.UniqueConstraint(fields=["document", "number"], name="outgoing_version_unique")]

    def __str__(self) -> str:
        return f"v{self.number} · {self.get_kind_display()}"


class DraftComment(models.Model):
    """A reviewer's comment on a version of a draft."""

    document = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE, related_name="comments")
    version = models.ForeignKey(
        OutgoingVersion,
        verbose_name=_("phiên bản"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="comments",
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("ý kiến"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ý kiến về dự thảo")
        verbose_name_plural = _("ý kiến về dự thảo")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:60]


class Consultation(models.Model):
    """Lấy ý kiến: a question on the draft to several people or units in parallel, with a deadline."""

    document = models.ForeignKey(OutgoingDocument, on_delete=models.CASCADE, related_name="consultations")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    question = models.TextField(_("nội dung xin ý kiến"))
    version = models.ForeignKey(OutgoingVersion, on_delete=models.SET_NULL, null=True, related_name="+")
    deadline = models.DateTimeField(_("hạn góp ý"))
    created_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(_("ngày tổng hợp"), null=True, blank=True)
    summary = models.TextField(_("tổng hợp ý kiến"), blank=True)

    class Meta:
        verbose_name = _("đợt lấy ý kiến")
        verbose_name_plural = _("đợt lấy ý kiến")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.question[:60]

    @property
    def is_open(self) -> bool:
        return self.closed_at is None


class ConsultationAnswer(models.Model):
    class Answer(models.TextChoices):
        PENDING = "pending", _("Chưa trả lời")
        AGREE = "agree", _("Đồng ý")
        DISAGREE = "disagree", _("Không đồng ý")
        OTHER = "other", _("Ý kiến khác")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="answers")
    respondent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người cho ý kiến"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("thay mặt đơn vị"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    answer = models.CharField(_("ý kiến"), max_length=10, choices=Answer.choices, default=Answer.PENDING)
    note = models.TextField(_("ghi chú"), blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("ý kiến góp ý")
        verbose_name_plural = _("ý kiến góp ý")
        ordering = ["consultation", "id"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "respondent"], name="consultation_answer_unique")
        ]
        indexes = [models.Index(fields=["respondent", "answer"], name="consult_respondent_idx")]

    def __str__(self) -> str:
        return f"{self.respondent_id}: {self.answer}"


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
            )
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

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.recipient_id} {self.status}"
