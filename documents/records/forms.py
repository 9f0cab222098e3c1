"""Case file forms: open a file (from the plan or ad hoc), upload a paper to it, file a record in it."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.forms import DateInput
from documents.records import selectors
from documents.records.models import CaseFile, FilePlanEntry, UsageRights
from eoffice import uploads
from eoffice.models import Department, User


class PlanEntryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: FilePlanEntry) -> str:
        return f"{obj.code} · {obj.title} ({obj.get_retention_display()})"


class CaseFileOpenForm(forms.Form):
    """Open a file: choose an entry of this year's file plan, or give the ad-hoc file's code, title and
    retention (it is then added to the plan under "Hồ sơ bổ sung ngoài danh mục")."""

    plan_entry = PlanEntryChoiceField(
        label=_("Mở theo danh mục hồ sơ"),
        queryset=FilePlanEntry.objects.none(),
        required=False,
        empty_label=_("— Hồ sơ ngoài danh mục (nhập bên dưới) —"),
    )
    code = forms.CharField(
        label=_("Số và ký hiệu hồ sơ"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "15.VP"}),
    )
    title = forms.CharField(label=_("Tiêu đề hồ sơ"), max_length=500, required=False)
    retention = forms.ChoiceField(
        label=_("Thời hạn bảo quản"), choices=[("", "—"), *CaseFile.Retention.choices], required=False
    )
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    department = forms.ModelChoiceField(label=_("Đơn vị"), queryset=Department.objects.none(), required=False)
    rights = forms.ChoiceField(
        label=_("Chế độ sử dụng"), choices=UsageRights.choices, initial=UsageRights.RESTRICTED
    )
    description = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        year = timezone.localdate().year
        self.fields["year"].initial = year
        self.fields["plan_entry"].queryset = selectors.plan_entries_to_open(user=user, year=year)
        self.fields["department"].queryset = Department.objects.filter(
            agency_id=user.agency_id, is_active=True
        )
        self.fields["department"].initial = user.department_id

    def clean(self):
        data = super().clean()
        if not data.get("plan_entry"):
            missing = [name for name in ("code", "title", "retention") if not data.get(name)]
            for name in missing:
                self.add_error(name, _("Hồ sơ ngoài danh mục cần trường này."))
        return data


class PaperForm(forms.Form):
    """A paper uploaded to the file itself, with its metadata (Phụ lục VI Phần II)."""

    file = forms.FileField(
        label=_("Tệp tài liệu"),
        validators=[uploads.UploadValidator(kinds=uploads.ATTACHMENT_KINDS)],
        help_text=_("PDF, ảnh quét, Word hoặc Excel; kiểu tệp được kiểm tra theo nội dung."),
    )
    subject = forms.CharField(label=_("Trích yếu nội dung"), max_length=1000)
    type_name = forms.CharField(label=_("Tên loại"), max_length=100, required=False)
    code_number = forms.CharField(label=_("Số"), max_length=20, required=False)
    code_notation = forms.CharField(label=_("Ký hiệu"), max_length=50, required=False)
    issued_date = forms.DateField(label=_("Ngày văn bản"), required=False, widget=DateInput())
    organ_name = forms.CharField(label=_("Tác giả (cơ quan ban hành)"), max_length=250, required=False)
    page_amount = forms.IntegerField(
        label=_("Số trang"),
        min_value=1,
        max_value=100000,
        required=False,
        help_text=_("Để trống: tự đếm với PDF."),
    )
    description = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)

    def metadata(self) -> dict:
        data = dict(self.cleaned_data)
        data.pop("file"), data.pop("subject")
        return data


class FileRecordForm(forms.Form):
    """“Lưu vào hồ sơ”: a record (kind, id) into one of the open files the person may add to."""

    kind = forms.CharField(max_length=20)
    object_id = forms.IntegerField(min_value=1)
    case_file = forms.ModelChoiceField(
        label=_("Hồ sơ"),
        queryset=CaseFile.objects.none(),
        error_messages={"invalid_choice": _("Hồ sơ không còn mở hoặc bạn không có quyền thêm vào.")},
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case_file"].queryset = selectors.open_targets(user=user)


class CaseFileEditForm(forms.Form):
    title = forms.CharField(label=_("Tiêu đề hồ sơ"), max_length=500)
    description = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)


class LockForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do khóa"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Vui lòng nêu lý do khóa hồ sơ.")},
    )


class ItemOpForm(forms.Form):
    """An item's row on the file's page: move it up or down, or take it out of the file."""

    op = forms.ChoiceField(
        choices=[("up", "up"), ("down", "down"), ("remove", "remove")],
        error_messages={
            "required": _("Yêu cầu không hợp lệ."),
            "invalid_choice": _("Yêu cầu không hợp lệ."),
        },
    )
