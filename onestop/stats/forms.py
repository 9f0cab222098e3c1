"""The filters of the one-stop statistics: the period of ``documents.stats`` and a grouping for the table."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy

from documents.stats.forms import PeriodForm
from onestop.stats import selectors

GROUP_CHOICES = list(selectors.GROUPINGS.items())


class StatsForm(PeriodForm):
    """The period of ``documents.stats`` (presets or dates, at most a year) and a grouping."""

    group = forms.ChoiceField(
        label=gettext_lazy("Thống kê theo"),
        choices=GROUP_CHOICES,
        required=False,
        error_messages={"invalid_choice": gettext_lazy("Cách nhóm số liệu không hợp lệ.")},
    )

    def clean(self):
        data = super().clean()
        data["group"] = data.get("group") or "procedure"
        return data


class RegisterForm(PeriodForm):
    """The period only: the register (form 07) lists dossiers, it does not group them."""
