"""The dossier (hồ sơ một cửa) and its state machine: transitions only guard and change fields."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField, transition

from eoffice.models import Agency, Department, Role
from onestop.models.catalogue import Procedure
from onestop.models.states import (
    OPEN_STATES,
    PROCESSING_STATES,
    UNIT_STATES,
    ApplicantKind,
    Channel,
    DossierState,
    Outcome,
    Timing,
)
from workflow.models import WorkflowRecord


def _is_onestop(dossier, user) -> bool:
    return user.agency_id == dossier.agency_id and user.has_role(Role.ONESTOP_OFFICER)


def _is_leader(dossier, user) -> bool:
    return user.agency_id == dossier.agency_id and user.has_role(Role.LEADER)


def _is_unit_head(dossier, user) -> bool:
    return (
        user.agency_id == dossier.agency_id
        and user.has_role(Role.DEPARTMENT_HEAD)
        and dossier.department_id is not None
        and user.department_id == dossier.department_id
    )


def _is_holder(dossier, user) -> bool:
    return dossier.holder_id == user.pk


def _may_process(dossier, user) -> bool:
    return _is_holder(dossier, user) or _is_unit_head(dossier, user)


def _may_act_in_processing(dossier, user) -> bool:
    """Who may ask for a supplement, refuse, stop or apologise: the holder, the unit's head, a leader."""
    return _may_process(dossier, user) or _is_leader(dossier, user)


def dossier_upload(instance, filename: str) -> str:
    return f"onestop/{timezone.now():%Y/%m}/{filename}"


class Dossier(WorkflowRecord):
    """Hồ sơ thủ tục hành chính: one application, from the counter (or the web) to the result handed over."""

    state_labels = dict(DossierState.choices)

    state = FSMField(
        _("trạng thái"),
        max_length=20,
        choices=DossierState.choices,
        default=DossierState.SUBMITTED,
        protected=True,
        db_index=True,
    )
    agency = models.ForeignKey(Agency, verbose_name=_("cơ quan"), on_delete=models.PROTECT, related_name="+")
    procedure = models.ForeignKey(
        Procedure, verbose_name=_("thủ tục"), on_delete=models.PROTECT, related_name="dossiers"
    )
    code = models.CharField(_("mã hồ sơ"), max_length=40, null=True, blank=True, unique=True)
    # A dossier not (yet) received has a public reference instead of a code (online submissions, forms 02/03).
    reference = models.CharField(_("mã tham chiếu"), max_length=20, unique=True)
    channel = models.CharField(
        _("hình thức nộp"), max_length=10, choices=Channel.choices, default=Channel.COUNTER
    )

    applicant_kind = models.CharField(
        _("người nộp là"), max_length=12, choices=ApplicantKind.choices, default=ApplicantKind.PERSON
    )
    applicant_name = models.CharField(_("họ tên người nộp / tên tổ chức"), max_length=255)
    applicant_id_number = models.CharField(_("số định danh / mã số doanh nghiệp"), max_length=20, blank=True)
    applicant_address = models.CharField(_("địa chỉ"), max_length=500, blank=True)
    applicant_phone = models.CharField(_("điện thoại"), max_length=20, blank=True)
    applicant_email = models.EmailField(_("thư điện tử"), blank=True)
    summary = models.CharField(_("nội dung yêu cầu"), max_length=500, blank=True)
    note = models.TextField(_("ghi chú"), blank=True)

    submitted_at = models.DateTimeField(_("ngày nộp"), default=timezone.now)
    received_at = models.DateTimeField(_("ngày tiếp nhận"), null=True, blank=True)
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người tiếp nhận"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    clock_start = models.DateTimeField(_("bắt đầu tính hạn"), null=True, blank=True)
    due_at = models.DateTimeField(_("hẹn trả kết quả"), null=True, blank=True)
    original_due_at = models.DateTimeField(_("hẹn trả ban đầu"), null=True, blank=True)
    paused_at = models.DateTimeField(_("tạm dừng từ"), null=True, blank=True)
    paused_state = models.CharField(max_length=20, blank=True)
    paused_seconds = models.BigIntegerField(default=0)
    extended = models.BooleanField(_("đã gia hạn"), default=False)
    extension_reason = models.TextField(_("lý do quá hạn"), blank=True)
    resolved_at = models.DateTimeField(_("ngày có kết quả"), null=True, blank=True)
    returned_at = models.DateTimeField(_("ngày trả kết quả"), null=True, blank=True)
    timing = models.CharField(_("kết quả về thời hạn"), max_length=10, choices=Timing.choices, blank=True)

    # Where it is now.
    department = models.ForeignKey(
        Department,
        verbose_name=_("đơn vị giải quyết"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("người đang xử lý"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("chuyên viên thụ lý"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    leader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("lãnh đạo phê duyệt"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    # Outcomes and what the forms print.
    outcome = models.CharField(
        _("kết quả giải quyết"), max_length=10, choices=Outcome.choices, blank=True, default=""
    )
    missing_papers = models.TextField(_("giấy tờ cần bổ sung, hoàn thiện"), blank=True)
    refusal_reason = models.TextField(_("lý do từ chối"), blank=True)
    stop_reason = models.TextField(_("lý do dừng xử lý"), blank=True)
    result_file = models.FileField(_("tệp kết quả"), upload_to=dossier_upload, blank=True, max_length=300)
    result_sha256 = models.CharField(max_length=64, blank=True)
    result_signed = models.BooleanField(_("kết quả đã ký số"), default=False)
    result_number = models.CharField(_("số, ký hiệu kết quả"), max_length=100, blank=True)
    sign_request = models.OneToOneField(
        "signing.SignatureRequest", on_delete=models.SET_NULL, null=True, blank=True, related_name="dossier"
    )
    returned_to = models.CharField(_("người nhận kết quả"), max_length=255, blank=True)

    # Satisfaction at the return.
    rating = models.PositiveSmallIntegerField(
        _("mức độ hài lòng"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    rating_comment = models.TextField(_("góp ý"), blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("hồ sơ một cửa")
        verbose_name_plural = _("hồ sơ một cửa")
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5), name="dossier_rating_1_5"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["submitted", "incomplete", "refused"]) | Q(code__isnull=False),
                name="dossier_received_has_code",
            ),
        ]
        indexes = [
            models.Index(fields=["agency", "state", "-submitted_at"], name="dossier_agency_state_idx"),
            models.Index(fields=["agency", "received_at"], name="dossier_agency_received_idx"),
            models.Index(fields=["holder", "state"], name="dossier_holder_idx"),
            models.Index(fields=["department", "state"], name="dossier_unit_idx"),
            models.Index(
                fields=["due_at"],
                condition=Q(state__in=sorted(s.value for s in OPEN_STATES)),
                name="dossier_open_due_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.code or self.reference

    def get_absolute_url(self) -> str:
        return reverse("onestop:detail", args=[self.pk])

    @property
    def public_code(self) -> str:
        return self.code or self.reference

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_paused(self) -> bool:
        return self.paused_at is not None

    @property
    def is_overdue(self) -> bool:
        if self.state not in PROCESSING_STATES or self.due_at is None:
            return False
        return timezone.now() > self.due_at

    @property
    def masked_name(self) -> str:
        """ "Nguyễn Văn An" → "Nguyễn V** A*"; an organisation keeps its first word."""
        words = self.applicant_name.split()
        if not words:
            return ""
        return " ".join([words[0], *(w[0] + "*" * (len(w) - 1) for w in words[1:])])

    def clean(self) -> None:
        if self.procedure_id and self.agency_id and self.procedure.agency_id != self.agency_id:
            raise ValidationError({"procedure": _("Thủ tục không thuộc cơ quan này.")})

    # Transitions: services call them after their own checks; permissions guard the buttons.
    @transition(
        field=state, source=DossierState.SUBMITTED, target=DossierState.RECEIVED, permission=_is_onestop
    )
    def accept(self) -> None:
        pass

    @transition(
        field=state, source=DossierState.SUBMITTED, target=DossierState.INCOMPLETE, permission=_is_onestop
    )
    def ask_complete(self) -> None:
        pass

    @transition(
        field=state, source=DossierState.SUBMITTED, target=DossierState.REFUSED, permission=_is_onestop
    )
    def refuse_reception(self) -> None:
        pass

    @transition(field=state, source=DossierState.RECEIVED, target=DossierState.UNIT, permission=_is_onestop)
    def hand_to_unit(self) -> None:
        pass

    @transition(
        field=state, source=DossierState.UNIT, target=DossierState.PROCESSING, permission=_is_unit_head
    )
    def assign_officer(self) -> None:
        pass

    @transition(
        field=state, source=DossierState.PROCESSING, target=DossierState.REVIEW, permission=_is_holder
    )
    def submit_review(self) -> None:
        pass

    @transition(
        field=state, source=DossierState.PROCESSING, target=DossierState.APPROVAL, permission=_may_process
    )
    def submit_approval(self) -> None:
        pass

    @transition(
        field=state, source=DossierState.REVIEW, target=DossierState.APPROVAL, permission=_is_unit_head
    )
    def forward_approval(self) -> None:
        pass

    @transition(
        field=state,
        source=[DossierState.REVIEW, DossierState.APPROVAL],
        target=DossierState.PROCESSING,
        permission=lambda d, u: _is_unit_head(d, u) or _is_leader(d, u),
    )
    def send_back(self) -> None:
        pass

    @transition(field=state, source=DossierState.APPROVAL, target=DossierState.SIGNING, permission=_is_leader)
    def to_signing(self) -> None:
        pass

    @transition(field=state, source=DossierState.SIGNING, target=DossierState.APPROVAL, permission=_is_leader)
    def cancel_signing(self) -> None:
        pass

    @transition(
        field=state,
        source=[DossierState.APPROVAL, DossierState.SIGNING],
        target=DossierState.RETURNING,
        permission=_is_leader,
    )
    def approve(self) -> None:
        pass

    @transition(
        field=state,
        source=UNIT_STATES,
        target=DossierState.SUPPLEMENT,
        permission=_may_act_in_processing,
    )
    def ask_supplement(self) -> None:
        pass

    @transition(
        field=state,
        source=DossierState.SUPPLEMENT,
        target=RETURN_VALUE(*UNIT_STATES),
        permission=lambda d, u: _is_onestop(d, u) or _may_act_in_processing(d, u),
    )
    def supplement_received(self) -> str:
        return self.paused_state

    @transition(
        field=state,
        source=UNIT_STATES,
        target=DossierState.RETURNING,
        permission=_may_act_in_processing,
    )
    def refuse(self) -> None:
        pass

    @transition(
        field=state,
        source=[s.value for s in OPEN_STATES - {DossierState.SIGNING}],
        target=DossierState.STOPPED,
        permission=lambda d, u: _is_leader(d, u) or _is_onestop(d, u),
    )
    def stop(self) -> None:
        pass

    @transition(
        field=state, source=DossierState.RETURNING, target=DossierState.RETURNED, permission=_is_onestop
    )
    def hand_over(self) -> None:
        pass
