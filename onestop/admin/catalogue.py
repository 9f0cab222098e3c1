"""The procedures catalogue: fields (shared by every agency), procedures with their papers and steps, the
Excel export and import."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Case, IntegerField, Value, When
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eoffice.admin import AgencyScopedAdmin, AgencyScopedChoices
from eoffice.models import Agency
from eoffice.output import excel
from eoffice.search import fold
from onestop import catalogue
from onestop.admin.common import is_agency_admin, plain_select
from onestop.admin.forms import ImportForm, ProcedureAdminForm, StepFormSet
from onestop.models import STEP_ORDER, Procedure, ProcedureField, ProcedureStep, RequiredPaper


@admin.register(ProcedureField)
class ProcedureFieldAdmin(admin.ModelAdmin):
    """Fields are shared: an agency admin may read and add them; only the installation admin edits them."""

    list_display = ("name", "code")
    search_fields = ("name", "code")

    def has_module_permission(self, request):
        return request.user.is_superuser or is_agency_admin(request)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


class PaperInline(AgencyScopedChoices, admin.TabularInline):
    model = RequiredPaper
    fields = ("order", "name", "kind", "quantity", "mandatory")
    extra = 0
    formfield_overrides = {models.CharField: {"widget": forms.TextInput(attrs={"size": 48})}}

    def get_extra(self, request, obj=None, **kwargs):
        return 3 if obj is None else 1

    def has_view_permission(self, request, obj=None):
        return True  # the procedure's admin checked the agency

    def has_add_permission(self, request, obj=None):
        return True

    def has_change_permission(self, request, obj=None):
        return True

    def has_delete_permission(self, request, obj=None):
        return True


class StepInline(AgencyScopedChoices, admin.TabularInline):
    model = ProcedureStep
    formset = StepFormSet
    fields = ("kind", "name", "department", "hours")
    extra = 0
    formfield_overrides = {
        models.CharField: {"widget": forms.TextInput(attrs={"size": 26})},
        models.DecimalField: {"widget": forms.NumberInput(attrs={"class": "vIntegerField", "step": "0.5"})},
    }

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        return plain_select(super().formfield_for_dbfield(db_field, request, **kwargs))

    def get_queryset(self, request):
        order = Case(
            *(When(kind=kind, then=Value(i)) for i, kind in enumerate(STEP_ORDER)),
            output_field=IntegerField(),
        )
        return super().get_queryset(request).select_related("department").order_by(order, "id")

    def get_extra(self, request, obj=None, **kwargs):
        # A new procedure starts with every step listed (see ProcedureAdmin.get_formset_kwargs).
        return len(STEP_ORDER) if obj is None else 0

    def has_view_permission(self, request, obj=None):
        return True

    def has_add_permission(self, request, obj=None):
        return True

    def has_change_permission(self, request, obj=None):
        return True

    def has_delete_permission(self, request, obj=None):
        return True


@admin.register(Procedure)
class ProcedureAdmin(AgencyScopedAdmin):
    form = ProcedureAdminForm
    list_display = ("code", "name", "time_label", "online", "unit", "active")
    list_display_links = ("code", "name")
    show_facets = admin.ShowFacets.NEVER
    list_filter = ("field", "online_level", "is_active")
    list_select_related = ("field", "handling_department", "agency")
    search_fields = ("code", "name")
    ordering = ("field__name", "code")
    inlines = [PaperInline, StepInline]
    actions = ["export_xlsx"]
    readonly_fields = ("legal_hours_label",)
    fieldsets = [
        (None, {"fields": ["agency", "code", "name", "field", "online_level", "is_active"]}),
        (
            gettext_lazy("Thời hạn, phí và kết quả"),
            {
                "fields": [
                    ("time_value", "time_unit"),
                    "legal_hours_label",
                    "cutoff_rule",
                    ("fee_amount", "fee_note"),
                    "result_name",
                    "handling_department",
                ]
            },
        ),
        (gettext_lazy("Căn cứ pháp lý"), {"fields": ["legal_basis"]}),
    ]

    @admin.display(description=gettext_lazy("thời hạn"))
    def time_label(self, obj):
        return obj.time_label

    # Short column titles: the admin does not wrap them, and the procedure's name needs the width.
    @admin.display(description=gettext_lazy("trực tuyến"), ordering="online_level")
    def online(self, obj):
        return obj.get_online_level_display()

    @admin.display(description=gettext_lazy("đơn vị"), ordering="handling_department__abbreviation")
    def unit(self, obj):
        return obj.handling_department.abbreviation if obj.handling_department else "—"

    @admin.display(description=gettext_lazy("áp dụng"), boolean=True, ordering="is_active")
    def active(self, obj):
        return obj.is_active

    @admin.display(description=gettext_lazy("thời hạn tính theo giờ làm việc"))
    def legal_hours_label(self, obj):
        if obj is None or obj.pk is None:
            return _("Tính khi lưu: tổng thời gian các bước của quy trình phải bằng số giờ này.")
        return _("%(hours)s giờ — tổng thời gian các bước của quy trình phải bằng số giờ này.") % {
            "hours": catalogue.hours_text(obj.legal_hours)
        }

    def get_list_display(self, request):
        if self.is_installation_admin(request):
            return ("code", "name", "agency", *self.list_display[2:])
        return self.list_display

    def get_list_filter(self, request):
        if self.is_installation_admin(request):
            return ("agency", *self.list_filter)
        return self.list_filter

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if not self.is_installation_admin(request):
            initial.setdefault("agency", request.user.agency_id)
        return initial

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        if db_field.name == "agency" and not self.is_installation_admin(request):
            field.empty_label = None  # their own agency, the only choice
        return field

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        return plain_select(field) if db_field.name in ("agency", "handling_department") else field

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if isinstance(inline, StepInline) and obj.pk is None:
            kwargs["initial"] = [{"kind": kind} for kind in STEP_ORDER]
        return kwargs

    def save_model(self, request, obj, form, change):
        if not self.is_installation_admin(request):
            obj.agency_id = request.user.agency_id
        super().save_model(request, obj, form, change)

    # ---- Excel ----

    @admin.action(description=gettext_lazy("Xuất các thủ tục đã chọn ra Excel"))
    def export_xlsx(self, request, queryset):
        agencies = set(queryset.values_list("agency_id", flat=True).distinct())
        if not agencies:
            self.message_user(request, _("Chưa chọn thủ tục nào để xuất."), messages.WARNING)
            return None
        if len(agencies) > 1:
            self.message_user(
                request,
                _(
                    "Chỉ xuất được thủ tục của một cơ quan mỗi lần "
                    "(mã thủ tục chỉ duy nhất trong một cơ quan)."
                ),
                messages.ERROR,
            )
            return None
        agency = Agency.objects.get(pk=agencies.pop())
        return _xlsx_response(catalogue.export_workbook(queryset), agency)

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("import/", view(self.import_view), name="onestop_procedure_import"),
            path("import/template/", view(self.template_view), name="onestop_procedure_template"),
            *super().get_urls(),
        ]

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "can_import": self._may_import(request)}
        return super().changelist_view(request, extra_context)

    def _may_import(self, request) -> bool:
        return self.has_add_permission(request) and self.has_change_permission(request)

    def _check_import(self, request):
        if not self._may_import(request):
            raise PermissionDenied

    def template_view(self, request):
        self._check_import(request)
        return _xlsx_response(catalogue.export_workbook(Procedure.objects.none()), None, blank=True)

    def import_view(self, request):
        self._check_import(request)
        own = None if self.is_installation_admin(request) else request.user.agency
        errors: list[str] = []
        if request.method == "POST":
            form = ImportForm(request.POST, request.FILES, agency=own)
            if form.is_valid():
                agency = own or form.cleaned_data["agency"]
                result = catalogue.import_workbook(form.cleaned_data["workbook"], agency=agency)
                if result.ok:
                    self._log_import(request, result)
                    self.message_user(
                        request,
                        _(
                            "Đã nhập %(total)s thủ tục của %(agency)s: "
                            "thêm mới %(created)s, cập nhật %(updated)s."
                        )
                        % {
                            "total": len(result.created) + len(result.updated),
                            "agency": agency,
                            "created": len(result.created),
                            "updated": len(result.updated),
                        },
                        messages.SUCCESS,
                    )
                    return redirect("admin:onestop_procedure_changelist")
                errors = result.errors
        else:
            form = ImportForm(agency=own)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Nhập danh mục thủ tục từ Excel"),
            "form": form,
            "errors": errors,
            "agency": own,
            "sheets": [(str(title), [str(c.header) for c in columns]) for title, columns in catalogue.SHEETS],
            "template_url": reverse("admin:onestop_procedure_template"),
            "media": self.media + form.media,
        }
        return TemplateResponse(request, "admin/onestop/procedure/import.html", context)

    def _log_import(self, request, result) -> None:
        message = [{"changed": {"fields": [_("Nhập từ Excel")]}}]
        for procedure in result.created:
            self.log_addition(request, procedure, message)
        for procedure in result.updated:
            self.log_change(request, procedure, message)


def _xlsx_response(data: bytes, agency: Agency | None, *, blank: bool = False) -> HttpResponse:
    stem = "mau-danh-muc-thu-tuc" if blank else "danh-muc-thu-tuc"
    if agency is not None:
        stem += "-" + slugify(fold(agency.abbreviation or agency.code))
    name = f"{stem}-{timezone.localdate():%Y%m%d}.xlsx"
    response = HttpResponse(data, content_type=excel.CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
