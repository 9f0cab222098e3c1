"""The forms of the catalogue's admin: a procedure, its internal steps, the workbook to import."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy

from eoffice.models import Agency
from eoffice.output import excel
from onestop import catalogue
from onestop.models import Procedure


class ProcedureAdminForm(forms.ModelForm):
    class Meta:
        model = Procedure
        fields = [
            "agency",
            "code",
            "name",
            "field",
            "online_level",
            "is_active",
            "time_value",
            "time_unit",
            "cutoff_rule",
            "fee_amount",
            "fee_note",
            "result_name",
            "handling_department",
            "legal_basis",
        ]
        widgets = {
            "name": forms.TextInput(attrs={"size": 80}),
            "result_name": forms.TextInput(attrs={"size": 80}),
            "fee_note": forms.TextInput(attrs={"size": 60}),
        }

    def clean(self):
        data = super().clean()
        problem = catalogue.department_problem(
            Procedure(agency=data.get("agency") or getattr(self.instance, "agency", None)),
            data.get("handling_department"),
        )
        if problem:
            self.add_error("handling_department", problem)
        return data


class StepFormSet(BaseInlineFormSet):
    """The steps of a procedure: every required step once, units of the agency, hours adding up to the
    legal time (the procedure's own fields, as posted, are on ``self.instance``)."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        steps = []
        for form in self.forms:
            data = form.cleaned_data
            if not data or data.get("DELETE"):
                continue
            steps.append((data["kind"], data.get("department"), data["hours"]))
        procedure = self.instance
        if procedure.time_value is None or not procedure.time_unit:
            return  # the procedure's form reports it
        problems = catalogue.steps_problems(procedure, steps)
        if problems:
            raise ValidationError(problems)


class ImportForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=gettext_lazy("Cơ quan"), queryset=Agency.objects.filter(is_active=True).order_by("name")
    )
    workbook = forms.FileField(
        label=gettext_lazy("Tệp Excel (.xlsx)"),
        widget=forms.ClearableFileInput(attrs={"accept": f".xlsx,{excel.CONTENT_TYPE}"}),
    )

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agency is not None:
            del self.fields["agency"]
