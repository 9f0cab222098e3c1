from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from eoffice.uploads import StampImageField
from eoffice.validators import validate_transparent_png


class SignatureForm(forms.Form):
    signature_image = StampImageField(
        label=_("Ảnh chữ ký"),
        help_text=_("Ảnh PNG nền trong suốt, mực màu xanh, tối đa 2 MB."),
        validators=[validate_transparent_png],
    )


class DirectorySearchForm(forms.Form):
    q = forms.CharField(label=_("Tìm cán bộ"), required=False, max_length=100)


def add_form_errors(form, exc: ValidationError, *, rename: dict[str, str] | None = None) -> None:
    """A service's refusal shown on the form it came from: each field's errors under that field (a service
    argument named differently from its form field is mapped by ``rename``), the rest above the form."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            name = (rename or {}).get(field, field)
            for error in errors:
                form.add_error(name if name in form.fields else None, error)
    else:
        form.add_error(None, exc)
