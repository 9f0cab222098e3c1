"""A view helper shared by the documents sub-packages: a service's refusal shown on the form it came from
(the detail pages' actions use ``eoffice.actions``, whose ``error_text`` gives a refusal's text)."""

from __future__ import annotations

from django.core.exceptions import ValidationError


def add_form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            name = {"due_at": "due_date"}.get(field, field)
            for error in errors:
                form.add_error(name if name in form.fields else None, error)
    else:
        form.add_error(None, exc)
