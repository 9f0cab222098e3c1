from __future__ import annotations

import dataclasses

from django import forms
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from documents.exchange import selectors as exchange_selectors
from documents.exchange.forms import RecipientChoiceField, initial_values
from documents.exchange.models import ExternalAgency
from documents.forms import DateTimeInput, PeopleChoiceField, PersonChoiceField
from documents.models import Confidentiality, DocumentType, Urgency
from documents.outgoing import recipients_check, selectors, signers
from documents.outgoing.models import Circulation, ConsultationAnswer, SignerAuthority
from documents.outgoing.richtext import RichTextWidget, sanitize
from documents.outgoing.services import DraftFields
from eoffice.models import Agency, Department, User
from eoffice.params import int_param
from eoffice.uploads import UploadValidator
from eoffice.widgets import PickerLabel, PickerSelectMultiple


def signer_choices_url() -> str:
    """The htmx refresh of the signer list; without it (URL not mounted) the form re-validates on post."""
    try:
        return reverse("documents:outgoing_signer_choices")
    except NoReverseMatch:
        return ""


def offer_signers(field, *, agency_id: int, authority: str, doc_type: int | None, chosen: int | None) -> None:
    """The signer field validates against the agency's active staff (the service says why a person may not
    sign with the prefix), and offers the people ``signers.allowed_signers`` allows for the prefix; a chosen
    person outside that list stays shown, marked, so that the error beside it makes sense."""
    field.queryset = signers.staff_of(agency_id)
    if authority not in SignerAuthority.values:
        authority = SignerAuthority.NONE
    offered = list(
        signers.allowed_signers(document_or_agency=agency_id, authority=authority, doc_type=doc_type)
    )
    choices = [("", field.empty_label)] if field.empty_label is not None else []
    choices += [(user.pk, field.label_from_instance(user)) for user in offered]
    if chosen and chosen not in {user.pk for user in offered}:
        other = field.queryset.filter(pk=chosen).first()
        if other is not None:
            choices.append(
                (
                    other.pk,
                    _("%(person)s (không được ký với thẩm quyền này)")
                    % {"person": field.label_from_instance(other)},
                )
            )
    field.widget.choices = choices


class AgencyChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        return PickerLabel(obj.name, obj.parent.name if obj.parent_id else "")


# The outside agencies are offered once the drafting service saves them (DraftFields.exchange_agencies).
EXCHANGE_RECIPIENTS = "exchange_agencies" in {f.name for f in dataclasses.fields(DraftFields)}


def recipient_fields(chosen) -> dict:
    """The picker's choice split into the installation's agencies and the outside ones."""
    fields = {"recipient_agencies": [a for a in chosen if isinstance(a, Agency)]}
    if EXCHANGE_RECIPIENTS:
        fields["exchange_agencies"] = [a for a in chosen if isinstance(a, ExternalAgency)]
    return fields


LINES_MAX = 10_000  # the one-per-line text fields (Kính gửi, căn cứ, nơi nhận): far above a real list


class DraftForm(forms.Form):
    doc_type = forms.ModelChoiceField(
        label=_("Loại văn bản"), queryset=DocumentType.objects.filter(is_active=True), empty_label=None
    )
    summary = forms.CharField(
        label=_("Trích yếu nội dung"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Với công văn, trích yếu đứng sau chữ “V/v” dưới số, ký hiệu."),
    )
    addressees = forms.CharField(
        label=_("Kính gửi"),
        required=False,
        max_length=LINES_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Mỗi nơi một dòng (công văn, tờ trình, giấy mời)."),
    )
    legal_bases = forms.CharField(
        label=_("Căn cứ ban hành"),
        required=False,
        max_length=LINES_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mỗi căn cứ một dòng (quyết định, kế hoạch…)."),
    )
    body = forms.CharField(label=_("Nội dung"), required=False, widget=RichTextWidget())
    signer = PersonChoiceField(label=_("Người ký"), queryset=User.objects.none(), required=False)
    signer_authority = forms.ChoiceField(
        label=_("Thẩm quyền ký"), choices=SignerAuthority.choices, required=False
    )
    authority_title = forms.CharField(
        label=_("Chức danh người đứng đầu / tên tập thể"),
        max_length=150,
        required=False,
        help_text=_("Ví dụ: GIÁM ĐỐC (với KT.), ỦY BAN NHÂN DÂN (với TM.)."),
    )
    signer_title = forms.CharField(
        label=_("Chức vụ người ký"),
        max_length=150,
        required=False,
        help_text=_("Để trống: lấy chức vụ của người ký."),
    )
    recipient_agencies = RecipientChoiceField(
        label=_("Gửi cơ quan (liên thông)"),
        agencies=Agency.objects.none(),
        externals=ExternalAgency.objects.none(),
        required=False,
        widget=PickerSelectMultiple(),
        help_text=_(
            "Cơ quan trong hệ thống nhận ngay vào hộp văn bản đến khi phát hành; cơ quan ngoài hệ thống "
            "nhận gói tin qua trục liên thông văn bản."
        ),
    )
    external_recipients = forms.CharField(
        label=_("Nơi nhận ngoài hệ thống"),
        required=False,
        max_length=LINES_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Mỗi nơi một dòng: “Tên <thư điện tử>” để gửi thư điện tử, hoặc chỉ tên nếu gửi bản giấy."
        ),
    )
    distribution = forms.CharField(
        label=_("Nơi nhận (in trên văn bản)"),
        required=False,
        max_length=LINES_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "Mỗi nơi một dòng, không ghi dòng “Lưu”. Khi in, hệ thống tự thêm “Như trên” (các nơi Kính gửi) "
            "và mọi nơi đã chọn gửi ở trên; nơi nào ghi ở đây có trong danh bạ cơ quan sẽ được gửi khi "
            "phát hành."
        ),
    )
    archive_note = forms.CharField(
        label=pgettext_lazy("the Lưu line of a document", "Lưu"),
        max_length=100,
        required=False,
        help_text=_("Để trống: VT, đơn vị soạn thảo."),
    )
    archive_copies = forms.IntegerField(
        label=_("Số bản lưu"),
        min_value=0,
        max_value=99,
        initial=0,
        required=False,
        help_text=_("In ở cuối dòng “Lưu” (ví dụ 02b); 0: không in."),
    )
    copies = forms.IntegerField(label=_("Số lượng bản"), min_value=1, max_value=999, initial=1)
    urgency = forms.TypedChoiceField(label=_("Độ khẩn"), choices=Urgency.choices, coerce=int, initial=0)
    confidentiality = forms.TypedChoiceField(
        label=_("Độ mật"), choices=Confidentiality.choices, coerce=int, initial=0
    )
    circulation = forms.ChoiceField(label=_("Phạm vi lưu hành"), choices=Circulation.choices, required=False)
    upload = forms.FileField(
        label=_("Hoặc tải lên tệp dự thảo"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.docx,application/pdf"}),
        help_text=_("PDF hoặc DOCX. Khi tải tệp lên, tệp thay cho bản soạn theo mẫu."),
        validators=[UploadValidator(kinds={"pdf", "docx"}, match_name=False)],
    )
    note = forms.CharField(label=_("Ghi chú phiên bản"), max_length=255, required=False)

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        offer_signers(
            self.fields["signer"],
            agency_id=user.agency_id,
            authority=self._raw("signer_authority"),
            doc_type=int_param(self._raw("doc_type")),
            chosen=int_param(self._raw("signer")),
        )
        refresh = {
            "hx-get": signer_choices_url(),
            "hx-target": "#signer-choices",
            "hx-swap": "outerHTML",
            "hx-include": "[name='signer_authority'],[name='doc_type'],[name='signer']",
            "hx-trigger": "change",
        }
        self.fields["signer_authority"].widget.attrs.update(refresh)
        self.fields["doc_type"].widget.attrs.update(refresh)
        self.fields["recipient_agencies"].set_querysets(
            selectors.recipient_agencies(user),
            exchange_selectors.external_agencies() if EXCHANGE_RECIPIENTS else ExternalAgency.objects.none(),
        )

    def _raw(self, name: str) -> str:
        """A field's value as posted (bound form) or as given initially: the signer list follows it."""
        if self.is_bound:
            return self.data.get(self.add_prefix(name)) or ""
        value = self.initial.get(name, self.fields[name].initial)
        return str(getattr(value, "pk", value) if value is not None else "")

    def clean_body(self):
        """The limits of a body that can be rendered (size, table rows and cells), with their message here
        beside the field; the service checks them again when a draft is saved or previewed."""
        body = self.cleaned_data.get("body") or ""
        sanitize(body)
        return body

    def draft_fields(self) -> DraftFields:
        data = self.cleaned_data
        return DraftFields(
            doc_type=data["doc_type"],
            summary=data["summary"],
            body=data.get("body") or "",
            legal_bases=data.get("legal_bases") or "",
            addressees=data.get("addressees") or "",
            distribution=data.get("distribution") or "",
            archive_note=data.get("archive_note") or "",
            copies=data.get("copies") or 1,
            archive_copies=data.get("archive_copies") or 0,
            signer=data.get("signer"),
            signer_authority=data.get("signer_authority") or "",
            authority_title=data.get("authority_title") or "",
            signer_title=data.get("signer_title") or "",
            urgency=data.get("urgency") or 0,
            confidentiality=data.get("confidentiality") or 0,
            circulation=data.get("circulation") or "",
            external_recipients=data.get("external_recipients") or "",
            **recipient_fields(data.get("recipient_agencies") or []),
        )


def initial_from(document) -> dict:
    recipients = list(document.recipients.all())
    return {
        "doc_type": document.doc_type_id,
        "summary": document.summary,
        "addressees": document.addressees,
        "legal_bases": document.legal_bases,
        "body": document.body,
        "signer": document.signer_id,
        "signer_authority": document.signer_authority,
        "authority_title": document.authority_title,
        "signer_title": document.signer_title,
        "recipient_agencies": initial_values(recipients),
        "external_recipients": "\n".join(
            f"{r.name} <{r.email}>" if r.email else r.name
            for r in recipients
            if not r.agency_id and not r.external_agency_id
        ),
        "distribution": recipients_check.free_lines(document),
        "archive_note": document.archive_note,
        "copies": document.copies,
        "archive_copies": document.archive_copies,
        "urgency": document.urgency,
        "confidentiality": document.confidentiality,
        "circulation": document.circulation,
    }


class SubmitForm(forms.Form):
    reviewer = PersonChoiceField(
        label=_("Trình lãnh đạo đơn vị"), queryset=User.objects.none(), empty_label=None
    )
    comment = forms.CharField(
        label=_("Ý kiến kèm theo"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reviewer"].queryset = selectors.reviewers_of(user.agency_id).exclude(pk=user.pk)
        if user.department_id:
            head = self.fields["reviewer"].queryset.filter(department_id=user.department_id).first()
            if head:
                self.fields["reviewer"].initial = head.pk


class ApproveForm(forms.Form):
    signer = PersonChoiceField(label=_("Trình ký"), queryset=User.objects.none(), empty_label=None)
    comment = forms.CharField(label=_("Ý kiến"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user: User, document=None, **kwargs):
        super().__init__(*args, **kwargs)
        offer_signers(
            self.fields["signer"],
            agency_id=user.agency_id,
            authority=document.signer_authority if document is not None else "",
            doc_type=document.doc_type_id if document is not None else None,
            chosen=document.signer_id if document is not None else None,
        )
        if document is not None and document.signer_id:
            self.fields["signer"].initial = document.signer_id


class ReturnForm(forms.Form):
    comment = forms.CharField(label=_("Ý kiến (lý do trả lại)"), widget=forms.Textarea(attrs={"rows": 3}))


class CancelForm(forms.Form):
    comment = forms.CharField(label=_("Lý do hủy dự thảo"), widget=forms.Textarea(attrs={"rows": 3}))


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Ý kiến về dự thảo"), widget=forms.Textarea(attrs={"rows": 3}))


class PinForm(forms.Form):
    pin = forms.CharField(
        label=_("Mã PIN chứng thư số"),
        max_length=64,
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )


class RecallForm(forms.Form):
    reason = forms.CharField(label=_("Lý do thu hồi"), widget=forms.Textarea(attrs={"rows": 3}))


class ConsultForm(forms.Form):
    question = forms.CharField(label=_("Nội dung xin ý kiến"), widget=forms.Textarea(attrs={"rows": 3}))
    people = PeopleChoiceField(
        label=_("Cá nhân"), queryset=User.objects.none(), required=False, widget=PickerSelectMultiple()
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("Đơn vị (lãnh đạo đơn vị trả lời)"),
        queryset=Department.objects.none(),
        required=False,
        widget=PickerSelectMultiple(),
    )
    deadline = forms.DateTimeField(label=_("Hạn góp ý"), widget=DateTimeInput())

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["people"].queryset = (
            User.objects.filter(agency_id=user.agency_id, is_active=True)
            .exclude(pk=user.pk)
            .select_related("department")
            .order_by("full_name")
        )
        self.fields["departments"].queryset = Department.objects.filter(
            agency_id=user.agency_id, is_active=True
        )


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Ý kiến"),
        choices=[c for c in ConsultationAnswer.Answer.choices if c[0] != ConsultationAnswer.Answer.PENDING],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Nội dung góp ý"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class CloseConsultForm(forms.Form):
    summary = forms.CharField(
        label=_("Tổng hợp, tiếp thu"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class FilterForm(forms.Form):
    q = forms.CharField(
        label=_("Tìm kiếm"),
        required=False,
        widget=forms.TextInput(attrs={"placeholder": _("Số, ký hiệu, trích yếu…"), "type": "search"}),
    )
    doc_type = forms.ModelChoiceField(
        label=_("Loại"), queryset=DocumentType.objects.all(), required=False, empty_label=_("Tất cả loại")
    )
