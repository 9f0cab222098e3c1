"""The fields and widgets the one-stop staff forms share: text areas, people, procedures (the date inputs are
``documents.forms.DateInput`` and ``DateTimeInput``)."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet

from eoffice.models import User
from eoffice.widgets import FastSelect, PickerLabel
from onestop.models import Procedure

SCAN_ACCEPT = "application/pdf,image/png,image/jpeg"


def text_field(label, *, required=False, rows=2, max_length=2000, placeholder="", **kwargs):
    """A text area field (``rows`` high, optional placeholder)."""
    attrs = {"rows": rows}
    if placeholder:
        attrs["placeholder"] = placeholder
    return forms.CharField(
        label=label,
        required=required,
        max_length=max_length,
        widget=forms.Textarea(attrs=attrs),
        **kwargs,
    )


class PersonChoiceField(forms.ModelChoiceField):
    widget = FastSelect

    def label_from_instance(self, obj: User) -> str:
        extra = obj.position or (obj.department.name if obj.department_id else "")
        return f"{obj.full_name} — {extra}" if extra else obj.full_name


class _ProcedureGroups(forms.models.ModelChoiceIterator):
    """The procedures grouped by field (<optgroup> per lĩnh vực), one query."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: dict[str, list] = {}
        for obj in self.queryset:
            groups.setdefault(obj.field.name, []).append(self.choice(obj))
        yield from groups.items()


class ProcedureChoiceField(forms.ModelChoiceField):
    iterator = _ProcedureGroups

    def label_from_instance(self, obj: Procedure) -> str:
        return PickerLabel(obj.name, obj.code)


def procedures_of(agency_id: int) -> QuerySet[Procedure]:
    return (
        Procedure.objects.active()
        .filter(agency_id=agency_id)
        .select_related("field", "handling_department")
        .order_by("field__name", "name")
    )
