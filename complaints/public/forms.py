"""Forms of the public complaints pages (no login): the e-mail and its one-time code, the letter filed
online, the tracking box and the search of published answers."""

from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import CharField, QuerySet
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from complaints import services
from complaints.models import CaseKind, Field, PublishedAnswer
from complaints.services.online import CONTENT_MAX
from eoffice.models import Agency
from eoffice.public_forms import CodeForm, EmailForm, MultipleFileInput, MultipleFilesField  # noqa: F401
from eoffice.search import fold, fold_sql
from eoffice.uploads import check_upload

SCAN_KINDS = frozenset({"pdf", "png", "jpeg"})
SCAN_ACCEPT = ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"
CCCD_RE = re.compile(r"\d{12}")
PHONE_RE = re.compile(r"(?:\+84|84|0)([1-9]\d{8,9})")
CODE_RE = re.compile(r"[A-Z]{2,3}-[A-Z0-9]{4}-[A-Z0-9]{4}")


def _scan_help() -> str:
    return str(_("PDF, PNG hoặc JPEG, tối đa %(mb)d MB mỗi tệp.") % {"mb": settings.EOFFICE_MAX_UPLOAD_MB})


def check_scan(upload) -> None:
    """A scan checked by its content (not its name), with the file's name in the message."""
    try:
        check_upload(upload, kinds=SCAN_KINDS)
    except ValidationError as exc:
        raise ValidationError(
            _("Tệp “%(name)s”: %(reason)s"),
            params={"name": getattr(upload, "name", ""), "reason": " ".join(exc.messages)},
        ) from exc


class ScanFilesField(MultipleFilesField):
    """Several scans in one input (each checked by content), at most ``max_files``."""

    check = staticmethod(check_scan)


# ---- the e-mail and its code ---------------------------------------------------------------------


# ---- the letter ----------------------------------------------------------------------------------


class FilingForm(forms.Form):
    """The letter: where it goes and what kind it is, who sends it, what it is about, its scans."""

    TEXT_FIELDS = ("agency", "kind", "name", "id_number", "address", "phone", "field", "subject", "content")

    agency = forms.ModelChoiceField(
        label=_("Gửi đến cơ quan"), queryset=Agency.objects.none(), empty_label=_("— Chọn cơ quan —")
    )
    kind = forms.ChoiceField(label=_("Loại đơn"), choices=CaseKind.choices, widget=forms.RadioSelect)
    name = forms.CharField(
        label=_("Họ và tên"), max_length=255, widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    id_number = forms.CharField(
        label=_("Số căn cước (CCCD)"),
        max_length=20,
        required=False,
        help_text=_("12 chữ số; giúp cơ quan nhận biết đơn của cùng một người."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    address = forms.CharField(
        label=_("Địa chỉ liên hệ"),
        max_length=500,
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    phone = forms.CharField(
        label=_("Số điện thoại"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "tel"}),
    )
    field = forms.ChoiceField(label=_("Lĩnh vực"), choices=Field.choices, initial=Field.OTHER)
    subject = forms.CharField(
        label=_("Quyết định, hành vi bị khiếu nại / người bị tố cáo"),
        max_length=500,
        required=False,
        help_text=_("Khiếu nại: số, ngày của quyết định hoặc hành vi. Tố cáo: người, cơ quan bị tố cáo."),
    )
    content = forms.CharField(
        label=_("Nội dung đơn"),
        max_length=CONTENT_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=_(
            "Trình bày sự việc, yêu cầu của bạn. Nếu đề nghị giữ bí mật, đừng ghi họ tên, địa chỉ của bạn "
            "trong phần này."
        ),
    )
    letter_scan = forms.FileField(
        label=_("Bản chụp đơn (nếu có)"),
        required=False,
        widget=forms.FileInput(attrs={"accept": SCAN_ACCEPT}),
    )
    papers = ScanFilesField(label=_("Tài liệu, chứng cứ kèm theo"), required=False)
    protected = forms.BooleanField(
        label=_("Đề nghị giữ bí mật họ tên, địa chỉ, bút tích và thông tin cá nhân của tôi"),
        required=False,
        help_text=_(
            "Người tố cáo được giữ bí mật theo Luật Tố cáo: chỉ người tiếp nhận và người giải quyết được "
            "biết; người xác minh chỉ làm việc trên bản đã che thông tin."
        ),
    )
    publish_consent = forms.BooleanField(
        label=_("Đồng ý công khai câu trả lời (đã bỏ thông tin cá nhân) trên trang hỏi đáp"),
        required=False,
        help_text=_("Chỉ áp dụng với kiến nghị, phản ánh."),
    )
    pledge = forms.BooleanField(
        label=_("Tôi cam đoan nội dung trình bày là đúng sự thật và chịu trách nhiệm trước pháp luật."),
        error_messages={"required": _("Vui lòng đánh dấu lời cam đoan.")},
    )

    def __init__(self, *args, email: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.email = email
        self.fields["agency"].queryset = services.online_agencies()
        self.fields["papers"].help_text = _("Có thể chọn nhiều tệp, tối đa 10 tệp. %(types)s") % {
            "types": _scan_help()
        }
        self.fields["letter_scan"].help_text = _scan_help()

    def clean_name(self) -> str:
        name = " ".join(self.cleaned_data["name"].split())
        if not name:
            raise ValidationError(_("Vui lòng nhập họ tên."))
        return name

    def clean_id_number(self) -> str:
        number = re.sub(r"[\s.]", "", self.cleaned_data.get("id_number", ""))
        if number and not CCCD_RE.fullmatch(number):
            raise ValidationError(_("Số căn cước (CCCD) gồm đúng 12 chữ số."))
        return number

    def clean_phone(self) -> str:
        raw = re.sub(r"[\s.\-()]", "", self.cleaned_data.get("phone", ""))
        if not raw:
            return ""
        match = PHONE_RE.fullmatch(raw)
        if not match:
            raise ValidationError(
                _("Số điện thoại không hợp lệ (10 chữ số bắt đầu bằng 0, ví dụ 0912345678).")
            )
        return "0" + match.group(1)

    def clean_letter_scan(self):
        upload = self.cleaned_data.get("letter_scan")
        if upload:
            check_scan(upload)
        return upload

    def clean_content(self) -> str:
        content = self.cleaned_data["content"].strip()
        if len(content) < 20:
            raise ValidationError(_("Vui lòng trình bày rõ nội dung đơn (ít nhất 20 ký tự)."))
        return content

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        petition = data["kind"] in (CaseKind.PETITION, CaseKind.FEEDBACK)
        return {
            "agency": data["agency"],
            "kind": data["kind"],
            "email": self.email,
            "person": services.PersonInput(
                name=data["name"], id_number=data["id_number"], address=data["address"], phone=data["phone"]
            ),
            "content": data["content"],
            "field": data["field"],
            "subject": data.get("subject", ""),
            "protected": data["protected"],
            "publish_consent": bool(petition and data["publish_consent"]),
            "files": [data["letter_scan"]] if data.get("letter_scan") else [],
            "papers": data.get("papers") or [],
        }


# ---- tracking, answers ---------------------------------------------------------------------------


def normal_code(raw: str) -> str:
    """What was typed, as a code: upper case, without spaces ("tc-7kq2 m9xd" → "TC-7KQ2-M9XD")."""
    text = re.sub(r"\s+", "", (raw or "").upper())
    if re.fullmatch(r"[A-Z]{2,3}[A-Z0-9]{8}", text):
        text = f"{text[:-8]}-{text[-8:-4]}-{text[-4:]}"
    return text


class TrackForm(forms.Form):
    code = forms.CharField(
        label=_("Mã tra cứu đơn"),
        max_length=40,
        widget=forms.TextInput(
            attrs={
                "placeholder": _("Ví dụ: KN-7KQ2-M9XD"),
                "autocapitalize": "characters",
                "spellcheck": "false",
                "autocomplete": "off",
            }
        ),
    )

    def clean_code(self) -> str:
        code = normal_code(self.cleaned_data["code"])
        if not CODE_RE.fullmatch(code):
            raise ValidationError(_("Mã tra cứu có dạng KN-7KQ2-M9XD (in trong thư xác nhận)."))
        return code


class AnswerSearchForm(forms.Form):
    q = forms.CharField(
        label=_("Từ khóa"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Ví dụ: cấp giấy chứng nhận")}),
    )
    agency = forms.ModelChoiceField(
        label=_("Cơ quan"), queryset=Agency.objects.none(), required=False, empty_label=_("Tất cả cơ quan")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        live = PublishedAnswer.objects.filter(withdrawn_at__isnull=True)
        self.fields["agency"].queryset = Agency.objects.filter(pk__in=live.values("agency_id")).order_by(
            "name"
        )

    def answers(self) -> QuerySet[PublishedAnswer]:
        qs = PublishedAnswer.objects.filter(withdrawn_at__isnull=True, agency__is_active=True)
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        if data.get("agency"):
            qs = qs.filter(agency=data["agency"])
        words = fold(data.get("q") or "").split()
        if words:
            # fold_sql mixes its texts with CharField values: the TextFields are cast first
            qs = qs.annotate(
                question_text=Cast("question", CharField()), answer_text=Cast("answer", CharField())
            ).annotate(folded_text=fold_sql("question_text", "answer_text"))
            for word in words[:10]:
                qs = qs.filter(folded_text__contains=word)
        return qs.select_related("agency", "case").order_by("-published_at", "-pk")
