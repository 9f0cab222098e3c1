"""A case (vụ việc): one content of a letter, handled on its own. Its intake (classification and outcome),
its resolution steps, its legal clock and the documents drafted from it.

States (``CaseState``): chờ xử lý đơn (REGISTERED) → thụ lý (ACCEPTED) ⇄ tạm đình chỉ (SUSPENDED) → đã có
kết quả (RESOLVED: decision / conclusion / answer issued; sending and publication remain) → kết thúc
(CLOSED). Intake exits: không thụ lý (REFUSED), chuyển đơn (FORWARDED), hướng dẫn, trả đơn (GUIDED), lưu
đơn theo dõi (KEPT). Other exits: đình chỉ (STOPPED), rút đơn (WITHDRAWN). The ``stage`` says where an
accepted case stands. Services lock the row, check the right, move the state and write the history.

The clock: ``due_at`` is the deadline of what is expected now (intake, resolution, sending), computed by
``complaints.deadlines`` from the ``LegalRule`` in force on the letter's ``received_on``; ``due_rule`` is
that rule (its source is printed beside the deadline). A suspension sets ``paused_at``; continuing adds the
paused time to ``due_at`` and to ``paused_days``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from eoffice.models import Agency, Department
from eoffice.search import fold
from workflow.models import WorkflowRecord

from .legal import FormCode, LegalRule
from .letters import Letter
from .reception import CaseKind


class CaseState(models.TextChoices):
    REGISTERED = "registered", _("Chờ xử lý đơn")
    ACCEPTED = "accepted", _("Đang giải quyết")
    SUSPENDED = "suspended", _("Tạm đình chỉ")
    RESOLVED = "resolved", _("Đã có kết quả giải quyết")
    CLOSED = "closed", _("Đã kết thúc")
    REFUSED = "refused", _("Không thụ lý")
    FORWARDED = "forwarded", _("Đã chuyển đơn")
    GUIDED = "guided", _("Đã hướng dẫn, trả đơn")
    KEPT = "kept", _("Lưu đơn, theo dõi")
    STOPPED = "stopped", _("Đình chỉ giải quyết")
    WITHDRAWN = "withdrawn", _("Đã rút đơn")


SEARCHED_FIELDS = frozenset({"code", "subject", "content"})
OPEN_CASE_STATES = (CaseState.REGISTERED, CaseState.ACCEPTED, CaseState.SUSPENDED, CaseState.RESOLVED)
INTAKE_EXITS = (CaseState.REFUSED, CaseState.FORWARDED, CaseState.GUIDED, CaseState.KEPT)


class Stage(models.TextChoices):
    INTAKE = "intake", _("Xử lý đơn")
    VERIFICATION = "verification", _("Xác minh")
    DIALOGUE = "dialogue", _("Đối thoại")
    DECISION = "decision", _("Ra quyết định, kết luận")
    HANDLING = "handling", _("Xử lý sau kết luận")
    DELIVERY = "delivery", _("Gửi, thông báo kết quả")
    PUBLICATION = "publication", _("Công khai")
    ANSWER = "answer", _("Trả lời")
    DONE = "done", _("Hoàn thành")


class Field(models.TextChoices):
    """Lĩnh vực (content) as the periodic report counts it."""

    LAND = "land", _("Đất đai, bồi thường, tái định cư")
    HOUSING = "housing", _("Nhà ở, xây dựng")
    POLICY = "policy", _("Chế độ, chính sách")
    ADMINISTRATION = "administration", _("Hành chính, thủ tục")
    CORRUPTION = "corruption", _("Tham nhũng, tiêu cực")
    OFFICIALS = "officials", _("Cán bộ, công chức, viên chức")
    JUDICIAL = "judicial", _("Tư pháp")
    OTHER = "other", _("Khác")


class NotProcessable(models.TextChoices):
    """The legal reasons a letter cannot be processed (TT 05/2021/TT-TTCP Đ6–Đ7)."""

    NO_IDENTITY = "no_identity", _("Không ghi rõ họ tên, địa chỉ, không có chữ ký hoặc điểm chỉ")
    NO_ACT = "no_act", _("Khiếu nại không nêu quyết định, hành vi bị khiếu nại hoặc yêu cầu")
    NO_VIOLATION = "no_violation", _("Tố cáo không nêu rõ người, hành vi vi phạm")
    MANY_BODIES = "many_bodies", _("Đã gửi nhiều cơ quan, trong đó có cơ quan có thẩm quyền")
    ALREADY_GUIDED = "already_guided", _("Đã được hướng dẫn một lần cùng nội dung")
    OUT_OF_TIME = "out_of_time", _("Hết thời hiệu khiếu nại")
    ALREADY_RESOLVED = "already_resolved", _("Đã có quyết định giải quyết có hiệu lực")
    ANONYMOUS = "anonymous", _("Tố cáo nặc danh, mạo danh")


class IntakeOutcome(models.TextChoices):
    ACCEPT = "accept", _("Thụ lý")
    REFUSE = "refuse", _("Không thụ lý")
    FORWARD = "forward", _("Chuyển đơn đến cơ quan có thẩm quyền")
    GUIDE = "guide", _("Hướng dẫn, trả đơn")
    KEEP = "keep", _("Lưu đơn, theo dõi")


class Complexity(models.TextChoices):
    NORMAL = "normal", _("Bình thường")
    COMPLEX = "complex", _("Phức tạp")
    VERY_COMPLEX = "very_complex", _("Đặc biệt phức tạp")


def _rules():
    from complaints import rules

    return rules


def _can_intake(case: Case, user) -> bool:
    return _rules().can_intake(user, case)


def _can_resolve(case: Case, user) -> bool:
    return _rules().can_resolve(user, case)


def _can_decide(case: Case, user) -> bool:
    return _rules().can_decide(user, case)


class Case(WorkflowRecord):
    state_labels = dict(CaseState.choices)

    state = FSMField(
        _("trạng thái"),
        max_length=20,
        choices=CaseState.choices,
        default=CaseState.REGISTERED,
        protected=True,
        db_index=True,
    )
    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+")
    letter = models.ForeignKey(Letter, verbose_name=_("đơn"), on_delete=models.PROTECT, related_name="cases")
    order = models.PositiveSmallIntegerField(_("nội dung số"), default=1)
    code = models.CharField(_("mã tra cứu"), max_length=20, unique=True)
    kind = models.CharField(_("loại đơn"), max_length=14, choices=CaseKind.choices)
    instance = models.PositiveSmallIntegerField(_("lần giải quyết"), default=1)
    previous = models.ForeignKey(
        "self",
        verbose_name=_("vụ việc giải quyết lần đầu"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="next_instances",
    )
    field = models.CharField(_("lĩnh vực"), max_length=16, choices=Field.choices, default=Field.OTHER)
    content = models.TextField(_("nội dung"))
    subject = models.CharField(
        _("quyết định, hành vi bị khiếu nại / người bị tố cáo"), max_length=500, blank=True
    )
    act_known_on = models.DateField(_("ngày biết quyết định, hành vi"), null=True, blank=True)
    # intake
    processable = models.BooleanField(_("đủ điều kiện xử lý"), null=True, blank=True)
    not_processable_reason = models.CharField(
        _("lý do không đủ điều kiện"), max_length=20, choices=NotProcessable.choices, blank=True
    )
    competent = models.BooleanField(_("thuộc thẩm quyền"), null=True, blank=True)
    competent_body = models.CharField(_("cơ quan có thẩm quyền"), max_length=255, blank=True)
    forwarded_agency = models.ForeignKey(
        Agency,
        verbose_name=_("chuyển đến cơ quan"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    duplicate_of = models.ForeignKey(
        "self",
        verbose_name=_("trùng vụ việc"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="duplicates",
    )
    outcome = models.CharField(
        _("kết quả xử lý đơn"), max_length=10, choices=IntakeOutcome.choices, blank=True
    )
    outcome_reason = models.TextField(_("lý do, nội dung hướng dẫn"), blank=True)
    outcome_at = models.DateTimeField(_("xử lý đơn lúc"), null=True, blank=True)
    # people
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("cán bộ xử lý"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    department = models.ForeignKey(
        Department,
        verbose_name=_("đơn vị giải quyết"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    decider = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người giải quyết"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    protected = models.BooleanField(_("giữ bí mật người tố cáo"), default=False)
    stage = models.CharField(_("bước"), max_length=14, choices=Stage.choices, default=Stage.INTAKE)
    complexity = models.CharField(
        _("tính chất"), max_length=14, choices=Complexity.choices, default=Complexity.NORMAL
    )
    complexity_ground = models.TextField(_("căn cứ xác định phức tạp"), blank=True)
    remote_area = models.BooleanField(_("vùng sâu, vùng xa"), default=False)
    # the clock
    accepted_at = models.DateTimeField(_("thụ lý lúc"), null=True, blank=True)
    due_at = models.DateTimeField(_("hạn"), null=True, blank=True)
    due_soon_at = models.DateTimeField(null=True, blank=True)
    due_rule = models.ForeignKey(
        LegalRule,
        verbose_name=_("căn cứ thời hạn"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    paused_at = models.DateTimeField(_("tạm đình chỉ từ"), null=True, blank=True)
    paused_days = models.PositiveIntegerField(_("số ngày tạm đình chỉ"), default=0)
    extension_count = models.PositiveSmallIntegerField(_("số lần gia hạn"), default=0)
    resolved_at = models.DateTimeField(_("có kết quả lúc"), null=True, blank=True)
    # the resolution deadline as it stood when the result came, and whether the result came after it
    # (recorded then, so that reports count on time / late in SQL; None for a case not resolved yet)
    resolution_due_at = models.DateTimeField(_("hạn giải quyết"), null=True, blank=True, editable=False)
    resolved_late = models.BooleanField(_("giải quyết quá hạn"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("kết thúc lúc"), null=True, blank=True)
    # result
    result = models.CharField(_("kết quả"), max_length=20, blank=True)
    result_summary = models.TextField(_("tóm tắt kết quả, nội dung trả lời"), blank=True)
    publish_consent = models.BooleanField(_("đồng ý công khai câu trả lời"), default=False)
    created_at = models.DateTimeField(default=timezone.now)
    # code, subject and content folded (eoffice.search.fold) for the queue's search; kept by save()
    search_text = models.TextField(editable=False, blank=True, default="")

    class Meta:
        verbose_name = _("vụ việc")
        verbose_name_plural = _("vụ việc")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["agency", "-created_at"], name="case_queue_idx"),
            models.Index(
                fields=["agency", "due_at"],
                name="case_open_due_idx",
                condition=Q(state__in=["registered", "accepted", "resolved"]),
            ),
            models.Index(fields=["handler", "state"], name="case_handler_idx"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["letter", "order"], name="case_order_unique"),
            models.CheckConstraint(condition=Q(instance__in=[1, 2]), name="case_instance_1_or_2"),
            models.CheckConstraint(
                condition=Q(instance=1) | Q(kind="complaint"), name="case_second_instance_complaint"
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("complaints:case", args=[self.pk])

    def save(self, *args, **kwargs) -> None:
        self.search_text = fold(" ".join((self.code, self.subject or "", self.content)))
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and SEARCHED_FIELDS.intersection(update_fields):
            kwargs["update_fields"] = {*update_fields, "search_text"}
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_CASE_STATES

    @classmethod
    def visible_to(cls, user) -> models.QuerySet:
        return cls.objects.filter(_rules().visible_q(user))

    # ---- transitions (guards only; services do the rest) ----------------------------------------

    @transition(
        field=state,
        source=CaseState.REGISTERED,
        target=CaseState.ACCEPTED,
        permission=_can_intake,
        custom={"form": True, "label": _("Thụ lý")},
    )
    def accept(self) -> None:
        self.outcome = IntakeOutcome.ACCEPT
        self.stage = (
            Stage.ANSWER if self.kind in (CaseKind.PETITION, CaseKind.FEEDBACK) else Stage.VERIFICATION
        )

    @transition(
        field=state,
        source=CaseState.REGISTERED,
        target=CaseState.REFUSED,
        permission=_can_intake,
        custom={"form": True, "label": _("Không thụ lý")},
    )
    def refuse(self) -> None:
        self.outcome = IntakeOutcome.REFUSE
        self.stage = Stage.DONE

    @transition(
        field=state,
        source=CaseState.REGISTERED,
        target=CaseState.FORWARDED,
        permission=_can_intake,
        custom={"form": True, "label": _("Chuyển đơn")},
    )
    def forward(self) -> None:
        self.outcome = IntakeOutcome.FORWARD
        self.stage = Stage.DONE

    @transition(
        field=state,
        source=CaseState.REGISTERED,
        target=CaseState.GUIDED,
        permission=_can_intake,
        custom={"form": True, "label": _("Hướng dẫn, trả đơn")},
    )
    def guide(self) -> None:
        self.outcome = IntakeOutcome.GUIDE
        self.stage = Stage.DONE

    @transition(
        field=state,
        source=CaseState.REGISTERED,
        target=CaseState.KEPT,
        permission=_can_intake,
        custom={"form": True, "label": _("Lưu đơn, theo dõi")},
    )
    def keep(self) -> None:
        self.outcome = IntakeOutcome.KEEP
        self.stage = Stage.DONE

    @transition(
        field=state,
        source=CaseState.ACCEPTED,
        target=CaseState.SUSPENDED,
        permission=_can_decide,
        custom={"form": True, "label": _("Tạm đình chỉ")},
    )
    def suspend(self) -> None:
        pass

    @transition(
        field=state,
        source=CaseState.SUSPENDED,
        target=CaseState.ACCEPTED,
        permission=_can_decide,
        custom={"form": True, "label": _("Tiếp tục giải quyết")},
    )
    def resume(self) -> None:
        pass

    @transition(
        field=state,
        source=[CaseState.ACCEPTED, CaseState.SUSPENDED],
        target=CaseState.STOPPED,
        permission=_can_decide,
        custom={"form": True, "label": _("Đình chỉ giải quyết")},
    )
    def stop(self) -> None:
        self.stage = Stage.DONE

    @transition(
        field=state,
        source=[CaseState.REGISTERED, CaseState.ACCEPTED, CaseState.SUSPENDED],
        target=CaseState.WITHDRAWN,
        permission=_can_resolve,
        custom={"form": True, "label": _("Rút đơn")},
    )
    def withdraw(self) -> None:
        self.stage = Stage.DONE

    @transition(
        field=state,
        source=CaseState.ACCEPTED,
        target=CaseState.RESOLVED,
        permission=_can_resolve,
        custom={"form": True, "label": _("Ghi nhận kết quả giải quyết")},
    )
    def resolve(self) -> None:
        self.stage = Stage.DELIVERY

    @transition(
        field=state,
        source=[CaseState.RESOLVED, *INTAKE_EXITS],
        target=CaseState.CLOSED,
        permission=_can_resolve,
        custom={"form": True, "label": _("Kết thúc, lưu hồ sơ")},
    )
    def close(self) -> None:
        self.stage = Stage.DONE


class CaseMember(models.Model):
    """A verifier (người xác minh) or a member of the verification team (tổ xác minh)."""

    class Role(models.TextChoices):
        LEAD = "lead", _("Tổ trưởng / người xác minh")
        MEMBER = "member", _("Thành viên tổ xác minh")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="members")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("vai trò"), max_length=8, choices=Role.choices, default=Role.MEMBER)
    added_at = models.DateTimeField(default=timezone.now)
    removed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("người xác minh")
        verbose_name_plural = _("tổ xác minh")
        constraints = [
            models.UniqueConstraint(
                fields=["case", "user"], condition=Q(removed_at__isnull=True), name="case_member_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.user_id} ({self.role})"


def case_step_path(instance: CaseStep, filename: str) -> str:
    return f"complaints/{instance.case.agency_id}/cases/{instance.case_id}/{filename}"


class CaseStep(models.Model):
    """An entry of the case file (hồ sơ giải quyết): a verification plan, evidence, a report, dialogue
    minutes, a suspension / stop / continue, the ground of complexity, an extension, a withdrawal, a handling
    measure, a notification. Append-only like the history; the history row of the same event points to it."""

    class Kind(models.TextChoices):
        PLAN = "plan", _("Kế hoạch xác minh")
        EVIDENCE = "evidence", _("Thông tin, tài liệu, chứng cứ")
        REPORT = "report", _("Báo cáo kết quả xác minh")
        DIALOGUE = "dialogue", _("Đối thoại")
        SUSPENSION = "suspension", _("Tạm đình chỉ")
        CONTINUATION = "continuation", _("Tiếp tục giải quyết")
        STOP = "stop", _("Đình chỉ")
        COMPLEXITY = "complexity", _("Xác định vụ việc phức tạp")
        EXTENSION = "extension", _("Gia hạn")
        WITHDRAWAL = "withdrawal", _("Rút đơn")
        HANDLING = "handling", _("Xử lý sau kết luận")
        DELIVERY = "delivery", _("Gửi, thông báo kết quả")
        PUBLICATION = "publication", _("Công khai")
        NOTE = "note", _("Ghi chú")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="steps")
    kind = models.CharField(_("loại"), max_length=14, choices=Kind.choices)
    title = models.CharField(_("tiêu đề"), max_length=500)
    text = models.TextField(_("nội dung"), blank=True)
    happened_on = models.DateField(_("ngày"), default=timezone.localdate)
    scheduled_at = models.DateTimeField(_("thời gian dự kiến"), null=True, blank=True)
    file = models.FileField(_("tệp"), upload_to=case_step_path, max_length=500, blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    data = models.JSONField(default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("bước giải quyết")
        verbose_name_plural = _("hồ sơ giải quyết")
        ordering = ["case", "created_at", "pk"]

    def __str__(self) -> str:
        return self.title


class CaseDocument(models.Model):
    """A document drafted from the case: a printed form (``document`` empty: rendered on demand) or an
    outgoing document drafted through the outgoing flow (reviewed, signed, numbered and issued there)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    form = models.CharField(_("mẫu"), max_length=30, choices=FormCode.choices)
    document = models.OneToOneField(
        "documents.OutgoingDocument", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    step = models.ForeignKey(CaseStep, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    issued_at = models.DateTimeField(_("phát hành lúc"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("văn bản của vụ việc")
        verbose_name_plural = _("văn bản của vụ việc")
        ordering = ["case", "created_at", "pk"]
        indexes = [models.Index(fields=["document"], name="casedoc_document_idx")]

    def __str__(self) -> str:
        return self.get_form_display()
