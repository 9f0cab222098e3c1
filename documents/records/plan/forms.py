"""The file plan's forms: a new plan (empty or copied from last year), a heading, a planned file, the
numbering, the submission of the decision and its withdrawal."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.records.models import FilePlan, FilePlanHeading, Retention
from documents.records.plan import selectors
from eoffice.models import Department, User


class PlanCreateForm(forms.Form):
    year = forms.IntegerField(label=_("Năm"), min_value=2000, max_value=2100)
    numbering = forms.ChoiceField(
        label=_("Cách đánh số hồ sơ"), choices=FilePlan.Numbering.choices, initial=FilePlan.Numbering.PLAN
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year + (
            1 if timezone.localdate().month >= 11 else 0
        )


class NumberingForm(forms.Form):
    numbering = forms.ChoiceField(label=_("Cách đánh số hồ sơ"), choices=FilePlan.Numbering.choices)


class HeadingChoiceField(forms.ModelChoiceField):
    def __init__(self, *args, numerals: dict[int, str] | None = None, **kwargs):
        self.numerals = numerals or {}
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: FilePlanHeading) -> str:
        prefix = self.numerals.get(obj.pk, "")
        return f"{prefix} {obj.title}".strip()


def _numerals(plan: FilePlan) -> dict[int, str]:
    """ "I.", "I.1." … of every heading of the plan, for the choices."""
    out = {}
    for large in selectors.layout(plan, entries=[]).larges:
        out[large.heading.pk] = f"{large.numeral}."
        for small in large.children:
            out[small.heading.pk] = f"{large.numeral}.{small.number}."
    return out


class HeadingForm(forms.Form):
    title = forms.CharField(label=_("Tên đề mục"), max_length=300)
    parent = HeadingChoiceField(
        label=_("Thuộc đề mục lớn"),
        queryset=FilePlanHeading.objects.none(),
        required=False,
        empty_label=_("— Là đề mục lớn (số La Mã) —"),
    )
    abbreviation = forms.CharField(
        label=_("Chữ viết tắt"),
        max_length=20,
        required=False,
        help_text=_("Của đề mục lớn, dùng trong ký hiệu hồ sơ, ví dụ TCCB trong 01.TCCB."),
    )
    department = forms.ModelChoiceField(
        label=_("Đơn vị"), queryset=Department.objects.none(), required=False, empty_label=_("— Không —")
    )

    def __init__(self, *args, plan: FilePlan, exclude: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        larges = FilePlanHeading.objects.filter(plan=plan, parent__isnull=True).order_by("position", "id")
        if exclude:
            larges = larges.exclude(pk=exclude)
        self.fields["parent"].queryset = larges
        self.fields["parent"].numerals = _numerals(plan)
        self.fields["department"].queryset = Department.objects.filter(agency_id=plan.agency_id).order_by(
            "name"
        )


class EntryForm(forms.Form):
    heading = HeadingChoiceField(label=_("Đề mục"), queryset=FilePlanHeading.objects.none(), empty_label=None)
    title = forms.CharField(
        label=_("Tiêu đề hồ sơ"), max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )
    retention = forms.ChoiceField(label=_("Thời hạn bảo quản"), choices=Retention.choices)
    department = forms.ModelChoiceField(
        label=_("Đơn vị lập hồ sơ"),
        queryset=Department.objects.none(),
        required=False,
        empty_label=_("— Theo đề mục —"),
    )
    responsible = forms.ModelChoiceField(
        label=_("Người lập hồ sơ"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("— Chưa giao —"),
    )
    note = forms.CharField(label=_("Ghi chú"), max_length=500, required=False)

    def __init__(self, *args, plan: FilePlan, **kwargs):
        super().__init__(*args, **kwargs)
        numerals = _numerals(plan)
        headings = FilePlanHeading.objects.filter(plan=plan)
        self.fields["heading"].queryset = headings
        self.fields["heading"].numerals = numerals
        # in the plan's order, not the table's
        order = list(numerals)
        self.fields["heading"].choices = [
            (h.pk, self.fields["heading"].label_from_instance(h))
            for h in sorted(headings, key=lambda h: order.index(h.pk) if h.pk in order else len(order))
        ]
        self.fields["department"].queryset = Department.objects.filter(agency_id=plan.agency_id).order_by(
            "name"
        )
        self.fields["responsible"].queryset = User.objects.filter(
            agency_id=plan.agency_id, is_active=True
        ).order_by("full_name")


class LeaderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.get_full_name()} — {obj.position}" if obj.position else obj.get_full_name()


class SubmitForm(forms.Form):
    signer = LeaderChoiceField(label=_("Người ký quyết định"), queryset=User.objects.none(), empty_label=None)
    comment = forms.CharField(label=_("Ghi chú"), required=False, max_length=1000)

    def __init__(self, *args, plan: FilePlan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signer"].queryset = selectors.agency_leaders(plan.agency_id)
        head = selectors.default_signer(plan.agency_id)
        if head is not None:
            self.fields["signer"].initial = head.pk


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do rút lại"),
        max_length=1000,
        error_messages={"required": _("Vui lòng nhập lý do rút lại.")},
    )


class DirectionForm(forms.Form):
    """A heading's or a planned file's ↑/↓ buttons (``direction`` up or down)."""

    direction = forms.ChoiceField(
        choices=[("up", "up"), ("down", "down")],
        error_messages={
            "required": _("Yêu cầu không hợp lệ."),
            "invalid_choice": _("Yêu cầu không hợp lệ."),
        },
    )
