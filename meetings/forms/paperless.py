"""Forms of the paperless meeting: they parse; ``meetings.services.paperless`` decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from documents.forms import PeopleChoiceField, PersonChoiceField
from eoffice.models import User
from eoffice.uploads import UploadValidator
from meetings import people
from meetings.models import Participant

OPTIONS_MAX = 4000


class FileUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Tài liệu"),
        validators=[UploadValidator()],
        help_text=_("PDF, Word (.docx), Excel (.xlsx) hoặc ảnh; kiểu tệp được kiểm tra theo nội dung."),
    )
    name = forms.CharField(label=_("Tên tài liệu"), max_length=255, required=False)
    restricted = forms.BooleanField(label=_("Chỉ những người được chọn được xem"), required=False)
    viewers = PeopleChoiceField(label=_("Người được xem"), queryset=User.objects.none(), required=False)

    def __init__(self, *args, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        ids = {u.pk for u in people.attendee_users(meeting)} | {meeting.organiser_id}
        self.fields["viewers"].queryset = (
            User.objects.filter(pk__in=ids).select_related("department").order_by("full_name")
        )

    def clean(self):
        data = super().clean()
        if data.get("restricted") and not data.get("viewers"):
            self.add_error("viewers", _("Chọn ít nhất một người được xem tài liệu hạn chế."))
        return data


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Ý kiến"), max_length=5000, widget=forms.Textarea(attrs={"rows": 2}), strip=True
    )


class MarkForm(forms.Form):
    attendance = forms.ChoiceField(
        label=_("Điểm danh"),
        choices=[c for c in Participant.Attendance.choices if c[0]],
        widget=forms.Select(attrs={"class": "input"}),
    )
    reason = forms.CharField(label=_("Lý do vắng"), max_length=300, required=False)


class SubstituteRequestForm(forms.Form):
    substitute = PersonChoiceField(label=_("Người dự thay"), queryset=User.objects.none())

    def __init__(self, *args, user, meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["substitute"].queryset = (
            User.objects.filter(agency_id=user.agency_id, is_active=True)
            .exclude(pk=user.pk)
            .select_related("department")
            .order_by("full_name")
        )


class SubstituteDecideForm(forms.Form):
    decision = forms.ChoiceField(
        choices=[("approve", _("Đồng ý")), ("refuse", _("Không đồng ý"))], widget=forms.HiddenInput
    )
    comment = forms.CharField(label=_("Ghi chú"), max_length=300, required=False)


class VoteForm(forms.Form):
    question = forms.CharField(label=_("Nội dung biểu quyết"), max_length=500)
    options = forms.CharField(
        label=_("Các phương án"),
        max_length=OPTIONS_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        initial="Đồng ý\nKhông đồng ý\nKhông có ý kiến",
        help_text=_("Mỗi phương án một dòng, ít nhất hai phương án."),
    )
    anonymous = forms.BooleanField(label=_("Biểu quyết kín (không hiện tên người chọn)"), required=False)

    def clean_options(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["options"].splitlines()]
        return [line for line in lines if line]


class BallotForm(forms.Form):
    option = forms.IntegerField(min_value=1, error_messages={"required": _("Vui lòng chọn một phương án.")})
