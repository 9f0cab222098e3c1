"""Forms of the metadata package: the admin's custom fields, access-change requests and decisions."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from documents.records.models import CustomField, UsageRights

KIND_CHOICES = [("incoming", _("Văn bản đến")), ("outgoing", _("Văn bản đi")), ("casefile", _("Hồ sơ"))]
LABEL_ERRORS = {"required": _("Vui lòng nhập tên trường."), "max_length": _("Tên trường tối đa 100 ký tự.")}


class CustomFieldForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Áp dụng cho"),
        choices=KIND_CHOICES,
        error_messages={"invalid_choice": _("Loại không hợp lệ.")},
    )
    label = forms.CharField(label=_("Tên trường"), max_length=100, error_messages=LABEL_ERRORS)
    field_type = forms.ChoiceField(
        label=_("Kiểu dữ liệu"),
        choices=CustomField.FieldType.choices,
        error_messages={"invalid_choice": _("Kiểu dữ liệu không hợp lệ.")},
    )


class RenameForm(forms.Form):
    label = forms.CharField(label=_("Tên mới"), max_length=100, error_messages=LABEL_ERRORS)


class RightsRequestForm(forms.Form):
    new_rights = forms.ChoiceField(
        label=_("Chế độ sử dụng mới"),
        choices=UsageRights.choices,
        error_messages={
            "invalid_choice": _("Chế độ sử dụng không hợp lệ."),
            "required": _("Hãy chọn chế độ."),
        },
    )
    reason = forms.CharField(
        label=_("Lý do"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        error_messages={
            "required": _("Vui lòng nêu lý do đổi chế độ sử dụng."),
            "max_length": _("Lý do quá dài."),
        },
    )


class RevokeForm(forms.Form):
    user = forms.IntegerField(widget=forms.HiddenInput, error_messages={"required": _("Chưa chọn người.")})
    reason = forms.CharField(required=False, max_length=2000)
