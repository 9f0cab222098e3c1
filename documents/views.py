"""View helpers shared by the documents sub-packages: a refusal's text, a service's errors on a form, and
the detail page's one-form post (``post_action``, until every page uses ``eoffice.actions``)."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from documents.incoming import pages, selectors


def error_text(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc) or _("Bạn không có quyền thực hiện thao tác này.")


def add_form_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            name = {"due_at": "due_date"}.get(field, field)
            for error in errors:
                form.add_error(name if name in form.fields else None, error)
    else:
        form.add_error(None, exc)


def post_action(
    request,
    pk: int,
    form_class,
    call: Callable,
    success: str,
    *,
    get: Callable | None = None,
    prefix: str | None = None,
    **form_kwargs,
):
    """The shared shape of the detail page's forms: visible document, valid form, service, message.
    ``get(user=, pk=)`` loads the record the user may see (default: an incoming document); ``prefix`` is
    the form's prefix on the page (``pages.FORM_PREFIXES``: every form of a page has its own ids)."""
    document = (get or selectors.incoming_access)(user=request.user, pk=pk)
    if form_class is not None and prefix is None:
        prefix = pages.FORM_PREFIXES.get(form_class)
    form = (
        form_class(request.POST, request.FILES or None, prefix=prefix, **form_kwargs) if form_class else None
    )
    if form is not None and not form.is_valid():
        errors = [str(e) for field_errors in form.errors.values() for e in field_errors]
        messages.error(request, " ".join(errors) or _("Yêu cầu không hợp lệ."))
        return redirect(document)
    try:
        call(document, form)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, success)
    return redirect(document)
