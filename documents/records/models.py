"""Records management (Decree 30 Phụ lục V and VI): the annual file plan (danh mục hồ sơ), case files (hồ
sơ) holding records of any kind, transfer to the agency archive (nộp lưu), borrowing from it, appraisal
for disposal, and per-record confirmation of access-right changes.

A case file's items name their record by ``kind`` (a key of ``documents.records.registry``: incoming,
outgoing, dossier, meeting, complaint, paper) and ``object_id``, so that a document sits in several files
without a copy and the business apps that depend on ``documents`` can register their own records. Each item
keeps a snapshot of the record's metadata (Phụ lục VI Phần II) taken when it is filed and refreshed until
the file is transferred: the table of contents, the exports and the archive read it without touching the
record's module, and the archive keeps it after acceptance.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eoffice.models import Agency, Department


class Retention(models.TextChoices):
    """Thời hạn bảo quản: permanent or a number of years (the value is the number of years)."""

    PERMANENT = "permanent", _("Vĩnh viễn")
    Y70 = "70", _("70 năm")
    Y50 = "50", _("50 năm")
    Y30 = "30", _("30 năm")
    Y20 = "20", _("20 năm")
    Y15 = "15", _("15 năm")
    Y10 = "10", _("10 năm")
    Y5 = "5", _("5 năm")
    Y2 = "2", _("2 năm")


class UsageRights(models.TextChoices):
    """Chế độ sử dụng (Phụ lục VI Phần II Mục III field 4)."""

    PUBLIC = "public", _("Công khai")
    RESTRICTED = "restricted", _("Hạn chế sử dụng")
    SECRET = "secret", _("Mật")


def retention_years(value: str) -> int | None:
    """The number of years of a retention value, ``None`` for permanent."""
    return None if value == Retention.PERMANENT else int(value)


# --- the file plan ----------------------------------------------------------------------------------


class FilePlan(models.Model):
    """Danh mục hồ sơ of one agency and year: drafted by the office, approved by the head of the agency
    through a decision issued in the outgoing flow, then the frame the year's case files are opened from."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Dự thảo")
        SUBMITTED = "submitted", _("Đang trình ban hành")
        APPROVED = "approved", _("Đã ban hành")

    class Numbering(models.TextChoices):
        PLAN = "plan", _("Liên tục trong toàn danh mục")
        HEADING = "heading", _("Liên tục trong từng đề mục lớn")

    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("năm"))
    status = models.CharField(_("tình trạng"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    numbering = models.CharField(
        _("cách đánh số hồ sơ"), max_length=10, choices=Numbering.choices, default=Numbering.PLAN
    )
    copied_from = models.ForeignKey(
        "self",
        verbose_name=_("sao từ danh mục"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    decision = models.ForeignKey(
        "documents.OutgoingDocument",
        verbose_name=_("quyết định ban hành"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("ngày ban hành"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("danh mục hồ sơ")
        verbose_name_plural = _("danh mục hồ sơ")
        ordering = ["-year"]
        constraints = [models.UniqueConstraint(fields=["agency", "year"], name="fileplan_unique_year")]

    def __str__(self) -> str:
        return f"{_('Danh mục hồ sơ năm')} {self.year}"

    def get_absolute_url(self) -> str:
        return reverse("documents:fileplan_detail", args=[self.pk])


class FilePlanHeading(models.Model):
    """Đề mục: a large heading (Roman numeral, with its abbreviation) or a small one inside it (Arabic)."""

    plan = models.ForeignKey(FilePlan, on_delete=models.CASCADE, related_name="headings")
    parent = models.ForeignKey(
        "self",
        verbose_name=_("đề mục lớn"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="children",
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    title = models.CharField(_("tên đề mục"), max_length=300)
    abbreviation = models.CharField(
        _("chữ viết tắt"), max_length=20, blank=True, help_text=_("Của đề mục lớn, ví dụ TCCB.")
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("đề mục")
        verbose_name_plural = _("đề mục")
        ordering = ["plan", "parent_id", "position", "id"]

    def __str__(self) -> str:
        return self.title


class FilePlanEntry(models.Model):
    """One planned case file: number and symbol (``01.TCCB``), title, retention, who keeps it."""

    plan = models.ForeignKey(FilePlan, on_delete=models.CASCADE, related_name="entries")
    heading = models.ForeignKey(
        FilePlanHeading, verbose_name=_("đề mục"), on_delete=models.PROTECT, related_name="entries"
    )
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    number = models.PositiveSmallIntegerField(_("số hồ sơ"))
    code = models.CharField(_("số và ký hiệu hồ sơ"), max_length=20)
    title = models.CharField(_("tiêu đề hồ sơ"), max_length=500)
    retention = models.CharField(_("thời hạn bảo quản"), max_length=10, choices=Retention.choices)
    department = models.ForeignKey(
        Department,
        verbose_name=_("đơn vị lập hồ sơ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lập hồ sơ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    note = models.CharField(_("ghi chú"), max_length=500, blank=True)
    ad_hoc = models.BooleanField(_("bổ sung ngoài danh mục"), default=False)

    class Meta:
        verbose_name = _("hồ sơ trong danh mục")
        verbose_name_plural = _("hồ sơ trong danh mục")
        ordering = ["plan", "number", "id"]
        constraints = [models.UniqueConstraint(fields=["plan", "code"], name="fileplanentry_unique_code")]

    def __str__(self) -> str:
        return f"{self.code} · {self.title}"


# --- case files -------------------------------------------------------------------------------------


class CaseFile(models.Model):
    """Hồ sơ: opened from the plan (or ad hoc, then added to it), holds records of any kind, closed when
    the work ends, transferred to the agency archive, frozen once accepted, disposed of only by a recorded
    appraisal decision."""

    class Status(models.TextChoices):
        OPEN = "open", _("Đang mở")
        CLOSED = "closed", _("Đã kết thúc")
        SUBMITTED = "submitted", _("Đang nộp lưu")
        ARCHIVED = "archived", _("Đã nộp lưu")
        DISPOSED = "disposed", _("Đã hủy theo quyết định")

    Retention = Retention

    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        Department,
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    plan_entry = models.ForeignKey(
        FilePlanEntry,
        verbose_name=_("theo danh mục"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_files",
    )
    year = models.PositiveSmallIntegerField(_("năm"))
    code = models.CharField(_("số và ký hiệu hồ sơ"), max_length=50)
    title = models.CharField(_("tiêu đề hồ sơ"), max_length=500)
    retention = models.CharField(_("thời hạn bảo quản"), max_length=10, choices=Retention.choices)
    rights = models.CharField(
        _("chế độ sử dụng"), max_length=12, choices=UsageRights.choices, default=UsageRights.RESTRICTED
    )
    language = models.CharField(_("ngôn ngữ"), max_length=50, default="Tiếng Việt")
    description = models.CharField(_("ghi chú"), max_length=500, blank=True)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người lập hồ sơ"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    status = models.CharField(_("tình trạng"), max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(_("ngày mở"), default=timezone.now)
    closed_at = models.DateTimeField(_("ngày kết thúc"), null=True, blank=True)
    # nộp lưu: due one year after the work ends (Luật Lưu trữ Đ11), or the date the archive announced
    transfer_due = models.DateField(_("hạn nộp lưu"), null=True, blank=True)
    transfer_warned_at = models.DateTimeField(_("lần nhắc nộp lưu gần nhất"), null=True, blank=True)
    retention_warned_at = models.DateTimeField(_("lần báo hết hạn bảo quản"), null=True, blank=True)
    # An information level the agency defined (IV.1.a); its members only may open the file.
    info_level = models.ForeignKey(
        "documents.InformationLevel",
        verbose_name=_("cấp độ thông tin"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_files",
    )
    transfer = models.ForeignKey(
        "Transfer",
        verbose_name=_("đợt nộp lưu"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="case_files",
    )
    archived_at = models.DateTimeField(_("ngày nhận vào lưu trữ"), null=True, blank=True)
    archive_code = models.CharField(_("mã lưu trữ"), max_length=50, blank=True)
    retention_until = models.DateField(_("hết hạn bảo quản"), null=True, blank=True)
    disposed_at = models.DateTimeField(_("ngày hủy"), null=True, blank=True)
    # the sum of the items' pages and their count, kept by the services (Phần II Mục III fields 9, 10)
    doc_total = models.PositiveIntegerField(_("tổng số văn bản"), default=0)
    page_total = models.PositiveIntegerField(_("tổng số trang"), default=0)

    class Meta:
        verbose_name = _("hồ sơ công việc")
        verbose_name_plural = _("hồ sơ công việc")
        ordering = ["-year", "code"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "year", "code"], name="casefile_unique_code")
        ]
        indexes = [
            models.Index(fields=["agency", "status", "transfer_due"], name="casefile_transfer_due"),
            models.Index(fields=["owner", "status"], name="casefile_owner_status"),
        ]

    def __str__(self) -> str:
        return f"{self.code} · {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("documents:casefile_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN

    @property
    def is_frozen(self) -> bool:
        """Accepted by the archive (or being checked by it): no change, only reading."""
        return self.status in (self.Status.SUBMITTED, self.Status.ARCHIVED, self.Status.DISPOSED)


class CaseFileItem(models.Model):
    """A record in a case file: a link (``kind``, ``object_id``) or a paper uploaded to the file itself
    (``kind='paper'``), numbered in the file (``ordinal``, DocOrdinal), with its metadata snapshot."""

    case_file = models.ForeignKey(CaseFile, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("loại tài liệu"), max_length=20)
    object_id = models.BigIntegerField(null=True, blank=True)
    ordinal = models.PositiveIntegerField(_("số thứ tự trong hồ sơ"))
    # the date that orders the file chronologically: the document's own date, else when it was filed
    sort_date = models.DateTimeField(_("ngày của tài liệu"))
    # snapshot of Phụ lục VI Phần II (Mục I, II): refreshed until the file is transferred
    type_name = models.CharField(_("tên loại văn bản"), max_length=100, blank=True)
    code_number = models.CharField(_("số của văn bản"), max_length=20, blank=True)
    code_notation = models.CharField(_("ký hiệu của văn bản"), max_length=50, blank=True)
    issued_date = models.DateField(_("ngày, tháng, năm văn bản"), null=True, blank=True)
    organ_name = models.CharField(_("cơ quan ban hành"), max_length=250, blank=True)
    subject = models.CharField(_("trích yếu nội dung"), max_length=1000)
    language = models.CharField(_("ngôn ngữ"), max_length=30, default="Tiếng Việt")
    page_amount = models.PositiveIntegerField(_("số trang"), null=True, blank=True)
    description = models.CharField(_("ghi chú"), max_length=500, blank=True)
    signer_position = models.CharField(_("chức vụ người ký"), max_length=150, blank=True)
    signer_name = models.CharField(_("họ tên người ký"), max_length=100, blank=True)
    arrival_number = models.CharField(_("số đến"), max_length=20, blank=True)
    arrival_date = models.DateField(_("ngày đến"), null=True, blank=True)
    priority = models.PositiveSmallIntegerField(_("độ khẩn, độ mật"), default=0)
    # a paper uploaded to the file (kind "paper"); linked records keep their files in their own module
    file = models.FileField(_("tệp"), upload_to="records/%Y/%m/", blank=True, max_length=300)
    file_name = models.CharField(max_length=255, blank=True)
    file_sha256 = models.CharField(max_length=64, blank=True)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("văn bản, tài liệu trong hồ sơ")
        verbose_name_plural = _("văn bản, tài liệu trong hồ sơ")
        ordering = ["case_file", "ordinal"]
        constraints = [
            models.UniqueConstraint(
                fields=["case_file", "kind", "object_id"],
                condition=Q(object_id__isnull=False),
                name="casefile_item_unique_record",
            ),
            models.UniqueConstraint(
                fields=["case_file", "ordinal"],
                name="casefile_item_unique_ordinal",
                deferrable=models.Deferrable.DEFERRED,
            ),
        ]
        indexes = [models.Index(fields=["kind", "object_id"], name="casefile_item_record")]

    def __str__(self) -> str:
        return f"{self.case_file_id} · {self.ordinal:03d} · {self.subject[:60]}"


# --- the agency archive -----------------------------------------------------------------------------


class Transfer(models.Model):
    """Nộp lưu: a unit hands closed case files, with their list (mục lục hồ sơ nộp lưu), to the agency
    archive; the archivist checks them and accepts (they are frozen) or returns them with the reason."""

    class Status(models.TextChoices):
        SUBMITTED = "submitted", _("Chờ lưu trữ tiếp nhận")
        ACCEPTED = "accepted", _("Đã tiếp nhận")
        RETURNED = "returned", _("Trả lại")

    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        Department,
        verbose_name=_("đơn vị giao nộp"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    status = models.CharField(
        _("tình trạng"), max_length=10, choices=Status.choices, default=Status.SUBMITTED
    )
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(_("ngày giao"), default=timezone.now)
    note = models.TextField(_("tình trạng tài liệu giao nộp"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("ngày tiếp nhận"), null=True, blank=True)
    decision_note = models.TextField(_("ý kiến của lưu trữ"), blank=True)
    # the files handed over this time (a returned transfer releases its files; this keeps the list)
    file_ids = models.JSONField(default=list)

    class Meta:
        verbose_name = _("đợt nộp lưu")
        verbose_name_plural = _("đợt nộp lưu")
        ordering = ["-submitted_at"]
        indexes = [models.Index(fields=["agency", "status"], name="transfer_agency_status")]

    def __str__(self) -> str:
        return f"{_('Nộp lưu')} #{self.pk} · {self.submitted_at:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("documents:transfer_detail", args=[self.pk])


class BorrowRequest(models.Model):
    """Phiếu yêu cầu khai thác: reading an archived file needs the archive's approval, for a period."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ duyệt")
        APPROVED = "approved", _("Được khai thác")
        REFUSED = "refused", _("Từ chối")
        ENDED = "ended", _("Đã kết thúc")

    case_file = models.ForeignKey(CaseFile, on_delete=models.PROTECT, related_name="borrow_requests")
    requester = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    purpose = models.TextField(_("mục đích khai thác"))
    status = models.CharField(_("tình trạng"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(default=timezone.now)
    until = models.DateField(_("khai thác đến ngày"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(_("ý kiến"), blank=True)

    class Meta:
        verbose_name = _("yêu cầu khai thác hồ sơ")
        verbose_name_plural = _("yêu cầu khai thác hồ sơ")
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["case_file", "requester", "status"], name="borrow_file_user")]

    def __str__(self) -> str:
        return f"{self.case_file_id} · {self.requester_id} · {self.status}"


class Appraisal(models.Model):
    """Xác định giá trị tài liệu: files whose fixed retention has ended are proposed for disposal; the head
    of the agency decides. Nothing is destroyed without the recorded decision."""

    class Status(models.TextChoices):
        PROPOSED = "proposed", _("Chờ quyết định")
        DECIDED = "decided", _("Đã quyết định")

    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("tình trạng"), max_length=10, choices=Status.choices, default=Status.PROPOSED)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    proposed_at = models.DateTimeField(default=timezone.now)
    reason = models.TextField(_("lý do đề nghị"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_number = models.CharField(_("số quyết định hủy"), max_length=100, blank=True)
    decision_note = models.TextField(_("nội dung quyết định"), blank=True)

    class Meta:
        verbose_name = _("đề nghị hủy tài liệu hết giá trị")
        verbose_name_plural = _("đề nghị hủy tài liệu hết giá trị")
        ordering = ["-proposed_at"]

    def __str__(self) -> str:
        return f"{_('Xác định giá trị')} #{self.pk}"


class AppraisalItem(models.Model):
    """A file in an appraisal, and what the decision said of it: destroy, or keep for more years."""

    class Verdict(models.TextChoices):
        PENDING = "", _("Chưa quyết định")
        DESTROY = "destroy", _("Hủy")
        EXTEND = "extend", _("Tiếp tục bảo quản")

    appraisal = models.ForeignKey(Appraisal, on_delete=models.CASCADE, related_name="items")
    case_file = models.ForeignKey(CaseFile, on_delete=models.PROTECT, related_name="appraisal_items")
    verdict = models.CharField(
        _("quyết định"), max_length=10, choices=Verdict.choices, default="", blank=True
    )
    extend_years = models.PositiveSmallIntegerField(_("gia hạn (năm)"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["appraisal", "case_file"], name="appraisal_item_unique")
        ]

    def __str__(self) -> str:
        return f"{self.appraisal_id} · {self.case_file_id} · {self.verdict}"


# --- access-right changes confirmed before they take effect (III.3c) --------------------------------


class AccessChange(models.Model):
    """A change of who may read a document or a case file, pending until a person with authority confirms
    it; the system warns of it (badge and notice) until then. ``kind``/``object_id`` as in CaseFileItem,
    ``case_file`` for a file's own usage rights."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Chờ xác nhận")
        CONFIRMED = "confirmed", _("Đã xác nhận")
        REFUSED = "refused", _("Không xác nhận")

    class Action(models.TextChoices):
        GRANT = "grant", _("Cấp quyền xem")
        REVOKE = "revoke", _("Thu hồi quyền xem")
        RIGHTS = "rights", _("Đổi chế độ sử dụng")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(max_length=20)
    object_id = models.BigIntegerField()
    action = models.CharField(_("thay đổi"), max_length=10, choices=Action.choices)
    grantee = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    new_rights = models.CharField(max_length=12, choices=UsageRights.choices, blank=True)
    reason = models.TextField(_("lý do"), blank=True)
    status = models.CharField(_("tình trạng"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("thay đổi quyền truy cập")
        verbose_name_plural = _("thay đổi quyền truy cập")
        ordering = ["-requested_at"]
        indexes = [models.Index(fields=["agency", "status"], name="accesschange_pending")]

    def __str__(self) -> str:
        return f"{self.kind}#{self.object_id} · {self.action} · {self.status}"


# --- custom metadata fields (III.7c) ----------------------------------------------------------------


class CustomField(models.Model):
    """A metadata field an agency admin adds to a kind of record (trường dữ liệu đặc tả bổ sung)."""

    class FieldType(models.TextChoices):
        TEXT = "text", _("Văn bản")
        NUMBER = "number", _("Số")
        DATE = "date", _("Ngày")

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("áp dụng cho"), max_length=20)
    label = models.CharField(_("tên trường"), max_length=100)
    field_type = models.CharField(_("kiểu dữ liệu"), max_length=10, choices=FieldType.choices, default="text")
    position = models.PositiveSmallIntegerField(_("thứ tự"), default=1)
    is_active = models.BooleanField(_("đang dùng"), default=True)

    class Meta:
        verbose_name = _("trường dữ liệu bổ sung")
        verbose_name_plural = _("trường dữ liệu bổ sung")
        ordering = ["agency", "kind", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["agency", "kind", "label"], name="customfield_unique_label")
        ]

    def __str__(self) -> str:
        return self.label


class CustomFieldValue(models.Model):
    field = models.ForeignKey(CustomField, on_delete=models.CASCADE, related_name="values")
    object_id = models.BigIntegerField()
    value = models.CharField(max_length=1000)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["field", "object_id"], name="customfieldvalue_unique")]
        indexes = [models.Index(fields=["object_id"], name="customfieldvalue_object")]

    def __str__(self) -> str:
        return f"{self.field_id} · {self.object_id}"
