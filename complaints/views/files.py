"""The protected side of a letter: revealing an identity to the entitled (POST, logged, never cached), its
files served after the check (a protected letter's originals decrypted on the fly for the entitled only, the
redacted copy for everyone else who sees the letter), and the redaction tool."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from complaints import rules, selectors, services
from complaints.models import Identity, LetterFile
from eoffice import audit
from eoffice.actions import error_text
from eoffice.files import mark_bytes
from eoffice.ratelimit import client_address


def _identity(user, pk: int) -> Identity:
    """The identity, for the entitled only (the same 404 for missing and not yours)."""
    identity = get_object_or_404(Identity.objects.select_related("letter", "visit"), pk=pk)
    if not rules.identity_entitled(user, identity):
        raise Http404
    return identity


def _owner_url(identity: Identity) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        if identity.letter_id:
            return reverse("complaints:letter", args=[identity.letter_id])
        return reverse("complaints:visit", args=[identity.visit_id])
    except NoReverseMatch:
        return ""


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def identity(request, pk: int):
    """GET: a button; POST: the decrypted identity on a page no cache keeps, each read logged."""
    person = _identity(request.user, pk)
    context = {"person": person, "label": services.identity_label(person), "back": _owner_url(person)}
    if request.method == "POST":
        context["fields"] = services.identity_reveal(
            identity=person, user=request.user, purpose="view", address=client_address(request) or None
        )
    return render(request, "complaints/files/identity.html", context)


def _file(user, pk: int) -> LetterFile:
    """A file the user may open (the same 404 otherwise)."""
    row = get_object_or_404(LetterFile.objects.only("pk", "letter_id"), pk=pk)
    letter = selectors.letter_access(user=user, pk=row.letter_id)
    for found in services.letter_files_visible(user, letter):
        if found.pk == row.pk:
            return found
    raise Http404


@never_cache
@login_required
@require_safe
def file_view(request, pk: int):
    row = _file(request.user, pk)
    try:
        data = services.file_bytes(row)
    except FileNotFoundError as exc:
        raise Http404 from exc
    access = audit.record_file_access(
        request, kind="letter", object_id=row.letter_id, download=bool(request.GET.get("download"))
    )
    if access["mark_for"] is not None and row.content_type == "application/pdf":
        data = mark_bytes(data, user=request.user)
    response = HttpResponse(data, content_type=row.content_type or "application/octet-stream")
    disposition = "inline" if access["inline"] else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{_ascii_name(row)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _ascii_name(row: LetterFile) -> str:
    extension = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpg"}.get(
        row.content_type, "bin"
    )
    return f"don-{row.letter_id}-{row.pk}.{extension}"


def _redactable(user, pk: int) -> LetterFile:
    row = _file(user, pk)
    if row.kind == LetterFile.Kind.REDACTED or not services.letter_entitled(user, row.letter):
        raise Http404
    return row


@never_cache
@login_required
@require_safe
def page_image(request, pk: int, page: int):
    """One page of an original as PNG, for the redaction tool (the entitled only)."""
    row = _redactable(request.user, pk)
    try:
        data = services.page_png(row, page)
    except ValidationError as exc:
        raise Http404 from exc
    return HttpResponse(data, content_type="image/png")


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def redact(request, pk: int):
    """The redaction tool: the pages of an original, rectangles drawn on them, saved as the redacted copy."""
    row = _redactable(request.user, pk)
    if request.method == "POST":
        try:
            boxes = json.loads(request.POST.get("boxes") or "[]")
            if not isinstance(boxes, list):
                raise ValueError
            made = services.letter_redact(source=row, boxes=boxes, by=request.user)
        except (ValueError, ValidationError, PermissionDenied) as exc:
            text = _("Vùng che không hợp lệ.") if isinstance(exc, ValueError) else error_text(exc)
            messages.error(request, text)
        else:
            messages.success(request, _("Đã tạo bản che thông tin (%(name)s).") % {"name": made.name})
            return redirect(_letter_url(row) or request.path)
    context = {"row": row, "pages": range(1, services.page_count(row) + 1), "back": _letter_url(row)}
    return render(request, "complaints/files/redact.html", context)


def _letter_url(row: LetterFile) -> str:
    from django.urls import NoReverseMatch, reverse

    try:
        return reverse("complaints:letter", args=[row.letter_id])
    except NoReverseMatch:
        return ""
