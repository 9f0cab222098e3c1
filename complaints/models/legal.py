"""The legal rules as data: every day count, its unit and its start event, versioned by the date it takes
effect, with its source beside it; and the printed forms, versioned the same way.

The rule that applies to a case is the version in force on the day its letter was received
(``LegalRule.objects.in_force(code, on=date)``). A law that changes adds rows with a new
``effective_from``; nothing is edited in place once a case used it.
"""

from __future__ import annotations

import datetime as dt

from django.db import models
from django.utils.translation import gettext_lazy as _


class RuleCode(models.TextChoices):
    COMPLAINT_LODGE = "complaint_lodge", _("Thời hiệu khiếu nại lần đầu")
    COMPLAINT_ACCEPT = "complaint_accept", _("Thụ lý hoặc không thụ lý khiếu nại")
    COMPLAINT_RESOLVE_1 = "complaint_resolve_1", _("Giải quyết khiếu nại lần đầu")
    COMPLAINT_SEND_1 = "complaint_send_1", _("Gửi quyết định giải quyết khiếu nại")
    COMPLAINT_LODGE_2 = "complaint_lodge_2", _("Thời hạn khiếu nại lần hai")
    COMPLAINT_RESOLVE_2 = "complaint_resolve_2", _("Giải quyết khiếu nại lần hai")
    DIALOGUE_NOTICE = "dialogue_notice", _("Báo trước buổi đối thoại")
    SUSPENSION_SEND = "suspension_send", _("Gửi quyết định tạm đình chỉ, đình chỉ, tiếp tục")
    DENUNCIATION_INTAKE = "denunciation_intake", _("Vào sổ, phân loại, kiểm tra tố cáo")
    DENUNCIATION_FORWARD = "denunciation_forward", _("Chuyển tố cáo không thuộc thẩm quyền")
    DENUNCIATION_NOTIFY = "denunciation_notify", _("Thông báo thụ lý tố cáo")
    DENUNCIATION_RESOLVE = "denunciation_resolve", _("Giải quyết tố cáo")
    DENUNCIATION_SEND = "denunciation_send", _("Gửi kết luận, thông báo người tố cáo")
    VISIT_ANSWER = "visit_answer", _("Trả lời người được tiếp")
    RECEPTION_PUBLISH = "reception_publish", _("Công bố lịch tiếp công dân")
    PETITION_ANSWER = "petition_answer", _("Trả lời kiến nghị, phản ánh")


class Unit(models.TextChoices):
    DAYS = "days", _("ngày")
    WORKING_DAYS = "working_days", _("ngày làm việc")


class StartEvent(models.TextChoices):
    RECEIVED = "received", _("kể từ ngày nhận được đơn")
    ACCEPTED = "accepted", _("kể từ ngày thụ lý")
    DECIDED = "decided", _("kể từ ngày ban hành quyết định, kết luận")
    ACT_KNOWN = "act_known", _("kể từ ngày biết được quyết định, hành vi")
    DECISION_RECEIVED = "decision_received", _("kể từ ngày nhận được quyết định lần đầu")
    BEFORE_EVENT = "before_event", _("trước ngày diễn ra")
    SIGNED = "signed", _("kể từ ngày ký quyết định")


class LegalRuleQuerySet(models.QuerySet):
    def in_force(self, code: str, *, on: dt.date) -> LegalRule | None:
        """The version of ``code`` in force on ``on`` (the latest that took effect on or before it)."""
        return self.filter(code=code, effective_from__lte=on).order_by("-effective_from").first()


class LegalRule(models.Model):
    """One version of one deadline rule."""

    code = models.CharField(_("thời hạn"), max_length=40, choices=RuleCode.choices)
    effective_from = models.DateField(_("hiệu lực từ"))
    days = models.PositiveSmallIntegerField(_("số ngày"))
    unit = models.CharField(_("đơn vị"), max_length=14, choices=Unit.choices)
    start_event = models.CharField(_("tính từ"), max_length=20, choices=StartEvent.choices)
    complex_days = models.PositiveSmallIntegerField(_("vụ việc phức tạp"), null=True, blank=True)
    remote_days = models.PositiveSmallIntegerField(_("vùng sâu, vùng xa"), null=True, blank=True)
    remote_complex_days = models.PositiveSmallIntegerField(
        _("vùng sâu, vùng xa, phức tạp"), null=True, blank=True
    )
    max_days = models.PositiveSmallIntegerField(
        _("tối đa (khi cần xác minh)"), null=True, blank=True, help_text=_("Ví dụ: tố cáo 07, tối đa 10.")
    )
    extension_days = models.PositiveSmallIntegerField(_("mỗi lần gia hạn"), null=True, blank=True)
    max_extensions_complex = models.PositiveSmallIntegerField(_("số lần gia hạn (phức tạp)"), default=0)
    max_extensions_very_complex = models.PositiveSmallIntegerField(
        _("số lần gia hạn (đặc biệt phức tạp)"), default=0
    )
    source = models.CharField(_("căn cứ"), max_length=255)
    note = models.TextField(_("ghi chú"), blank=True)

    objects = LegalRuleQuerySet.as_manager()

    class Meta:
        verbose_name = _("thời hạn theo luật")
        verbose_name_plural = _("thời hạn theo luật")
        ordering = ["code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "effective_from"], name="legalrule_one_version_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()}: {self.days} {self.get_unit_display()} ({self.source})"

    def days_for(self, *, complex: bool = False, remote: bool = False) -> int:
        if remote and complex and self.remote_complex_days:
            return self.remote_complex_days
        if remote and self.remote_days:
            return self.remote_days
        if complex and self.complex_days:
            return self.complex_days
        return self.days

    @property
    def label(self) -> str:
        """What pages print beside a deadline: "07 ngày làm việc — NĐ 124/2020 Đ16 …"."""
        return f"{self.days:02d} {self.get_unit_display()} — {self.source}"


class FormCode(models.TextChoices):
    """The printed forms and the documents drafted from a case."""

    RECEIPT = "receipt", _("Giấy biên nhận thông tin, tài liệu")
    VISIT_RESULT = "visit_result", _("Thông báo kết quả tiếp công dân")
    INTAKE_PROPOSAL = "intake_proposal", _("Phiếu đề xuất thụ lý")
    GUIDANCE = "guidance", _("Phiếu hướng dẫn")
    FORWARD = "forward", _("Phiếu chuyển đơn")
    ACCEPT_NOTICE = "accept_notice", _("Thông báo thụ lý giải quyết khiếu nại")
    REFUSE_NOTICE = "refuse_notice", _("Thông báo không thụ lý")
    VERIFICATION_ORDER = "verification_order", _("Quyết định giao nhiệm vụ xác minh")
    DIALOGUE_MINUTES = "dialogue_minutes", _("Biên bản đối thoại")
    COMPLAINT_DECISION = "complaint_decision", _("Quyết định giải quyết khiếu nại")
    SUSPENSION = "suspension", _("Quyết định tạm đình chỉ")
    STOP = "stop", _("Quyết định đình chỉ")
    CONTINUE = "continue", _("Quyết định tiếp tục giải quyết")
    DENUNCIATION_ACCEPT = "denunciation_accept", _("Quyết định thụ lý tố cáo")
    EXTENSION = "extension", _("Quyết định gia hạn giải quyết tố cáo")
    DENUNCIATION_CONCLUSION = "denunciation_conclusion", _("Kết luận nội dung tố cáo")
    DENOUNCER_NOTICE = "denouncer_notice", _("Thông báo kết quả giải quyết tố cáo")
    PETITION_ANSWER = "petition_answer", _("Văn bản trả lời kiến nghị, phản ánh")
    KEEP = "keep", _("Phiếu đề xuất lưu đơn, theo dõi")
    DENUNCIATION_ACCEPT_NOTICE = "denunciation_accept_notice", _("Thông báo việc thụ lý tố cáo")
    VISIT_FORWARD = "visit_forward", _("Phiếu hướng dẫn, chuyển đơn (tiếp công dân)")


class LegalFormQuerySet(models.QuerySet):
    def in_force(self, code: str, *, on: dt.date) -> LegalForm | None:
        return self.filter(code=code, effective_from__lte=on).order_by("-effective_from").first()


class LegalForm(models.Model):
    """One version of a form: its title, the document type it is issued as (an abbreviation of the
    document-type list: TB, QĐ, PC …), the template of its body (Django template language, with the case
    in its context) and its source (e.g. "Mẫu số 01, TT 05/2021/TT-TTCP")."""

    code = models.CharField(_("mẫu"), max_length=30, choices=FormCode.choices)
    effective_from = models.DateField(_("hiệu lực từ"))
    title = models.CharField(_("tên văn bản"), max_length=255)
    doc_type = models.CharField(_("loại văn bản (viết tắt)"), max_length=10, blank=True)
    body = models.TextField(_("nội dung mẫu"))
    source = models.CharField(_("căn cứ"), max_length=255)

    objects = LegalFormQuerySet.as_manager()

    class Meta:
        verbose_name = _("mẫu văn bản")
        verbose_name_plural = _("mẫu văn bản")
        ordering = ["code", "-effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["code", "effective_from"], name="legalform_one_version_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.source})"
