from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.decorators import method_decorator
from django.utils.translation import gettext_lazy as _
from django.views.decorators.debug import sensitive_post_parameters

from eoffice.admin import AgencyScopedAdmin
from eoffice.models import User
from signing import services
from signing.models import Credential, PublicVerification, SignatureLog, SignatureRequest


class CredentialUploadForm(forms.ModelForm):
    """Add a PKCS#12 credential: the file and its password are checked before anything is saved."""

    pkcs12_file = forms.FileField(
        label=_("Tệp PKCS#12 (.p12, .pfx)"),
        help_text=_("Tệp chứng thư số kèm khóa bí mật do tổ chức cung cấp dịch vụ chứng thực cấp."),
    )
    password = forms.CharField(
        label=_("Mật khẩu của tệp"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "off"}, render_value=False),
        help_text=_(
            "Mật khẩu này trở thành mã PIN khi ký số; hệ thống không lưu mật khẩu, "
            "chỉ dùng nó để mã hóa khóa."
        ),
    )

    class Meta:
        model = Credential
        fields = ("agency", "owner", "label", "is_test")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["label"].required = False
        self.fields["label"].help_text = _("Để trống để dùng tên chủ thể của chứng thư số.")
        self.fields["owner"].help_text = _("Để trống nếu là chứng thư số của cơ quan (dùng để đóng dấu).")

    def clean(self):
        cleaned = super().clean()
        upload, password = cleaned.get("pkcs12_file"), cleaned.get("password")
        owner, agency = cleaned.get("owner"), cleaned.get("agency")
        if owner is not None and agency is not None and owner.agency_id != agency.pk:
            self.add_error("owner", _("Người sở hữu phải thuộc cơ quan đã chọn."))
        if upload is not None and password:
            data = upload.read()
            try:
                services.pkcs12_parse(data=data, password=password)
            except ValidationError as exc:
                self.add_error("pkcs12_file", exc)
            else:
                self.pkcs12_bytes = data
        return cleaned

    def _post_clean(self):
        # The service makes the instance, not the form: no model validation of a half-filled row here.
        pass


@admin.register(Credential)
class CredentialAdmin(AgencyScopedAdmin):
    list_display = ("label", "kind", "backend", "agency", "owner", "not_after", "is_test", "is_active")
    list_filter = ("kind", "backend", "is_test", "is_active")
    search_fields = ("label", "subject", "serial", "owner__username", "owner__full_name")
    list_select_related = ("agency", "owner")
    add_form = CredentialUploadForm
    add_fieldsets = ((None, {"fields": ("agency", "owner", "label", "pkcs12_file", "password", "is_test")}),)
    fields = (
        "label",
        "kind",
        "backend",
        "agency",
        "owner",
        "subject",
        "issuer",
        "serial",
        "not_before",
        "not_after",
        "token_label",
        "key_label",
        "service_url",
        "remote_credential_id",
        "remote_async",
        "is_test",
        "is_active",
        "pin_failures",
        "pin_locked_until",
    )
    readonly_fields = (
        "kind",
        "backend",
        "agency",
        "owner",
        "subject",
        "issuer",
        "serial",
        "not_before",
        "not_after",
        "pin_failures",
    )

    def get_fieldsets(self, request, obj=None):
        return self.add_fieldsets if obj is None else super().get_fieldsets(request, obj)

    def get_readonly_fields(self, request, obj=None):
        return () if obj is None else self.readonly_fields

    def get_form(self, request, obj=None, **kwargs):
        if obj is None:
            kwargs["form"] = self.add_form
        return super().get_form(request, obj, **kwargs)

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        if db_field.name == "service_url":
            kwargs["assume_scheme"] = "https"
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "owner" and not self.is_installation_admin(request):
            kwargs["queryset"] = User.objects.filter(agency_id=request.user.agency_id, is_active=True)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @method_decorator(sensitive_post_parameters("password"))
    def add_view(self, request, form_url="", extra_context=None):
        return super().add_view(request, form_url, extra_context)

    def save_form(self, request, form, change):
        if change:
            return super().save_form(request, form, change)
        data = form.cleaned_data
        return services.credential_import_pkcs12(
            by=request.user,
            agency=data["agency"],
            owner=data.get("owner"),
            label=data.get("label") or "",
            data=form.pkcs12_bytes,
            password=data["password"],
            is_test=data.get("is_test", False),
        )

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        if change:
            super().save_related(request, form, formsets, change)


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
    """Read only: a request moves through the signing services alone, and its files and their SHA-256 are
    evidence (a file replaced here would no longer match the hash kept beside it)."""

    list_display = ("title", "kind", "agency", "signer", "status", "created_at")
    list_filter = ("status", "kind")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(PublicVerification)
class PublicVerificationAdmin(admin.ModelAdmin):
    list_display = ("code", "title", "sha256", "allow_download", "created_at")
    # The file is what the code vouches for (its SHA-256 is kept beside it): never replaced here.
    readonly_fields = ("code", "file", "sha256", "report")
