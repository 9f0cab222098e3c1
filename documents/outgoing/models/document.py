"""The outgoing document (văn bản đi): drafted, reviewed, signed (number and date given then), sealed,
issued, delivered and recalled (NĐ 30 Điều 10–19); its states, choices, the guards of its transitions, and
who may see it (``visible_q``).

The order that keeps every signature valid and puts the number in the PDF (Phụ lục I, "số và thời gian
ban hành được lấy bằng chức năng của hệ thống"): the number and the issue date are given by the system
at the moment the competent person signs, in the same transaction as the signature. The final PDF is
rendered with them, then signed by the leader; the clerk then adds the agency's signature (the seal) as
an incremental update and issues. A failure anywhere in the signing transaction gives the number back.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, transition

from documents.common import Confidentiality, FullTextMixin, Urgency
from eoffice.models import Agency, Department, Role, User
from eoffice.search import fold
from workflow.models import WorkflowRecord, WorkflowState

OUTGOING_STATE_LABELS = {
    WorkflowState.NEW: _("Đang soạn thảo"),
    WorkflowState.SUBMITTED: _("Chờ duyệt"),
    WorkflowState.FORMAT_CHECK: _("Chờ kiểm tra thể thức"),
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


def is_format_reviewer(doc, user) -> bool:
    return _same_agency(doc, user) and doc.format_reviewer_id == user.pk


def can_return(doc, user) -> bool:
    if doc.state == WorkflowState.SUBMITTED:
        return is_reviewer(doc, user)
    if doc.state == WorkflowState.FORMAT_CHECK:
        return is_format_reviewer(doc, user)
    return is_signer(doc, user)


def is_clerk(doc, user) -> bool:
    return _same_agency(doc, user) and user.has_role(Role.CLERK)


def can_recall(doc, user) -> bool:
    return is_clerk(doc, user) or is_signer(doc, user)


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
    # The "Lưu" line's number of archive copies (Phụ lục I: "Lưu: VT, TCCB, 02b"); 0 prints none.
    archive_copies = models.PositiveSmallIntegerField(_("số bản lưu"), default=0)
    # Where the paper original is kept: the only content of a secret document held as metadata only.
    paper_location = models.CharField(_("nơi lưu bản giấy"), max_length=255, blank=True)
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

    # The record (ủy quyền, giao ký thay, giao quyền) that allows the prefix for this signer, when one must.
    authorization = models.ForeignKey(
        "documents.SigningAuthorization",
        verbose_name=_("văn bản ủy quyền, giao ký"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
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
    # Văn phòng's format check before signing (Điều 12.2): who holds it, when it passed.
    format_reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người kiểm tra thể thức"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    format_checked_at = models.DateTimeField(_("ngày kiểm tra thể thức"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("ngày trình"), null=True, blank=True)
    approved_at = models.DateTimeField(_("ngày duyệt"), null=True, blank=True)
    signed_at = models.DateTimeField(_("ngày ký"), null=True, blank=True)
    released_at = models.DateTimeField(_("ngày phát hành"), null=True, blank=True)

    current_version = models.ForeignKey(
        "documents.OutgoingVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    public_code = models.CharField(_("mã tra cứu công khai"), max_length=32, blank=True)
    # mã định danh văn bản (Phụ lục VI III.1c), fixed when the number is; the exchange names it DocumentId
    identifier = models.CharField(_("mã định danh văn bản"), max_length=120, blank=True, db_index=True)
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

    @classmethod
    def visible_to(cls, user) -> models.QuerySet:
        return cls.objects.filter(visible_q(user))

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
        # To the office's format check when the service named a format reviewer, else to the signer.
        target=RETURN_VALUE(WorkflowState.FORMAT_CHECK, WorkflowState.SIGNING),
        permission=lambda doc, user: (
            is_reviewer(doc, user)
            if doc.state == WorkflowState.SUBMITTED
            else is_drafter(doc, user) and user.has_role(Role.DEPARTMENT_HEAD, Role.LEADER)
        ),
        custom={"label": _("Duyệt, trình ký"), "form": True},
    )
    def approve(self) -> str:
        self.approved_at = timezone.now()
        return WorkflowState.FORMAT_CHECK if self.format_reviewer_id else WorkflowState.SIGNING

    @transition(
        field="state",
        source=WorkflowState.FORMAT_CHECK,
        target=WorkflowState.SIGNING,
        permission=is_format_reviewer,
        custom={"label": _("Đạt thể thức, trình ký"), "form": True},
    )
    def format_approve(self) -> None:
        self.format_checked_at = timezone.now()

    @transition(
        field="state",
        source=[WorkflowState.SUBMITTED, WorkflowState.FORMAT_CHECK, WorkflowState.SIGNING],
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


# --- who sees what ---------------------------------------------------------------------------------------
# Who sees an outgoing document (all within the user's own agency):
# - the people who hold it or held it: drafter, reviewer, signer, people asked for their opinion;
# - normal documents: the head of the drafting unit; leaders once it reaches them (chờ ký onwards);
#   clerks once signed (to issue it); everybody of the drafting unit once issued;
# - secret documents (độ mật): only the people who hold or held it, and the clerks once signed.
# The rule lives with the model: the engine asks every record kind ``visible_to(user)`` (the history's
# attachments), the selectors filter every page with the same ``visible_q``.

AFTER_SIGNATURE = (WorkflowState.SIGNED, WorkflowState.ISSUED, WorkflowState.RECALLED)
LEADER_STATES = (WorkflowState.SIGNING, *AFTER_SIGNATURE)
ISSUED_STATES = (WorkflowState.ISSUED, WorkflowState.RECALLED)


def _holds(user: User) -> Q:
    # The answers' module imports this one (their foreign keys): named here when the rule is built.
    from documents.outgoing.models.consultations import ConsultationAnswer

    asked = ConsultationAnswer.objects.filter(consultation__document=OuterRef("pk"), respondent_id=user.pk)
    return (
        Q(drafted_by_id=user.pk)
        | Q(reviewer_id=user.pk)
        | Q(signer_id=user.pk)
        | Q(format_reviewer_id=user.pk)
        | Q(Exists(asked))
    )


def visible_q(user: User) -> Q:
    if not getattr(user, "is_authenticated", False) or not user.agency_id:
        return Q(pk__in=[])
    normal = Q(confidentiality=0)
    sees = _holds(user)
    if user.has_role(Role.CLERK):
        sees |= Q(state__in=AFTER_SIGNATURE)
    roles = user.roles
    wide = Q(pk__in=[])
    if Role.LEADER in roles:
        wide |= Q(state__in=LEADER_STATES)
    if user.department_id:
        if Role.DEPARTMENT_HEAD in roles:
            wide |= Q(department_id=user.department_id) & ~Q(state=WorkflowState.CANCELLED)
        wide |= Q(department_id=user.department_id, state__in=ISSUED_STATES)
    return Q(agency_id=user.agency_id) & (sees | (normal & wide))
