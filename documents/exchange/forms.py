"""The exchange pages' forms: the log's filters, the clerk's answer to a change asked from outside, and
the recipient field that offers the outside agencies beside the installation's own."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from documents.exchange.models import ExternalAgency, InboxMessage, MessageKind, OutboxMessage
from eoffice.widgets import PickerLabel

DIRECTIONS = [("", _("Gửi đi và nhận về")), ("out", _("Gửi đi")), ("in", _("Nhận về"))]


def state_choices() -> list[tuple[str, str]]:
    """The states of both directions, under one filter (the values do not overlap)."""
    return [
        ("", _("Mọi tình trạng")),
        *[(v, f"{label} ({_('gửi đi')})") for v, label in OutboxMessage.State.choices],
        *[(v, f"{label} ({_('nhận về')})") for v, label in InboxMessage.State.choices],
    ]


class LogFilterForm(forms.Form):
    direction = forms.ChoiceField(label=_("Chiều"), choices=DIRECTIONS, required=False)
    kind = forms.ChoiceField(
        label=_("Loại"), choices=[("", _("Gói tin và trạng thái")), *MessageKind.choices], required=False
    )
    state = forms.ChoiceField(label=_("Tình trạng"), choices=state_choices, required=False)
    agency = forms.CharField(
        label=_("Cơ quan gửi, nhận"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Tên hoặc mã định danh")}),
    )
    date_from = forms.DateField(
        label=_("Từ ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    date_to = forms.DateField(
        label=_("Đến ngày"), required=False, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            raise forms.ValidationError(_("“Từ ngày” phải trước hoặc bằng “Đến ngày”."))
        return data


class ChangeAnswerForm(forms.Form):
    """The clerk's answer to a recall, update or replacement: accept (15) or refuse (16) with a reason."""

    answer = forms.ChoiceField(choices=[("accept", _("Đồng ý")), ("refuse", _("Từ chối"))])
    reason = forms.CharField(
        label=_("Lý do từ chối"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean(self):
        data = super().clean()
        if data.get("answer") == "refuse" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Vui lòng nêu lý do từ chối."))
        return data

    @property
    def accept(self) -> bool:
        return self.cleaned_data["answer"] == "accept"


# --- the recipient picker of an outgoing document ----------------------------------------------------------

EXTERNAL_PREFIX = "x"


def external_label(agency: ExternalAgency) -> PickerLabel:
    return PickerLabel(agency.name, f"{_('ngoài hệ thống')} · {agency.organ_id}")


class RecipientChoiceField(forms.MultipleChoiceField):
    """The agencies of the installation and, in a group of their own marked "ngoài hệ thống", the active
    outside agencies reached by exchange. An installation agency's value is its id (as before), an outside
    agency's ``x<id>``. Cleans to a list of ``Agency`` and ``ExternalAgency``."""

    def __init__(self, *, agencies, externals, **kwargs):
        super().__init__(**kwargs)
        self.set_querysets(agencies, externals)

    def set_querysets(self, agencies, externals) -> None:
        self.agencies, self.externals = agencies, externals
        self.choices = self._choices_lazy

    def _choices_lazy(self):
        inside = [
            (str(a.pk), PickerLabel(a.name, a.parent.name if a.parent_id else "")) for a in self.agencies
        ]
        outside = [(f"{EXTERNAL_PREFIX}{e.pk}", external_label(e)) for e in self.externals]
        if not outside:
            return inside
        groups = [(_("Trong hệ thống"), inside)] if inside else []
        return [*groups, (_("Ngoài hệ thống (liên thông)"), outside)]

    def validate(self, value):
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")

    def clean(self, value):
        values = super().clean(value)
        inside = [v for v in values if not v.startswith(EXTERNAL_PREFIX)]
        outside = [v[len(EXTERNAL_PREFIX) :] for v in values if v.startswith(EXTERNAL_PREFIX)]
        if not all(v.isdigit() for v in [*inside, *outside]):
            raise forms.ValidationError(_("Nơi nhận không hợp lệ."), code="invalid_choice")
        by_pk = {str(a.pk): a for a in self.agencies.filter(pk__in=inside)}
        ext_by_pk = {str(e.pk): e for e in self.externals.filter(pk__in=outside)}
        missing = [v for v in inside if v not in by_pk] + [v for v in outside if v not in ext_by_pk]
        if missing:
            raise forms.ValidationError(
                _("Nơi nhận không còn trong danh bạ, vui lòng chọn lại."), code="invalid_choice"
            )
        return [by_pk[v] for v in inside] + [ext_by_pk[v] for v in outside]


def initial_values(recipients) -> list[str]:
    """The field's initial value from a document's recipients."""
    return [str(r.agency_id) for r in recipients if r.agency_id] + [
        f"{EXTERNAL_PREFIX}{r.external_agency_id}" for r in recipients if r.external_agency_id
    ]
