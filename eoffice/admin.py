"""Django admin for agencies, departments, staff and roles.

A superuser manages everything. An agency admin (role ``agency_admin``, ``is_staff``) manages only
their own agency's departments and people: querysets, choices and saves are all limited to it.
"""

from __future__ import annotations

import functools

from django import forms
from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AdminFileWidget, RelatedFieldWidgetWrapper
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.core.exceptions import PermissionDenied
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from eoffice import services
from eoffice.models import Agency, AgencyRole, BackupRun, Department, EmailFailure, Notification, Role, User
from eoffice.uploads import StampImageField


class PrivateFileInput(AdminFileWidget):
    """Files are never served from MEDIA_URL (only by views that check the right): no link to it."""

    template_name = "eoffice/admin/private_file_input.html"


PRIVATE_FILES = {
    models.ImageField: {"widget": PrivateFileInput, "form_class": StampImageField},
    models.FileField: {"widget": PrivateFileInput},
}


class SafeChangeList(ChangeList):
    """Django's change list turns a bad date-hierarchy value into "?e=1" only for a ValueError: a 20-digit
    year (``?submitted_at__year=99999999999999999999``) or the last day of year 9999 overflows and was a
    500. Both are bad lookup parameters too."""

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except OverflowError as exc:
            raise IncorrectLookupParameters(exc) from exc


def _safe_changelist(self, request, **kwargs):
    return SafeChangeList


# Every admin list, ours and the libraries' (axes, celery beat), uses it: this module is the first admin
# module autodiscover imports (eoffice is the first installed app).
admin.ModelAdmin.get_changelist = _safe_changelist

admin.site.site_header = _("Quản trị eoffice")
admin.site.site_title = _("Quản trị eoffice")
admin.site.index_title = _("Quản trị hệ thống")


@functools.cache
def plain_select(formfield):
    """No add / change / view buttons beside a select (units, agencies and people are managed elsewhere)."""
    widget = getattr(formfield, "widget", None)
    if isinstance(widget, RelatedFieldWidgetWrapper):
        widget.can_add_related = widget.can_change_related = False
        widget.can_view_related = widget.can_delete_related = False
    return formfield


def short_time(moment) -> str:
    """A moment in an admin list: local time, "dd/mm/yyyy HH:MM", or "—"."""
    from django.utils import timezone

    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else "—"


def agency_path(model) -> str | None:
    """The lookup from a row of ``model`` to the id of the agency it belongs to: "pk" for an agency, its
    own ``agency`` foreign key, or one through another (a department's, a user's, a register's, a
    procedure's…, two steps at most). None for rows every agency shares (document types, fields)."""
    return _agency_path(model, depth=2)


def _agency_path(model, *, depth: int) -> str | None:
    if model is Agency:
        return "pk"
    links = [f for f in model._meta.concrete_fields if f.is_relation and f.related_model is not None]
    links.sort(key=lambda f: (f.name != "agency", f.null))  # "agency" first, then required links
    for field in links:
        if field.related_model is Agency:
            return f"{field.name}_id"
    if depth:
        for field in links:
            if field.related_model is model:
                continue
            path = _agency_path(field.related_model, depth=depth - 1)
            if path is not None:
                return field.name if path == "pk" else f"{field.name}__{path}"
    return None


def scope_to_agency(queryset, agency_id):
    """``queryset`` limited to the rows of this agency (rows of shared models as they are)."""
    path = agency_path(queryset.model)
    if path is None:
        return queryset
    if agency_id is None:
        return queryset.none()
    return queryset.filter(**{path: agency_id})


class AgencyScopedChoices:
    """For a ModelAdmin or an inline: every foreign-key and many-to-many choice an agency admin is offered
    is limited to their own agency (``scope_to_agency``); a superuser is offered everything."""

    def _scoped_choices(self, db_field, request, kwargs) -> None:
        if request.user.is_superuser:
            return
        queryset = kwargs.get("queryset")
        if queryset is None:
            queryset = self.get_field_queryset(kwargs.get("using"), db_field, request)
        if queryset is None:
            queryset = db_field.remote_field.model._default_manager.using(kwargs.get("using")).all()
        kwargs["queryset"] = scope_to_agency(queryset, request.user.agency_id)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        self._scoped_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        self._scoped_choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)


class AgencyScopedAdmin(AgencyScopedChoices, admin.ModelAdmin):
    """Limits an agency admin to the rows of their own agency, and their choices too."""

    agency_field = "agency"
    formfield_overrides = PRIVATE_FILES

    def is_installation_admin(self, request) -> bool:
        return request.user.is_superuser

    def is_agency_admin(self, request) -> bool:
        user = request.user  # anonymous too: the admin's login page asks
        return getattr(user, "agency_id", None) is not None and user.has_role(Role.AGENCY_ADMIN)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if self.is_installation_admin(request):
            return qs
        if self.is_agency_admin(request):
            return qs.filter(**{self.agency_field: request.user.agency_id})
        return qs.none()

    def has_module_permission(self, request):
        return self.is_installation_admin(request) or self.is_agency_admin(request)

    def has_view_permission(self, request, obj=None):
        return self._may(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may(request, obj)

    def has_add_permission(self, request):
        return self._may(request, None)

    def has_delete_permission(self, request, obj=None):
        return self.is_installation_admin(request)

    def _may(self, request, obj) -> bool:
        if self.is_installation_admin(request):
            return True
        if not self.is_agency_admin(request):
            return False
        return obj is None or self._agency_id(obj) == request.user.agency_id

    def _agency_id(self, obj):
        return getattr(obj, f"{self.agency_field}_id")


class AgencyOwnedAdmin(AgencyScopedAdmin):
    """Rows that belong to one agency (an app's settings, rooms …): an agency admin's form offers only their
    agency (no empty choice) and the saved row is theirs, whatever was posted."""

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if not self.is_installation_admin(request):
            initial.setdefault("agency", request.user.agency_id)
        return initial

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "agency" and not self.is_installation_admin(request):
            field.empty_label = None
        return field

    def save_model(self, request, obj, form, change):
        if not self.is_installation_admin(request):
            obj.agency_id = request.user.agency_id
        super().save_model(request, obj, form, change)


@admin.register(Agency)
class AgencyAdmin(AgencyScopedAdmin):
    agency_field = "pk"
    list_display = ["name", "code", "abbreviation", "parent", "place_name", "is_active"]
    list_filter = ["is_active", "parent"]
    search_fields = ["name", "code", "abbreviation"]
    autocomplete_fields = ["parent"]
    fieldsets = [
        (None, {"fields": ["name", "parent", "code", "abbreviation", "place_name", "is_active"]}),
        (_("Liên hệ"), {"fields": ["address", "phone", "email"]}),
        (_("Con dấu"), {"fields": ["seal_image"]}),
        (_("Bảo mật"), {"fields": ["two_factor", "secret_metadata_only_from"]}),
    ]

    def get_queryset(self, request):
        qs = admin.ModelAdmin.get_queryset(self, request)
        if self.is_installation_admin(request):
            return qs
        return qs.filter(pk=request.user.agency_id) if self.is_agency_admin(request) else qs.none()

    def _agency_id(self, obj):
        return obj.pk

    def has_add_permission(self, request):
        return self.is_installation_admin(request)

    def get_readonly_fields(self, request, obj=None):
        if self.is_installation_admin(request):
            return []
        return ["parent", "code", "is_active"]


@admin.register(Department)
class DepartmentAdmin(AgencyScopedAdmin):
    list_display = ["name", "abbreviation", "agency", "parent", "order", "is_active"]
    list_filter = ["is_active", "agency"]
    search_fields = ["name", "abbreviation", "agency__name"]
    list_select_related = ["agency", "parent"]
    ordering = ["agency__name", "order", "name"]

    def get_list_filter(self, request):
        return self.list_filter if self.is_installation_admin(request) else ["is_active"]

    def save_model(self, request, obj, form, change):
        if not self.is_installation_admin(request):
            obj.agency_id = request.user.agency_id
        super().save_model(request, obj, form, change)


class RolesFieldMixin(forms.ModelForm):
    roles = forms.MultipleChoiceField(
        label=_("Vai trò"),
        choices=Role.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Vai trò trong cơ quan của cán bộ."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["roles"].initial = sorted(self.instance.roles)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("roles") and not cleaned.get("agency"):
            self.add_error("roles", _("Chọn cơ quan trước khi gán vai trò."))
        return cleaned


class StaffChangeForm(RolesFieldMixin, UserChangeForm):
    class Meta(UserChangeForm.Meta):
        model = User


class StaffCreationForm(RolesFieldMixin, UserCreationForm):
    class Meta(UserCreationForm.Meta):
        model = User
        fields = ["username", "full_name", "email", "agency", "department", "position"]


@admin.register(User)
class StaffAdmin(AgencyScopedAdmin, BaseUserAdmin):
    form = StaffChangeForm
    add_form = StaffCreationForm
    list_display = ["username", "full_name", "position", "department", "agency", "is_active", "last_login"]
    list_filter = ["is_active", "agency", "groups__agency_role__role"]
    search_fields = ["username", "full_name", "email", "position"]
    list_select_related = ["agency", "department"]
    ordering = ["agency__name", "full_name"]
    readonly_fields = ["last_login", "date_joined"]

    def get_fieldsets(self, request, obj=None):
        person = (None, {"fields": ["username", "password"]} if obj else {"fields": ["username"]})
        if obj is None:
            person[1]["fields"] += ["password1", "password2"]
        sets = [
            person,
            (_("Thông tin cán bộ"), {"fields": ["full_name", "email", "phone", "position"]}),
            (_("Cơ quan và vai trò"), {"fields": ["agency", "department", "roles"]}),
            (_("Chữ ký"), {"fields": ["signature_image"]}),
        ]
        status = ["is_active", "is_staff"]
        if self.is_installation_admin(request):
            status += ["is_superuser", "groups", "user_permissions"]
        if obj:
            sets.append((_("Trạng thái"), {"fields": status + ["last_login", "date_joined"]}))
        return sets

    def get_list_filter(self, request):
        return self.list_filter if self.is_installation_admin(request) else ["is_active", "department"]

    @transaction.atomic
    def save_model(self, request, obj, form, change):
        if not self.is_installation_admin(request):
            if obj.is_superuser:
                raise PermissionDenied
            obj.agency_id = request.user.agency_id
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        services.staff_set_roles(
            user=form.instance, roles=form.cleaned_data.get("roles", []), by=request.user
        )


@admin.register(AgencyRole)
class AgencyRoleAdmin(AgencyScopedAdmin):
    list_display = ["agency", "role", "group"]
    list_filter = ["role"]
    search_fields = ["agency__name"]
    list_select_related = ["agency", "group"]

    def has_add_permission(self, request):
        return self.is_installation_admin(request)

    def has_change_permission(self, request, obj=None):
        return self.is_installation_admin(request)


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["title", "recipient", "kind", "created_at", "read_at"]
    list_filter = ["kind"]
    search_fields = ["title", "recipient__username"]
    raw_id_fields = ["recipient"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(EmailFailure)
class EmailFailureAdmin(admin.ModelAdmin):
    """Emails that could not be sent (read-only): the beat scan retries them; "Gửi lại" does it now.
    Installation administrators only: the messages are of every agency."""

    list_display = ["created_at", "recipients", "subject", "source", "status", "attempts", "next_attempt_at"]
    list_filter = ["status", "source"]
    search_fields = ["recipients", "subject"]
    readonly_fields = [
        "source",
        "recipients",
        "subject",
        "body",
        "error",
        "status",
        "attempts",
        "created_at",
        "last_attempt_at",
        "next_attempt_at",
        "sent_at",
        "notification",
    ]
    fields = readonly_fields
    actions = ["send_again"]

    @admin.display(description=_("nội dung"))
    def body(self, obj):
        return obj.content.get("body", "")

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser

    @admin.action(description=_("Gửi lại"), permissions=["view"])
    def send_again(self, request, queryset):
        count = services.email_failures_requeue(ids=queryset.values_list("pk", flat=True), by=request.user)
        self.message_user(request, _("Đã đưa %(count)s thư vào hàng đợi gửi lại.") % {"count": count})


@admin.register(BackupRun)
class BackupRunAdmin(admin.ModelAdmin):
    """Backups, read-only (eoffice.backup; the page "Sao lưu dữ liệu"). Installation administrators only."""

    list_display = ["started_at", "status", "scheduled", "size", "files", "finished_at", "path"]
    list_filter = ["status", "scheduled"]
    readonly_fields = [
        "started_at",
        "finished_at",
        "status",
        "scheduled",
        "path",
        "size",
        "files",
        "sha256",
        "message",
    ]
    fields = readonly_fields

    def has_module_permission(self, request):
        return request.user.is_superuser

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
