"""A dossier's choices and states: channels, applicant kinds, states and their groups, outcomes, timing."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from onestop.models.catalogue import StepKind


class Channel(models.TextChoices):
    COUNTER = "counter", _("Trực tiếp")
    POST = "post", _("Bưu chính")
    ONLINE = "online", _("Trực tuyến")


class ApplicantKind(models.TextChoices):
    PERSON = "person", _("Cá nhân")
    ORGANISATION = "organisation", _("Tổ chức")


class DossierState(models.TextChoices):
    SUBMITTED = "submitted", _("Chờ tiếp nhận")
    INCOMPLETE = "incomplete", _("Yêu cầu bổ sung")
    REFUSED = "refused", _("Từ chối tiếp nhận")
    RECEIVED = "received", _("Đã tiếp nhận")
    UNIT = "unit", _("Chờ phân công")
    PROCESSING = "processing", _("Đang thụ lý")
    REVIEW = "review", _("Chờ lãnh đạo phòng xem xét")
    APPROVAL = "approval", _("Chờ lãnh đạo phê duyệt")
    SIGNING = "signing", _("Chờ ký số kết quả")
    SUPPLEMENT = "supplement", _("Chờ công dân bổ sung")
    RETURNING = "returning", _("Chờ trả kết quả")
    RETURNED = "returned", _("Đã trả kết quả")
    STOPPED = "stopped", _("Dừng xử lý")


OPEN_STATES = frozenset(
    {
        DossierState.RECEIVED,
        DossierState.UNIT,
        DossierState.PROCESSING,
        DossierState.REVIEW,
        DossierState.APPROVAL,
        DossierState.SIGNING,
        DossierState.SUPPLEMENT,
    }
)
"""The states in which the dossier's clock runs (or is paused): from receipt to the result ready."""

PROCESSING_STATES = OPEN_STATES - {DossierState.SUPPLEMENT}
UNIT_STATES = (DossierState.UNIT, DossierState.PROCESSING, DossierState.REVIEW, DossierState.APPROVAL)
"""With the specialised unit, before the result is signed: a supplement may be asked, a refusal given."""
UNIT_HEAD_STATES = (DossierState.UNIT, DossierState.REVIEW)
"""Waiting on the unit's head (to assign an officer, to review the draft)."""
COUNTER_STATES = (DossierState.SUBMITTED, DossierState.RECEIVED, DossierState.RETURNING)
"""At the one-stop counter: to receive, to hand to the unit, to hand the result over."""
CLOSED_STATES = frozenset(
    {DossierState.INCOMPLETE, DossierState.REFUSED, DossierState.RETURNED, DossierState.STOPPED}
)
STATE_STEP = {
    DossierState.RECEIVED: StepKind.RECEIVE,
    DossierState.UNIT: StepKind.ASSIGN,
    DossierState.PROCESSING: StepKind.PROCESS,
    DossierState.REVIEW: StepKind.REVIEW,
    DossierState.APPROVAL: StepKind.APPROVE,
    DossierState.SIGNING: StepKind.APPROVE,
    DossierState.RETURNING: StepKind.RETURN,
}


class Outcome(models.TextChoices):
    PENDING = "", _("Chưa có")
    APPROVED = "approved", _("Giải quyết")
    REFUSED = "refused", _("Không giải quyết (trả lại có lý do)")
    STOPPED = "stopped", _("Dừng xử lý")


class Timing(models.TextChoices):
    EARLY = "early", _("Trước hạn")
    ON_TIME = "on_time", _("Đúng hạn")
    LATE = "late", _("Quá hạn")


def timing_of(finished, due) -> str:
    """Early: finished on a day before the due day; on time: by the due instant; late: after it."""
    if due is None or finished is None:
        return ""
    if finished > due:
        return Timing.LATE
    if timezone.localtime(finished).date() < timezone.localtime(due).date():
        return Timing.EARLY
    return Timing.ON_TIME
