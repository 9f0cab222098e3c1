"""Forms of the authorisation page: a new record, and its revocation."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from documents.forms import DateInput, PersonChoiceField
from documents.models import DocumentType
from documents.outgoing.authorizations import selectors
from documents.outgoing.authorizations.services import AuthorizationFields
from documents.outgoing.models import SigningAuthorization
from eoffice.models import User
from eoffice.widgets import PickerSelectMultiple


class AuthorizationForm(forms.Form):
    authority = forms.ChoiceField(label=_("Hình thức"), choices=SigningAuthorization.Authority.choices)
    grantee = PersonChoiceField(label=_("Người được giao"), queryset=User.objects.none())
    grantor = PersonChoiceField(
        label=_("Người giao"), queryset=User.objects.none(), required=False, empty_label=_("(người đứng đầu)")
    )
    authority_title = forms.CharField(
        label=_("Chức danh người đứng đầu in trên văn bản"),
        max_length=150,
        help_text=_("Dòng trên tiền tố, ví dụ GIÁM ĐỐC với “KT. GIÁM ĐỐC”, “TUQ. GIÁM ĐỐC”."),
    )
    doc_types = forms.ModelMultipleChoiceField(
        label=_("Loại văn bản được ký"),
        queryset=DocumentType.objects.filter(is_active=True).order_by("name"),
        required=False,
        widget=PickerSelectMultiple(),
        help_text=_("Để trống: mọi loại văn bản."),
    )
    scope = forms.CharField(
        label=_("Phạm vi, lĩnh vực"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    valid_from = forms.DateField(label=_("Hiệu lực từ ngày"), widget=DateInput())
    valid_to = forms.DateField(
        label=_("Đến ngày"),
        required=False,
        widget=DateInput(),
        help_text=_("Bắt buộc với giao quyền (Q.) và ủy quyền (TUQ.)."),
    )
    decision_number = forms.CharField(label=_("Số, ký hiệu văn bản giao"), max_length=100)
    decision_date = forms.DateField(label=_("Ngày văn bản giao"), widget=DateInput())

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        people = selectors.grantees_of(user.agency_id)
        self.fields["grantee"].queryset = people
        self.fields["grantor"].queryset = selectors.grantors_of(user.agency_id)

    def fields_value(self) -> AuthorizationFields:
        data = self.cleaned_data
        return AuthorizationFields(
            authority=data["authority"],
            grantee=data["grantee"],
            grantor=data.get("grantor"),
            authority_title=data["authority_title"],
            doc_types=list(data.get("doc_types") or []),
            scope=data.get("scope") or "",
            valid_from=data["valid_from"],
            valid_to=data.get("valid_to"),
            decision_number=data["decision_number"],
            decision_date=data["decision_date"],
        )


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label=_("Lý do chấm dứt"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )
