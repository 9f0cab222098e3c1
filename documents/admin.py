from django import forms
from django.contrib import admin
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from documents.exchange import admin as exchange_admin  # noqa: F401 (registers the exchange models)
from documents.outgoing.authorizations import admin as authorization_admin  # noqa: F401 (signing authorisations)
from documents.outgoing.format import admin as format_admin  # noqa: F401 (format reviewers per type)
from documents.registers.models import DocumentType, Register, RegisterCounter
from eoffice.admin import AgencyScopedAdmin, AgencyScopedChoices


@admin.register(DocumentType)
class DocumentTypeAdmin(admin.ModelAdmin):
    list_display = ("name", "abbreviation", "order", "is_active")
    list_editable = ("order", "is_active")
    search_fields = ("name", "abbreviation")


class CounterInline(AgencyScopedChoices, admin.TabularInline):
    model = RegisterCounter
    extra = 0
    readonly_fields = ("year", "last_number")
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_view_permission(self, request, obj=None) -> bool:
        # Whoever may open the register may read its counters (the parent admin checked the agency).
        return True


class RegisterAdminForm(forms.ModelForm):
    """The agency's numbering scheme (NĐ 30 Điều 15): one outgoing series for everything, or a secret
    register and registers per document type. Only an outgoing register may be secret or list types; an
    agency keeps at most one active secret register, and a type belongs to at most one active register."""

    class Meta:
        model = Register
        fields = ["agency", "kind", "code", "name", "is_default", "is_active", "is_secret", "doc_types"]
        help_texts = {
            "is_secret": _(
                "Chỉ với sổ văn bản đi. Văn bản mật được đánh số theo hệ thống số riêng trong sổ này; "
                "mỗi cơ quan chỉ có một sổ mật đang dùng."
            ),
            "doc_types": _(
                "Chỉ với sổ văn bản đi, không phải sổ mật: văn bản thuộc các loại đã chọn được đánh số "
                "trong sổ này. Mỗi loại chỉ thuộc một sổ đang dùng. Để trống: sổ dùng chung cho các "
                "loại không có sổ riêng."
            ),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "doc_types" in self.fields:
            linked = self.instance.doc_types.all() if self.instance.pk else DocumentType.objects.none()
            self.fields["doc_types"].queryset = DocumentType.objects.filter(
                Q(is_active=True) | Q(pk__in=linked.values("pk"))
            ).order_by("order", "name")
            # The two-list picker needs no "hold down Control" hint that the admin appends to multi-selects.
            self.fields["doc_types"].help_text = self._meta.help_texts["doc_types"]

    def clean(self):
        data = super().clean()
        kind = data.get("kind", self.instance.kind)
        agency = data.get("agency") or (self.instance.agency if self.instance.agency_id else None)
        secret = bool(data.get("is_secret"))
        types = list(data.get("doc_types") or [])
        active = data.get("is_active", True)
        if kind != Register.Kind.OUTGOING:
            if secret:
                self.add_error("is_secret", _("Chỉ sổ văn bản đi mới có thể là sổ văn bản mật."))
            if types:
                self.add_error("doc_types", _("Chỉ sổ văn bản đi mới gắn được loại văn bản."))
            return data
        if secret and types:
            self.add_error(
                "doc_types", _("Sổ văn bản mật dùng cho mọi văn bản mật: không gắn loại văn bản cho sổ này.")
            )
        if secret and data.get("is_default"):
            self.add_error("is_secret", _("Sổ mặc định đánh số văn bản thường: không thể là sổ văn bản mật."))
        if agency is None or not active:
            return data
        others = Register.objects.filter(agency=agency, kind=Register.Kind.OUTGOING, is_active=True)
        if self.instance.pk:
            others = others.exclude(pk=self.instance.pk)
        if secret:
            existing = others.filter(is_secret=True).first()
            if existing:
                self.add_error(
                    "is_secret",
                    _("Cơ quan đã có sổ văn bản mật đang dùng: %(name)s.") % {"name": existing.name},
                )
        if types:
            taken = (
                others.filter(doc_types__in=types)
                .values_list("doc_types__name", "name")
                .order_by("doc_types__name", "name")
                .distinct()
            )
            wanted = {t.name for t in types}
            clashes = [(type_name, name) for type_name, name in taken if type_name in wanted]
            if clashes:
                self.add_error(
                    "doc_types",
                    _("Mỗi loại văn bản chỉ thuộc một sổ văn bản đi đang dùng: %(list)s.")
                    % {
                        "list": "; ".join(
                            _("%(type)s đã thuộc %(register)s") % {"type": t, "register": name}
                            for t, name in clashes
                        )
                    },
                )
        return data


@admin.register(Register)
class RegisterAdmin(AgencyScopedAdmin):
    form = RegisterAdminForm
    list_display = ("name", "agency", "kind", "code", "is_default", "is_secret", "is_active")
    list_filter = ("kind", "is_secret", "is_active")
    list_select_related = ("agency",)
    search_fields = ("name", "code", "agency__name")
    filter_horizontal = ("doc_types",)
    inlines = [CounterInline]

    def save_model(self, request, obj, form, change):
        if not self.is_installation_admin(request):
            obj.agency_id = request.user.agency_id
        super().save_model(request, obj, form, change)
