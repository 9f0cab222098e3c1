from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _


class VerifyUploadForm(forms.Form):
    file = forms.FileField(label=_("Tệp PDF cần kiểm tra"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > settings.EOFFICE_MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(
                _("Tệp quá lớn (tối đa %(mb)s MB).") % {"mb": settings.EOFFICE_MAX_UPLOAD_MB}
            )
        return upload


class BatchSignForm(forms.Form):
    requests = forms.ModelMultipleChoiceField(
        queryset=None, widget=forms.CheckboxSelectMultiple, label=_("Văn bản")
    )
    pin = forms.CharField(
        label=_("Mã PIN"),
        max_length=64,
        widget=forms.PasswordInput(attrs={"autocomplete": "off", "inputmode": "numeric"}),
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["requests"].queryset = queryset
        self.fields["requests"].error_messages["required"] = _("Chọn ít nhất một văn bản để ký.")
