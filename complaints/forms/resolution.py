"""Forms of the resolution steps: they parse; ``complaints.services.resolution`` decides."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints.models import Case, CaseKind, CaseStep, Complexity, Identity
from complaints.services.identity import identity_label
from complaints.services.resolution import COMPLAINT_RESULTS, DENUNCIATION_RESULTS, STEP_KINDS_FILE
from documents.forms import DateInput, DateTimeInput, PeopleChoiceField, PersonChoiceField
from eoffice.models import Department, User


def _staff(case: Case):
    return (
        User.objects.filter(agency_id=case.agency_id, is_active=True)
        .select_related("department")
        .order_by("full_name", "pk")
    )


def _today():
    return timezone.localdate()


class GroundForm(forms.Form):
    ground = forms.CharField(
        label=_("Căn cứ, lý do"), widget=forms.Textarea(attrs={"rows": 3}), max_length=20000
    )

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)


class OptionalGroundForm(GroundForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["ground"].required = False


class VerificationForm(forms.Form):
    lead = PersonChoiceField(label=_("Người xác minh (tổ trưởng)"), queryset=User.objects.none())
    members = PeopleChoiceField(
        label=_("Thành viên tổ xác minh"), queryset=User.objects.none(), required=False
    )
    order = forms.BooleanField(
        label=_("Soạn quyết định giao nhiệm vụ xác minh"), required=False, initial=True
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=2000)

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead"].queryset = _staff(case)
        self.fields["members"].queryset = _staff(case)
        if case.kind != CaseKind.COMPLAINT:
            # A denunciation's verifiers are named by its acceptance decision (NĐ 31/2019).
            del self.fields["order"]


class StepForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Loại tài liệu"), choices=[(k.value, k.label) for k in map(CaseStep.Kind, STEP_KINDS_FILE)]
    )
    title = forms.CharField(label=_("Tiêu đề"), max_length=500)
    happened_on = forms.DateField(label=_("Ngày"), widget=DateInput(), initial=_today)
    text = forms.CharField(
        label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=50000
    )
    file = forms.FileField(label=_("Tệp (PDF, ảnh, văn bản)"), required=False)

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)


class DialogueScheduleForm(forms.Form):
    at = forms.DateTimeField(label=_("Thời gian đối thoại"), widget=DateTimeInput())
    place = forms.CharField(label=_("Địa điểm"), max_length=500)
    notified_on = forms.DateField(
        label=_("Ngày thông báo cho các bên"), widget=DateInput(), initial=_today, required=False
    )
    note = forms.CharField(label=_("Thành phần, ghi chú"), required=False, max_length=5000)

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)


class DialogueMinutesForm(forms.Form):
    held_on = forms.DateField(label=_("Ngày đối thoại"), widget=DateInput(), initial=_today)
    text = forms.CharField(
        label=_("Nội dung biên bản"), widget=forms.Textarea(attrs={"rows": 8}), max_length=50000
    )
    file = forms.FileField(label=_("Bản quét biên bản đã ký"), required=False)
    draft = forms.BooleanField(label=_("Soạn Biên bản đối thoại theo mẫu"), required=False)

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)


class ResultForm(forms.Form):
    result = forms.ChoiceField(label=_("Kết quả"), choices=())
    summary = forms.CharField(
        label=_("Tóm tắt kết quả giải quyết"), widget=forms.Textarea(attrs={"rows": 5}), max_length=20000
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        choices = DENUNCIATION_RESULTS if case.kind == CaseKind.DENUNCIATION else COMPLAINT_RESULTS
        self.fields["result"].choices = [("", "—"), *choices.items()]


class HandlingForm(forms.Form):
    measure = forms.CharField(
        label=_("Biện pháp xử lý"),
        max_length=500,
        help_text=_("Ví dụ: kiến nghị xử lý kỷ luật; chuyển cơ quan điều tra; thu hồi tiền, tài sản."),
    )
    text = forms.CharField(
        label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=20000
    )
    file = forms.FileField(label=_("Tệp"), required=False)

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)


class RouteForm(forms.Form):
    department = forms.ModelChoiceField(
        label=_("Đơn vị giải quyết"), queryset=Department.objects.none(), required=False
    )
    handler = PersonChoiceField(label=_("Cán bộ giải quyết"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(
            agency_id=case.agency_id, is_active=True
        ).order_by("name")
        self.fields["handler"].queryset = _staff(case)


class AnswerForm(forms.Form):
    summary = forms.CharField(
        label=_("Nội dung trả lời"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20000
    )
    publish_consent = forms.BooleanField(label=_("Người gửi đồng ý công khai câu trả lời"), required=False)

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)


class DeliverForm(forms.Form):
    delivered_on = forms.DateField(label=_("Ngày gửi"), widget=DateInput(), initial=_today)
    recipients = forms.CharField(
        label=_("Nơi nhận"),
        max_length=2000,
        help_text=_("Không ghi họ tên, địa chỉ của người tố cáo được giữ bí mật."),
    )
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=2000)

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)


class PublishForm(forms.Form):
    published_on = forms.DateField(label=_("Ngày công khai"), widget=DateInput(), initial=_today)
    method = forms.CharField(
        label=_("Hình thức công khai"),
        max_length=500,
        help_text=_("Công bố tại cuộc họp, niêm yết tại trụ sở, đăng trên cổng thông tin điện tử."),
    )

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)


class CloseForm(forms.Form):
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=2000)

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)


class ComplexForm(forms.Form):
    level = forms.ChoiceField(
        label=_("Mức độ"),
        choices=[
            (Complexity.COMPLEX.value, Complexity.COMPLEX.label),
            (Complexity.VERY_COMPLEX.value, Complexity.VERY_COMPLEX.label),
        ],
    )
    ground = forms.CharField(
        label=_("Căn cứ xác định phức tạp"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=20000,
        help_text=_(
            "Ví dụ: từ hai địa điểm xác minh trở lên; nhiều nội dung; nhiều người khiếu nại; "
            "có yếu tố nước ngoài; liên quan nhiều cơ quan; chứng cứ mâu thuẫn."
        ),
    )

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)


class _PersonLabelField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Identity) -> str:
        return identity_label(obj)


class PartialWithdrawForm(forms.Form):
    people = _PersonLabelField(
        label=_("Người rút đơn"), queryset=Identity.objects.none(), widget=forms.CheckboxSelectMultiple
    )
    ground = forms.CharField(
        label=_("Nội dung đơn rút"), widget=forms.Textarea(attrs={"rows": 3}), max_length=20000
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = Identity.objects.filter(letter_id=case.letter_id).order_by(
            "order", "pk"
        )


class WithdrawForm(forms.Form):
    ground = forms.CharField(
        label=_("Nội dung đơn rút"), widget=forms.Textarea(attrs={"rows": 3}), max_length=20000
    )
    continue_resolution = forms.BooleanField(
        label=_("Hành vi bị tố cáo có dấu hiệu vi phạm pháp luật: tiếp tục giải quyết"), required=False
    )
    violation_ground = forms.CharField(
        label=_("Dấu hiệu vi phạm"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=20000,
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        if case.kind != CaseKind.DENUNCIATION:
            del self.fields["continue_resolution"]
            del self.fields["violation_ground"]


class SecondInstanceForm(forms.Form):
    received_on = forms.DateField(
        label=_("Ngày nhận đơn khiếu nại lần hai"), widget=DateInput(), initial=_today
    )
    decision_received_on = forms.DateField(
        label=_("Ngày người khiếu nại nhận quyết định lần đầu"), widget=DateInput(), required=False
    )
    summary = forms.CharField(
        label=_("Tóm tắt nội dung"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=_("Không ghi họ tên, địa chỉ người được giữ bí mật."),
    )

    def __init__(self, *args, case: Case | None = None, **kwargs):
        super().__init__(*args, **kwargs)
