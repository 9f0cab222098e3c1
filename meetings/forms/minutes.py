"""Forms of the minutes and the conclusions: they parse; ``meetings.services.minutes`` decides."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.forms import DateInput, DateTimeInput, PersonChoiceField
from eoffice.models import User

MAX_TASK_ROWS = 20


def _staff(meeting):
    return (
        User.objects.filter(agency_id=meeting.agency_id, is_active=True)
        .select_related("department")
        .order_by("full_name", "pk")
    )


class MinutesStartForm(forms.Form):
    secretary = PersonChoiceField(label=_("Thư ký (người ghi biên bản)"), queryset=User.objects.none())
    presider = PersonChoiceField(
        label=_("Chủ tọa"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Để trống: người chủ trì cuộc họp."),
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("secretary", "presider"):
            self.fields[name].queryset = _staff(meeting)
        if meeting.chair_id is None:
            self.fields["presider"].required = True
            self.fields["presider"].help_text = _("Người chủ trì ở ngoài hệ thống: chọn người ký chủ tọa.")


class MinutesForm(forms.Form):
    secretary = PersonChoiceField(label=_("Thư ký (người ghi biên bản)"), queryset=User.objects.none())
    presider = PersonChoiceField(label=_("Chủ tọa"), queryset=User.objects.none())
    started_at = forms.DateTimeField(label=_("Thời gian bắt đầu"), widget=DateTimeInput())
    ended_at = forms.DateTimeField(label=_("Thời gian kết thúc"), widget=DateTimeInput())
    attendees = forms.CharField(
        label=_("Thành phần tham dự"),
        widget=forms.Textarea(attrs={"rows": 8}),
        max_length=20000,
        required=False,
        help_text=_("Mỗi dòng một người hoặc một nhóm; dòng bắt đầu bằng dấu “-” là một mục."),
    )
    content = forms.CharField(
        label=_("Nội dung (theo diễn biến cuộc họp)"),
        widget=forms.Textarea(attrs={"rows": 14}),
        max_length=100000,
    )
    conclusion = forms.CharField(
        label=_("Kết luận của chủ trì"),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=50000,
        required=False,
    )

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("secretary", "presider"):
            self.fields[name].queryset = _staff(meeting)

    @staticmethod
    def initial_of(minutes) -> dict:
        return {
            "secretary": minutes.secretary_id,
            "presider": minutes.presider_id,
            "started_at": timezone.localtime(minutes.started_at),
            "ended_at": timezone.localtime(minutes.ended_at),
            "attendees": minutes.attendees,
            "content": minutes.content,
            "conclusion": minutes.conclusion,
        }


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Nội dung nhiệm vụ"), max_length=300, required=False)
    assignee = PersonChoiceField(label=_("Người thực hiện"), queryset=User.objects.none(), required=False)
    due_date = forms.DateField(label=_("Hạn hoàn thành"), widget=DateInput(), required=False)

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].queryset = _staff(meeting)

    def clean(self):
        data = super().clean()
        filled = [bool(data.get(k)) for k in ("title", "assignee", "due_date")]
        if any(filled) and not all(filled):
            raise forms.ValidationError(_("Nhập đủ nhiệm vụ, người thực hiện và hạn hoàn thành."))
        return data


TaskFormSet = forms.formset_factory(TaskForm, extra=3, max_num=MAX_TASK_ROWS, validate_max=True)


class ConclusionForm(forms.Form):
    text = forms.CharField(
        label=_("Nội dung kết luận"), widget=forms.Textarea(attrs={"rows": 8}), max_length=50000
    )


def task_rows(formset) -> list[tuple]:
    """(title, assignee, due_date) of the filled rows."""
    return [
        (f.cleaned_data["title"], f.cleaned_data["assignee"], f.cleaned_data["due_date"])
        for f in formset.forms
        if f.cleaned_data.get("title")
    ]


def conclusion_forms(data, *, meeting, conclusion) -> tuple[ConclusionForm, forms.BaseFormSet]:
    """The conclusions' form and its task rows (the saved tasks, then blank rows)."""
    tasks = conclusion.tasks.all() if conclusion else []
    form = ConclusionForm(data, initial={"text": conclusion.text if conclusion else ""})
    formset = TaskFormSet(
        data,
        prefix="task",
        form_kwargs={"meeting": meeting},
        initial=[{"title": t.title, "assignee": t.assignee_id, "due_date": t.due_date} for t in tasks],
    )
    return form, formset
