"""The search form (the top-bar box is its ``q`` field) and the form that saves a search."""

from __future__ import annotations

from django import forms
from django.core.validators import ProhibitNullCharactersValidator
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from documents.forms import DateInput
from documents.models import DocumentType, TextStatus
from documents.search import query as search_query
from documents.search import sources
from documents.search.sources import Criteria

SORT_CHOICES = [("", _("Liên quan nhất")), ("newest", _("Mới nhất")), ("oldest", _("Cũ nhất"))]
TEXT_CHOICES = [
    ("", _("Tất cả")),
    (TextStatus.TEXT, _("Có nội dung toàn văn")),
    (TextStatus.SCANNED, _("Bản quét, không có lớp chữ")),
    (TextStatus.PENDING, _("Đang trích xuất nội dung")),
    (TextStatus.FAILED, _("Không đọc được nội dung tệp")),
]
NULL_MESSAGE = _("Ô này có ký tự không hợp lệ.")
ADVANCED = ("number", "issuer", "signer", "date_from", "date_to", "doc_type", "kind", "state", "text", "sort")


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
        label=_("Văn bản đến / đi"),
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

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _vietnamese_null_message(self)
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
        )


def canonical_query(data: QueryDict | dict) -> str:
    """The search's query string with only the form's fields, filled ones, in the form's order."""
    out = QueryDict(mutable=True)
    for name in SearchForm.base_fields:
        value = (data.get(name) or "").strip()
        if value:
            out[name] = value
    return out.urlencode()


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
