from django import forms
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
