"""Forms of the sổ xử lý đơn: the register's filters, a new letter (its people rows, its contents rows —
one case per content — and its scans). They parse; ``complaints.services.letters`` decides."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints import rules
from complaints.models import CaseKind, CaseState, Field, Identity, Source
from complaints.services import ContentInput, PersonInput
from documents.forms import DateInput, MultipleFileField, PersonChoiceField
from eoffice.models import User
from eoffice.uploads import UploadValidator

SCAN_ACCEPT = "application/pdf,image/png,image/jpeg"
PEOPLE_ROWS = 3
CONTENT_ROWS = 3


class LetterFilterForm(forms.Form):
    """The register's filters; every field optional, a malformed value is ignored (the page never fails)."""

    date_from = forms.DateField(label=_("Nhận từ ngày"), required=False, widget=DateInput)
    date_to = forms.DateField(label=_("đến ngày"), required=False, widget=DateInput)
    source = forms.ChoiceField(label=_("Nguồn đơn"), required=False)
    kind = forms.ChoiceField(label=_("Loại đơn"), required=False)
    state = forms.ChoiceField(label=_("Trạng thái"), required=False)
    q = forms.CharField(
        label=_("Tìm kiếm"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": _("Số đơn, nội dung, người gửi")}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        every = [("", _("Tất cả"))]
        self.fields["source"].choices = every + list(Source.choices)
        self.fields["kind"].choices = every + list(CaseKind.choices)
        self.fields["state"].choices = every + list(CaseState.choices)

    def values(self) -> dict:
        """The valid filters only (an invalid one is dropped, the others kept)."""
        self.is_valid()
        return {k: v for k, v in getattr(self, "cleaned_data", {}).items() if v not in (None, "")}


class PersonForm(forms.Form):
    name = forms.CharField(label=_("Họ và tên"), max_length=255, required=False)
    id_number = forms.CharField(label=_("Số CCCD/định danh"), max_length=20, required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=500, required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=20, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), required=False)
    role = forms.ChoiceField(label=_("Tư cách"), choices=Identity.Role.choices, initial=Identity.Role.SIGNER)

    def person(self) -> PersonInput | None:
        data = self.cleaned_data
        if not (data.get("name") or "").strip():
            return None
        return PersonInput(
            name=data["name"],
            id_number=data.get("id_number") or "",
            address=data.get("address") or "",
            phone=data.get("phone") or "",
            email=data.get("email") or "",
            role=data.get("role") or Identity.Role.SIGNER,
        )

    def clean(self):
        data = super().clean()
        others = [data.get(f) for f in ("id_number", "address", "phone", "email")]
        if any(others) and not (data.get("name") or "").strip():
            raise forms.ValidationError(_("Vui lòng nhập họ tên người gửi đơn."))
        return data


class ContentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại đơn"), choices=[("", "—"), *CaseKind.choices], required=False)
    field = forms.ChoiceField(label=_("Lĩnh vực"), choices=Field.choices, initial=Field.OTHER)
    content = forms.CharField(
        label=_("Nội dung"), required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=5000
    )
    subject = forms.CharField(
        label=_("Quyết định, hành vi bị khiếu nại / người bị tố cáo"), max_length=500, required=False
    )
    act_known_on = forms.DateField(label=_("Ngày biết quyết định, hành vi"), required=False, widget=DateInput)

    def item(self) -> ContentInput | None:
        data = self.cleaned_data
        if not (data.get("content") or "").strip():
            return None
        return ContentInput(
            kind=data["kind"],
            content=data["content"],
            field=data.get("field") or Field.OTHER,
            subject=data.get("subject") or "",
            act_known_on=data.get("act_known_on"),
        )

    def clean(self):
        data = super().clean()
        if (data.get("content") or "").strip() and not data.get("kind"):
            raise forms.ValidationError(_("Vui lòng chọn loại đơn cho nội dung."))
        return data


PersonFormSet = forms.formset_factory(PersonForm, extra=PEOPLE_ROWS, max_num=20, absolute_max=20)
ContentFormSet = forms.formset_factory(ContentForm, extra=CONTENT_ROWS, max_num=20, absolute_max=20)


class LetterForm(forms.Form):
    received_on = forms.DateField(label=_("Ngày nhận đơn"), widget=DateInput, initial=timezone.localdate)
    source = forms.ChoiceField(
        label=_("Nguồn đơn"), choices=[c for c in Source.choices if c[0] != Source.ONLINE]
    )
    source_org = forms.CharField(label=_("Cơ quan chuyển đến"), max_length=255, required=False)
    source_reference = forms.CharField(label=_("Số, ngày văn bản chuyển"), max_length=100, required=False)
    summary = forms.CharField(
        label=_("Tóm tắt nội dung"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        help_text=_("Không ghi họ tên, địa chỉ người tố cáo được giữ bí mật."),
    )
    signer_count = forms.IntegerField(
        label=_("Số người đứng đơn"),
        min_value=1,
        max_value=10000,
        required=False,
        help_text=_("Để trống: bằng số người đã nhập."),
    )
    anonymous = forms.BooleanField(label=_("Đơn không rõ họ tên, địa chỉ (nặc danh)"), required=False)
    protected = forms.BooleanField(
        label=_("Giữ bí mật người tố cáo"),
        required=False,
        help_text=_(
            "Họ tên, địa chỉ chỉ người tiếp nhận và người giải quyết được xem; bản chụp được mã hóa."
        ),
    )
    decider = PersonChoiceField(
        label=_("Người có thẩm quyền giải quyết"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Để trống: thủ trưởng cơ quan."),
    )
    files = MultipleFileField(
        label=_("Bản chụp đơn"),
        required=False,
        validators=[UploadValidator(kinds={"pdf", "png", "jpeg"})],
        help_text=_("PDF, PNG hoặc JPEG; được kiểm tra theo nội dung tệp."),
    )
    papers = MultipleFileField(
        label=_("Tài liệu kèm theo"),
        required=False,
        validators=[UploadValidator(kinds={"pdf", "png", "jpeg"})],
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        ids = [u.pk for u in rules.deciders(user.agency_id)] if user.agency_id else []
        self.fields["decider"].queryset = User.objects.filter(pk__in=ids).order_by("full_name", "pk")
        for name in ("files", "papers"):
            self.fields[name].widget.attrs["accept"] = SCAN_ACCEPT

    def check_representatives(self, people) -> bool:
        """A letter of 5 or more signers names its representatives (1–2; more than 10 signers: up to 5)."""
        from complaints.services import representatives_allowed

        count = self.cleaned_data.get("signer_count") or max(len(people), 1)
        low, _high = representatives_allowed(count)
        named = sum(1 for p in people if p.role == Identity.Role.REPRESENTATIVE)
        if named < low:
            self.add_error(
                "signer_count",
                _("Đơn có từ 5 người đứng tên: nhập người đại diện (tư cách “Người đại diện”)."),
            )
            return False
        return True

    def clean_received_on(self):
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Ngày nhận đơn không được sau hôm nay."))
        return day
