"""The reception pages' forms: a reception session, its cancellation, the filter of the sổ tiếp công dân, a
new visit (its visitors as rows, the outcome's details, the scans of a letter handed in) and the answer
given to a visitor. Choices are limited to the officer's agency."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from complaints import rules
from complaints.models import CaseKind, ReceptionSession, Visit
from complaints.services.identity import PersonInput
from complaints.services.reception import GROUP_MIN, SessionFields
from documents.forms import DateInput, DateTimeInput, MultipleFileField
from eoffice.models import Role, User

PEOPLE_ROWS = 5


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


def _person_label(user: User) -> str:
    return f"{user.get_full_name()} ({user.position})" if user.position else user.get_full_name()


def leaders_of(agency_id: int):
    """Who may receive citizens on a leader's day: the agency's leaders and its deciders."""
    decider_ids = [u.pk for u in rules.deciders(agency_id)]
    return (
        User.objects.filter(agency_id=agency_id, is_active=True)
        .filter(
            Q(pk__in=decider_ids)
            | Q(groups__agency_role__role=Role.LEADER, groups__agency_role__agency_id=agency_id)
        )
        .distinct()
        .order_by("full_name", "pk")
    )


class SessionForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Hình thức"), choices=ReceptionSession.Kind.choices, initial=ReceptionSession.Kind.LEADER
    )
    date = forms.DateField(label=_("Ngày tiếp"), widget=DateInput())
    start_time = forms.TimeField(label=_("Từ giờ"), initial=dt.time(7, 30), widget=TimeInput())
    end_time = forms.TimeField(label=_("Đến giờ"), initial=dt.time(11, 30), widget=TimeInput())
    leader = forms.ModelChoiceField(
        label=_("Lãnh đạo tiếp"),
        queryset=User.objects.none(),
        required=False,
        help_text=_("Bắt buộc với lịch lãnh đạo tiếp định kỳ."),
    )
    place = forms.CharField(label=_("Địa điểm"), max_length=255, initial=_("Trụ sở tiếp công dân"))
    note = forms.CharField(
        label=_("Ghi chú"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, agency_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = leaders_of(agency_id)
        self.fields["leader"].label_from_instance = _person_label

    def session_fields(self) -> SessionFields:
        data = self.cleaned_data
        return SessionFields(
            kind=data["kind"],
            date=data["date"],
            start_time=data["start_time"],
            end_time=data["end_time"],
            leader=data.get("leader"),
            place=data["place"],
            note=data.get("note", ""),
        )


def session_initial(session: ReceptionSession) -> dict:
    return {
        "kind": session.kind,
        "date": session.date,
        "start_time": session.start_time,
        "end_time": session.end_time,
        "leader": session.leader_id,
        "place": session.place,
        "note": session.note,
    }


class SessionCancelForm(forms.Form):
    reason = forms.CharField(label=_("Lý do hủy"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class VisitFilterForm(forms.Form):
    """The sổ tiếp công dân's filter (GET): the period, the kind, the outcome, the answer's state."""

    date_from = forms.DateField(label=_("Từ ngày"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("Đến ngày"), required=False, widget=DateInput())
    kind = forms.ChoiceField(label=_("Phân loại"), required=False)
    outcome = forms.ChoiceField(label=_("Kết quả tiếp"), required=False)
    answer = forms.ChoiceField(
        label=_("Trả lời"),
        required=False,
        choices=[
            ("", _("Tất cả")),
            ("waiting", _("Chưa trả lời")),
            ("overdue", _("Quá hạn trả lời")),
            ("answered", _("Đã trả lời")),
        ],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Tất cả")), *CaseKind.choices]
        self.fields["outcome"].choices = [("", _("Tất cả")), *Visit.Outcome.choices]

    def filtered(self) -> bool:
        return self.is_valid() and any(self.cleaned_data.get(name) for name in self.fields)


class PersonForm(forms.Form):
    """One visitor, or one representative of a group."""

    name = forms.CharField(label=_("Họ tên"), max_length=255, required=False)
    id_number = forms.CharField(label=_("Số CCCD/CMND"), max_length=30, required=False)
    address = forms.CharField(label=_("Địa chỉ"), max_length=500, required=False)
    phone = forms.CharField(label=_("Điện thoại"), max_length=30, required=False)
    email = forms.EmailField(label=_("Thư điện tử"), max_length=254, required=False)

    def person(self) -> PersonInput | None:
        data = self.cleaned_data if self.is_valid() else {}
        name = " ".join((data.get("name") or "").split())
        if not name:
            if any((data.get(f) or "").strip() for f in ("id_number", "address", "phone", "email")):
                self.add_error("name", _("Vui lòng nhập họ tên."))
            return None
        return PersonInput(
            name=name,
            id_number=(data.get("id_number") or "").strip(),
            address=(data.get("address") or "").strip(),
            phone=(data.get("phone") or "").strip(),
            email=(data.get("email") or "").strip(),
        )


PeopleFormSet = forms.formset_factory(
    PersonForm, extra=PEOPLE_ROWS, max_num=PEOPLE_ROWS, absolute_max=PEOPLE_ROWS
)


class VisitForm(forms.Form):
    received_at = forms.DateTimeField(label=_("Thời điểm tiếp"), widget=DateTimeInput())
    session = forms.ModelChoiceField(
        label=_("Buổi tiếp"),
        queryset=ReceptionSession.objects.none(),
        required=False,
        empty_label=_("— Ngoài buổi tiếp —"),
    )
    channel = forms.ChoiceField(
        label=_("Hình thức"), choices=Visit.Channel.choices, initial=Visit.Channel.IN_PERSON
    )
    kind = forms.ChoiceField(label=_("Phân loại"), choices=CaseKind.choices)
    content = forms.CharField(
        label=_("Nội dung vụ việc"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Không ghi họ tên, địa chỉ người tố cáo vào nội dung."),
    )
    people_count = forms.IntegerField(
        label=_("Số người đến"),
        min_value=1,
        max_value=9999,
        initial=1,
        help_text=_("Đoàn 5–10 người cử 1–2 người đại diện; trên 10 người cử không quá 5 người đại diện."),
    )
    protected = forms.BooleanField(
        label=_("Người được tiếp đề nghị giữ bí mật (tố cáo luôn được giữ bí mật)"), required=False
    )
    outcome = forms.ChoiceField(label=_("Kết quả tiếp"), choices=Visit.Outcome.choices)
    outcome_note = forms.CharField(
        label=_("Nội dung hướng dẫn, xử lý"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    forwarded_to = forms.CharField(label=_("Chuyển đến cơ quan, đơn vị"), max_length=255, required=False)
    meeting_session = forms.ModelChoiceField(
        label=_("Hẹn gặp tại buổi lãnh đạo tiếp"),
        queryset=ReceptionSession.objects.none(),
        required=False,
        empty_label=_("— Chọn buổi lãnh đạo tiếp —"),
    )
    meeting_at = forms.DateTimeField(
        label=_("Hoặc hẹn gặp lãnh đạo lúc"), required=False, widget=DateTimeInput()
    )
    papers = forms.CharField(
        label=_("Tài liệu nhận"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Mỗi dòng một tài liệu (in trên Giấy biên nhận)."),
    )
    letter_files = MultipleFileField(
        label=_("Bản chụp đơn"), required=False, help_text=_("PDF, PNG hoặc JPEG; khi nhận đơn.")
    )
    paper_files = MultipleFileField(
        label=_("Bản chụp tài liệu kèm theo"), required=False, help_text=_("PDF, PNG hoặc JPEG.")
    )

    def __init__(self, *args, agency_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        today = timezone.localdate()
        open_sessions = ReceptionSession.objects.filter(agency_id=agency_id, cancelled_at__isnull=True)
        self.fields["session"].queryset = open_sessions.filter(
            date__range=(today - dt.timedelta(days=31), today)
        ).order_by("-date", "-start_time")
        self.fields["session"].label_from_instance = _session_label
        self.fields["meeting_session"].queryset = (
            open_sessions.filter(
                kind=ReceptionSession.Kind.LEADER, published_at__isnull=False, date__gte=today
            )
            .select_related("leader")
            .order_by("date", "start_time")
        )
        self.fields["meeting_session"].label_from_instance = _session_label
        self.fields["received_at"].initial = timezone.localtime().replace(second=0, microsecond=0)

    def clean(self):
        data = super().clean()
        if data.get("outcome") != Visit.Outcome.LETTER and (
            data.get("letter_files") or data.get("paper_files")
        ):
            self.add_error("letter_files", _("Chỉ tải bản chụp khi kết quả tiếp là nhận đơn."))
        return data


def _session_label(session: ReceptionSession) -> str:
    text = f"{session.date:%d/%m/%Y} {session.start_time:%H:%M}–{session.end_time:%H:%M}"
    who = session.leader.get_full_name() if session.leader_id else session.get_kind_display()
    return f"{text} · {who}"


class VisitAnswerForm(forms.Form):
    answered_at = forms.DateTimeField(label=_("Trả lời lúc"), widget=DateTimeInput())
    result = forms.CharField(label=_("Kết quả trả lời"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["answered_at"].initial = timezone.localtime().replace(second=0, microsecond=0)


__all__ = [
    "GROUP_MIN",
    "PeopleFormSet",
    "SessionCancelForm",
    "SessionForm",
    "VisitAnswerForm",
    "VisitFilterForm",
    "VisitForm",
    "leaders_of",
    "session_initial",
]
