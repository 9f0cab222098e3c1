"""The agency admin's setting for secret documents: from which level (Mật, Tối mật, Tuyệt mật, or none) a
secret document is held as metadata and paper location only (``Agency.secret_metadata_only_from``; default
Tối mật). Also in the Django admin (the agency's "Bảo mật" fieldset). Each change is written to the admin
log."""

from __future__ import annotations

from django import forms
from django.contrib.admin.models import CHANGE, LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eoffice.models import Agency, Role, User

FIELD = Agency._meta.get_field("secret_metadata_only_from")


def may_manage(user: User) -> bool:
    return bool(getattr(user, "agency_id", None)) and user.has_role(Role.AGENCY_ADMIN)


def level_set(*, by: User, value: int) -> Agency:
    if not may_manage(by):
        raise PermissionDenied(_("Chỉ quản trị cơ quan được thay đổi cài đặt văn bản mật."))
    choices = dict(FIELD.choices)
    if value not in choices:
        raise ValidationError({"level": _("Mức độ mật không hợp lệ.")})
    with transaction.atomic():
        agency = Agency.objects.select_for_update().get(pk=by.agency_id)
        if agency.secret_metadata_only_from != value:
            agency.secret_metadata_only_from = value
            agency.save(update_fields=["secret_metadata_only_from"])
            LogEntry.objects.log_actions(
                user_id=by.pk,
                queryset=Agency.objects.filter(pk=agency.pk),
                action_flag=CHANGE,
                change_message=f"Văn bản mật chỉ lưu thông tin từ độ: {choices[value]}",
                single_object=True,
            )
    return agency


class LevelForm(forms.Form):
    level = forms.TypedChoiceField(
        label=gettext_lazy("Văn bản mật chỉ lưu thông tin và nơi lưu bản giấy từ độ mật"),
        coerce=int,
        choices=FIELD.choices,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "Văn bản đến và văn bản đi có độ mật từ mức này trở lên được đăng ký không kèm tệp: hệ thống chỉ "
            "lưu thông tin và nơi lưu bản giấy. Mặc định: Tối mật. Văn bản đã đăng ký giữ nguyên."
        ),
    )
