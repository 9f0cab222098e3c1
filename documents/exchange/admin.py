"""Admin of the exchange (for the installation's admin): the outside agencies with both codes and the
transport each is reached by, the directory synchronisations with what each changed, and the outbox and
inbox, read-only, with a resend of failed packages. Registered by importing this module from
``documents/admin.py``."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from documents.exchange.models import (
    DirectorySync,
    ExternalAgency,
    InboxMessage,
    OutboxAttempt,
    OutboxMessage,
)
from eoffice.admin import short_time


@admin.register(ExternalAgency)
class ExternalAgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "code", "code_qd20", "transport", "source", "active", "synced")
    list_filter = ("active", "source", "transport")
    search_fields = ("name", "code", "code_qd20", "parent_name")
    readonly_fields = ("source", "synced_at", "created_at", "updated_at")
    fieldsets = (
        (None, {"fields": ("name", "parent_name", "code", "code_qd20", "transport", "active")}),
        (_("Liên hệ"), {"fields": ("address", "email", "phone", "fax", "website")}),
        (_("Nguồn"), {"fields": ("source", "synced_at", "created_at", "updated_at")}),
    )

    @admin.display(description=_("đồng bộ lúc"), ordering="synced_at")
    def synced(self, obj):
        return short_time(obj.synced_at)

    def has_delete_permission(self, request, obj=None) -> bool:
        # referenced by recipients and messages: an admin deactivates instead
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


def _agency_list(items) -> str:
    if not items:
        return "—"
    return format_html(
        "<ul>{}</ul>",
        format_html_join(
            "",
            "<li>{} <code>{}</code>{}</li>",
            ((i.get("name", ""), i.get("code", ""), _changes(i)) for i in items),
        ),
    )


def _changes(item) -> str:
    changes = item.get("changes") or {}
    if not changes:
        return ""
    return format_html(
        "<br><small>{}</small>",
        format_html_join("; ", "{}: {} → {}", ((k, v[0] or "—", v[1] or "—") for k, v in changes.items())),
    )


@admin.register(DirectorySync)
class DirectorySyncAdmin(ReadOnlyAdmin):
    list_display = (
        "started",
        "transport",
        "added_count",
        "changed_count",
        "deactivated_count",
        "error_short",
    )
    list_filter = ("transport",)
    fields = (
        "transport",
        "started_at",
        "finished_at",
        "error",
        "added_list",
        "changed_list",
        "deactivated_list",
    )
    readonly_fields = fields

    @admin.display(description=_("bắt đầu"), ordering="started_at")
    def started(self, obj):
        return short_time(obj.started_at)

    @admin.display(description=_("thêm mới"))
    def added_count(self, obj):
        return len(obj.added or [])

    @admin.display(description=_("thay đổi"))
    def changed_count(self, obj):
        return len(obj.changed or [])

    @admin.display(description=_("ngừng hoạt động"))
    def deactivated_count(self, obj):
        return len(obj.deactivated or [])

    @admin.display(description=_("lỗi"))
    def error_short(self, obj):
        return (obj.error or "")[:120] or "—"

    @admin.display(description=_("cơ quan thêm mới"))
    def added_list(self, obj):
        return _agency_list(obj.added)

    @admin.display(description=_("cơ quan thay đổi"))
    def changed_list(self, obj):
        return _agency_list(obj.changed)

    @admin.display(description=_("cơ quan ngừng hoạt động"))
    def deactivated_list(self, obj):
        return _agency_list(obj.deactivated)


class AttemptInline(admin.TabularInline):
    model = OutboxAttempt
    extra = 0
    can_delete = False
    fields = ("at", "ok", "http_status", "duration_ms", "error")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    list_display = (
        "created",
        "kind",
        "agency",
        "external_agency",
        "business_type",
        "status_code",
        "state",
        "attempts",
    )
    list_filter = ("state", "kind", "transport")
    list_select_related = ("agency", "external_agency")
    search_fields = ("document_id", "external_agency__name", "external_agency__code", "remote_id")
    inlines = [AttemptInline]
    actions = ["resend"]

    @admin.display(description=_("tạo lúc"), ordering="created_at")
    def created(self, obj):
        return short_time(obj.created_at)

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.action(description=_("Gửi lại các gói tin gửi lỗi đã chọn"))
    def resend(self, request, queryset):
        from documents.exchange.services import outbox

        done, refused = 0, []
        for message in queryset.filter(state=OutboxMessage.State.FAILED):
            try:
                outbox.outbox_resend(message=message, by=request.user)
            except (PermissionDenied, ValidationError) as exc:
                refused.append(f"#{message.pk}: {' '.join(getattr(exc, 'messages', [str(exc)]))}")
            else:
                done += 1
        if done:
            self.message_user(
                request,
                ngettext(
                    "Đã đưa %(n)d gói tin vào hàng gửi lại.", "Đã đưa %(n)d gói tin vào hàng gửi lại.", done
                )
                % {"n": done},
                messages.SUCCESS,
            )
        if refused or not done:
            self.message_user(
                request,
                "; ".join(refused) or _("Không có gói tin gửi lỗi nào trong các dòng đã chọn."),
                messages.WARNING,
            )

    def get_actions(self, request):
        # the resend is an action on read-only rows: offered without the change permission
        actions = super().get_actions(request)
        if not request.user.is_superuser:
            actions.pop("resend", None)
        return actions


@admin.register(InboxMessage)
class InboxMessageAdmin(ReadOnlyAdmin):
    list_display = (
        "received",
        "kind",
        "sender_name",
        "agency",
        "business_type",
        "status_code",
        "state",
        "error_code",
    )
    list_filter = ("state", "kind", "transport")
    list_select_related = ("agency",)
    search_fields = ("document_id", "sender_name", "sender_code", "remote_id", "sha256")

    @admin.display(description=_("nhận lúc"), ordering="received_at")
    def received(self, obj):
        return short_time(obj.received_at)
