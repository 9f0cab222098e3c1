"""Forms of the information levels page and of the level of a case file."""

from __future__ import annotations

from django import forms
from django.contrib.auth.models import Group
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from documents.records.levels.models import InformationLevel
from eoffice.models import Department, User


def agency_groups(agency_id: int):
    """The groups an administrator may name: the agency's role groups and groups with its people in them."""
    members = User.groups.through.objects.filter(group_id=OuterRef("pk"), user__agency_id=agency_id)
    return Group.objects.filter(Q(agency_role__agency_id=agency_id) | Q(Exists(members))).order_by("name")


class LevelForm(forms.Form):
    name = forms.CharField(label=_("Tên cấp độ"), max_length=150)
    rank = forms.IntegerField(
        label=_("Mức"), min_value=1, max_value=99, initial=1, help_text=_("Mức cao hơn là hạn chế hơn.")
    )
    description = forms.CharField(label=_("Mô tả"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    users = forms.ModelMultipleChoiceField(
        label=_("Người được xem"), queryset=User.objects.none(), required=False
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("Đơn vị được xem"), queryset=Department.objects.none(), required=False
    )
    groups = forms.ModelMultipleChoiceField(
        label=_("Nhóm được xem"), queryset=Group.objects.none(), required=False
    )
    is_active = forms.BooleanField(label=_("Đang sử dụng"), required=False, initial=True)

    def __init__(self, *args, agency_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["users"].queryset = User.objects.filter(agency_id=agency_id, is_active=True).order_by(
            "full_name"
        )
        self.fields["users"].label_from_instance = lambda u: f"{u.full_name} ({u.username})"
        self.fields["departments"].queryset = Department.objects.filter(agency_id=agency_id, is_active=True)
        self.fields["groups"].queryset = agency_groups(agency_id)
        for name in ("users", "departments", "groups"):
            self.fields[name].widget.attrs["size"] = 6


class CaseFileLevelForm(forms.Form):
    level = forms.ModelChoiceField(
        label=_("Cấp độ thông tin"),
        queryset=InformationLevel.objects.none(),
        required=False,
        empty_label=_("— Không áp dụng —"),
    )
    reason = forms.CharField(label=_("Lý do"), max_length=500)

    def __init__(self, *args, agency_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["level"].queryset = InformationLevel.objects.filter(agency_id=agency_id, is_active=True)
