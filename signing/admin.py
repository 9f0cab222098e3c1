from django.contrib import admin

from signing.models import Credential, PublicVerification, SignatureLog, SignatureRequest


@admin.register(Credential)
class CredentialAdmin(admin.ModelAdmin):
    list_display = ("label", "kind", "backend", "agency", "owner", "not_after", "is_test", "is_active")
    list_filter = ("kind", "backend", "is_test", "is_active")
    search_fields = ("label", "subject", "serial")
    readonly_fields = ("subject", "issuer", "serial", "not_before", "not_after")
    exclude = ("certificate", "chain")


@admin.register(SignatureLog)
class SignatureLogAdmin(admin.ModelAdmin):
    """Append-only: read here, never changed."""

    list_display = ("created_at", "actor", "title", "kind", "backend", "result")
    list_filter = ("result", "backend", "kind")
    search_fields = ("title", "sha256_before", "sha256_after")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(SignatureRequest)
class SignatureRequestAdmin(admin.ModelAdmin):
    list_display = ("title", "kind", "agency", "signer", "status", "created_at")
    list_filter = ("status", "kind")
    readonly_fields = ("sha256", "result_sha256", "remote_state")


@admin.register(PublicVerification)
class PublicVerificationAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "sha256", "allow_download", "created_at")
    readonly_fields = ("code", "sha256", "report")
