from django.contrib import admin

from documents.models import DocumentType, Register, RegisterCounter


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "abbreviation", "order", "is_active")
    list_editable = ("order", "is_active")
    search_fields = ("name", "abbreviation")


class CounterInline(admin.TabularInline):
    model = RegisterCounter
    extra = 0
    readonly_fields = ("year", "last_number")
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Register)
class RegisterAdmin(admin.ModelAdmin):
    list_display = ("name", "agency", "kind", "code", "is_default", "is_active")
    list_filter = ("kind", "is_active")
    search_fields = ("name", "code", "agency__name")
    inlines = [CounterInline]

    def get_queryset(self, request):
        qs = super().get_queryset(request).select_related("agency")
        if request.user.is_superuser:
            return qs
        return qs.filter(agency_id=request.user.agency_id)
