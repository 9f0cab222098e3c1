"""The agency admin's page of format reviewers per document type; the check itself is on the document page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from documents.outgoing.format import forms, reviewers, selectors, services
from eoffice.actions import error_text
from eoffice.forms import add_form_errors
from eoffice.models import Role


def can_assign(user) -> bool:
    return bool(user.agency_id) and user.has_role(Role.AGENCY_ADMIN)


@login_required
def format_rules(request):
    if not can_assign(request.user):
        raise PermissionDenied
    agency_id = request.user.agency_id
    form = forms.RuleForm(request.POST or None, agency_id=agency_id)
    if request.method == "POST" and form.is_valid():
        try:
            services.rule_add(by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_form_errors(form, exc)
        else:
            messages.success(request, _("Đã phân công kiểm tra thể thức."))
            return redirect("documents:outgoing_format_rules")
    context = {
        "form": form,
        "rules": list(selectors.rules_of(agency_id)),
        "role_people": list(reviewers.role_holders(agency_id)),
    }
    return render(request, "documents/outgoing/format/rules.html", context)


@login_required
@require_POST
def format_rule_delete(request, pk: int):
    if not can_assign(request.user):
        raise PermissionDenied
    rule = selectors.rule_of(user=request.user, pk=pk)
    try:
        services.rule_remove(by=request.user, rule=rule)
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    else:
        messages.success(request, _("Đã bỏ phân công."))
    return redirect("documents:outgoing_format_rules")
