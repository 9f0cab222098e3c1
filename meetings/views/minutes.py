"""Pages of the minutes and the conclusions: the section of the meeting page, the minutes' edit page, the
conclusions' page, and the minutes' PDF (served only once the meeting is visible to the user)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from eoffice import audit
from eoffice.files import mark_bytes, serve_field_file
from eoffice.forms import add_form_errors
from meetings import rules, selectors, services
from meetings.forms import minutes as forms
from meetings.models import Conclusion, Minutes
from meetings.render import minutes as minutes_render


def _minutes_or_none(meeting) -> Minutes | None:
    return (
        Minutes.objects.select_related("secretary", "presider", "sign_request")
        .filter(meeting=meeting)
        .first()
    )


def _conclusion_or_none(meeting) -> Conclusion | None:
    return Conclusion.objects.select_related("notice").filter(meeting=meeting).first()


def section_context(*, user, meeting) -> dict:
    """The minutes section for ``user``: the minutes and conclusions, and the actions offered now."""
    from meetings.actions import MEETING_ACTIONS as A

    minutes, conclusion = _minutes_or_none(meeting), _conclusion_or_none(meeting)
    tasks = list(conclusion.tasks.select_related("assignee", "work_item")) if conclusion else []
    can_edit = bool(minutes and rules.can_edit_minutes(user, minutes))
    concludes = rules.can_conclude(user, meeting, minutes)
    open_notice = rules.notice_open(conclusion)
    signer_id = minutes.sign_request.signer_id if minutes and minutes.sign_request_id else None
    return {
        "mn": minutes,
        "mn_started": rules.has_started(meeting),
        "mn_start": A.bind("minutes_start", meeting, user)
        if minutes is None and rules.can_keep_minutes(user, meeting)
        else None,
        "mn_can_edit": can_edit,
        "mn_submit": A.bind("minutes_submit", meeting, user) if can_edit else None,
        "mn_withdraw": A.bind("minutes_withdraw", meeting, user)
        if minutes and rules.can_withdraw_minutes(user, minutes)
        else None,
        "mn_my_turn": bool(signer_id and signer_id == user.pk),
        "cc": conclusion,
        "cc_tasks": tasks,
        "cc_can_edit": concludes and not open_notice,
        "cc_notice": A.bind("conclusion_notice", meeting, user)
        if conclusion and concludes and not open_notice
        else None,
    }


@login_required
def minutes_edit(request, pk: int):
    meeting = selectors.meeting_access(user=request.user, pk=pk)
    minutes = _minutes_or_none(meeting)
    if minutes is None or not rules.can_edit_minutes(request.user, minutes):
        raise Http404
    form = forms.MinutesForm(
        request.POST or None, meeting=meeting, initial=forms.MinutesForm.initial_of(minutes)
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.minutes_update(minutes=minutes, by=request.user, **form.cleaned_data)
        except (ValidationError, PermissionDenied) as exc:
            add_form_errors(form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc)))
        else:
            messages.success(request, _("Đã lưu dự thảo biên bản."))
            return redirect(meeting)
    return render(
        request, "meetings/minutes/edit.html", {"meeting": meeting, "minutes": minutes, "form": form}
    )


@login_required
def conclusion_edit(request, pk: int):
    meeting = selectors.meeting_access(user=request.user, pk=pk)
    conclusion = _conclusion_or_none(meeting)
    allowed = rules.can_conclude(request.user, meeting, _minutes_or_none(meeting))
    if not allowed or rules.notice_open(conclusion):
        raise Http404
    form, formset = forms.conclusion_forms(request.POST or None, meeting=meeting, conclusion=conclusion)
    if request.method == "POST" and all([form.is_valid(), formset.is_valid()]):  # both show their errors
        try:
            text, tasks = form.cleaned_data["text"], forms.task_rows(formset)
            services.conclusion_save(meeting=meeting, by=request.user, text=text, tasks=tasks)
        except (ValidationError, PermissionDenied) as exc:
            add_form_errors(form, exc if isinstance(exc, ValidationError) else ValidationError(str(exc)))
        else:
            messages.success(request, _("Đã lưu kết luận cuộc họp."))
            return redirect(meeting)
    context = {"meeting": meeting, "form": form, "formset": formset}
    return render(request, "meetings/minutes/conclusion.html", context)


@login_required
def minutes_pdf(request, pk: int):
    """The minutes as they stand: signed (both signatures), awaiting a signature (the file being signed),
    or the draft rendered now (marked as such)."""
    meeting = selectors.meeting_access(user=request.user, pk=pk)
    minutes = _minutes_or_none(meeting)
    if minutes is None:
        raise Http404
    name = minutes_render.filename(minutes)
    access = audit.record_file_access(request, kind="meeting", object_id=meeting.pk)
    if minutes.status == Minutes.Status.SIGNED:
        return serve_field_file(minutes.pdf, filename=name, **access)
    if minutes.sign_request_id:
        return serve_field_file(minutes.sign_request.pdf, filename=name, **access)
    draft = mark_bytes(minutes_render.render(minutes, draft=True).pdf, user=access["mark_for"])
    response = HttpResponse(draft, content_type="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="du-thao-{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
