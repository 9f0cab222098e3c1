"""Forms of the case page's intake actions: classify, split, mark a duplicate, accept, refuse, forward, guide,
keep. They parse; ``complaints.services.intake`` and ``letters`` decide."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from complaints import rules
from complaints.models import Case, CaseKind, Field, NotProcessable
from complaints.services import duplicate_candidates
from documents.forms import DateInput, PersonChoiceField
from eoffice.models import Agency, Department, User

YES_NO = [("", _("Chưa xác định")), ("yes", _("Có")), ("no", _("Không"))]


def _tri(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


def _tri_initial(value: bool | None) -> str:
    return {True: "yes", False: "no"}.get(value, "")


def _staff(case: Case):
    return (
        User.objects.filter(agency_id=case.agency_id, is_active=True)
        .select_related("department")
        .order_by("full_name", "pk")
    )


class ClassifyForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại đơn"), choices=CaseKind.choices)
    field = forms.ChoiceField(label=_("Lĩnh vực"), choices=Field.choices)
    subject = forms.CharField(
        label=_("Quyết định, hành vi bị khiếu nại / người bị tố cáo"), max_length=500, required=False
    )
    processable = forms.ChoiceField(label=_("Đủ điều kiện xử lý"), choices=YES_NO, required=False)
    not_processable_reason = forms.ChoiceField(
        label=_("Lý do không đủ điều kiện"), choices=[("", "—"), *NotProcessable.choices], required=False
    )
    competent = forms.ChoiceField(label=_("Thuộc thẩm quyền"), choices=YES_NO, required=False)
    competent_body = forms.CharField(label=_("Cơ quan có thẩm quyền"), max_length=255, required=False)
    signer_count = forms.IntegerField(label=_("Số người đứng đơn"), min_value=1, max_value=10000)
    act_known_on = forms.DateField(label=_("Ngày biết quyết định, hành vi"), required=False, widget=DateInput)

    def __init__(self, *args, case: Case, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "kind": case.kind,
                "field": case.field,
                "subject": case.subject,
                "processable": _tri_initial(case.processable),
                "not_processable_reason": case.not_processable_reason,
                "competent": _tri_initial(case.competent),
                "competent_body": case.competent_body,
                "signer_count": case.letter.signer_count,
                "act_known_on": case.act_known_on,
            },
        )
        super().__init__(*args, **kwargs)

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["processable"] = _tri(data.get("processable") or "")
        data["competent"] = _tri(data.get("competent") or "")
        return data


class SplitForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại đơn"), choices=CaseKind.choices)
    field = forms.ChoiceField(label=_("Lĩnh vực"), choices=Field.choices, initial=Field.OTHER)
    content = forms.CharField(
        label=_("Nội dung tách"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )
    subject = forms.CharField(
        label=_("Quyết định, hành vi bị khiếu nại / người bị tố cáo"), max_length=500, required=False
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)


class DuplicateForm(forms.Form):
    of = forms.ModelChoiceField(label=_("Trùng với vụ việc"), queryset=Case.objects.none())
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        ids = [c.pk for c in duplicate_candidates(case)]
        self.fields["of"].queryset = Case.objects.filter(pk__in=ids).select_related("letter")
        self.fields["of"].label_from_instance = lambda c: (
            f"{c.code} — {c.letter.received_on:%d/%m/%Y} — {c.get_state_display()}"
        )


class AcceptForm(forms.Form):
    handler = PersonChoiceField(
        label=_("Cán bộ giải quyết"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Để trống: giữ cán bộ đang xử lý."),
    )
    department = forms.ModelChoiceField(
        label=_("Đơn vị giải quyết"), queryset=Department.objects.none(), required=False
    )
    decider = PersonChoiceField(label=_("Người giải quyết"), queryset=User.objects.none(), required=False)
    note = forms.CharField(
        label=_("Ghi chú, căn cứ"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        required=False,
        help_text=_("Bắt buộc khi thụ lý tố cáo nặc danh để thanh tra, kiểm tra phục vụ quản lý."),
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = _staff(case)
        self.fields["department"].queryset = Department.objects.filter(
            agency_id=case.agency_id, is_active=True
        ).order_by("name")
        ids = [u.pk for u in rules.deciders(case.agency_id)]
        self.fields["decider"].queryset = User.objects.filter(pk__in=ids).order_by("full_name", "pk")


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)


class ForwardForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=_("Cơ quan trong hệ thống"), queryset=Agency.objects.none(), required=False
    )
    body_name = forms.CharField(
        label=_("Hoặc cơ quan bên ngoài"),
        max_length=255,
        required=False,
        help_text=_("Phiếu chuyển đơn gửi bản giấy đến cơ quan này."),
    )
    reason = forms.CharField(
        label=_("Lý do chuyển"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agency"].queryset = Agency.objects.filter(is_active=True).exclude(pk=case.agency_id)
        if case.competent_body and not self.is_bound:
            self.initial.setdefault("body_name", case.competent_body)

    def clean(self):
        data = super().clean()
        if bool(data.get("agency")) == bool((data.get("body_name") or "").strip()):
            raise forms.ValidationError(
                _("Chọn một cơ quan trong hệ thống, hoặc ghi tên cơ quan có thẩm quyền bên ngoài (chỉ một).")
            )
        return data


class GuideForm(forms.Form):
    guidance = forms.CharField(
        label=_("Nội dung hướng dẫn"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )

    def __init__(self, *args, case: Case, **kwargs):
        super().__init__(*args, **kwargs)
