"""Forms of the format check: the approver's choice of reviewer, the reviewer's decision, the assignments."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from documents.forms import PersonChoiceField
from documents.models import DocumentType
from documents.outgoing.format.checks import MANUAL_ROWS
from documents.outgoing.format.reviewers import reviewers_for
from documents.outgoing.forms import ApproveForm
from eoffice.models import User


class ApproveWithFormatForm(ApproveForm):
    """ "Duyệt, trình ký" with the office's reviewer when the agency has several for the type."""

    format_reviewer = PersonChoiceField(
        label=_("Văn phòng kiểm tra thể thức"),
        queryset=User.objects.none(),
        required=False,
        empty_label=None,
        help_text=_("Văn bản được chuyển kiểm tra thể thức trước khi trình ký."),
    )

    def __init__(self, *args, user: User, document=None, **kwargs):
        super().__init__(*args, user=user, document=document, **kwargs)
        reviewers = (
            reviewers_for(agency_id=document.agency_id, doc_type_id=document.doc_type_id)
            if document is not None
            else User.objects.none()
        )
        self.fields["format_reviewer"].queryset = reviewers
        self.has_format_check = reviewers.exists()
        if not self.has_format_check:
            del self.fields["format_reviewer"]
        elif document.format_reviewer_id and reviewers.filter(pk=document.format_reviewer_id).exists():
            self.fields["format_reviewer"].initial = document.format_reviewer_id


class FormatDecisionForm(forms.Form):
    """The reviewer's ticks on the manual rows and comment; approving needs every tick."""

    ticked = forms.MultipleChoiceField(
        label=_("Các mục đã kiểm tra"),
        choices=[(code, label) for code, label in MANUAL_ROWS],
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    comment = forms.CharField(
        label=_("Ý kiến về thể thức"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class RuleForm(forms.Form):
    doc_type = forms.ModelChoiceField(
        label=_("Loại văn bản"),
        queryset=DocumentType.objects.filter(is_active=True).order_by("name"),
        required=False,
        empty_label=_("Mọi loại văn bản chưa có phân công riêng"),
    )
    reviewer = PersonChoiceField(label=_("Người kiểm tra thể thức"), queryset=User.objects.none())

    def __init__(self, *args, agency_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = (
            User.objects.filter(agency_id=agency_id, is_active=True)
            .select_related("department")
            .order_by("full_name")
        )
