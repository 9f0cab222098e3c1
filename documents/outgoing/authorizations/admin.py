"""Django admin for the signing authorisations: an agency admin sees and adds their own agency's records
(revocation is a field here; the page "Giao ký, ủy quyền ký" keeps the history of what it does)."""

from django.contrib import admin

from documents.outgoing.models import SigningAuthorization
from eoffice.admin import AgencyOwnedAdmin


@admin.register(SigningAuthorization)
class SigningAuthorizationAdmin(AgencyOwnedAdmin):
    list_display = (
        "authority",
        "authority_title",
        "grantee",
        "valid_from",
        "valid_to",
        "decision_number",
        "revoked_at",
    )
    list_filter = ("authority",)
    search_fields = ("decision_number", "grantee__full_name", "authority_title")
    autocomplete_fields = ()
    filter_horizontal = ("doc_types",)
    readonly_fields = ("created_by", "created_at", "revoked_by")
    raw_id_fields = ("decision",)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        if obj.revoked_at and not obj.revoked_by_id:
            obj.revoked_by = request.user
        super().save_model(request, obj, form, change)
