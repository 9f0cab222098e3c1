from __future__ import annotations

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS
from django.forms.utils import ErrorDict
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eoffice.models import Department, User
from eoffice.notifications import KINDS
from workflow.files import validate_upload
from workflow.models import DeadlineStatus, WorkflowState, WorkItem

DATETIME_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M"]


class DateTimeLocalInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name} — {obj.department}" if obj.department_id else obj.full_name


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name} — {obj.department}" if obj.department_id else obj.full_name


def _future(value):
    if value is not None and value <= timezone.now():
        raise forms.ValidationError(_("Hạn phải sau thời điểm hiện tại."))
    return value


class WorkItemForm(forms.Form):
    title = forms.CharField(label=_("Tên công việc"), max_length=300)
    description = forms.CharField(
        label=_("Nội dung"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    priority = forms.TypedChoiceField(
        label=_("Mức ưu tiên"),
        choices=WorkItem.Priority.choices,
        coerce=int,
        initial=WorkItem.Priority.NORMAL,
    )
    due_at = forms.DateTimeField(
        label=_("Hạn hoàn thành"), widget=DateTimeLocalInput(), input_formats=DATETIME_FORMATS
    )
    lead = PersonChoiceField(label=_("Người chủ trì"), queryset=User.objects.none(), required=False)
    lead_department = forms.ModelChoiceField(
        label=_("Hoặc đơn vị chủ trì"), queryset=Department.objects.none(), required=False
    )
    coordinators = PeopleChoiceField(
        label=_("Người phối hợp"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    informed = PeopleChoiceField(
        label=_("Người để biết"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    instruction = forms.CharField(
        label=_("Ý kiến chỉ đạo"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        people = User.objects.filter(agency_id=user.agency_id, is_active=True).select_related("department")
        for name in ("lead", "coordinators", "informed"):
            self.fields[name].queryset = people
        self.fields["lead_department"].queryset = Department.objects.filter(
            agency_id=user.agency_id, is_active=True
        )

    def clean_due_at(self):
        return _future(self.cleaned_data.get("due_at"))

    def clean(self):
        data = super().clean()
        lead, unit = data.get("lead"), data.get("lead_department")
        if bool(lead) == bool(unit):
            raise forms.ValidationError(_("Chọn đúng một người chủ trì hoặc một đơn vị chủ trì."))
        if lead and lead in (data.get("coordinators") or []):
            self.add_error("coordinators", _("Người chủ trì không đồng thời là người phối hợp."))
        return data


INVALID_REQUEST = _("Yêu cầu không hợp lệ.")


class ActionForm(forms.Form):
    """The workflow buttons' post (hidden fields): a crafted one is refused with one plain message."""

    action = forms.CharField(max_length=40)
    expected_state = forms.ChoiceField(choices=WorkflowState.choices, required=False)
    comment = forms.CharField(label=_("Ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def full_clean(self):
        super().full_clean()
        if self._errors:
            self._errors = ErrorDict({NON_FIELD_ERRORS: self.error_class([INVALID_REQUEST])})


class ProgressForm(forms.Form):
    percent = forms.IntegerField(label=_("Tiến độ (%)"), min_value=0, max_value=100)
    note = forms.CharField(label=_("Nội dung báo cáo"), widget=forms.Textarea(attrs={"rows": 3}))
    attachment = forms.FileField(label=_("Tệp đính kèm"), required=False, validators=[validate_upload])


class CompleteForm(forms.Form):
    note = forms.CharField(
        label=_("Kết quả phần việc"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )


class ExtendForm(forms.Form):
    due_at = forms.DateTimeField(
        label=_("Hạn mới"), widget=DateTimeLocalInput(), input_formats=DATETIME_FORMATS
    )
    reason = forms.CharField(label=_("Lý do gia hạn"), widget=forms.Textarea(attrs={"rows": 2}))

    def clean_due_at(self):
        return _future(self.cleaned_data.get("due_at"))


PICK_UNIT_PERSON = _("Vui lòng chọn cán bộ trong đơn vị.")


class ForwardForm(forms.Form):
    to_user = PersonChoiceField(
        label=_("Chuyển cho"),
        queryset=User.objects.none(),
        error_messages={"required": PICK_UNIT_PERSON, "invalid_choice": PICK_UNIT_PERSON},
    )
    instruction = forms.CharField(label=_("Ý kiến"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args, people, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_user"].queryset = people


class WorkFilterForm(forms.Form):
    state = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        choices=[("", _("Tất cả trạng thái"))]
        + [(s.value, s.label) for s in WorkflowState if s.value in WorkItem.USED_STATES],
    )
    deadline = forms.ChoiceField(
        label=_("Hạn xử lý"),
        required=False,
        choices=[("", _("Mọi tình trạng hạn"))]
        + [
            (s.value, s.label)
            for s in (DeadlineStatus.ON_TIME, DeadlineStatus.DUE_SOON, DeadlineStatus.OVERDUE)
        ],
    )


class NotificationPreferencesForm(forms.Form):
    email_kinds = forms.MultipleChoiceField(
        label=_("Gửi thư điện tử cho các loại"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email_kinds"].choices = [(code, kind.label) for code, kind in KINDS.items()]
