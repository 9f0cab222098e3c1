"""Forms of the public one-stop pages (no login): the catalogue filter, the online submission, tracking,
the rating and the online supplement."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from eoffice.models import Agency
from eoffice.public_forms import CodeForm, EmailForm, MultipleFileInput, MultipleFilesField  # noqa: F401
from eoffice.search import fold, fold_sql
from onestop import services
from onestop.models import ApplicantKind, Procedure, ProcedureField

# ---- the catalogue -------------------------------------------------------------------------------


class ProcedureFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tên hoặc mã thủ tục"),
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"type": "search", "placeholder": _("Ví dụ: đăng ký doanh nghiệp, 2.001610")}
        ),
    )
    agency = forms.ModelChoiceField(
        label=_("Cơ quan"), queryset=Agency.objects.none(), required=False, empty_label=_("Tất cả cơ quan")
    )
    field = forms.ModelChoiceField(
        label=_("Lĩnh vực"),
        queryset=ProcedureField.objects.none(),
        required=False,
        empty_label=_("Tất cả lĩnh vực"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        offering = Procedure.objects.active()
        self.fields["agency"].queryset = Agency.objects.filter(
            is_active=True, pk__in=offering.values("agency_id")
        ).order_by("name")
        self.fields["field"].queryset = ProcedureField.objects.filter(
            pk__in=offering.values("field_id")
        ).order_by("name")

    def procedures(self) -> QuerySet[Procedure]:
        """The active procedures of every agency matching the filter, with what the list shows joined."""
        qs = Procedure.objects.active().filter(agency__is_active=True).select_related("agency", "field")
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if data.get("agency"):
            qs = qs.filter(agency=data["agency"])
        if data.get("field"):
            qs = qs.filter(field=data["field"])
        words = fold(data.get("q") or "").split()
        if words:
            qs = qs.annotate(folded_text=fold_sql("code", "name"))
            for word in words[:10]:
                qs = qs.filter(folded_text__contains=word)
        return qs.annotate(sort_name=fold_sql("name")).order_by(
            "agency__name", "field__name", "sort_name", "pk"
        )


# ---- uploads -------------------------------------------------------------------------------------


def _scan_error(upload, exc: ValidationError) -> ValidationError:
    name = getattr(upload, "name", "")
    if getattr(exc, "code", None) == "bad_type":
        return ValidationError(
            _("Tệp “%(name)s” không phải là tệp PDF, PNG hoặc JPEG hợp lệ."), params={"name": name}
        )
    return ValidationError(
        _("Tệp “%(name)s”: %(reason)s"), params={"name": name, "reason": " ".join(exc.messages)}
    )


def check_scan(upload) -> None:
    """The service's check of a scan (content, not the name), with the file's name in the message."""
    try:
        services.validate_scan(upload)
    except ValidationError as exc:
        raise _scan_error(upload, exc) from exc


def _scan_help() -> str:
    return str(_("PDF, PNG hoặc JPEG, tối đa %(mb)d MB.") % {"mb": settings.EOFFICE_MAX_UPLOAD_MB})


class ScanField(forms.FileField):
    widget = forms.FileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"})

    def validate(self, value) -> None:
        super().validate(value)
        if value:
            check_scan(value)


class MultipleScanField(MultipleFilesField):
    """Several scans in one input; each is checked."""

    check = staticmethod(check_scan)


# ---- the online submission -----------------------------------------------------------------------


PHONE_RE = re.compile(r"(?:\+84|84|0)([1-9]\d{8,9})")
CCCD_RE = re.compile(r"\d{12}")
TAX_CODE_RE = re.compile(r"\d{10}(?:-\d{3})?")


class ApplyForm(forms.Form):
    """Who applies, what they ask and one scan per paper of the procedure (the mandatory ones required)."""

    TEXT_FIELDS = ("applicant_kind", "applicant_name", "id_number", "address", "phone", "summary")

    applicant_kind = forms.ChoiceField(
        label=_("Người nộp hồ sơ là"),
        choices=ApplicantKind.choices,
        initial=ApplicantKind.PERSON,
        widget=forms.RadioSelect,
    )
    applicant_name = forms.CharField(
        label=_("Họ và tên / Tên tổ chức"),
        max_length=255,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    id_number = forms.CharField(
        label=_("Số định danh cá nhân / Mã số thuế"),
        max_length=20,
        help_text=_(
            "Cá nhân: số căn cước (CCCD) 12 chữ số. Tổ chức: mã số thuế 10 chữ số (chi nhánh: 10-3)."
        ),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    address = forms.CharField(
        label=_("Địa chỉ"),
        max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        help_text=_("Ví dụ: 0912345678."),
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )
    summary = forms.CharField(
        label=_("Nội dung yêu cầu giải quyết"),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, procedure: Procedure, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.procedure = procedure
        self.email = email
        self.papers = list(procedure.papers.all())
        for paper in self.papers:
            self.fields[self.paper_field(paper)] = ScanField(
                label=paper.name,
                required=paper.mandatory,
                help_text=f"{paper.get_kind_display()} · {_scan_help()}",
            )
        self.fields["extra"] = MultipleScanField(
            label=_("Tài liệu khác (không bắt buộc)"),
            required=False,
            help_text=_("Có thể chọn nhiều tệp, tối đa 10 tệp. %(types)s") % {"types": _scan_help()},
        )

    @staticmethod
    def paper_field(paper) -> str:
        return f"paper_{paper.pk}"

    def paper_rows(self) -> list[tuple]:
        return [(paper, self[self.paper_field(paper)]) for paper in self.papers]

    def clean_applicant_name(self) -> str:
        name = " ".join(self.cleaned_data["applicant_name"].split())
        if not name:
            raise ValidationError(_("Vui lòng nhập họ tên người nộp hồ sơ."))
        return name

    def clean_phone(self) -> str:
        raw = re.sub(r"[\s.\-()]", "", self.cleaned_data["phone"])
        match = PHONE_RE.fullmatch(raw)
        if not match:
            raise ValidationError(
                _("Số điện thoại không hợp lệ (10 chữ số bắt đầu bằng 0, ví dụ 0912345678).")
            )
        return "0" + match.group(1)

    def clean(self):
        data = super().clean()
        number = re.sub(r"[\s.]", "", data.get("id_number", ""))
        kind = data.get("applicant_kind")
        if number and kind == ApplicantKind.PERSON and not CCCD_RE.fullmatch(number):
            self.add_error("id_number", _("Số căn cước (CCCD) gồm đúng 12 chữ số."))
        elif number and kind == ApplicantKind.ORGANISATION and not TAX_CODE_RE.fullmatch(number):
            self.add_error(
                "id_number", _("Mã số thuế gồm 10 chữ số, hoặc 10 chữ số, dấu gạch ngang và 3 chữ số.")
            )
        else:
            data["id_number"] = number
        return data

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        papers = [
            services.PaperInput(
                name=paper.name, required=paper, kind=paper.kind, quantity=paper.quantity, file=upload
            )
            for paper in self.papers
            if (upload := data.get(self.paper_field(paper)))
        ]
        papers += [
            services.PaperInput(name=str(_("Tài liệu khác: %(name)s") % {"name": f.name}), file=f)
            for f in data.get("extra") or []
        ]
        return {
            "procedure": self.procedure,
            "applicant": services.Applicant(
                name=data["applicant_name"],
                kind=data["applicant_kind"],
                id_number=data["id_number"],
                address=data["address"],
                phone=data["phone"],
                email=self.email,
            ),
            "papers": papers,
            "summary": data.get("summary", ""),
        }


# ---- tracking, rating, supplement ----------------------------------------------------------------


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Mã hồ sơ hoặc mã tham chiếu"),
        max_length=60,
        widget=forms.TextInput(
            attrs={
                "placeholder": _("Ví dụ: 000.00.31.H26-260105-0001 hoặc TN-1A2B3C4D"),
                "autocapitalize": "characters",
                "spellcheck": "false",
                "autocomplete": "off",
            }
        ),
    )


RATING_CHOICES = [
    (1, _("Không hài lòng")),
    (2, _("Chưa hài lòng")),
    (3, _("Bình thường")),
    (4, _("Hài lòng")),
    (5, _("Rất hài lòng")),
]


class RateForm(forms.Form):
    code = forms.CharField(max_length=60, widget=forms.HiddenInput)
    rating = forms.TypedChoiceField(
        label=_("Mức độ hài lòng"), choices=RATING_CHOICES, coerce=int, widget=forms.RadioSelect
    )
    comment = forms.CharField(
        label=_("Góp ý (không bắt buộc)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class SupplementForm(forms.Form):
    files = MultipleScanField(
        label=_("Giấy tờ bổ sung"),
        help_text=_("Có thể chọn nhiều tệp, tối đa 10 tệp."),
    )
    note = forms.CharField(
        label=_("Ghi chú cho cán bộ (không bắt buộc)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["files"].help_text = _("Có thể chọn nhiều tệp, tối đa 10 tệp. %(types)s") % {
            "types": _scan_help()
        }

    def paper_inputs(self) -> list:
        return [
            services.PaperInput(name=str(_("Bổ sung: %(name)s") % {"name": f.name}), file=f)
            for f in self.cleaned_data["files"]
        ]
