"""The filters of the dossier lists."""

from __future__ import annotations

from datetime import datetime

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.forms import DateInput
from eoffice.search import fold, fold_sql
from onestop.models import Dossier, DossierState, ProcedureField

STATE_CHOICES = [("", _("Tất cả trạng thái")), *DossierState.choices]


class FilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm kiếm"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Mã hồ sơ, tên người nộp, thủ tục…")}
        ),
    )
    field = forms.ModelChoiceField(
        label=_("Lĩnh vực"),
        queryset=ProcedureField.objects.none(),
        required=False,
        empty_label=_("Tất cả lĩnh vực"),
    )
    state = forms.ChoiceField(label=_("Trạng thái"), choices=STATE_CHOICES, required=False)
    date_from = forms.DateField(label=_("Nộp từ ngày"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("đến ngày"), required=False, widget=DateInput())

    def __init__(self, *args, agency_id: int | None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["field"].queryset = ProcedureField.objects.filter(
            procedures__agency_id=agency_id
        ).distinct()

    def apply(self, qs: QuerySet[Dossier]) -> QuerySet[Dossier]:
        if not self.is_bound:
            return qs
        self.is_valid()  # the fields that are valid filter; a bad value is dropped
        d = self.cleaned_data
        words = (d.get("q") or "").split()[:8]
        if words:
            qs = qs.annotate(_name=fold_sql("applicant_name"), _proc=fold_sql("procedure__name"))
        for word in words:
            folded_word = fold(word)
            qs = qs.filter(
                Q(code__icontains=word)
                | Q(reference__icontains=word)
                | Q(applicant_id_number__startswith=word)
                | Q(procedure__code__startswith=word)
                | Q(_name__contains=folded_word)
                | Q(_proc__contains=folded_word)
            )
        if d.get("field"):
            qs = qs.filter(procedure__field=d["field"])
        if d.get("state"):
            qs = qs.filter(state=d["state"])
        tz = timezone.get_current_timezone()
        if d.get("date_from"):
            qs = qs.filter(submitted_at__gte=datetime.combine(d["date_from"], datetime.min.time(), tzinfo=tz))
        if d.get("date_to"):
            qs = qs.filter(submitted_at__lte=datetime.combine(d["date_to"], datetime.max.time(), tzinfo=tz))
        return qs
