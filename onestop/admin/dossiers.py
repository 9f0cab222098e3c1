"""Dossiers, read only: they are received, handed on and returned only through the one-stop pages."""

from __future__ import annotations

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from eoffice.admin import AgencyScopedAdmin, AgencyScopedChoices
from onestop.admin.common import short_time
from onestop.models import Dossier, DossierPaper, DossierStep, SupplementRequest


class ReadOnlyInline(AgencyScopedChoices, admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False

    def has_view_permission(self, request, obj=None):
        return True  # the dossier's admin checked the agency

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class DossierPaperInline(ReadOnlyInline):
    model = DossierPaper
    fields = ("name", "kind", "quantity", "received", "scan", "added")
    readonly_fields = fields

    @admin.display(description=gettext_lazy("bản quét"))
    def scan(self, obj):
        return obj.file_name or "—"  # files are opened from the dossier page, which checks the right

    @admin.display(description=gettext_lazy("thời gian"))
    def added(self, obj):
        return short_time(obj.added_at)


class DossierStepInline(ReadOnlyInline):
    model = DossierStep
    # Names differ from the model's fields (which the admin would show first).
    fields = ("name", "given_by", "received_by", "started", "due", "finished", "timing", "note")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("giver", "receiver", "receiver_department")

    @admin.display(description=gettext_lazy("bên giao"))
    def given_by(self, obj):
        return obj.giver_name or (str(obj.giver) if obj.giver_id else "—")

    @admin.display(description=gettext_lazy("bên nhận"))
    def received_by(self, obj):
        return obj.receiver_label or "—"

    @admin.display(description=gettext_lazy("giao, nhận lúc"))
    def started(self, obj):
        return short_time(obj.started_at)

    @admin.display(description=gettext_lazy("hạn của bước"))
    def due(self, obj):
        return short_time(obj.due_at)

    @admin.display(description=gettext_lazy("hoàn thành lúc"))
    def finished(self, obj):
        return short_time(obj.finished_at)


class SupplementInline(ReadOnlyInline):
    model = SupplementRequest
    fields = ("content", "requester", "requested", "answered", "via", "answer_note")
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("requested_by")

    @admin.display(description=gettext_lazy("người yêu cầu"))
    def requester(self, obj):
        return str(obj.requested_by)

    @admin.display(description=gettext_lazy("yêu cầu lúc"))
    def requested(self, obj):
        return short_time(obj.requested_at)

    @admin.display(description=gettext_lazy("bổ sung lúc"))
    def answered(self, obj):
        return short_time(obj.answered_at)

    @admin.display(description=gettext_lazy("hình thức bổ sung"))
    def via(self, obj):
        return obj.get_answered_via_display() or "—"


@admin.register(Dossier)
class DossierAdmin(AgencyScopedAdmin):
    """Dossiers are read here; they are received, handed on and returned only through the one-stop pages."""

    list_display = ("public_code", "applicant_name", "state", "submitted", "due")
    list_filter = ("state", "channel", "timing", "outcome", "extended")
    show_facets = admin.ShowFacets.NEVER
    list_select_related = ("procedure", "agency")
    search_fields = ("code", "reference", "applicant_name", "applicant_id_number")
    date_hierarchy = "submitted_at"
    show_full_result_count = False
    inlines = [DossierPaperInline, DossierStepInline, SupplementInline]
    fieldsets = [
        (
            None,
            {"fields": ["agency", "procedure", "code", "reference", "state", "channel", "summary", "note"]},
        ),
        (
            gettext_lazy("Người nộp"),
            {
                "fields": [
                    "applicant_kind",
                    "applicant_name",
                    "applicant_id_number",
                    "applicant_address",
                    "applicant_phone",
                    "applicant_email",
                ]
            },
        ),
        (
            gettext_lazy("Thời hạn"),
            {
                "fields": [
                    "submitted_at",
                    "received_at",
                    "received_by",
                    "clock_start",
                    "original_due_at",
                    "due_at",
                    "paused_at",
                    "extended",
                    "extension_reason",
                    "resolved_at",
                    "returned_at",
                    "timing",
                ]
            },
        ),
        (
            gettext_lazy("Xử lý"),
            {"fields": ["department", "holder", "officer", "leader"]},
        ),
        (
            gettext_lazy("Kết quả"),
            {
                "fields": [
                    "outcome",
                    "result_number",
                    "result_name",
                    "result_signed",
                    "missing_papers",
                    "refusal_reason",
                    "stop_reason",
                    "returned_to",
                    "rating",
                    "rating_comment",
                ]
            },
        ),
    ]

    @admin.display(description=gettext_lazy("mã hồ sơ"), ordering="code")
    def public_code(self, obj):
        return obj.public_code

    @admin.display(description=gettext_lazy("ngày nộp"), ordering="submitted_at")
    def submitted(self, obj):
        return short_time(obj.submitted_at)

    @admin.display(description=gettext_lazy("hẹn trả"), ordering="due_at")
    def due(self, obj):
        return short_time(obj.due_at)

    @admin.display(description=gettext_lazy("tệp kết quả"))
    def result_name(self, obj):
        if not obj.result_file:
            return "—"
        return obj.result_file.name.rsplit("/", 1)[-1]  # opened from the dossier page, which checks the right

    def get_list_filter(self, request):
        if self.is_installation_admin(request):
            return ("agency", *self.list_filter)
        return self.list_filter

    def get_object(self, request, object_id, from_field=None):
        # Django's, with everything the read-only page shows joined in one query.
        queryset = self.get_queryset(request).select_related(
            "procedure", "department", "holder", "officer", "leader", "received_by", "sign_request"
        )
        field = self.model._meta.pk if from_field is None else self.model._meta.get_field(from_field)
        try:
            return queryset.get(**{field.name: field.to_python(object_id)})
        except (self.model.DoesNotExist, ValidationError, ValueError):
            return None

    def get_readonly_fields(self, request, obj=None):
        return [name for _title, options in self.fieldsets for name in options["fields"]]

    def has_view_permission(self, request, obj=None):
        return self._may(request, obj)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_actions(self, request):
        return {}
