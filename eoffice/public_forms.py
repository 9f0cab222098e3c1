"""Form pieces of the public pages (no login) that more than one app uses: the e-mail confirmed by a
one-time code (``eoffice.otp``), and an input of several files, each checked by the caller's function."""

from __future__ import annotations

import re
from collections.abc import Callable

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SCAN_ACCEPT = ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"


class EmailForm(forms.Form):
    email = forms.EmailField(
        label=_("Thư điện tử của bạn"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email", "inputmode": "email"}),
    )

    def clean_email(self) -> str:
        return self.cleaned_data["email"].strip().lower()


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Mã xác thực (6 chữ số)"),
        max_length=12,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "class": "pub-code-input"}
        ),
    )

    def clean_code(self) -> str:
        code = re.sub(r"\s+", "", self.cleaned_data["code"])
        if not re.fullmatch(r"\d{6}", code):
            raise ValidationError(_("Mã xác thực gồm 6 chữ số."))
        return code


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFilesField(forms.FileField):
    """Several files in one input, at most ``max_files``, each checked by ``check`` (raises ValidationError);
    every file's error is reported, not only the first."""

    check: Callable[[object], None] | None = None

    def __init__(self, *args, max_files: int = 10, **kwargs):
        self.max_files = max_files
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": SCAN_ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        items = [d for d in (data if isinstance(data, list | tuple) else [data]) if d]
        if not items:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        if len(items) > self.max_files:
            raise ValidationError(_("Chọn tối đa %(n)d tệp."), params={"n": self.max_files}, code="too_many")
        files = [forms.FileField.clean(self, item, initial) for item in items]
        errors = []
        for item in files:
            try:
                if self.check is not None:
                    type(self).check(item)
            except ValidationError as exc:
                errors.append(exc)
        if errors:
            raise ValidationError(errors)
        return files
