"""The forms of the page "Phụ lục và tệp kèm theo"."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from documents.outgoing.attachments.services import AppendixFields
from documents.outgoing.models import OutgoingAttachment
from documents.outgoing.richtext import RichTextWidget, sanitize


class AppendixForm(forms.Form):
    prefix = "appendix"
    title = forms.CharField(label=_("Tên phụ lục"), max_length=500)
    body = forms.CharField(label=_("Nội dung phụ lục"), widget=RichTextWidget())
    landscape = forms.BooleanField(label=_("Trình bày theo chiều ngang (bảng, biểu rộng)"), required=False)

    def clean_body(self):
        body = self.cleaned_data.get("body") or ""
        sanitize(body)  # the limits of a body that can be rendered, with their message on the field
        return body

    def fields_value(self) -> AppendixFields:
        data = self.cleaned_data
        return AppendixFields(title=data["title"], body=data["body"], landscape=data.get("landscape", False))


class AttachmentForm(forms.Form):
    prefix = "attachment"
    upload = forms.FileField(
        label=_("Tệp PDF"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
        help_text=_("Khi phát hành, văn thư ký số cơ quan lên góc trên, bên phải trang đầu của tệp."),
    )
    title = forms.CharField(label=_("Tên tệp kèm theo"), max_length=500, required=False)
    kind = forms.ChoiceField(
        label=_("Loại"), choices=OutgoingAttachment.Kind.choices, initial=OutgoingAttachment.Kind.MATERIAL
    )
