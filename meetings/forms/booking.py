"""The registration and change form of a meeting, its preparation rows, and the approval, rejection and
cancellation forms of the meeting page."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.forms import DateInput, DateTimeInput, PeopleChoiceField, PersonChoiceField
from eoffice.models import Agency, Department, User
from eoffice.widgets import PickerLabel, PickerSelect, PickerSelectMultiple
from meetings.models import Meeting, MeetingSeries, Participant, Room
from meetings.services import (
    NOTIFY_CHOICES,
    MeetingFields,
    ParticipantFields,
    RecurrenceFields,
    chaired_by_head,
    room_conflicts,
)

DOCUMENT_CHOICES_MAX = 300
OUTSIDER_LINE = re.compile(r"^\s*(?P<name>[^<]+?)\s*(?:<\s*(?P<email>[^>]+?)\s*>)?\s*$")


def warnings_digest(warnings) -> str:
    """What the person confirmed: the same warnings again are not asked twice."""
    return hashlib.sha256("\n".join(str(w) for w in warnings).encode()).hexdigest()[:32]


class AgencyChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Agency) -> str:
        return PickerLabel(obj.name, obj.parent.name if obj.parent_id else "")


def _parse_dates(text: str) -> list[dt.date]:
    days = []
    for part in re.split(r"[\s,;]+", text or ""):
        if not part:
            continue
        for fmt in ("%d/%m/%Y", "%Y-%m-%d"):
            try:
                days.append(dt.datetime.strptime(part, fmt).date())
                break
            except ValueError:
                continue
        else:
            raise ValidationError(_("Ngày “%(day)s” không đúng dạng ngày/tháng/năm.") % {"day": part})
    return days


class MeetingForm(forms.Form):
    kind = forms.ChoiceField(label=_("Loại lịch"), choices=Meeting.Kind.choices, initial=Meeting.Kind.MEETING)
    title = forms.CharField(label=_("Nội dung"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    description = forms.CharField(
        label=_("Nội dung chi tiết"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    start_at = forms.DateTimeField(label=_("Bắt đầu"), widget=DateTimeInput())
    end_at = forms.DateTimeField(label=_("Kết thúc"), widget=DateTimeInput(), help_text=_("Tối đa 24 giờ."))
    room = forms.ModelChoiceField(
        label=_("Phòng họp"), queryset=Room.objects.none(), required=False, empty_label=_("— Địa điểm khác —")
    )
    place = forms.CharField(
        label=_("Địa điểm khác"),
        max_length=255,
        required=False,
        help_text=_("Khi không dùng phòng họp của cơ quan."),
    )
    chair = PersonChoiceField(
        label=_("Chủ trì"), queryset=User.objects.none(), required=False, widget=PickerSelect
    )
    chair_text = forms.CharField(
        label=_("Hoặc chủ trì ngoài cơ quan"),
        max_length=255,
        required=False,
        help_text=_("Họ tên, chức vụ khi người chủ trì không có trong hệ thống."),
    )
    people = PeopleChoiceField(
        label=_("Cán bộ tham dự"), queryset=User.objects.none(), required=False, widget=PickerSelectMultiple()
    )
    departments = forms.ModelMultipleChoiceField(
        label=_("Đơn vị tham dự"),
        queryset=Department.objects.none(),
        required=False,
        widget=PickerSelectMultiple(),
        help_text=_("Lãnh đạo đơn vị nhận giấy mời và cử người dự."),
    )
    agencies = AgencyChoiceField(
        label=_("Cơ quan khác"), queryset=Agency.objects.none(), required=False, widget=PickerSelectMultiple()
    )
    outsiders = forms.CharField(
        label=_("Khách mời ngoài hệ thống"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Mỗi người một dòng: “Họ tên <thư điện tử>”, hoặc chỉ họ tên."),
    )
    contact = PersonChoiceField(
        label=_("Người liên hệ"), queryset=User.objects.none(), required=False, widget=PickerSelect
    )
    incoming_docs = forms.TypedMultipleChoiceField(
        label=_("Văn bản đến liên quan"), coerce=int, required=False, widget=PickerSelectMultiple()
    )
    outgoing_docs = forms.TypedMultipleChoiceField(
        label=_("Văn bản đi liên quan"), coerce=int, required=False, widget=PickerSelectMultiple()
    )
    secret = forms.BooleanField(label=_("Lịch mật (chỉ người tham dự xem nội dung)"), required=False)
    in_weekly = forms.BooleanField(label=_("Đưa vào lịch công tác tuần"), required=False, initial=True)
    notes = forms.CharField(label=_("Ghi chú"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    repeat = forms.ChoiceField(
        label=_("Lặp lại"),
        required=False,
        choices=[("", _("Không lặp lại")), *MeetingSeries.Frequency.choices],
    )
    interval = forms.IntegerField(
        label=_("Mỗi (tuần/tháng)"), min_value=1, max_value=12, initial=1, required=False
    )
    until = forms.DateField(label=_("Lặp đến ngày"), required=False, widget=DateInput())
    exceptions = forms.CharField(
        label=_("Bỏ qua các ngày"),
        required=False,
        max_length=2000,
        help_text=_("Ngày/tháng/năm, cách nhau bằng dấu phẩy."),
    )
    acknowledged = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, user: User, meeting: Meeting | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user, self.meeting = user, meeting
        agency_id = meeting.agency_id if meeting is not None else user.agency_id
        self.agency_id = agency_id
        staff = (
            User.objects.filter(agency_id=agency_id, is_active=True)
            .select_related("department")
            .order_by("full_name")
        )
        self.staff = staff
        rooms = Q(agency_id=agency_id, is_active=True)
        if meeting is not None and meeting.room_id:
            rooms |= Q(pk=meeting.room_id)  # a room since retired stays the meeting's own
        self.fields["room"].queryset = Room.objects.filter(rooms)
        self.fields["chair"].queryset = staff
        self.fields["contact"].queryset = staff
        self.fields["people"].queryset = staff
        self.fields["departments"].queryset = Department.objects.filter(agency_id=agency_id, is_active=True)
        self.fields["agencies"].queryset = (
            Agency.objects.exclude(pk=agency_id).select_related("parent").order_by("name")
        )
        self._document_choices()
        if meeting is not None:
            for name in ("repeat", "interval", "until", "exceptions"):
                del self.fields[name]
            from meetings.services import needs_notice

            if needs_notice(meeting):
                self.fields["reason"] = forms.CharField(
                    label=_("Lý do thay đổi"),
                    required=False,
                    max_length=500,
                    widget=forms.Textarea(attrs={"rows": 2}),
                    help_text=_("Bắt buộc khi đổi thời gian, địa điểm hoặc thành phần: giấy mời đã gửi."),
                )
                self.fields["notify"] = forms.ChoiceField(
                    label=_("Thông báo thay đổi"),
                    choices=list(zip(NOTIFY_CHOICES, NOTIFY_LABELS, strict=True)),
                    initial="all",
                    widget=forms.RadioSelect,
                )

    def _document_choices(self) -> None:
        from documents.incoming.selectors import visible_incoming
        from documents.outgoing.selectors import visible_outgoing

        chosen = (self.initial.get("incoming_docs") or [], self.initial.get("outgoing_docs") or [])
        incoming = visible_incoming(self.user).order_by("-id")
        outgoing = visible_outgoing(self.user).exclude(number_symbol="").order_by("-id")
        rows_in = list(incoming.values_list("pk", "number_symbol", "summary")[:DOCUMENT_CHOICES_MAX])
        rows_out = list(outgoing.values_list("pk", "number_symbol", "summary")[:DOCUMENT_CHOICES_MAX])
        known_in, known_out = {r[0] for r in rows_in}, {r[0] for r in rows_out}
        rows_in += list(
            incoming.filter(pk__in=[p for p in chosen[0] if p not in known_in]).values_list(
                "pk", "number_symbol", "summary"
            )
        )
        rows_out += list(
            outgoing.filter(pk__in=[p for p in chosen[1] if p not in known_out]).values_list(
                "pk", "number_symbol", "summary"
            )
        )
        self.fields["incoming_docs"].choices = [
            (pk, PickerLabel(s, summary[:90])) for pk, s, summary in rows_in
        ]
        self.fields["outgoing_docs"].choices = [
            (pk, PickerLabel(s, summary[:90])) for pk, s, summary in rows_out
        ]

    @property
    def published(self) -> bool:
        return "reason" in self.fields

    def who_choices(self) -> list:
        return who_choices(self.agency_id)

    def clean_outsiders(self) -> list[tuple[str, str]]:
        rows = []
        for line in (self.cleaned_data.get("outsiders") or "").splitlines():
            if not line.strip():
                continue
            match = OUTSIDER_LINE.match(line)
            if not match:
                raise ValidationError(
                    _("Dòng “%(line)s” không đúng dạng “Họ tên <thư điện tử>”.") % {"line": line}
                )
            email = (match["email"] or "").strip()
            if email:
                try:
                    validate_email(email)
                except ValidationError:
                    raise ValidationError(
                        _("Địa chỉ thư “%(email)s” không hợp lệ.") % {"email": email}
                    ) from None
            rows.append((match["name"].strip()[:255], email))
        return rows

    def clean_exceptions(self) -> list[dt.date]:
        return _parse_dates(self.cleaned_data.get("exceptions") or "")

    def clean(self):
        data = super().clean()
        if data.get("repeat") and not data.get("until"):
            self.add_error("until", _("Chọn ngày kết thúc lặp lại."))
        return data

    def meeting_fields(self, prep_rows: list[dict]) -> MeetingFields:
        data = self.cleaned_data
        by_key: dict[tuple, ParticipantFields] = {}
        for user in data.get("people") or []:
            p = ParticipantFields(user=user)
            by_key[p.key] = p
        for department in data.get("departments") or []:
            p = ParticipantFields(department=department)
            by_key[p.key] = p
        for agency in data.get("agencies") or []:
            p = ParticipantFields(agency=agency)
            by_key[p.key] = p
        for name, email in data.get("outsiders") or []:
            p = ParticipantFields(name=name, email=email)
            by_key[p.key] = p
        for row in prep_rows:
            p = ParticipantFields(
                user=row.get("user"),
                department=row.get("department"),
                role=row["role"],
                prepare=row.get("prepare") or "",
                prepare_due=row.get("due"),
            )
            by_key[p.key] = p
        recurrence = None
        if data.get("repeat"):
            recurrence = RecurrenceFields(
                frequency=data["repeat"],
                interval=data.get("interval") or 1,
                until=data["until"],
                exceptions=data.get("exceptions") or [],
            )
        return MeetingFields(
            title=data["title"],
            start_at=data["start_at"],
            end_at=data["end_at"],
            kind=data["kind"],
            description=data.get("description") or "",
            room=data.get("room"),
            place=data.get("place") or "",
            chair=data.get("chair"),
            chair_text=data.get("chair_text") or "",
            participants=list(by_key.values()),
            contact=data.get("contact"),
            secret=bool(data.get("secret")),
            in_weekly=bool(data.get("in_weekly")),
            notes=data.get("notes") or "",
            department=self.meeting.department if self.meeting is not None else None,
            incoming_ids=list(data.get("incoming_docs") or []),
            outgoing_ids=list(data.get("outgoing_docs") or []),
            recurrence=recurrence,
        )


def who_choices(agency_id: int) -> list:
    """The people and units a preparation row may name (values "u:<id>", "d:<id>")."""
    staff = (
        User.objects.filter(agency_id=agency_id, is_active=True)
        .select_related("department")
        .order_by("full_name")
    )
    return [
        ("", _("— Chọn —")),
        (
            _("Đơn vị"),
            [(f"d:{d.pk}", d.name) for d in Department.objects.filter(agency_id=agency_id, is_active=True)],
        ),
        (_("Cán bộ"), [(f"u:{u.pk}", PersonChoiceField.label_from_instance(None, u)) for u in staff]),
    ]


def prepare_formset_more(data, *, agency_id: int):
    """The preparation rows as posted, with one empty row more (the "Thêm dòng" button)."""
    data = data.copy()
    total = data.get("prep-TOTAL_FORMS", "0")
    data["prep-TOTAL_FORMS"] = str(min(int(total) if total.isdigit() else 0, PREPARE_MAX - 1) + 1)
    return PrepareFormSet(data, prefix="prep", form_kwargs={"who_choices": who_choices(agency_id)})


NOTIFY_LABELS = (
    _("Thông báo tới tất cả thành phần"),
    _("Chỉ thông báo người bị ảnh hưởng"),
    _("Hoãn cuộc họp (báo hủy tới tất cả, sẽ báo lại thời gian mới)"),
)


def initial_from(meeting: Meeting) -> tuple[dict, list[dict]]:
    """The change form's initial data and preparation rows from a saved meeting."""
    from meetings.services import MeetingFields as Fields

    f = Fields.of(meeting)
    initial = {
        "kind": f.kind,
        "title": f.title,
        "description": f.description,
        "start_at": timezone.localtime(f.start_at),
        "end_at": timezone.localtime(f.end_at),
        "room": f.room.pk if f.room else None,
        "place": f.place,
        "chair": f.chair.pk if f.chair else None,
        "chair_text": f.chair_text,
        "contact": f.contact.pk if f.contact else None,
        "secret": f.secret,
        "in_weekly": f.in_weekly,
        "notes": f.notes,
        "incoming_docs": f.incoming_ids,
        "outgoing_docs": f.outgoing_ids,
        "people": [],
        "departments": [],
        "agencies": [],
    }
    outsiders, prep = [], []
    for p in f.participants:
        if p.role != Participant.Role.ATTEND and (p.user or p.department):
            prep.append(
                {
                    "who": f"u:{p.user.pk}" if p.user else f"d:{p.department.pk}",
                    "role": p.role,
                    "prepare": p.prepare,
                    "due": timezone.localtime(p.prepare_due) if p.prepare_due else None,
                }
            )
        elif p.user:
            initial["people"].append(p.user.pk)
        elif p.department:
            initial["departments"].append(p.department.pk)
        elif p.agency:
            initial["agencies"].append(p.agency.pk)
        else:
            outsiders.append(f"{p.name} <{p.email}>" if p.email else p.name)
    initial["outsiders"] = "\n".join(outsiders)
    return initial, prep


class PrepareForm(forms.Form):
    """One preparer: a person or unit, chuẩn bị chính or phối hợp, what to prepare and by when."""

    who = forms.ChoiceField(label=_("Cá nhân, đơn vị"), required=False, widget=PickerSelect)
    role = forms.ChoiceField(
        label=_("Vai trò"),
        choices=[c for c in Participant.Role.choices if c[0] != Participant.Role.ATTEND],
        initial=Participant.Role.PREPARE_MAIN,
    )
    prepare = forms.CharField(label=_("Nội dung chuẩn bị"), required=False, max_length=2000)
    due = forms.DateTimeField(label=_("Hạn chuẩn bị"), required=False, widget=DateTimeInput())

    def __init__(self, *args, who_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["who"].choices = who_choices

    def has_changed(self) -> bool:
        return bool(self.data.get(self.add_prefix("who")))

    def clean(self):
        data = super().clean()
        who = data.get("who") or ""
        data["user"] = data["department"] = None
        if who.startswith("u:"):
            data["user"] = User.objects.filter(pk=int(who[2:])).first()
        elif who.startswith("d:"):
            data["department"] = Department.objects.filter(pk=int(who[2:])).first()
        return data


PREPARE_MAX = 50
PrepareFormSet = forms.formset_factory(PrepareForm, extra=2, max_num=PREPARE_MAX, validate_max=True)


def prepare_rows(formset) -> list[dict]:
    return [
        f.cleaned_data
        for f in formset.forms
        if f.cleaned_data.get("user") or f.cleaned_data.get("department")
    ]


# ---- the meeting page's action forms ---------------------------------------------------------------------


class ApproveForm(forms.Form):
    take_room = forms.BooleanField(
        label=_("Lấy phòng cho cuộc họp này (cuộc họp trùng phòng trở lại chờ duyệt)"), required=False
    )

    def __init__(self, *args, meeting: Meeting, **kwargs):
        super().__init__(*args, **kwargs)
        self.conflict = None
        if meeting.room_id:
            self.conflict = room_conflicts(
                room_id=meeting.room_id,
                start_at=meeting.start_at,
                end_at=meeting.end_at,
                exclude_ids=[meeting.pk],
            ).first()
        self.head_chairs = self.conflict is not None and chaired_by_head(
            agency_id=meeting.agency_id, chair_id=meeting.chair_id
        )
        if not self.head_chairs:
            del self.fields["take_room"]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Lý do"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class RejectForm(ReasonForm):
    reason = forms.CharField(
        label=_("Lý do từ chối"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2})
    )


class CancelForm(ReasonForm):
    reason = forms.CharField(label=_("Lý do hủy"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))
