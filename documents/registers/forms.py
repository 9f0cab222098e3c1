"""The register report's filter: which register, which form of the register, which period."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.forms import DateInput
from documents.registers import selectors
from documents.registers.models import Register
from eoffice.models import User


class _RegisterGroups(forms.models.ModelChoiceIterator):
    """The registers grouped by kind, the secret ones apart (<optgroup> "Sổ văn bản đến", "Sổ văn bản đi",
    "Sổ văn bản đến mật", "Sổ văn bản đi mật"), one query."""

    GROUPS = {
        (Register.Kind.INCOMING, False): _("Sổ văn bản đến"),
        (Register.Kind.OUTGOING, False): _("Sổ văn bản đi"),
        (Register.Kind.INCOMING, True): _("Sổ văn bản đến mật"),
        (Register.Kind.OUTGOING, True): _("Sổ văn bản đi mật"),
    }

    def __iter__(self):
        groups: dict[tuple, list] = {}
        for obj in self.queryset:
            groups.setdefault((obj.kind, obj.is_secret), []).append(self.choice(obj))
        for key, label in self.GROUPS.items():
            if groups.get(key):
                yield (label, groups[key])


class RegisterChoiceField(forms.ModelChoiceField):
    iterator = _RegisterGroups


class RegisterReportForm(forms.Form):
    KINDS = [
        ("incoming", _("Sổ đăng ký văn bản đến")),
        ("tracking", _("Sổ theo dõi giải quyết văn bản đến")),
        ("outgoing", _("Sổ đăng ký văn bản đi")),
    ]
    register = RegisterChoiceField(label=_("Sổ"), queryset=Register.objects.none(), empty_label=None)
    kind = forms.ChoiceField(label=_("Mẫu sổ"), choices=KINDS)
    date_from = forms.DateField(label=_("Từ ngày"), widget=DateInput())
    date_to = forms.DateField(label=_("Đến ngày"), widget=DateInput())

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["register"].queryset = selectors.printable_registers(user=user)
        today = timezone.localdate()
        self.fields["date_from"].initial = today.replace(day=1)
        self.fields["date_to"].initial = today

    def clean(self):
        data = super().clean()
        register, kind = data.get("register"), data.get("kind")
        if register and kind:
            if register.kind == Register.Kind.OUTGOING and kind != "outgoing":
                self.add_error("kind", _("Sổ văn bản đi chỉ in theo mẫu Sổ đăng ký văn bản đi."))
            elif register.kind != Register.Kind.OUTGOING and kind == "outgoing":
                self.add_error(
                    "kind", _("Mẫu Sổ đăng ký văn bản đi chỉ dùng cho sổ văn bản đi: hãy chọn sổ văn bản đi.")
                )
        if data.get("date_from") and data.get("date_to"):
            if data["date_from"] > data["date_to"]:
                raise ValidationError(_("Ngày bắt đầu phải trước ngày kết thúc."))
            if (data["date_to"] - data["date_from"]).days > 366:
                raise ValidationError(_("Mỗi lần in sổ tối đa một năm."))
        return data
