"""The filters of the complaints registers and statistics: the period of ``documents.stats`` (presets or
dates, at most a year) and, for the report, a grouping."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from complaints import stats
from documents.stats.forms import PeriodForm

GROUP_CHOICES = [(key, label) for key, label in stats.GROUPINGS.items()]


class RegisterForm(PeriodForm):
    """The period of a register."""


class StatsForm(PeriodForm):
    group = forms.ChoiceField(
        label=_("Thống kê theo"),
        choices=GROUP_CHOICES,
        required=False,
        error_messages={"invalid_choice": _("Cách nhóm số liệu không hợp lệ.")},
    )

    def clean(self):
        data = super().clean()
        data["group"] = data.get("group") or "kind"
        return data
