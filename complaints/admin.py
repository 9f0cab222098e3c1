"""Admin of the complaints module. Edited here: the legal rules and forms (versioned by the date they take
effect; the installation's admin only, they are the same for every agency), each agency's settings, the
reception sessions. Read only, for looking things up: visits, letters and cases — their numbers, dates, kinds
and states, never a person: the identities (``Identity``) are not registered at all, no list, form or search
reaches their columns, and a protected person's name is not even stored in clear. The log of reads of
protected identities is shown to the installation's admin, read only (who read, when, why; not what)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints.models import (
    Case,
    ComplaintSettings,
    IdentityRead,
    LegalForm,
    LegalRule,
    Letter,
    ReceptionSession,
    Visit,
)
from eoffice.admin import AgencyOwnedAdmin, AgencyScopedAdmin, plain_select


class InstallationAdmin(admin.ModelAdmin):
    """Rows shared by every agency: only the installation's admin (a superuser) sees and edits them."""

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    has_change_permission = has_view_permission

    def has_add_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False  # a version in force is never deleted: add a newer one


@admin.register(LegalRule)
class LegalRuleAdmin(InstallationAdmin):
    list_display = ("code", "effective_from", "days", "unit", "start_event", "source")
    list_filter = ("code", "unit")
    date_hierarchy = "effective_from"
    search_fields = ("source", "note")
    ordering = ("code", "-effective_from")


@admin.register(LegalForm)
class LegalFormAdmin(InstallationAdmin):
    list_display = ("code", "effective_from", "title", "doc_type", "source")
    list_filter = ("code",)
    search_fields = ("title", "source")
    ordering = ("code", "-effective_from")


class OwnAgencyAdmin(AgencyOwnedAdmin):
    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.is_relation and field is not None and not db_field.many_to_many:
            plain_select(field)
        return field


@admin.register(ComplaintSettings)
class ComplaintSettingsAdmin(OwnAgencyAdmin):
    list_display = ("agency", "department", "petition_days", "remote_area", "publish_answers")
    filter_horizontal = ("officers", "deciders")
    fields = (
        "agency",
        "department",
        "officers",
        "deciders",
        "petition_days",
        "remote_area",
        "publish_answers",
    )


@admin.register(ReceptionSession)
class ReceptionSessionAdmin(OwnAgencyAdmin):
    list_display = (
        "date",
        "start_time",
        "end_time",
        "kind",
        "leader",
        "place",
        "published_at",
        "cancelled_at",
    )
    list_filter = ("kind",)
    date_hierarchy = "date"
    search_fields = ("place",)
    ordering = ("-date", "-start_time")


class ReadOnlyAgencyAdmin(AgencyScopedAdmin):
    """Visits, letters, cases: looked up, never changed here (their pages and services are the only writers);
    the fields listed are the only ones shown — none of them holds a person's identity."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def get_readonly_fields(self, request, obj=None):
        return self.fields


@admin.register(Visit)
class VisitAdmin(ReadOnlyAgencyAdmin):
    list_display = ("__str__", "received_at", "kind", "outcome", "people_count", "protected")
    list_filter = ("kind", "outcome", "protected")
    date_hierarchy = "received_at"
    fields = (
        "agency",
        "year",
        "number",
        "received_at",
        "kind",
        "people_count",
        "protected",
        "outcome",
        "due_at",
    )
    ordering = ("-received_at",)


@admin.register(Letter)
class LetterAdmin(ReadOnlyAgencyAdmin):
    list_display = ("__str__", "received_on", "source", "signer_count", "protected")
    list_filter = ("source", "protected")
    date_hierarchy = "received_on"
    fields = ("agency", "year", "number", "received_on", "source", "signer_count", "anonymous", "protected")
    ordering = ("-received_on", "-pk")


@admin.register(Case)
class CaseAdmin(ReadOnlyAgencyAdmin):
    list_display = ("code", "kind", "state", "stage", "instance", "due_at", "protected")
    list_filter = ("kind", "state", "stage", "protected")
    search_fields = ("code",)
    fields = (
        "agency",
        "code",
        "kind",
        "instance",
        "state",
        "stage",
        "field",
        "complexity",
        "due_at",
        "protected",
    )
    ordering = ("-created_at",)


@admin.register(IdentityRead)
class IdentityReadAdmin(admin.ModelAdmin):
    """Who read a protected identity, when, from where, why — never the identity itself."""

    list_display = ("at", "user", "identity_ref", "purpose", "address")
    date_hierarchy = "at"
    fields = ("at", "user", "identity_ref", "purpose", "address")
    readonly_fields = fields
    list_select_related = ("user",)

    @admin.display(description=gettext_lazy("Người được giữ bí mật"))
    def identity_ref(self, obj):
        return _("Người được giữ bí mật #%(pk)s") % {"pk": obj.identity_id}

    def has_module_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
