"""Admin of the meetings module. An agency admin (quản trị cơ quan) sees and edits only their own agency's
rows, and every choice they are offered (rooms' managers, the schedule manager unit, the head, the people on
duty) is limited to their agency; the agency of a row they add is theirs. A superuser manages every agency;
the people and the unit of a row must still belong to the row's agency.

Edited here: rooms, the agency's schedule settings (one row per agency), the duty roster and the citizen
reception days. Read only: the units the office unlocked and the published weeks (the schedule pages write
them), and meetings themselves — their state moves only through transitions (the FSM field is protected)
and their history is append-only, so the admin neither changes nor deletes them.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eoffice.admin import AgencyOwnedAdmin, AgencyScopedAdmin, AgencyScopedChoices, plain_select, short_time
from meetings import rules
from meetings.models import (
    DutyShift,
    Meeting,
    Participant,
    PublishedWeek,
    ReceptionDay,
    Room,
    ScheduleSettings,
    UnitUnlock,
)
from workflow.selectors import history_for

HISTORY_ROWS = 50


def _history_label(entry) -> str:
    if entry.to_state:
        return f"{entry.get_event_display()}: {Meeting.label_for_state(entry.to_state)}"
    return str(entry.get_event_display())


class OwnAgencyAdmin(AgencyOwnedAdmin):
    """The module's agency-owned rows: plain selects, and the agency column and filter only for the
    installation's admin."""

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.is_relation and field is not None:
            plain_select(field)  # agencies, units and people are managed elsewhere: no add / change buttons
        if db_field.name == "agency":
            field.label = _("Cơ quan")
        return field

    def get_list_filter(self, request):
        if self.is_installation_admin(request):
            return ("agency", *self.list_filter)
        return self.list_filter

    def get_list_display(self, request):
        if self.is_installation_admin(request):
            return self.list_display
        return [name for name in self.list_display if name != "agency"]


class SameAgencyForm(forms.ModelForm):
    """The people and units chosen (``same_agency``: the field names) belong to the
    row's agency. An agency admin is only offered those; this holds a superuser's form to it too."""

    same_agency: tuple[str, ...] = ()

    def clean(self):
        data = super().clean()
        agency = data.get("agency") or (self.instance.agency if self.instance.agency_id else None)
        if agency is None:
            return data
        for name in self.same_agency:
            value = data.get(name)
            if value is None:
                continue
            values = value if hasattr(value, "__iter__") else [value]
            strangers = [str(v) for v in values if v.agency_id != agency.pk]
            if strangers:
                self.add_error(
                    name,
                    _("Chỉ chọn cán bộ, đơn vị của %(agency)s: %(names)s không thuộc cơ quan này.")
                    % {"agency": agency.name, "names": ", ".join(strangers)},
                )
        return data


# ---- rooms -----------------------------------------------------------------------------------------------


class RoomForm(SameAgencyForm):
    same_agency = ("managers",)

    class Meta:
        model = Room
        fields = [
            "agency",
            "name",
            "capacity",
            "location",
            "equipment",
            "auto_approve",
            "managers",
            "order",
            "is_active",
        ]


@admin.register(Room)
class RoomAdmin(OwnAgencyAdmin):
    form = RoomForm
    list_display = ("name", "agency", "capacity", "location", "auto_approve", "order", "is_active")
    list_filter = ("is_active", "auto_approve")
    list_select_related = ("agency",)
    search_fields = ("name", "location", "equipment")
    ordering = ("agency__name", "order", "name")
    filter_horizontal = ("managers",)


# ---- schedule settings -----------------------------------------------------------------------------------


SETTINGS_FIELDSETS = [
    (None, {"fields": ["agency", "manager_department", "managers", "head"]}),
    (
        gettext_lazy("Ban hành lịch tuần"),
        {"fields": ["publish_weekday", "publish_time", "publish_public"]},
    ),
    (
        gettext_lazy("Khóa đăng ký khi tổng hợp lịch"),
        {
            "fields": [
                "lock_enabled",
                "lock_from_weekday",
                "lock_from_time",
                "lock_until_weekday",
                "lock_until_time",
            ]
        },
    ),
    (
        gettext_lazy("Nhắc lịch, giới hạn, điểm danh"),
        {
            "fields": [
                "remind_evening_before",
                "remind_evening_time",
                "remind_minutes_before",
                "prepare_remind_days",
                "weekly_cap_hours",
                "roll_call_minutes",
            ]
        },
    ),
]


class ScheduleSettingsForm(SameAgencyForm):
    same_agency = ("manager_department", "managers", "head")

    class Meta:
        model = ScheduleSettings
        fields = [name for _title, options in SETTINGS_FIELDSETS for name in options["fields"]]


@admin.register(ScheduleSettings)
class ScheduleSettingsAdmin(OwnAgencyAdmin):
    form = ScheduleSettingsForm
    list_display = (
        "agency",
        "manager_department",
        "head",
        "publish_weekday",
        "publish_time",
        "lock_enabled",
        "publish_public",
    )
    list_filter = ("lock_enabled", "publish_public")
    list_select_related = ("agency", "manager_department", "head")
    search_fields = ("agency__name",)
    filter_horizontal = ("managers",)
    fieldsets = SETTINGS_FIELDSETS

    def has_add_permission(self, request):
        if self.is_installation_admin(request):
            return True
        return (
            self.is_agency_admin(request)
            and not ScheduleSettings.objects.filter(agency_id=request.user.agency_id).exists()
        )


# ---- duty roster, reception days -------------------------------------------------------------------------


class DutyShiftForm(SameAgencyForm):
    same_agency = ("person",)

    class Meta:
        model = DutyShift
        fields = ["agency", "date", "person", "phone", "note"]


@admin.register(DutyShift)
class DutyShiftAdmin(OwnAgencyAdmin):
    form = DutyShiftForm
    list_display = ("date", "person", "phone", "note", "agency")
    list_select_related = ("agency", "person")
    search_fields = ("person__full_name", "note")
    date_hierarchy = "date"
    ordering = ("-date", "id")


class ReceptionDayForm(SameAgencyForm):
    same_agency = ("leader",)

    class Meta:
        model = ReceptionDay
        fields = ["agency", "date", "start_time", "end_time", "leader", "place", "note"]

    def clean(self):
        data = super().clean()
        start, end = data.get("start_time"), data.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("Giờ kết thúc phải sau giờ bắt đầu."))
        return data


@admin.register(ReceptionDay)
class ReceptionDayAdmin(OwnAgencyAdmin):
    """Days entered by hand are edited here; those fed by another module (``source``) are only read."""

    form = ReceptionDayForm
    list_display = ("date", "start_time", "end_time", "leader", "place", "source_label", "agency")
    list_select_related = ("agency", "leader")
    search_fields = ("leader__full_name", "place", "note")
    date_hierarchy = "date"
    ordering = ("-date", "start_time", "id")

    @admin.display(description=gettext_lazy("nguồn"))
    def source_label(self, obj):
        return obj.source or _("Nhập tay")

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.source:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.source:
            return False
        return super().has_delete_permission(request, obj)


# ---- read only -------------------------------------------------------------------------------------------


class ReadOnlyScopedAdmin(AgencyScopedAdmin):
    """Rows written by the module's services: listed and opened, never added, changed or deleted here."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}

    def get_list_filter(self, request):
        if self.is_installation_admin(request):
            return ("agency", *self.list_filter)
        return self.list_filter

    def get_list_display(self, request):
        if self.is_installation_admin(request):
            return self.list_display
        return [name for name in self.list_display if name != "agency"]


@admin.register(UnitUnlock)
class UnitUnlockAdmin(ReadOnlyScopedAdmin):
    list_display = ("week_start", "department", "unlocked_by", "unlocked", "reason", "agency")
    list_select_related = ("agency", "department", "unlocked_by")
    date_hierarchy = "week_start"
    ordering = ("-week_start", "department__name")

    @admin.display(description=gettext_lazy("mở khóa lúc"), ordering="unlocked_at")
    def unlocked(self, obj):
        return short_time(obj.unlocked_at)


@admin.register(PublishedWeek)
class PublishedWeekAdmin(ReadOnlyScopedAdmin):
    list_display = ("week_start", "published", "published_by", "note", "agency")
    list_select_related = ("agency", "published_by")
    date_hierarchy = "week_start"
    ordering = ("-week_start",)

    @admin.display(description=gettext_lazy("thời điểm ban hành"), ordering="published_at")
    def published(self, obj):
        return short_time(obj.published_at)


class ParticipantInline(AgencyScopedChoices, admin.TabularInline):
    model = Participant
    extra = 0
    can_delete = False
    show_change_link = False
    fields = ("who", "role", "prepare", "attendance", "absence_reason", "substitute", "substitute_status")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user", "department", "agency", "substitute")

    @admin.display(description=gettext_lazy("thành phần"))
    def who(self, obj):
        return obj.label

    def has_view_permission(self, request, obj=None):
        return True  # the meeting's admin checked the agency

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MeetingStateFilter(admin.SimpleListFilter):
    """The four states of a meeting, in its own words (not every state of the workflow engine)."""

    title = gettext_lazy("trạng thái")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [(state, Meeting.label_for_state(state)) for state in Meeting.state_labels]

    def queryset(self, request, queryset):
        if self.value() in Meeting.state_labels:
            return queryset.filter(state=self.value())
        return queryset


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyScopedAdmin):
    """Meetings are read here: registered, approved, changed and cancelled only through the meetings
    pages (the services check the rights, lock the row and write the history)."""

    list_display = ("title", "starts", "ends", "place_label", "chair_label", "state_text", "secret", "agency")
    list_filter = (MeetingStateFilter, "kind", "secret", "in_weekly")
    list_select_related = ("agency", "room", "chair")
    search_fields = ("title", "chair_text", "place", "room__name")
    date_hierarchy = "start_at"
    show_full_result_count = False
    ordering = ("-start_at", "-id")
    inlines = [ParticipantInline]
    fieldsets = [
        (None, {"fields": ["agency", "department", "kind", "title", "description", "state_text"]}),
        (
            gettext_lazy("Thời gian, địa điểm"),
            {"fields": ["start_at", "end_at", "room", "place", "postponed_at", "postpone_reason"]},
        ),
        (
            gettext_lazy("Thành phần"),
            {"fields": ["chair", "chair_text", "organiser", "contact", "secret", "in_weekly", "notes"]},
        ),
        (
            gettext_lazy("Xử lý"),
            {"fields": ["created_at", "approved_at", "approved_by", "changed_at", "invited_at", "sequence"]},
        ),
        (gettext_lazy("Lịch sử (chỉ ghi thêm)"), {"fields": ["history"]}),
    ]

    @admin.display(description=gettext_lazy("bắt đầu"), ordering="start_at")
    def starts(self, obj):
        return short_time(obj.start_at)

    @admin.display(description=gettext_lazy("kết thúc"), ordering="end_at")
    def ends(self, obj):
        return short_time(obj.end_at)

    @admin.display(description=gettext_lazy("địa điểm"))
    def place_label(self, obj):
        return obj.place_label or "—"

    @admin.display(description=gettext_lazy("chủ trì"))
    def chair_label(self, obj):
        return obj.chair_name

    @admin.display(description=gettext_lazy("trạng thái"), ordering="state")
    def state_text(self, obj):
        return obj.state_label

    @admin.display(description=gettext_lazy("lịch sử"))
    def history(self, obj):
        """Who did what and when, newest first (written by the services; never edited here)."""
        entries = history_for(record=obj)[:HISTORY_ROWS]
        if not entries:
            return "—"
        return format_html(
            "<ul>{}</ul>",
            format_html_join(
                "",
                "<li>{} · {} · {}{}</li>",
                (
                    (
                        short_time(entry.created_at),
                        entry.actor.get_full_name() if entry.actor_id else "—",
                        _history_label(entry),
                        f" — {entry.comment}" if entry.comment else "",
                    )
                    for entry in entries
                ),
            ),
        )

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("department", "organiser", "contact", "approved_by")
        if self.is_installation_admin(request):
            return qs
        # A secret meeting only for those involved in it or managing the schedule, as on the pages.
        return qs.filter(rules.visible_q(request.user))

    def get_readonly_fields(self, request, obj=None):
        return [name for _title, options in self.fieldsets for name in options["fields"]]

    def has_view_permission(self, request, obj=None):
        return self._may(request, obj)

    def has_change_permission(self, request, obj=None):
        return False
