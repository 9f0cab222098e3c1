"""The "Sao văn bản" form: form of copy, pages for a trích sao, signer, Nơi nhận, the agency's PIN."""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.copies import rules
from documents.copies.models import CopyForm
from documents.copies.services import CopyFields
from documents.forms import DateInput
from documents.outgoing import selectors as outgoing_selectors
from eoffice.models import User


class SignerChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: User) -> str:
        return f"{obj.full_name} — {obj.position}" if obj.position else obj.full_name


class CopyIssueForm(forms.Form):
    form = forms.ChoiceField(label=_("Hình thức sao"), choices=CopyForm.choices, widget=forms.RadioSelect)
    pages = forms.CharField(
        label=_("Trang trích sao"),
        required=False,
        max_length=rules.MAX_PAGES_TEXT,
        help_text=_("Chỉ với trích sao: các trang lấy từ bản gốc, ví dụ 1-2, 4."),
    )
    excerpt = forms.CharField(
        label=_("Phần trích sao"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Chỉ với trích sao: ghi rõ phần nội dung được trích (không bắt buộc)."),
    )
    signer = SignerChoice(label=_("Người ký bản sao"), queryset=User.objects.none())
    signer_authority = forms.ChoiceField(
        label=_("Thẩm quyền ký"),
        required=False,
        choices=[("", _("Ký trực tiếp"))] + [(a, a) for a in rules.AUTHORITIES if a],
    )
    authority_title = forms.CharField(
        label=_("Chức danh người đứng đầu / tập thể"),
        required=False,
        max_length=150,
        help_text=_("Khi ký thay, ký thừa lệnh…: chức danh sau TM., KT., Q., TL., TUQ., ví dụ “Giám đốc”."),
    )
    signer_title = forms.CharField(
        label=_("Chức vụ người ký"),
        required=False,
        max_length=150,
        help_text=_("Để trống để dùng chức vụ trong hồ sơ cán bộ."),
    )
    recipient_agencies = forms.ModelMultipleChoiceField(
        label=_("Nơi nhận trong hệ thống"),
        required=False,
        queryset=User.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Các cơ quan này nhận bản sao ngay như văn bản đến điện tử."),
    )
    other_recipients = forms.CharField(
        label=_("Nơi nhận khác"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mỗi nơi một dòng; in trong mục Nơi nhận."),
    )
    pin = forms.CharField(
        label=_("Mã PIN chứng thư số cơ quan"),
        required=False,
        max_length=64,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signer"].queryset = outgoing_selectors.reviewers_of(user.agency_id)
        self.fields["recipient_agencies"].queryset = outgoing_selectors.recipient_agencies(user)

    def clean(self):
        data = super().clean()
        if data.get("form") == CopyForm.TS and not (data.get("pages") or "").strip():
            self.add_error("pages", _("Vui lòng nhập các trang trích sao, ví dụ: 1-2, 4."))
        if (
            data.get("signer_authority") in ("TM.", "KT.", "Q.")
            and not (data.get("authority_title") or "").strip()
        ):
            self.add_error(
                "authority_title", _("Vui lòng nhập chức danh sau %(a)s.") % {"a": data["signer_authority"]}
            )
        if not (self.data.get("pin") or "").strip():
            self.add_error("pin", _("Vui lòng nhập mã PIN chứng thư số cơ quan."))
        return data

    def copy_fields(self) -> CopyFields:
        d = self.cleaned_data
        return CopyFields(
            form=d["form"],
            signer=d["signer"],
            signer_authority=d.get("signer_authority") or "",
            authority_title=d.get("authority_title") or "",
            signer_title=d.get("signer_title") or "",
            pages=d.get("pages") or "",
            excerpt=d.get("excerpt") or "",
            recipient_agencies=list(d.get("recipient_agencies") or []),
            other_recipients=d.get("other_recipients") or "",
        )


class RegisterFilterForm(forms.Form):
    form = forms.ChoiceField(
        label=_("Hình thức sao"), required=False, choices=[("", _("Tất cả"))] + list(CopyForm.choices)
    )
    date_from = forms.DateField(label=_("Từ ngày"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Đến ngày"), required=False, widget=DateInput())

    @staticmethod
    def defaults() -> dict:
        """This year up to today: what the page shows first."""
        today = timezone.localdate()
        return {"date_from": today.replace(month=1, day=1).isoformat(), "date_to": today.isoformat()}

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        data["date_from"] = data.get("date_from") or today.replace(month=1, day=1)
        data["date_to"] = data.get("date_to") or today
        if data["date_from"] > data["date_to"]:
            raise ValidationError(_("Ngày bắt đầu phải trước ngày kết thúc."))
        if (data["date_to"] - data["date_from"]).days > 366:
            raise ValidationError(_("Mỗi lần in sổ tối đa một năm."))
        return data
