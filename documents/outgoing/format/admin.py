"""Django admin for the format reviewers per document type: an agency admin sees and adds their own agency's
(the page "Phân công kiểm tra thể thức" does the same for people without the admin)."""

from django.contrib import admin

from documents.outgoing.models import FormatReviewRule
from eoffice.admin import AgencyOwnedAdmin


@admin.register(FormatReviewRule)
class FormatReviewRuleAdmin(AgencyOwnedAdmin):
    list_display = ("doc_type", "reviewer", "agency", "created_at")
    list_filter = ("doc_type",)
    search_fields = ("reviewer__full_name", "doc_type__name")
    readonly_fields = ("created_at",)

    def has_delete_permission(self, request, obj=None):
        return self._may(request, obj)
