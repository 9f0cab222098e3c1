"""Admin: calendar exceptions are edited here; history is read-only (append-only, no change, no delete)."""

from __future__ import annotations

from django.contrib import admin

from workflow.models import Assignment, CalendarException, HistoryEntry, ReminderMark, WorkItem


@admin.register(CalendarException)
class CalendarExceptionAdmin(admin.ModelAdmin):
    list_display = ("date", "kind", "reason")
    list_filter = ("kind",)
    search_fields = ("reason",)
    date_hierarchy = "date"

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_module_permission(self, request):
        return request.user.is_superuser

    def get_actions(self, request):
        return {}


@admin.register(HistoryEntry)
class HistoryEntryAdmin(ReadOnlyAdmin):
    list_display = (
        "created_at",
        "content_type",
        "object_id",
        "event",
        "action",
        "from_state",
        "to_state",
        "actor",
    )
    list_filter = ("event", "content_type")
    list_select_related = ("actor", "content_type")
    show_full_result_count = False


@admin.register(Assignment)
class AssignmentAdmin(ReadOnlyAdmin):
    list_display = ("content_type", "object_id", "role", "assignee", "department", "status", "due_at")
    list_filter = ("role", "status")
    list_select_related = ("assignee", "department", "content_type")
    show_full_result_count = False


@admin.register(ReminderMark)
class ReminderMarkAdmin(ReadOnlyAdmin):
    list_display = ("assignment", "level", "round", "created_at", "delivered_at")
    list_filter = ("level",)
    show_full_result_count = False


@admin.register(WorkItem)
class WorkItemAdmin(ReadOnlyAdmin):
    list_display = ("title", "agency", "state", "created_by", "due_at")
    list_filter = ("state", "agency")
    list_select_related = ("agency", "created_by")
