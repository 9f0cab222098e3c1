"""Incoming documents (văn bản đến): received, registered with an incoming number, directed, processed;
their attachments and the explicit grants on secret ones.

Loaded into the app by ``documents.models`` (app label ``documents``). Models hold data, constraints and
indexes; transitions only guard. Every write is in ``documents.incoming.services``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.indexes import GinIndex
from django.db import models
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import transition
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from documents.common import Channel, Confidentiality, FullTextMixin, SignatureStatus, Urgency
from documents.registers.models import DocumentType, Register
from eoffice.models import Agency, Role, User
from eoffice.search import fold
from workflow.models import Assignment, WorkflowRecord, WorkflowState, held_by_q

INCOMING_OPEN_STATES = (WorkflowState.RECEIVED, WorkflowState.ASSIGNED, WorkflowState.PROCESSING)
INCOMING_OPEN_Q = Q(state__in=INCOMING_OPEN_STATES)

# What the states mean for an incoming document (the engine's labels are generic).
INCOMING_STATE_LABELS = {
    WorkflowState.NEW: _("Chờ vào sổ"),
    WorkflowState.RECEIVED: _("Chờ chỉ đạo"),
    WorkflowState.ASSIGNED: _("Đã giao xử lý"),
    WorkflowState.PROCESSING: _("Đang xử lý"),
    WorkflowState.ARCHIVED: _("Đã hoàn thành"),
    WorkflowState.RETURNED: _("Đã trả lại nơi gửi"),
}


def upload_main_path(instance: IncomingDocument, filename: str) -> str:
    now = timezone.now()
    return f"documents/incoming/{now:%Y/%m}/{instance.file_sha256[:16] or 'file'}.pdf"


def upload_attachment_path(instance: IncomingAttachment, filename: str) -> str:
    now = timezone.now()
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"documents/incoming/{now:%Y/%m}/att-{instance.sha256[:16]}.{ext}"


# --- transition guards ------------------------------------------------------------------------------


def _same_agency(doc: IncomingDocument, user) -> bool:
    return bool(user.agency_id) and user.agency_id == doc.agency_id


def can_register(doc: IncomingDocument, user) -> bool:
    return _same_agency(doc, user) and user.has_role(Role.CLERK)


def can_direct(doc: IncomingDocument, user) -> bool:
    if not (_same_agency(doc, user) and user.has_role(Role.LEADER)):
        return False
    return doc.directing_leader_id in (None, user.pk) or doc.delegated_by_id == user.pk


def holds_lead(doc: IncomingDocument, user) -> bool:
    """The user holds the open lead part that has not been handed on (the person who must finish)."""
    if not _same_agency(doc, user):
        return False
    return (
        Assignment.objects.for_record(doc)
        .filter(held_by_q(user), role=Assignment.Kind.LEAD, status=Assignment.Status.OPEN)
        .exclude(children__status=Assignment.Status.OPEN)
        .exists()
    )


def can_reopen(doc: IncomingDocument, user) -> bool:
    return _same_agency(doc, user) and user.has_role(Role.LEADER)


class IncomingDocument(FullTextMixin, WorkflowRecord):
    """Văn bản đến: received, registered with an incoming number, directed, processed."""

    # The states in this kind's words: the page badge, the lists and the timeline (``state_label``).
    state_labels = INCOMING_STATE_LABELS

    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+")
    register = models.ForeignKey(
        Register, verbose_name=_("sổ văn bản đến"), on_delete=models.PROTECT, related_name="incoming"
    )
    year = models.PositiveSmallIntegerField(_("năm"), null=True, blank=True)
    number = models.PositiveIntegerField(_("số đến"), null=True, blank=True)

    issuer_agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan ban hành (trong danh bạ)"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    issuer_name = models.CharField(_("cơ quan ban hành"), max_length=255)
    number_symbol = models.CharField(_("số, ký hiệu"), max_length=100)
    issued_date = models.DateField(_("ngày ban hành"))
    doc_type = models.ForeignKey(
        DocumentType, verbose_name=_("loại văn bản"), on_delete=models.PROTECT, related_name="+"
    )
    summary = models.TextField(_("trích yếu"))
    signer_name = models.CharField(_("người ký"), max_length=150, blank=True)
    urgency = models.PositiveSmallIntegerField(_("độ khẩn"), choices=Urgency.choices, default=Urgency.NORMAL)
    confidentiality = models.PositiveSmallIntegerField(
        _("độ mật"), choices=Confidentiality.choices, default=Confidentiality.NORMAL
    )
    page_count = models.PositiveIntegerField(_("số trang"), default=1)
    received_at = models.DateTimeField(_("thời gian nhận"), default=timezone.now)
    channel = models.CharField(_("hình thức nhận"), max_length=12, choices=Channel.choices)
    due_at = models.DateTimeField(_("hạn xử lý"), null=True, blank=True)
    due_soon_at = models.DateTimeField(null=True, blank=True)

    # Empty for a secret document held as metadata only (``Agency.secret_metadata_only_from``).
    file = models.FileField(_("tệp văn bản"), upload_to=upload_main_path, max_length=300, blank=True)
    file_name = models.CharField(_("tên tệp"), max_length=255, blank=True)
    # Where the paper original is kept (required when no file is held).
    paper_location = models.CharField(_("nơi lưu bản giấy"), max_length=255, blank=True)
    file_sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    file_size = models.BigIntegerField(_("dung lượng"), default=0)
    signature_status = models.CharField(
        _("chữ ký số"), max_length=10, choices=SignatureStatus.choices, default=SignatureStatus.UNCHECKED
    )
    signature_report = models.JSONField(_("kết quả kiểm tra chữ ký"), default=dict, blank=True)

    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("trùng với văn bản"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="duplicates",
    )
    # Empty for a document delivered electronically inside the installation (no person received it).
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tiếp nhận"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    registered_at = models.DateTimeField(_("thời gian vào sổ"), null=True, blank=True)
    directing_leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lãnh đạo chỉ đạo"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    delegated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    instruction = models.TextField(_("ý kiến chỉ đạo"), blank=True)
    directed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    directed_at = models.DateTimeField(_("ngày chỉ đạo"), null=True, blank=True)
    proposal = models.TextField(_("ý kiến đề xuất của người giải quyết"), blank=True)
    # The reply: its number and symbol (the outgoing module will link its own record to this one).
    reply_number_symbol = models.CharField(_("số, ký hiệu văn bản trả lời"), max_length=100, blank=True)
    completed_at = models.DateTimeField(_("ngày hoàn thành"), null=True, blank=True)
    return_reason = models.TextField(_("lý do trả lại"), blank=True)
    note = models.CharField(_("ghi chú"), max_length=255, blank=True)
    # Recalled by the sender (thu hồi): out of every active list, kept with its history.
    recalled_at = models.DateTimeField(_("ngày bị thu hồi"), null=True, blank=True)
    recall_confirmed_at = models.DateTimeField(_("ngày xác nhận thu hồi"), null=True, blank=True)

    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("văn bản đến")
        verbose_name_plural = _("văn bản đến")
        ordering = ["-received_at", "-id"]
        default_permissions = ("add", "change", "view")
        constraints = [
            models.UniqueConstraint(
                fields=["register", "year", "number"],
                condition=Q(number__isnull=False),
                name="incoming_unique_number",
            ),
            models.CheckConstraint(
                condition=Q(number__isnull=True) | Q(year__isnull=False), name="incoming_number_has_year"
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "state", "-received_at"], name="incoming_agency_state_idx"),
            models.Index(fields=["agency", "-received_at"], name="incoming_agency_recv_idx"),
            models.Index(
                fields=["agency", "due_at"], condition=INCOMING_OPEN_Q, name="incoming_open_due_idx"
            ),
            models.Index(fields=["agency", "number_symbol"], name="incoming_symbol_idx"),
            # The search's type and date filters (issue 22): without it PostgreSQL ANDs the bitmaps of the
            # whole agency and of the whole type (70,000 rows at 1M) with the words' GIN bitmap.
            models.Index(fields=["agency", "doc_type", "issued_date"], name="incoming_type_issued_idx"),
            models.Index(
                fields=["agency", "confidentiality"],
                condition=Q(confidentiality__gt=0),
                name="incoming_secret_idx",
            ),
            GinIndex(fields=["search_vector"], name="incoming_search_idx"),
        ]

    def __str__(self) -> str:
        number = f"{self.number:02d}" if self.number else "—"
        return f"{number} · {self.number_symbol} · {self.summary[:80]}"

    def save(self, *args, **kwargs) -> None:
        self.search_text = fold(
            " ".join(
                filter(
                    None, [self.number_symbol, self.issuer_name, self.summary, self.signer_name, self.note]
                )
            )
        )
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text", "updated_at"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("documents:incoming_detail", args=[self.pk])

    @property
    def is_secret(self) -> bool:
        return self.confidentiality > Confidentiality.NORMAL

    @property
    def is_urgent(self) -> bool:
        return self.urgency > Urgency.NORMAL

    @property
    def is_open(self) -> bool:
        return self.state in INCOMING_OPEN_STATES

    @property
    def number_display(self) -> str:
        return f"{self.number:02d}" if self.number else ""

    @property
    def signature_pill(self) -> str:
        return {
            SignatureStatus.VALID: "pill-ontime",
            SignatureStatus.INVALID: "pill-overdue",
        }.get(self.signature_status, "pill-muted")

    @classmethod
    def visible_to(cls, user) -> models.QuerySet:
        return cls.objects.filter(visible_q(user))

    # --- transitions: guards only ---------------------------------------------------------------

    @transition(
        field="state",
        source=WorkflowState.NEW,
        target=WorkflowState.RECEIVED,
        permission=can_register,
        custom={"label": _("Vào sổ")},
    )
    def register_number(self) -> None:
        self.registered_at = timezone.now()

    @transition(
        field="state",
        source=[WorkflowState.NEW, WorkflowState.RECEIVED],
        target=WorkflowState.RETURNED,
        permission=can_register,
        custom={"label": _("Trả lại nơi gửi"), "comment_required": True, "tone": "danger"},
    )
    def send_back(self) -> None:
        pass

    @transition(
        field="state",
        source=WorkflowState.RECEIVED,
        target=WorkflowState.ASSIGNED,
        permission=can_direct,
        custom={"label": _("Chỉ đạo, giao xử lý"), "form": True},
    )
    def assign(self) -> None:
        self.directed_at = timezone.now()

    @transition(
        field="state",
        source=WorkflowState.ASSIGNED,
        target=WorkflowState.PROCESSING,
        permission=holds_lead,
        custom={"label": _("Bắt đầu xử lý")},
    )
    def start(self) -> None:
        pass

    @transition(
        field="state",
        source=[WorkflowState.ASSIGNED, WorkflowState.PROCESSING],
        target=WorkflowState.ARCHIVED,
        permission=holds_lead,
        custom={"label": _("Hoàn thành xử lý"), "form": True},
    )
    def finish(self) -> None:
        self.completed_at = timezone.now()

    @transition(
        field="state",
        source=WorkflowState.ARCHIVED,
        target=WorkflowState.PROCESSING,
        permission=can_reopen,
        custom={"label": _("Mở lại xử lý")},
    )
    def reopen(self) -> None:
        self.completed_at = None


class IncomingAttachment(models.Model):
    document = models.ForeignKey(IncomingDocument, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("tệp"), upload_to=upload_attachment_path, max_length=300)
    name = models.CharField(_("tên tệp"), max_length=255)
    sha256 = models.CharField(max_length=64)
    size = models.BigIntegerField(default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("tệp đính kèm")
        verbose_name_plural = _("tệp đính kèm")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class IncomingDocumentUserObjectPermission(UserObjectPermissionBase):
    """Explicit grants on one document (secret documents): direct FK, not the generic table."""

    content_object = models.ForeignKey(IncomingDocument, on_delete=models.CASCADE)


class IncomingDocumentGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(IncomingDocument, on_delete=models.CASCADE)


def incoming_content_type() -> ContentType:
    return ContentType.objects.get_for_model(IncomingDocument)


# --- who may see a document ---------------------------------------------------------------------------
#
# Who sees an incoming document (all within the user's own agency):
# - normal documents: the clerks and leaders of the agency; the people assigned (lead, coordinate, for
#   information, forwarded), the heads of the units assigned or of the people assigned; the person who
#   received it;
# - secret documents (độ mật): only people granted explicitly (direct-FK guardian tables), never anyone
#   else, not even as a count.
# The rule lives with the model: the engine asks every record kind ``visible_to(user)`` (the history's
# attachments), the selectors filter every page with the same ``visible_q``.

VIEW_PERMISSION = "view_incomingdocument"


# Every filter below is an uncorrelated ``pk IN (SELECT …)``: PostgreSQL computes the small set once (from
# the assignment, grant and receipt indexes) and joins it, instead of probing a correlated EXISTS for every
# document of the agency — the difference between 1 ms and 1 s for an officer of an agency with 50,000
# documents (bench/results/pages.md).


def _granted_ids(user: User) -> QuerySet:
    by_user = IncomingDocumentUserObjectPermission.objects.filter(
        user_id=user.pk, permission__codename=VIEW_PERMISSION
    )
    by_group = IncomingDocumentGroupObjectPermission.objects.filter(
        group__user=user.pk, permission__codename=VIEW_PERMISSION
    )
    return (
        by_user.values("content_object_id").order_by().union(by_group.values("content_object_id"), all=True)
    )


def _held_ids(user: User) -> QuerySet:
    """Documents with a part held by the user, by their unit (as its head), or by a person of that unit."""
    holder = held_by_q(user)
    if user.department_id and user.has_role(Role.DEPARTMENT_HEAD):
        holder |= Q(department_id=user.department_id)
    return (
        Assignment.objects.filter(holder, content_type=incoming_content_type()).values("object_id").order_by()
    )


def _candidate_ids(user: User) -> QuerySet:
    """Everything a person who is neither clerk nor leader might see: held, received, or granted."""
    received = IncomingDocument.objects.filter(received_by_id=user.pk).values("pk").order_by()
    return _held_ids(user).union(received, _granted_ids(user), all=True)


def _involved_probe(user: User) -> Q:
    """The same people as ``_candidate_ids``, checked row by row (correlated EXISTS on the assignment
    index): cheaper when the caller's filter leaves few rows, e.g. the agency's overdue documents."""
    holder = held_by_q(user)
    if user.department_id and user.has_role(Role.DEPARTMENT_HEAD):
        holder |= Q(department_id=user.department_id)
    held = Assignment.objects.filter(holder, content_type=incoming_content_type(), object_id=OuterRef("pk"))
    return Q(Exists(held)) | Q(received_by_id=user.pk) | Q(pk__in=_granted_ids(user))


def visible_q(user: User, *, scope: str = "") -> Q:
    """What ``user`` may see, as a filter PostgreSQL can serve from indexes at any size.

    ``scope`` says what the caller's own filter already does, so that the check of a person's involvement
    takes the cheap shape: "held" — it keeps only documents where the user holds a part (the todo,
    progress and info queues), so no further check is needed; "few" — it leaves few rows (the overdue
    queue, read from its partial index), so each is probed; otherwise the set of the documents the person
    is involved in is computed once and joined."""
    if not getattr(user, "is_authenticated", False):
        return Q(pk__in=[])
    normal = Q(confidentiality=Confidentiality.NORMAL)
    granted = Q(pk__in=_granted_ids(user))
    if user.is_superuser:
        return normal | granted
    if not user.agency_id:
        return Q(pk__in=[])
    agency = Q(agency_id=user.agency_id)
    if user.has_role(Role.CLERK):
        return agency & (normal | granted)
    if user.has_role(Role.LEADER):
        return agency & ((normal & ~Q(state=WorkflowState.NEW)) | granted)
    if scope == "held":
        return agency & (normal | granted)
    if scope == "few":
        return agency & _involved_probe(user) & (normal | granted)
    return agency & Q(pk__in=_candidate_ids(user)) & (normal | granted)
