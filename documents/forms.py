"""Form fields and widgets shared by the forms of every documents sub-package: dates, people pickers,
several files in one field, the end of an office day."""

from __future__ import annotations

from datetime import date, datetime

from django import forms

from eoffice.models import User
from eoffice.widgets import FastSelect, FastSelectMultiple
from workflow import calendar

# The services take a deadline as ``due_at``; the forms ask for a day, ``due_date``: a refusal of the
# deadline is shown under the day.
DUE_FIELD = {"due_at": "due_date"}


def end_of_office_day(day: date | None) -> datetime | None:
    if day is None:
        return None
    return datetime.combine(day, calendar.office_hours()[-1][1], tzinfo=calendar.local_tz())


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data if d]
        return [single(data, initial)] if data else []


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class PersonChoiceField(forms.ModelChoiceField):
    widget = FastSelect

    def label_from_instance(self, obj: User) -> str:
        extra = obj.position or (obj.department.name if obj.department_id else "")
        return f"{obj.full_name} — {extra}" if extra else obj.full_name


class PeopleChoiceField(forms.ModelMultipleChoiceField):
    widget = FastSelectMultiple

    def label_from_instance(self, obj: User) -> str:
        return PersonChoiceField.label_from_instance(self, obj)
