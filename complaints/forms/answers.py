"""The staff form that publishes the answer of a petition or feedback (texts without the identity)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from complaints.services.answers import TEXT_MAX


class AnswerPublishForm(forms.Form):
    question = forms.CharField(
        label=_("Nội dung kiến nghị, phản ánh (đã bỏ thông tin cá nhân)"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_(
            "Biên tập lại nội dung: bỏ họ tên, số giấy tờ, địa chỉ, điện thoại, thư điện tử và mọi chi tiết "
            "giúp nhận ra người gửi."
        ),
    )
    answer = forms.CharField(
        label=_("Nội dung trả lời"), max_length=TEXT_MAX, widget=forms.Textarea(attrs={"rows": 8})
    )


class AnswerWithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Lý do gỡ"), max_length=500, required=False)
