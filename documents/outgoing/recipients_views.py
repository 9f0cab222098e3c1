"""The clerk's one write on the reconciliation of a signed document: a recipient not printed in "Nơi nhận"
taken off the sending list (``recipients_check.recipient_drop``). Its URL is added to the outgoing URLs."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from documents.outgoing import recipients_check, selectors
from eoffice.actions import error_text
from workflow.services import RecordChanged


@login_required
@require_POST
def recipient_drop(request, pk: int, recipient_pk: int):
    document = selectors.outgoing_access(user=request.user, pk=pk)
    try:
        recipients_check.recipient_drop(document=document, recipient_pk=recipient_pk, by=request.user)
    except (ValidationError, PermissionDenied, RecordChanged) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Đã bỏ nơi nhận khỏi danh sách gửi."))
    return redirect(document.get_absolute_url())


urlpatterns = [
    path(
        "outgoing/<int:pk>/recipients/<int:recipient_pk>/drop/",
        recipient_drop,
        name="outgoing_recipient_drop",
    ),
]
