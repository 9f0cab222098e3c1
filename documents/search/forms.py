"""The search form (the top-bar box is its ``q`` field) and the form that saves a search."""

from __future__ import annotations

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from documents.forms import DateInput
from documents.models import Confidentiality, DocumentType, TextStatus, Urgency
from documents.records.models import Retention, UsageRights
from documents.search import columns as search_columns
from documents.search import query as search_query
from documents.search import sources
from documents.search.sources import Criteria

SORT_CHOICES = [
    ("", _("Liên quan nhất")),
    ("newest", _("Mới nhất")),
    ("oldest", _("Cũ nhất")),
    ("kind", _("Theo loại (hồ sơ, đến, đi), mới nhất trước")),
]
TEXT_CHOICES = [
    ("", _("Tất cả")),
    (TextStatus.TEXT, _("Có nội dung toàn văn")),
    (TextStatus.SCANNED, _("Bản quét, không có lớp chữ")),
    (TextStatus.PENDING, _("Đang trích xuất nội dung")),
    (TextStatus.FAILED, _("Không đọc được nội dung tệp")),
]
NULL_MESSAGE = _("Ô này có ký tự không hợp lệ.")
ADVANCED = (
    "number",
    "issuer",
    "signer",
    "date_from",
    "date_to",
    "doc_type",
    "kind",
    "state",
    "text",
    "sort",
    "identifier",
    "arrival_number",
    "urgency",
    "secrecy",
    "recipient",
    "due_from",
    "due_to",
    "case_file",
    "cf",
    "cf_value",
    "file_year",
    "retention",
    "rights",
    "owner",
)
MULTI = ("cols",)  # fields with several values in the query string


def _vietnamese_null_message(form: forms.Form) -> None:
    """Django's "Null characters are not allowed." in Vietnamese (it is a validator, not an error message)."""
    for field in form.fields.values():
        if any(isinstance(v, ProhibitNullCharactersValidator) for v in field.validators):
            field.validators = [
                ProhibitNullCharactersValidator(message=NULL_MESSAGE)
                if isinstance(v, ProhibitNullCharactersValidator)
                else v
                for v in field.validators
            ]


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Từ khóa"),
        required=False,
        max_length=search_query.MAX_INPUT,
        error_messages={"max_length": _("Từ khóa tối đa %(limit_value)d ký tự (đang có %(show_value)d).")},
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "placeholder": _("Số, ký hiệu, trích yếu, nội dung… (gõ không dấu cũng được)"),
                "autocomplete": "off",
            }
        ),
    )
    number = forms.CharField(
        label=_("Số, ký hiệu"),
        required=False,
        max_length=100,
        help_text=_("Gõ phần đầu, ví dụ 123/QĐ hoặc QĐ-UBND."),
    )
    issuer = forms.CharField(label=_("Cơ quan ban hành"), required=False, max_length=200)
    signer = forms.CharField(label=_("Người ký"), required=False, max_length=150)
    date_from = forms.DateField(
        label=_("Ngày ban hành từ"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Ngày không hợp lệ.")},
    )
    date_to = forms.DateField(
        label=_("Đến ngày"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Ngày không hợp lệ.")},
    )
    doc_type = forms.ModelChoiceField(
        label=_("Loại văn bản"),
        queryset=DocumentType.objects.all(),
        required=False,
        empty_label=_("Tất cả loại"),
        error_messages={"invalid_choice": _("Loại văn bản không hợp lệ.")},
    )
    kind = forms.ChoiceField(
        label=_("Loại (văn bản đến, đi, hồ sơ…)"),
        required=False,
        error_messages={"invalid_choice": _("Loại tìm kiếm không hợp lệ.")},
    )
    state = forms.ChoiceField(
        label=_("Trạng thái"),
        required=False,
        error_messages={"invalid_choice": _("Trạng thái không hợp lệ.")},
    )
    text = forms.ChoiceField(
        label=_("Nội dung toàn văn"),
        choices=TEXT_CHOICES,
        required=False,
        error_messages={"invalid_choice": _("Lựa chọn không hợp lệ.")},
    )
    sort = forms.ChoiceField(
        label=_("Sắp xếp"),
        choices=SORT_CHOICES,
        required=False,
        error_messages={"invalid_choice": _("Cách sắp xếp không hợp lệ.")},
    )

    identifier = forms.CharField(
        label=_("Mã định danh văn bản"),
        required=False,
        max_length=120,
        help_text=_("Một phần của mã, ví dụ 000.00.00.H01,2026/03/05"),
    )
    arrival_number = forms.IntegerField(
        label=_("Số đến"),
        required=False,
        min_value=1,
        error_messages={"invalid": _("Số đến phải là số nguyên."), "min_value": _("Số đến phải lớn hơn 0.")},
    )
    urgency = forms.TypedChoiceField(
        label=_("Độ khẩn"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Tất cả")), *Urgency.choices],
        error_messages={"invalid_choice": _("Độ khẩn không hợp lệ.")},
    )
    secrecy = forms.TypedChoiceField(
        label=_("Độ mật"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Tất cả")), *Confidentiality.choices],
        error_messages={"invalid_choice": _("Độ mật không hợp lệ.")},
    )
    recipient = forms.CharField(label=_("Nơi nhận (văn bản đi)"), required=False, max_length=200)
    due_from = forms.DateField(
        label=_("Hạn xử lý từ"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Ngày không hợp lệ.")},
    )
    due_to = forms.DateField(
        label=_("Hạn xử lý đến"),
        required=False,
        widget=DateInput(),
        error_messages={"invalid": _("Ngày không hợp lệ.")},
    )
    case_file = forms.CharField(
        label=_("Hồ sơ"),
        required=False,
        max_length=200,
        help_text=_("Số và ký hiệu hoặc tiêu đề hồ sơ chứa văn bản."),
    )
    cf = forms.TypedChoiceField(
        label=_("Trường bổ sung"),
        required=False,
        coerce=int,
        empty_value=None,
        error_messages={"invalid_choice": _("Trường bổ sung không hợp lệ.")},
    )
    cf_value = forms.CharField(label=_("Giá trị trường bổ sung"), required=False, max_length=200)
    # Phần II Mục III: the case files' own fields (only case files match them).
    file_year = forms.IntegerField(
        label=_("Năm hình thành hồ sơ"),
        required=False,
        min_value=1900,
        max_value=2100,
        error_messages={
            "invalid": _("Năm phải là số, ví dụ 2026."),
            "min_value": _("Năm không hợp lệ."),
            "max_value": _("Năm không hợp lệ."),
        },
    )
    retention = forms.ChoiceField(
        label=_("Thời hạn bảo quản"),
        required=False,
        choices=[("", _("Tất cả")), *Retention.choices],
        error_messages={"invalid_choice": _("Thời hạn bảo quản không hợp lệ.")},
    )
    rights = forms.ChoiceField(
        label=_("Chế độ sử dụng"),
        required=False,
        choices=[("", _("Tất cả")), *UsageRights.choices],
        error_messages={"invalid_choice": _("Chế độ sử dụng không hợp lệ.")},
    )
    owner = forms.CharField(label=_("Người lập hồ sơ"), required=False, max_length=150)
    cols = forms.MultipleChoiceField(
        label=_("Cột hiển thị"),
        required=False,
        choices=search_columns.CHOICES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": _("Cột hiển thị không hợp lệ.")},
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        _vietnamese_null_message(self)
        self.fields["cf"].choices = [("", _("— Không chọn —")), *custom_field_choices(user)]
        kinds = sources.sources()
        self.fields["kind"].choices = [("", _("Tất cả")), *[(s.kind, s.label) for s in kinds]]
        self.fields["state"].choices = [
            ("", _("Tất cả trạng thái")),
            *[(s.label, [(f"{s.kind}:{value}", label) for value, label in s.states]) for s in kinds],
        ]

    def clean_q(self) -> str:
        text = self.cleaned_data["q"].strip()
        if text:
            try:
                self.parsed = search_query.parse(text)
            except search_query.QueryError as exc:
                raise forms.ValidationError(str(exc), code="empty") from exc
        return text

    def clean_number(self) -> str:
        text = self.cleaned_data["number"].strip()
        if text and search_query.symbol_pattern(text) is None:
            raise forms.ValidationError(
                _("Số, ký hiệu cần có ít nhất một chữ hoặc một chữ số."), code="empty"
            )
        return text

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."))
        state, kind = data.get("state") or "", data.get("kind") or ""
        if state and kind and not state.startswith(f"{kind}:"):
            self.add_error("state", _("Trạng thái này không thuộc loại văn bản đã chọn."))
        due_from, due_to = data.get("due_from"), data.get("due_to")
        if due_from and due_to and due_from > due_to:
            self.add_error("due_to", _("Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."))
        if (data.get("cf_value") or "").strip() and not data.get("cf"):
            self.add_error("cf", _("Hãy chọn trường bổ sung cần tìm theo giá trị."))
        return data

    @property
    def has_advanced(self) -> bool:
        """An advanced field is filled (the advanced part of the form opens)."""
        return self.is_bound and any((self.data.get(name) or "").strip() for name in ADVANCED)

    def criteria(self) -> Criteria:
        d = self.cleaned_data
        return Criteria(
            query=getattr(self, "parsed", None) if d.get("q") else None,
            number=d.get("number") or "",
            issuer=d.get("issuer", "").strip(),
            signer=d.get("signer", "").strip(),
            date_from=d.get("date_from"),
            date_to=d.get("date_to"),
            doc_type_id=d["doc_type"].pk if d.get("doc_type") else None,
            kind=d.get("kind") or "",
            state=d.get("state") or "",
            text_status=d.get("text") or "",
            sort=d.get("sort") or "",
            identifier=(d.get("identifier") or "").strip(),
            arrival_number=d.get("arrival_number"),
            urgency=d.get("urgency"),
            secrecy=d.get("secrecy"),
            recipient=(d.get("recipient") or "").strip(),
            due_from=d.get("due_from"),
            due_to=d.get("due_to"),
            case_file=(d.get("case_file") or "").strip(),
            custom_field_id=d.get("cf"),
            custom_value=(d.get("cf_value") or "").strip(),
            file_year=d.get("file_year"),
            retention=d.get("retention") or "",
            rights=d.get("rights") or "",
            owner=(d.get("owner") or "").strip(),
        )

    def chosen_columns(self) -> list[str]:
        """The chosen column keys (valid ones only, also when the rest of the form is not)."""
        if self.is_bound and hasattr(self, "cleaned_data") and "cols" in self.cleaned_data:
            return list(self.cleaned_data["cols"])
        return []


def canonical_query(data: QueryDict | dict) -> str:
    """The search's query string with only the form's fields, filled ones, in the form's order."""
    out = QueryDict(mutable=True)
    for name in SearchForm.base_fields:
        if name in MULTI:
            values = data.getlist(name) if hasattr(data, "getlist") else data.get(name) or []
            values = [values] if isinstance(values, str) else values
            keys = {v.strip() for v in values if v and v.strip()}
            ordered = [key for key, _label in search_columns.CHOICES if key in keys]
            if ordered:
                out.setlist(name, ordered)
            continue
        value = (data.get(name) or "").strip()
        if value:
            out[name] = value
    return out.urlencode()


def custom_field_choices(user) -> list[tuple[int, str]]:
    """The agency's active custom fields of incoming and outgoing documents and case files, for the search
    filter."""
    if user is None or not getattr(user, "agency_id", None):
        return []
    from documents.records.models import CustomField

    kinds = {"incoming": _("Văn bản đến"), "outgoing": _("Văn bản đi"), "casefile": _("Hồ sơ")}
    return [
        (pk, f"{label} ({kinds[kind]})")
        for pk, label, kind in CustomField.objects.filter(
            agency_id=user.agency_id, is_active=True, kind__in=list(kinds)
        ).values_list("pk", "label", "kind")
    ]


class SaveSearchForm(forms.Form):
    name = forms.CharField(
        label=_("Tên tìm kiếm"),
        max_length=100,
        error_messages={
            "required": _("Vui lòng đặt tên cho tìm kiếm."),
            "max_length": _("Tên tối đa %(limit_value)d ký tự."),
        },
        widget=forms.TextInput(attrs={"placeholder": _("Ví dụ: Quyết định của UBND tỉnh")}),
    )
    query = forms.CharField(
        widget=forms.HiddenInput,
        max_length=2000,
        required=False,
        error_messages={"max_length": _("Điều kiện tìm kiếm quá dài để lưu.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _vietnamese_null_message(self)

    def clean_query(self) -> str:
        query = canonical_query(QueryDict(self.cleaned_data.get("query") or ""))
        if not query:
            raise forms.ValidationError(_("Chưa có điều kiện tìm kiếm nào để lưu."), code="empty")
        if len(query) > 2000:
            raise forms.ValidationError(_("Điều kiện tìm kiếm quá dài để lưu."), code="too_long")
        return query
