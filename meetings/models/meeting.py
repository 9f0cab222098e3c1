"""A meeting or event of the work schedule (cuộc họp, sự kiện trong lịch công tác), its recurrence, its
participants and its linked documents.

States (``WorkflowState``): chờ duyệt (SUBMITTED) → đã duyệt (APPROVED) | từ chối (REJECTED, reason);
đã duyệt or chờ duyệt → hủy (CANCELLED, reason); a rejected one may be approved later; an approved one
goes back to chờ duyệt when the agency head's meeting takes its room (``displace``). Nothing changes once
the meeting has ended. Services lock the row, check the actor's right and write the history.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import transition

from eoffice.models import Agency, Department
from meetings.models.rooms import Room
from workflow.models import WorkflowRecord, WorkflowState

OPEN_STATES = (WorkflowState.SUBMITTED, WorkflowState.APPROVED)


def _not_ended(meeting: Meeting) -> bool:
    return meeting.end_at > timezone.now()


def _can_approve(meeting: Meeting, user) -> bool:
    from meetings import rules

    return rules.can_approve(user, meeting)


def _can_cancel(meeting: Meeting, user) -> bool:
    from meetings import rules

    return rules.can_cancel(user, meeting)


class MeetingSeries(models.Model):
    """A recurring meeting: its occurrences, created together, are Meeting rows; exceptions: dates skipped."""

    class Frequency(models.TextChoices):
        WEEKLY = "weekly", _("Hằng tuần")
        MONTHLY = "monthly", _("Hằng tháng")

    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    frequency = models.CharField(_("lặp lại"), max_length=10, choices=Frequency.choices)
    interval = models.PositiveSmallIntegerField(_("mỗi"), default=1)
    until = models.DateField(_("đến ngày"))
    exceptions = models.JSONField(
        _("ngày bỏ qua"), default=list, blank=True, help_text=_("Danh sách ngày ISO.")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("chuỗi lịch lặp lại")
        verbose_name_plural = _("chuỗi lịch lặp lại")

    def __str__(self) -> str:
        return f"{self.get_frequency_display()} → {self.until:%d/%m/%Y}"


class Meeting(WorkflowRecord):
    state_labels = {
        WorkflowState.SUBMITTED: _("Chờ duyệt"),
        WorkflowState.APPROVED: _("Đã duyệt"),
        WorkflowState.REJECTED: _("Từ chối"),
        WorkflowState.CANCELLED: _("Đã hủy"),
    }

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Cuộc họp")
        EVENT = "event", _("Sự kiện, công tác")

    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+")
    department = models.ForeignKey(
        Department,
        verbose_name=_("đơn vị đăng ký"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    kind = models.CharField(_("loại"), max_length=10, choices=Kind.choices, default=Kind.MEETING)
    title = models.CharField(_("nội dung"), max_length=500)
    description = models.TextField(_("nội dung chi tiết"), blank=True)
    start_at = models.DateTimeField(_("bắt đầu"))
    end_at = models.DateTimeField(_("kết thúc"))
    room = models.ForeignKey(
        Room,
        verbose_name=_("phòng họp"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="meetings",
    )
    place = models.CharField(_("địa điểm khác"), max_length=255, blank=True)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chủ trì"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    chair_text = models.CharField(
        _("chủ trì (ngoài cơ quan)"),
        max_length=255,
        blank=True,
        help_text=_("Khi người chủ trì không có trong hệ thống."),
    )
    organiser = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("người đăng ký"), on_delete=models.PROTECT, related_name="+"
    )
    contact = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người liên hệ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    secret = models.BooleanField(_("mật"), default=False)
    in_weekly = models.BooleanField(_("đưa vào lịch công tác tuần"), default=True)
    notes = models.TextField(_("ghi chú"), blank=True)
    series = models.ForeignKey(
        MeetingSeries, on_delete=models.SET_NULL, null=True, blank=True, related_name="meetings"
    )
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField(default=0, help_text="iCalendar SEQUENCE, raised on every change")
    created_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(
        null=True, blank=True, help_text="Last change of time, place or people after approval"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    invited_at = models.DateTimeField(
        null=True, blank=True, help_text="When invitations (calendar, notices) first went out"
    )
    postponed_at = models.DateTimeField(_("hoãn lúc"), null=True, blank=True)
    postpone_reason = models.CharField(_("lý do hoãn"), max_length=500, blank=True)
    # The Giấy mời (outgoing document, type GM) made from this meeting.
    invitation = models.ForeignKey(
        "documents.OutgoingDocument", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("lịch họp")
        verbose_name_plural = _("lịch họp")
        ordering = ["start_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_at__gt=models.F("start_at")), name="meeting_end_after_start"
            ),
            models.CheckConstraint(
                condition=(Q(chair__isnull=False) & Q(chair_text=""))
                | (Q(chair__isnull=True) & ~Q(chair_text="")),
                name="meeting_exactly_one_chair",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "start_at"], name="meeting_agency_start_idx"),
            models.Index(
                fields=["room", "start_at"], condition=Q(state="approved"), name="meeting_room_approved_idx"
            ),
            models.Index(
                fields=["agency", "start_at"], condition=Q(state="submitted"), name="meeting_pending_idx"
            ),
            models.Index(fields=["chair", "start_at"], name="meeting_chair_start_idx"),
            models.Index(fields=["organiser", "start_at"], name="meeting_organiser_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:detail", args=[self.pk])

    @property
    def has_ended(self) -> bool:
        return self.end_at <= timezone.now()

    @property
    def chair_name(self) -> str:
        return self.chair.get_full_name() if self.chair_id else self.chair_text

    @property
    def place_label(self) -> str:
        return self.room.name if self.room_id else self.place

    @property
    def is_postponed(self) -> bool:
        return self.postponed_at is not None

    # Transitions: guards only.

    @transition(
        field="state",
        source=[WorkflowState.SUBMITTED, WorkflowState.REJECTED],
        target=WorkflowState.APPROVED,
        permission=_can_approve,
        conditions=[_not_ended],
        custom={"label": _("Duyệt lịch")},
    )
    def approve(self) -> None:
        self.approved_at = timezone.now()

    @transition(
        field="state",
        source=WorkflowState.SUBMITTED,
        target=WorkflowState.REJECTED,
        permission=_can_approve,
        conditions=[_not_ended],
        custom={"label": _("Từ chối")},
    )
    def reject(self) -> None:
        pass

    @transition(
        field="state",
        source=[WorkflowState.SUBMITTED, WorkflowState.APPROVED],
        target=WorkflowState.CANCELLED,
        permission=_can_cancel,
        conditions=[_not_ended],
        custom={"label": _("Hủy lịch")},
    )
    def cancel(self) -> None:
        pass

    @transition(
        field="state",
        source=WorkflowState.APPROVED,
        target=WorkflowState.SUBMITTED,
        conditions=[_not_ended],
        custom={"label": _("Trả về chờ duyệt (nhường phòng)"), "form": True},
    )
    def displace(self) -> None:
        self.approved_at = None


class Participant(models.Model):
    """Thành phần: a person, a unit of the agency, another agency of the installation, or an outsider."""

    class Role(models.TextChoices):
        ATTEND = "attend", _("Tham dự")
        PREPARE_MAIN = "prepare_main", _("Chuẩn bị chính")
        PREPARE_SUPPORT = "prepare_support", _("Chuẩn bị phối hợp")

    class Substitute(models.TextChoices):
        NONE = "", _("Không")
        REQUESTED = "requested", _("Chờ duyệt người dự thay")
        APPROVED = "approved", _("Đã duyệt người dự thay")
        REFUSED = "refused", _("Không đồng ý người dự thay")

    class Attendance(models.TextChoices):
        UNKNOWN = "", _("Chưa điểm danh")
        PRESENT = "present", _("Có mặt")
        ABSENT = "absent", _("Vắng mặt")
        EXCUSED = "excused", _("Vắng có lý do")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("đơn vị"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    agency = models.ForeignKey(
        Agency,
        verbose_name=_("cơ quan khác"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    name = models.CharField(_("khách mời ngoài hệ thống"), max_length=255, blank=True)
    email = models.EmailField(_("thư điện tử"), blank=True)
    role = models.CharField(_("vai trò"), max_length=20, choices=Role.choices, default=Role.ATTEND)
    prepare = models.TextField(_("nội dung chuẩn bị"), blank=True)
    prepare_due = models.DateTimeField(_("hạn chuẩn bị"), null=True, blank=True)
    attendance = models.CharField(
        _("điểm danh"), max_length=10, choices=Attendance.choices, default=Attendance.UNKNOWN, blank=True
    )
    attendance_at = models.DateTimeField(null=True, blank=True)
    absence_reason = models.CharField(_("lý do vắng"), max_length=300, blank=True)
    substitute = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người dự thay"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    substitute_status = models.CharField(
        _("dự thay"), max_length=10, choices=Substitute.choices, default=Substitute.NONE, blank=True
    )
    order = models.PositiveSmallIntegerField(default=0)
    data = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("thành phần tham dự")
        verbose_name_plural = _("thành phần tham dự")
        ordering = ["meeting", "order", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(user__isnull=False, department__isnull=True, agency__isnull=True, name="")
                    | Q(user__isnull=True, department__isnull=False, agency__isnull=True, name="")
                    | Q(user__isnull=True, department__isnull=True, agency__isnull=False, name="")
                    | (Q(user__isnull=True, department__isnull=True, agency__isnull=True) & ~Q(name=""))
                ),
                name="participant_exactly_one_kind",
            ),
            models.UniqueConstraint(fields=["meeting", "user"], name="participant_unique_user"),
            models.UniqueConstraint(fields=["meeting", "department"], name="participant_unique_department"),
            models.UniqueConstraint(fields=["meeting", "agency"], name="participant_unique_agency"),
        ]
        indexes = [
            models.Index(fields=["user", "meeting"], name="participant_user_idx"),
            models.Index(fields=["department", "meeting"], name="participant_department_idx"),
            models.Index(fields=["agency", "meeting"], name="participant_agency_idx"),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if self.user_id:
            return self.user.get_full_name()
        if self.department_id:
            return self.department.name
        if self.agency_id:
            return self.agency.name
        return self.name

    @property
    def is_preparer(self) -> bool:
        return self.role in (self.Role.PREPARE_MAIN, self.Role.PREPARE_SUPPORT)


class MeetingDocument(models.Model):
    """An incoming or outgoing document linked to the meeting."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="documents")
    incoming = models.ForeignKey(
        "documents.IncomingDocument", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    outgoing = models.ForeignKey(
        "documents.OutgoingDocument", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("văn bản liên quan")
        verbose_name_plural = _("văn bản liên quan")
        constraints = [
            models.CheckConstraint(
                condition=Q(incoming__isnull=False, outgoing__isnull=True)
                | Q(incoming__isnull=True, outgoing__isnull=False),
                name="meeting_document_one_kind",
            ),
            models.UniqueConstraint(fields=["meeting", "incoming"], name="meeting_document_unique_in"),
            models.UniqueConstraint(fields=["meeting", "outgoing"], name="meeting_document_unique_out"),
        ]

    def __str__(self) -> str:
        return str(self.incoming or self.outgoing)
