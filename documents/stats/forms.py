"""The period of a statistics page (``PeriodForm``: presets or dates, at most a year; the one-stop statistics
and register use it too) and, on the documents' page, the kind (``StatsForm``). The scope is checked by
``selectors.resolve_scope``."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from documents.forms import DateInput
from documents.stats.selectors import KIND_CHOICES, Period, preset_period

PERIOD_CHOICES = [
    ("month", _("Tháng này")),
    ("last_month", _("Tháng trước")),
    ("quarter", _("Quý này")),
    ("year", _("Năm nay")),
    ("custom", _("Tùy chọn khoảng ngày")),
]
MAX_DAYS = 366
DATE_ERRORS = {"invalid": _("Ngày không hợp lệ, hãy nhập theo dạng ngày/tháng/năm.")}


class PeriodForm(forms.Form):
    period = forms.ChoiceField(
        label=_("Kỳ thống kê"),
        choices=PERIOD_CHOICES,
        required=False,
        error_messages={"invalid_choice": _("Kỳ thống kê không hợp lệ.")},
    )
    date_from = forms.DateField(
        label=_("Từ ngày"), required=False, widget=DateInput(), error_messages=DATE_ERRORS
    )
    date_to = forms.DateField(
        label=_("Đến ngày"), required=False, widget=DateInput(), error_messages=DATE_ERRORS
    )

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        default = preset_period("month")
        self.fields["date_from"].widget.attrs["placeholder"] = default.date_from.isoformat()
        self.fields["period"].initial = "month"

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        date_from, date_to = data.get("date_from"), data.get("date_to")
        period = data.get("period") or ("custom" if date_from or date_to else "month")
        if period == "custom":
            if not date_from or not date_to:
                raise ValidationError(_("Hãy chọn cả ngày bắt đầu và ngày kết thúc."))
            if date_from > date_to:
                raise ValidationError(_("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc."))
            if (date_to - date_from).days >= MAX_DAYS:
                raise ValidationError(_("Mỗi lần thống kê tối đa một năm (366 ngày)."))
            data["range"] = Period(date_from, date_to, "custom")
        else:
            data["range"] = preset_period(period)
        data["period"] = period
        return data


class StatsForm(PeriodForm):
    """The period and the kind of the documents' statistics."""

    kind = forms.ChoiceField(
        label=_("Loại"),
        choices=KIND_CHOICES,
        required=False,
        error_messages={"invalid_choice": _("Loại thống kê không hợp lệ.")},
    )

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["kind"].initial = "all"

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        data["kind"] = data.get("kind") or "all"
        return data
