"""One small form per action of the dossier page (``onestop.actions.DOSSIER_ACTIONS``)."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from documents.forms import DateTimeInput
from eoffice.models import Department, Role, User
from eoffice.widgets import FastSelect
from onestop import services
from onestop.forms.fields import SCAN_ACCEPT, PersonChoiceField, text_field
from onestop.forms.reception import DecisionMixin
from onestop.models import Dossier
from onestop.selectors import staff_with_role


class ActionForm(forms.Form):
    """Base of the small forms of the dossier page: they know the dossier (querysets, defaults)."""

    def __init__(self, *args, dossier: Dossier, **kwargs):
        self.dossier = dossier
        # several of these forms share a page: ids unique per form ("sendbackform-note")
        kwargs.setdefault("auto_id", f"{type(self).__name__.lower()}-%s")
        super().__init__(*args, **kwargs)


class CheckForm(DecisionMixin, ActionForm):
    """The counter's check of an online submission."""


class HandToUnitForm(ActionForm):
    department = forms.ModelChoiceField(
        label=_("Phòng chuyên môn giải quyết"), queryset=Department.objects.none(), widget=FastSelect
    )
    note = text_field(_("Ghi chú"), max_length=1000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(
            agency_id=self.dossier.agency_id, is_active=True
        )
        self.fields["department"].initial = self.dossier.procedure.handling_department_id


class AssignForm(ActionForm):
    officer = PersonChoiceField(
        label=_("Chuyên viên thụ lý"), queryset=User.objects.none(), empty_label=_("— Chọn chuyên viên —")
    )
    note = text_field(_("Ý kiến giao việc"), max_length=1000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = staff_with_role(
            self.dossier.agency_id, Role.OFFICER, department_id=self.dossier.department_id
        )


def _leader_field(form: ActionForm) -> None:
    """The agency's leaders; the dossier's leader (or the only one) chosen in advance."""
    field = form.fields["leader"]
    field.queryset = staff_with_role(form.dossier.agency_id, Role.LEADER)
    leaders = list(field.queryset.values_list("pk", flat=True)[:2])
    field.initial = form.dossier.leader_id or (leaders[0] if len(leaders) == 1 else None)


class SubmitForm(ActionForm):
    result_file = forms.FileField(
        label=_("Dự thảo kết quả (PDF)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    result_number = forms.CharField(
        label=_("Số, ký hiệu kết quả"),
        max_length=100,
        required=False,
        help_text=_("Ví dụ số Giấy chứng nhận; có thể ghi sau."),
    )
    leader = PersonChoiceField(
        label=_("Trình lãnh đạo phê duyệt"), queryset=User.objects.none(), empty_label=_("— Chọn lãnh đạo —")
    )
    note = text_field(_("Ý kiến trình"), max_length=1000)

    def __init__(self, *args, review: bool, **kwargs):
        super().__init__(*args, **kwargs)
        self.review = review
        if review:
            del self.fields["leader"]
        else:
            _leader_field(self)
        self.fields["result_number"].initial = self.dossier.result_number
        if not self.dossier.result_file:
            self.fields["result_file"].required = True
            self.fields["result_file"].widget.attrs["required"] = True
        else:
            self.fields["result_file"].help_text = _("Đã có dự thảo; chọn tệp mới để thay thế.")

    def clean_result_file(self):
        upload = self.cleaned_data.get("result_file")
        if upload:
            upload.seek(0)
            head = upload.read(5)
            upload.seek(0)
            if head != b"%PDF-":
                raise ValidationError(_("Dự thảo kết quả phải là tệp PDF."))
        return upload


class ForwardForm(ActionForm):
    leader = PersonChoiceField(
        label=_("Trình lãnh đạo phê duyệt"), queryset=User.objects.none(), empty_label=_("— Chọn lãnh đạo —")
    )
    note = text_field(_("Ý kiến xem xét"), max_length=1000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _leader_field(self)


class SendBackForm(ActionForm):
    note = text_field(
        _("Ý kiến trả lại"), required=True, max_length=2000, placeholder=_("Nội dung cần hoàn thiện…")
    )


class CancelSigningForm(ActionForm):
    note = text_field(_("Lý do rút lại"), max_length=1000)


class ApproveForm(ActionForm):
    mode = forms.ChoiceField(choices=[("sign", "sign"), ("paper", "paper")], widget=forms.HiddenInput)
    note = text_field(_("Ý kiến phê duyệt"), max_length=1000)


class RefuseForm(ActionForm):
    reasons = text_field(
        _("Lý do không giải quyết"),
        required=True,
        rows=3,
        max_length=5000,
        help_text=_("Hồ sơ chuyển về bộ phận một cửa để trả cho người nộp kèm văn bản nêu rõ lý do."),
    )


class SupplementForm(ActionForm):
    content = text_field(
        _("Nội dung cần bổ sung, hoàn thiện"),
        required=True,
        rows=4,
        max_length=5000,
        help_text=_("Thời hạn giải quyết tạm dừng cho đến khi người nộp bổ sung."),
    )


class SupplementReceivedForm(ActionForm):
    names = text_field(
        _("Giấy tờ đã bổ sung"),
        rows=3,
        max_length=5000,
        help_text=_("Mỗi giấy tờ một dòng."),
    )
    files = forms.FileField(
        label=_("Bản quét (PDF, PNG, JPEG)"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": SCAN_ACCEPT}),
    )
    note = text_field(_("Ghi chú"), max_length=1000)

    def clean_files(self):
        upload = self.cleaned_data.get("files")
        if upload:
            services.validate_scan(upload)
        return upload

    def clean(self):
        data = super().clean()
        if (
            not (data.get("names") or "").strip()
            and not data.get("files")
            and not (data.get("note") or "").strip()
        ):
            raise ValidationError(_("Vui lòng ghi nhận giấy tờ đã bổ sung."))
        return data

    def papers(self) -> list[services.PaperInput]:
        d = self.cleaned_data
        items = [
            services.PaperInput(name=line.strip(), received=True)
            for line in (d.get("names") or "").splitlines()
            if line.strip()
        ]
        upload = d.get("files")
        if upload:
            if items:
                items[0].file = upload
            else:
                items.append(services.PaperInput(name=upload.name[:500], received=True, file=upload))
        return items


class ExtendForm(ActionForm):
    reason = text_field(
        _("Lý do chậm trả kết quả"),
        required=True,
        rows=3,
        max_length=5000,
        help_text=_("In trên Văn bản xin lỗi và hẹn lại ngày trả kết quả (mẫu 04). Chỉ hẹn lại một lần."),
    )
    due_at = forms.DateTimeField(label=_("Ngày, giờ hẹn trả mới"), widget=DateTimeInput())


class StopForm(ActionForm):
    reason = text_field(
        _("Lý do dừng xử lý"),
        required=True,
        rows=3,
        max_length=5000,
        help_text=_("In trên Thông báo dừng xử lý hồ sơ (mẫu 05)."),
    )


RATING_CHOICES = [
    (5, _("Rất hài lòng")),
    (4, _("Hài lòng")),
    (3, _("Bình thường")),
    (2, _("Chưa hài lòng")),
    (1, _("Không hài lòng")),
]


class HandOverForm(ActionForm):
    returned_to = forms.CharField(label=_("Người nhận kết quả"), max_length=255)
    note = text_field(_("Ghi chú"), max_length=1000)
    rating = forms.TypedChoiceField(
        label=_("Mức độ hài lòng của người nộp"),
        choices=RATING_CHOICES,
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    comment = text_field(_("Góp ý của người nộp"), max_length=2000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["returned_to"].initial = self.dossier.applicant_name
