"""Admin of the one-stop module: the procedures catalogue (with Excel export and import) and the agency's
counter settings are edited here; dossiers are only read (every change of a dossier goes through
``onestop.services``). An agency admin sees and edits only their own agency's rows.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import RelatedFieldWidgetWrapper
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.db.models import Case, IntegerField, Value, When
from django.forms.models import BaseInlineFormSet
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eoffice.admin import AgencyScopedAdmin, AgencyScopedChoices
from eoffice.models import Agency, Role
from eoffice.search import fold

from . import catalogue
from .models import (
    STEP_ORDER,
    Dossier,
    DossierPaper,
    DossierStep,
    OnestopConfig,
    Procedure,
    ProcedureField,
    ProcedureStep,
    RequiredPaper,
    SupplementRequest,
)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _plain(formfield):
    """No add / change / view buttons beside a select (units and agencies are managed elsewhere)."""
    widget = getattr(formfield, "widget", None)
    if isinstance(widget, RelatedFieldWidgetWrapper):
        widget.can_add_related = widget.can_change_related = False
        widget.can_view_related = widget.can_delete_related = False
    return formfield


def _is_agency_admin(request) -> bool:
    user = request.user  # anonymous too: the admin's login page asks
    return getattr(user, "agency_id", None) is not None and user.has_role(Role.AGENCY_ADMIN)


# ---------------------------------------------------------------------------------------------------
# Fields (lĩnh vực): shared by every agency
# ---------------------------------------------------------------------------------------------------


@admin.register(ProcedureField)
class ProcedureFieldAdmin(admin.ModelAdmin):
    """Fields are shared: an agency admin may read and add them; only the installation admin edits them."""

    list_display = ("name", "code")
    search_fields = ("name", "code")

    def has_module_permission(self, request):
        return request.user.is_superuser or _is_agency_admin(request)

    def has_view_permission(self, request, obj=None):
        return self.has_module_permission(request)

    def has_add_permission(self, request):
        return self.has_module_permission(request)

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_superuser


# ---------------------------------------------------------------------------------------------------
# Procedures
# ---------------------------------------------------------------------------------------------------


class ProcedureAdminForm(forms.ModelForm):
    class Meta:
        model = Procedure
        fields = [
            "agency",
            "code",
            "name",
            "field",
            "online_level",
            "is_active",
            "time_value",
            "time_unit",
            "cutoff_rule",
            "fee_amount",
            "fee_note",
            "result_name",
            "handling_department",
            "legal_basis",
        ]
        widgets = {
            "name": forms.TextInput(attrs={"size": 80}),
            "result_name": forms.TextInput(attrs={"size": 80}),
            "fee_note": forms.TextInput(attrs={"size": 60}),
        }

    def clean(self):
        data = super().clean()
        problem = catalogue.department_problem(
            Procedure(agency=data.get("agency") or getattr(self.instance, "agency", None)),
            data.get("handling_department"),
        )
        if problem:
            self.add_error("handling_department", problem)
        return data


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


class StepFormSet(BaseInlineFormSet):
    """The steps of a procedure: every required step once, units of the agency, hours adding up to the
    legal time (the procedure's own fields, as posted, are on ``self.instance``)."""

    def clean(self):
        super().clean()
        if any(self.errors):
            return
        steps = []
        for form in self.forms:
            data = form.cleaned_data
            if not data or data.get("DELETE"):
                continue
            steps.append((data["kind"], data.get("department"), data["hours"]))
        procedure = self.instance
        if procedure.time_value is None or not procedure.time_unit:
            return  # the procedure's form reports it
        problems = catalogue.steps_problems(procedure, steps)
        if problems:
            raise ValidationError(problems)


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
        return _plain(super().formfield_for_dbfield(db_field, request, **kwargs))

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


class ImportForm(forms.Form):
    agency = forms.ModelChoiceField(
        label=gettext_lazy("Cơ quan"), queryset=Agency.objects.filter(is_active=True).order_by("name")
    )
    workbook = forms.FileField(
        label=gettext_lazy("Tệp Excel (.xlsx)"),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
        ),
    )

    def __init__(self, *args, agency=None, **kwargs):
        super().__init__(*args, **kwargs)
        if agency is not None:
            del self.fields["agency"]


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
        return _plain(field) if db_field.name in ("agency", "handling_department") else field

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
    response = HttpResponse(data, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# ---------------------------------------------------------------------------------------------------
# Counter settings
# ---------------------------------------------------------------------------------------------------


@admin.register(OnestopConfig)
class OnestopConfigAdmin(AgencyScopedAdmin):
    list_display = (
        "agency",
        "code_prefix",
        "counter_name",
        "counter_phone",
        "cutoff",
        "cutoff_scope",
        "supplement_days",
    )
    list_select_related = ("agency",)
    search_fields = ("agency__name", "receiving_code")
    fields = (
        "agency",
        "receiving_code",
        "counter_name",
        "counter_address",
        "counter_phone",
        "cutoff",
        "cutoff_scope",
        "supplement_days",
    )

    @admin.display(description=gettext_lazy("phần đầu mã hồ sơ"))
    def code_prefix(self, obj):
        return obj.code_prefix

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "agency":
            field.label = _("Cơ quan")  # the model's field has no Vietnamese name
            return _plain(field)
        if db_field.name in ("counter_name", "counter_address"):
            field.widget.attrs["class"] = "vLargeTextField"
        return field

    def has_add_permission(self, request):
        if self.is_installation_admin(request):
            return True
        return (
            self.is_agency_admin(request)
            and not OnestopConfig.objects.filter(agency_id=request.user.agency_id).exists()
        )

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


# ---------------------------------------------------------------------------------------------------
# Dossiers: read only
# ---------------------------------------------------------------------------------------------------


def _short(moment) -> str:
    return timezone.localtime(moment).strftime("%d/%m/%Y %H:%M") if moment else "—"


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
        return _short(obj.added_at)


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
        return _short(obj.started_at)

    @admin.display(description=gettext_lazy("hạn của bước"))
    def due(self, obj):
        return _short(obj.due_at)

    @admin.display(description=gettext_lazy("hoàn thành lúc"))
    def finished(self, obj):
        return _short(obj.finished_at)


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
        return _short(obj.requested_at)

    @admin.display(description=gettext_lazy("bổ sung lúc"))
    def answered(self, obj):
        return _short(obj.answered_at)

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
        return _short(obj.submitted_at)

    @admin.display(description=gettext_lazy("hẹn trả"), ordering="due_at")
    def due(self, obj):
        return _short(obj.due_at)

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
