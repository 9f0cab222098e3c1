"""The agency's counter settings (one per agency)."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eoffice.admin import AgencyOwnedAdmin
from onestop.admin.common import plain_select
from onestop.models import OnestopConfig


@admin.register(OnestopConfig)
class OnestopConfigAdmin(AgencyOwnedAdmin):
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
            return plain_select(field)
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
