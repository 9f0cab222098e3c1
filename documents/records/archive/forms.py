"""Forms of the agency archive (the services check the rights and the states; these check the input)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.forms import DateInput
from documents.records.models import AppraisalItem, CaseFile, Retention
from eoffice.models import Department


class AnnounceForm(forms.Form):
    """Thông báo danh mục hồ sơ nộp lưu: a unit (or all), a year, the date."""

    department = forms.ModelChoiceField(
        label=_("Đơn vị"), queryset=Department.objects.none(), required=False, empty_label=_("— Mọi đơn vị —")
    )
    year = forms.IntegerField(label=_("Hồ sơ năm"), min_value=1900, max_value=2200)
    due = forms.DateField(label=_("Hạn nộp lưu"), widget=DateInput())

    def __init__(self, *args, agency_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["department"].queryset = Department.objects.filter(agency_id=agency_id).order_by(
            "order", "name"
        )
        self.fields["year"].initial = timezone.localdate().year - 1

    def clean_due(self):
        due = self.cleaned_data["due"]
        if due < timezone.localdate():
            raise forms.ValidationError(_("Hạn nộp lưu phải từ hôm nay trở đi."))
        return due


class TransferForm(forms.Form):
    files = forms.ModelMultipleChoiceField(
        label=_("Hồ sơ nộp lưu"),
        queryset=CaseFile.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Chọn ít nhất một hồ sơ để nộp lưu.")},
    )
    note = forms.CharField(
        label=_("Tình trạng tài liệu giao nộp"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=2000,
        help_text=_("Ví dụ: đầy đủ văn bản, đã sắp xếp và đánh số theo thứ tự thời gian."),
    )

    def __init__(self, *args, files, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].queryset = files


class DecisionNoteForm(forms.Form):
    note = forms.CharField(
        label=_("Ý kiến của lưu trữ"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=2000,
    )


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do trả lại"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Vui lòng nhập lý do trả lại.")},
    )


class BorrowForm(forms.Form):
    purpose = forms.CharField(
        label=_("Mục đích khai thác"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": _("Vui lòng nêu mục đích khai thác.")},
    )
    until = forms.DateField(label=_("Khai thác đến ngày"), widget=DateInput())

    def clean_until(self):
        until = self.cleaned_data["until"]
        if until < timezone.localdate():
            raise forms.ValidationError(_("Ngày khai thác đến phải từ hôm nay trở đi."))
        return until


class BorrowDecideForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("Quyết định"),
        choices=[("1", _("Đồng ý cho khai thác")), ("0", _("Từ chối"))],
        coerce=lambda v: v == "1",
    )
    until = forms.DateField(label=_("Khai thác đến ngày"), widget=DateInput(), required=False)
    note = forms.CharField(label=_("Ý kiến"), max_length=2000, required=False)


class ArchiveSearchForm(forms.Form):
    q = forms.CharField(label=_("Mã, số ký hiệu hoặc tiêu đề"), required=False, max_length=200)
    year = forms.IntegerField(label=_("Năm"), required=False, min_value=1900, max_value=2200)
    retention = forms.ChoiceField(
        label=_("Thời hạn bảo quản"), choices=[("", _("— Tất cả —")), *Retention.choices], required=False
    )
    status = forms.ChoiceField(
        label=_("Tình trạng"),
        choices=[
            (CaseFile.Status.ARCHIVED, _("Đang bảo quản")),
            (CaseFile.Status.DISPOSED, _("Đã hủy")),
            ("all", _("Tất cả")),
        ],
        required=False,
    )


class ProposeForm(forms.Form):
    files = forms.ModelMultipleChoiceField(
        label=_("Hồ sơ đề nghị hủy"),
        queryset=CaseFile.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Chọn ít nhất một hồ sơ.")},
    )
    reason = forms.CharField(
        label=_("Lý do đề nghị hủy"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=4000,
        error_messages={"required": _("Vui lòng nêu lý do đề nghị hủy.")},
    )

    def __init__(self, *args, files, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].queryset = files


class AppraisalDecideForm(forms.Form):
    """The leader's decision: the number, and per file a verdict (``verdict_<file pk>``) and, to keep it,
    the years (``years_<file pk>``)."""

    decision_number = forms.CharField(
        label=_("Số quyết định"),
        max_length=100,
        error_messages={"required": _("Vui lòng nhập số quyết định.")},
        widget=forms.TextInput(attrs={"placeholder": "15/QĐ-SKHĐT"}),
    )
    note = forms.CharField(
        label=_("Nội dung quyết định"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=4000,
    )

    def __init__(self, *args, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        choices = [
            ("", _("— Chọn —")),
            (AppraisalItem.Verdict.DESTROY, _("Hủy")),
            (AppraisalItem.Verdict.EXTEND, _("Tiếp tục bảo quản")),
        ]
        for item in items:
            pk = item.case_file_id
            self.fields[f"verdict_{pk}"] = forms.ChoiceField(
                label=str(item.case_file), choices=choices, error_messages={"required": _("Chọn quyết định.")}
            )
            self.fields[f"years_{pk}"] = forms.IntegerField(
                label=_("Số năm"), required=False, min_value=1, max_value=100
            )

    def rows(self):
        return [
            (item, self[f"verdict_{item.case_file_id}"], self[f"years_{item.case_file_id}"])
            for item in self.items
        ]

    def clean(self):
        data = super().clean()
        for item in self.items:
            pk = item.case_file_id
            if data.get(f"verdict_{pk}") == AppraisalItem.Verdict.EXTEND and not data.get(f"years_{pk}"):
                self.add_error(f"years_{pk}", _("Nhập số năm tiếp tục bảo quản."))
        return data

    def verdicts(self) -> dict[int, tuple[str, int | None]]:
        return {
            item.case_file_id: (
                self.cleaned_data[f"verdict_{item.case_file_id}"],
                self.cleaned_data.get(f"years_{item.case_file_id}"),
            )
            for item in self.items
        }
