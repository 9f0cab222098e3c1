"""The booking pages: register a meeting, its page, its change form, and the managers' approval queue."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from eoffice import audit
from eoffice.actions import error_text
from eoffice.forms import add_form_errors
from eoffice.params import int_param
from meetings import records, rules, selectors, services
from meetings.actions import MEETING_ACTIONS
from meetings.actions import booking as booking_actions
from meetings.actions import invitations as invitation_actions
from meetings.forms import booking as forms
from meetings.models import Meeting
from workflow.models import WorkflowState
from workflow.services import RecordChanged

# The page's "Xử lý lịch" card: the booking and invitation actions (the paperless and minutes sections
# render theirs in their own sections).
CARD_KEYS = {a.key for a in [*booking_actions.ACTIONS, *invitation_actions.ACTIONS]} - {"edit"}
FORM_ERRORS = {"documents": "incoming_docs", "recurrence": "repeat", "participants": None}


def _start_initial(request) -> dict:
    """ "Đăng ký lịch" from a day of the schedule: ?date=YYYY-MM-DD (8:00–9:00 that day); from a free slot
    of the rooms page also ?room=<id>&start=…&end=… (YYYY-MM-DDTHH:MM, local time)."""
    tz = timezone.get_current_timezone()
    initial = {"room": room} if (room := int_param(request.GET.get("room"))) else {}
    # From a document's page (?incoming=<id> / ?outgoing=<id>): linked; the form offers only what the person
    # may see.
    for name in ("incoming", "outgoing"):
        if doc := int_param(request.GET.get(name)):
            initial[f"{name}_docs"] = [doc]
    try:
        start = dt.datetime.fromisoformat(request.GET.get("start", ""))
        end = dt.datetime.fromisoformat(request.GET.get("end", ""))
        if start.tzinfo is None and end.tzinfo is None and start < end:
            return {**initial, "start_at": start.replace(tzinfo=tz), "end_at": end.replace(tzinfo=tz)}
    except ValueError:
        pass
    try:
        day = dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return initial
    return {
        **initial,
        "start_at": dt.datetime.combine(day, dt.time(8), tz),
        "end_at": dt.datetime.combine(day, dt.time(9), tz),
    }


def _save(request, form, prep, save, *, meeting=None):
    """Validate, show the warnings and ask to confirm them once, then save; the service's refusals go on
    the form. Returns the saved result, or None to show the form again (with ``form.warnings``)."""
    form.warnings = []
    if request.method != "POST" or not (form.is_valid() and prep.is_valid()):
        return None
    fields = form.meeting_fields(forms.prepare_rows(prep))
    try:
        warnings = services.meeting_warnings(by=request.user, fields=fields, meeting=meeting)
        digest = forms.warnings_digest(warnings)
        if warnings and form.cleaned_data.get("acknowledged") != digest:
            form.warnings, form.digest = warnings, digest
            return None
        return save(fields)
    except ValidationError as exc:
        add_form_errors(form, exc, rename=FORM_ERRORS)
    return None


@login_required
def meeting_new(request):
    if not rules.can_register(request.user):
        raise PermissionDenied
    form = forms.MeetingForm(request.POST or None, user=request.user, initial=_start_initial(request))
    prep = forms.PrepareFormSet(
        request.POST or None, prefix="prep", form_kwargs={"who_choices": form.who_choices()}
    )
    result = _save(
        request, form, prep, lambda fields: services.meeting_register(by=request.user, fields=fields)
    )
    if result is not None:
        first = result.meetings[0]
        count = len(result.meetings)
        state = _("đã được duyệt") if first.state == WorkflowState.APPROVED else _("đang chờ duyệt")
        messages.success(
            request,
            ngettext("Đã đăng ký lịch; lịch %(state)s.", "Đã đăng ký %(n)s buổi họp; lịch %(state)s.", count)
            % {"n": count, "state": state},
        )
        return redirect(first)
    return render(request, "meetings/form.html", {"form": form, "prep": prep, "meeting": None})


@login_required
def meeting_edit(request, pk: int):
    meeting = selectors.meeting_access(user=request.user, pk=pk)
    if not rules.can_change(request.user, meeting):
        raise PermissionDenied
    initial, prep_initial = forms.initial_from(meeting)
    form = forms.MeetingForm(request.POST or None, user=request.user, meeting=meeting, initial=initial)
    prep = forms.PrepareFormSet(
        request.POST or None,
        prefix="prep",
        initial=prep_initial,
        form_kwargs={"who_choices": form.who_choices()},
    )

    def save(fields):
        data = form.cleaned_data
        return services.meeting_change(
            meeting=meeting,
            by=request.user,
            fields=fields,
            reason=data.get("reason", ""),
            notify=data.get("notify") or "all",
        )

    try:
        saved = _save(request, form, prep, save, meeting=meeting)
    except (PermissionDenied, RecordChanged) as exc:
        messages.error(request, error_text(exc))
        return redirect(meeting)
    if saved is not None:
        messages.success(request, _("Đã lưu thay đổi của lịch."))
        return redirect(saved)
    return render(request, "meetings/form.html", {"form": form, "prep": prep, "meeting": meeting})


@login_required
def meeting_detail(request, pk: int):
    meeting = selectors.meeting_access(user=request.user, pk=pk)
    audit.record_access(user=request.user, kind="meeting", object_id=meeting.pk)
    actions = MEETING_ACTIONS.page(meeting, request.user)
    context = {
        "meeting": meeting,
        "actions": actions,
        "card_actions": [a for a in [*actions.main, *actions.more] if a.key in CARD_KEYS],
        "participants": meeting.participants.select_related("user", "department", "agency", "substitute"),
        "documents": meeting.documents.select_related("incoming", "outgoing"),
        "user": request.user,
        "ft": records.file_this(user=request.user, meeting=meeting),
    }
    return render(request, "meetings/detail.html", context)


def approval_rows(user) -> list[Meeting]:
    """The agency's meetings waiting for approval, each with the approved meeting holding its room (one
    query for all), and whether the agency head chairs it."""
    rows = list(
        Meeting.objects.filter(
            agency_id=user.agency_id, state=WorkflowState.SUBMITTED, end_at__gt=timezone.now()
        )
        .select_related("room", "chair", "organiser", "department")
        .order_by("start_at", "pk")
    )
    room_ids = {m.room_id for m in rows if m.room_id}
    taken = []
    if room_ids:
        taken = list(
            Meeting.objects.filter(
                room_id__in=room_ids,
                state=WorkflowState.APPROVED,
                start_at__lt=max(m.end_at for m in rows),
                end_at__gt=min(m.start_at for m in rows),
            ).only("pk", "title", "room_id", "start_at", "end_at")
        )
    head = rules.agency_head(user.agency_id) if rows else None
    for m in rows:
        m.conflict = next(
            (t for t in taken if t.room_id == m.room_id and t.start_at < m.end_at and t.end_at > m.start_at),
            None,
        )
        m.head_chairs = head is not None and m.chair_id == head.pk
    return rows


@login_required
def approvals(request):
    if not rules.is_manager(request.user):
        raise PermissionDenied
    if request.method == "POST":
        return _decide(request)
    return render(request, "meetings/approvals.html", {"rows": approval_rows(request.user)})


@login_required
@require_POST
def prepare_rows_more(request):
    """The "Thêm dòng" button of the form (htmx): the preparation rows as typed, with one more."""
    if not rules.can_register(request.user):
        raise PermissionDenied
    prep = forms.prepare_formset_more(request.POST, agency_id=request.user.agency_id)
    return render(request, "meetings/detail/_booking_prep.html", {"prep": prep})


def _decide(request):
    """A decision taken in the queue (approve, or reject with a reason): the same services as the meeting
    page's actions; the manager stays on the queue."""
    meeting = selectors.meeting_access(user=request.user, pk=int_param(request.POST.get("meeting")) or 0)
    try:
        if request.POST.get("decision") == "reject":
            services.meeting_reject(meeting=meeting, by=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, _("Đã từ chối lịch “%(title)s”.") % {"title": meeting.title})
        else:
            services.meeting_approve(
                meeting=meeting, by=request.user, take_room=bool(request.POST.get("take_room"))
            )
            messages.success(request, _("Đã duyệt lịch “%(title)s”.") % {"title": meeting.title})
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    return redirect("meetings:approvals")
