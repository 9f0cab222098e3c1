"""The weekly schedule's small forms (the manager's): publishing a week, the duty roster, the reception
days, unlocking a unit. Each names the week it acts on; choices are limited to the manager's agency."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from documents.forms import DateInput
from eoffice.models import Department, User
from meetings import week as week_selectors


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class _WeekForm(forms.Form):
    week = forms.DateField(widget=forms.HiddenInput)

    def clean_week(self) -> dt.date:
        day = self.cleaned_data["week"]
        return day - dt.timedelta(days=day.weekday())


class _AgencyForm(_WeekForm):
    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.agency = agency


class _DayInWeek:
    def clean_date(self) -> dt.date:
        day = self.cleaned_data["date"]
        week = self.cleaned_data.get("week")
        if week and not week <= day <= week + dt.timedelta(days=6):
            raise forms.ValidationError(_("Ngày phải thuộc tuần đang xem."))
        return day


class PublishForm(_WeekForm):
    note = forms.CharField(
        label=_("Ghi chú khi ban hành"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class DutyForm(_DayInWeek, _AgencyForm):
    date = forms.DateField(label=_("Ngày"), widget=DateInput())
    person = forms.ModelChoiceField(label=_("Lãnh đạo trực"), queryset=User.objects.none())
    phone = forms.CharField(label=_("Điện thoại"), required=False, max_length=30)
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=300)

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, agency=agency, **kwargs)
        self.fields["person"].queryset = User.objects.filter(agency=agency, is_active=True).order_by(
            "full_name"
        )
        self.fields["person"].label_from_instance = _person_label


class ReceptionForm(_DayInWeek, _AgencyForm):
    date = forms.DateField(label=_("Ngày"), widget=DateInput())
    leader = forms.ModelChoiceField(label=_("Lãnh đạo tiếp"), queryset=User.objects.none())
    start_time = forms.TimeField(label=_("Từ giờ"), initial=dt.time(7, 30), widget=TimeInput())
    end_time = forms.TimeField(label=_("Đến giờ"), initial=dt.time(11, 30), widget=TimeInput())
    place = forms.CharField(label=_("Địa điểm"), required=False, max_length=255)
    note = forms.CharField(label=_("Ghi chú"), required=False, max_length=300)

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, agency=agency, **kwargs)
        self.fields["leader"].queryset = week_selectors.agency_leaders(agency.pk)
        self.fields["leader"].label_from_instance = _person_label


class UnlockForm(_AgencyForm):
    department = forms.ModelChoiceField(label=_("Đơn vị"), queryset=Department.objects.none())
    reason = forms.CharField(label=_("Lý do mở khóa"), max_length=300)

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, agency=agency, **kwargs)
        self.fields["department"].queryset = week_selectors.agency_units(agency.pk)


class RemoveForm(_AgencyForm):
    pk = forms.IntegerField(min_value=1, max_value=2**63 - 1, widget=forms.HiddenInput)


def _person_label(user: User) -> str:
    return f"{user.get_full_name()} ({user.position})" if user.position else user.get_full_name()
