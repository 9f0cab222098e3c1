"""The filters of the case queue. Every filter is SQL; the text search reads the case's code and content and
the display names of the letter's unprotected people (a protected person has no display name: nothing of
them can be searched)."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from complaints import queue
from complaints.models import Case, CaseKind, CaseState, Field, Stage
from documents.forms import DateInput
from eoffice.models import User
from workflow.models import DeadlineStatus

MAX_WORDS = 8


def _choices(empty, choices) -> list:
    return [("", empty), *choices]


class CaseFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm kiếm"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Mã vụ việc, nội dung, tên người gửi…")}
        ),
    )
    kind = forms.ChoiceField(
        label=_("Loại đơn"), required=False, choices=_choices(_("Tất cả"), CaseKind.choices)
    )
    state = forms.ChoiceField(
        label=_("Trạng thái"), required=False, choices=_choices(_("Tất cả"), CaseState.choices)
    )
    stage = forms.ChoiceField(label=_("Bước"), required=False, choices=_choices(_("Tất cả"), Stage.choices))
    deadline = forms.ChoiceField(
        label=_("Thời hạn"),
        required=False,
        choices=_choices(_("Tất cả"), [(s.value, s.label) for s in queue.STATUSES]),
    )
    field = forms.ChoiceField(
        label=_("Lĩnh vực"), required=False, choices=_choices(_("Tất cả"), Field.choices)
    )
    handler = forms.ModelChoiceField(
        label=_("Cán bộ xử lý"), required=False, queryset=User.objects.none(), empty_label=_("Tất cả")
    )
    mine = forms.BooleanField(label=_("Chỉ vụ việc của tôi"), required=False)
    date_from = forms.DateField(label=_("Nhận đơn từ ngày"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Đến ngày"), required=False, widget=DateInput())

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["handler"].queryset = User.objects.filter(
            agency_id=user.agency_id, is_active=True, pk__in=queue.visible(user).values("handler_id")
        ).order_by("full_name", "pk")

    def handler_options(self) -> list[tuple[str, str, bool]]:
        """(pk, name, selected) of the handler list, read in one query and rendered by a plain loop in the
        template (hundreds of people through the select widget's option template cost ~100 ms a page)."""
        chosen = str(self.data.get("handler", "")) if self.is_bound else ""
        rows = self.fields["handler"].queryset.values_list("pk", "full_name", "username")
        return [(str(pk), name or username, str(pk) == chosen) for pk, name, username in rows]

    @property
    def filtered(self) -> bool:
        return self.is_bound and any(self.data.get(name) for name in self.fields)

    def apply(self, qs: QuerySet[Case]) -> QuerySet[Case]:
        if not self.is_bound:
            return qs
        self.is_valid()  # the valid fields filter; a bad value is dropped
        d = self.cleaned_data
        words = (d.get("q") or "").split()[:MAX_WORDS]
        for word in words:
            qs = qs.filter(queue.word_q(word))
        for name in ("kind", "state", "stage", "field"):
            if d.get(name):
                qs = qs.filter(**{name: d[name]})
        if d.get("deadline") in DeadlineStatus.values:
            qs = qs.filter(queue.status_q(d["deadline"]))
        if d.get("handler"):
            qs = qs.filter(handler=d["handler"])
        if d.get("mine"):
            qs = qs.filter(queue.mine_q(self.user))
        if d.get("date_from"):
            qs = qs.filter(letter__received_on__gte=d["date_from"])
        if d.get("date_to"):
            qs = qs.filter(letter__received_on__lte=d["date_to"])
        return qs
