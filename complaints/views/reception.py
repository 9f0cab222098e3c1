"""The reception pages: the reception sessions (list, new, edit, publish, cancel), the sổ tiếp công dân
(list with its filter, a new visit, a visit's page, the answer), and the two printed forms of a visit (the
Giấy biên nhận of the papers handed in, the Thông báo kết quả tiếp công dân). Thin: parse, call one
selector or service, render. A visitor is printed by ``identity_label`` only (the protected label for a
protected person); the decrypted identity is on the reveal page alone."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from complaints import deadlines, rules, selectors, services
from complaints import render as forms_render
from complaints.forms import reception as forms
from complaints.models import FormCode, Identity, ReceptionSession, Visit
from eoffice.actions import error_text, form_error_text
from eoffice.db import page_of
from eoffice.forms import add_form_errors
from workflow import calendar

PER_PAGE = 30
VISIT_FORM_ERRORS = {"people": None, "data": None}


def _require_staff(user) -> None:
    if not rules.is_staff_of(user):
        raise PermissionDenied(
            _("Chỉ cán bộ tiếp công dân, người có thẩm quyền giải quyết được xem trang này.")
        )


# ---- reception sessions ---------------------------------------------------------------------------------


def _first_publishable(today: dt.date) -> dt.date:
    """The first day a session published today may fall on (the rule in force today)."""
    day = today + dt.timedelta(days=1)
    for _i in range(60):
        try:
            services.publish_check(day, today=today)
            return day
        except ValidationError:
            day += dt.timedelta(days=1)
    return day


@login_required
@require_safe
def sessions(request):
    user, today = request.user, timezone.localdate()
    staff = rules.is_staff_of(user)
    qs = ReceptionSession.objects.filter(agency_id=user.agency_id or 0).select_related("leader")
    if not staff:
        qs = qs.filter(published_at__isnull=False, cancelled_at__isnull=True)
    past = request.GET.get("past") == "1"
    qs = qs.filter(date__lt=today).order_by("-date", "-start_time") if past else qs.filter(date__gte=today)
    context = {
        "page": page_of(qs, request.GET.get("page"), PER_PAGE),
        "past": past,
        "can_manage": staff,
        "first_publishable": _first_publishable(today) if staff else None,
        "cancel_form": forms.SessionCancelForm(),
    }
    return render(request, "complaints/reception/sessions.html", context)


def _session_form_page(request, session: ReceptionSession | None):
    _require_staff(request.user)
    initial = forms.session_initial(session) if session else {}
    form = forms.SessionForm(request.POST or None, agency_id=request.user.agency_id, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if session is None:
                services.session_create(by=request.user, fields=form.session_fields())
                messages.success(request, _("Đã thêm lịch tiếp công dân (chưa công bố)."))
            else:
                services.session_edit(session=session, by=request.user, fields=form.session_fields())
                messages.success(request, _("Đã lưu lịch tiếp công dân."))
            return redirect("complaints:sessions")
        except ValidationError as exc:
            add_form_errors(form, exc)
    return render(request, "complaints/reception/session_form.html", {"form": form, "session": session})


@login_required
def session_new(request):
    return _session_form_page(request, None)


@login_required
def session_edit(request, pk: int):
    return _session_form_page(request, selectors.session_access(user=request.user, pk=pk))


@login_required
@require_POST
def session_publish(request, pk: int):
    session = selectors.session_access(user=request.user, pk=pk)
    try:
        services.session_publish(session=session, by=request.user)
        messages.success(request, _("Đã công bố lịch tiếp công dân; lịch hiện trên lịch công tác tuần."))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    return redirect("complaints:sessions")


@login_required
@require_POST
def session_cancel(request, pk: int):
    session = selectors.session_access(user=request.user, pk=pk)
    form = forms.SessionCancelForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return redirect("complaints:sessions")
    try:
        services.session_cancel(session=session, by=request.user, reason=form.cleaned_data["reason"])
        messages.success(request, _("Đã hủy lịch tiếp công dân."))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    return redirect("complaints:sessions")


# ---- the sổ tiếp công dân ---------------------------------------------------------------------------------


def visit_rows(user, form: forms.VisitFilterForm):
    """The visits the user may see, filtered in SQL, with their people (labels only) in one more query."""
    qs = selectors.visible_visits(user).select_related("officer")
    data = form.cleaned_data if form.is_valid() else {}
    tz = calendar.local_tz()
    if data.get("date_from"):
        qs = qs.filter(received_at__gte=dt.datetime.combine(data["date_from"], dt.time.min, tz))
    if data.get("date_to"):
        qs = qs.filter(
            received_at__lt=dt.datetime.combine(data["date_to"] + dt.timedelta(days=1), dt.time.min, tz)
        )
    if data.get("kind"):
        qs = qs.filter(kind=data["kind"])
    if data.get("outcome"):
        qs = qs.filter(outcome=data["outcome"])
    answer, now = data.get("answer"), timezone.now()
    if answer == "answered":
        qs = qs.filter(answered_at__isnull=False)
    elif answer == "waiting":
        qs = qs.filter(answered_at__isnull=True, due_at__isnull=False)
    elif answer == "overdue":
        qs = qs.filter(answered_at__isnull=True, due_at__lt=now)
    people = Identity.objects.only("pk", "visit_id", "display_name", "protected", "order", "role")
    return qs.order_by("-received_at", "-pk").prefetch_related(Prefetch("people", queryset=people))


@login_required
@require_safe
def visits(request):
    _require_staff(request.user)
    form = forms.VisitFilterForm(request.GET or None)
    page = page_of(visit_rows(request.user, form), request.GET.get("page"), PER_PAGE)
    for visit in page.object_list:
        visit.labels = [services.identity_label(p) for p in visit.people.all()]
    context = {"form": form, "page": page, "filtered": form.filtered(), "now": timezone.now()}
    return render(request, "complaints/reception/visits.html", context)


def _visit_input(form, people) -> services.VisitInput:
    data = form.cleaned_data
    return services.VisitInput(
        kind=data["kind"],
        content=data["content"],
        outcome=data["outcome"],
        people=people,
        people_count=data["people_count"],
        protected=data["protected"],
        received_at=data["received_at"],
        session=data.get("session"),
        channel=data["channel"],
        outcome_note=data.get("outcome_note", ""),
        forwarded_to=data.get("forwarded_to", ""),
        meeting_session=data.get("meeting_session"),
        meeting_at=data.get("meeting_at"),
        papers=data.get("papers", ""),
        letter_files=data.get("letter_files") or [],
        paper_files=data.get("paper_files") or [],
    )


@login_required
def visit_new(request):
    _require_staff(request.user)
    form = forms.VisitForm(request.POST or None, request.FILES or None, agency_id=request.user.agency_id)
    people = forms.PeopleFormSet(request.POST or None, prefix="people")
    if request.method == "POST" and form.is_valid() and people.is_valid():
        rows = [p for p in (row.person() for row in people) if p is not None]
        if all(row.is_valid() for row in people):
            try:
                visit = services.visit_record(by=request.user, data=_visit_input(form, rows))
                messages.success(request, _("Đã vào sổ tiếp công dân, số %(number)s.") % {"number": visit})
                return redirect(visit)
            except ValidationError as exc:
                add_form_errors(form, exc, rename=VISIT_FORM_ERRORS)
    return render(request, "complaints/reception/visit_form.html", {"form": form, "people": people})


@never_cache
@login_required
@require_safe
def visit_detail(request, pk: int):
    visit = selectors.visit_access(user=request.user, pk=pk)
    people = list(visit.people.all())
    for person in people:
        person.label = services.identity_label(person)
        person.entitled = rules.identity_entitled(request.user, person)
    context = {
        "visit": visit,
        "people": people,
        "deadline": services.visit_deadline(visit),
        "letters": list(visit.letters.order_by("pk")),
        "answer_form": forms.VisitAnswerForm(),
        "overdue": bool(visit.due_at and not visit.answered_at and visit.due_at < timezone.now()),
        "can_receipt": visit.outcome == Visit.Outcome.LETTER or bool(visit.papers.strip()),
    }
    return render(request, "complaints/reception/visit.html", context)


@login_required
@require_POST
def visit_answer(request, pk: int):
    visit = selectors.visit_access(user=request.user, pk=pk)
    form = forms.VisitAnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_error_text(form))
        return redirect(visit)
    try:
        services.visit_answer(
            visit=visit,
            by=request.user,
            result=form.cleaned_data["result"],
            answered_at=form.cleaned_data["answered_at"],
        )
        messages.success(request, _("Đã ghi kết quả trả lời người được tiếp."))
    except (ValidationError, PermissionDenied) as exc:
        messages.error(request, error_text(exc))
    return redirect(visit)


def _visit_pdf(request, pk: int, code: str, filename: str):
    visit = selectors.visit_access(user=request.user, pk=pk)
    context = {"agency": visit.agency, "visit": visit}
    try:
        content = forms_render.form_pdf(code, on=deadlines.local_date(visit.received_at), context=context)
    except ValidationError as exc:
        messages.error(request, error_text(exc))
        return redirect(visit)
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{filename}-{visit.number}-{visit.year}.pdf"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_safe
def visit_receipt_pdf(request, pk: int):
    return _visit_pdf(request, pk, FormCode.RECEIPT, "giay-bien-nhan")


@login_required
@require_safe
def visit_result_pdf(request, pk: int):
    return _visit_pdf(request, pk, FormCode.VISIT_RESULT, "thong-bao-ket-qua-tiep-cong-dan")


@login_required
@require_safe
def visit_forward_pdf(request, pk: int):
    """Phiếu hướng dẫn, chuyển đơn of a visit whose outcome is "forwarded"."""
    if selectors.visit_access(user=request.user, pk=pk).outcome != Visit.Outcome.FORWARDED:
        raise Http404
    return _visit_pdf(request, pk, FormCode.VISIT_FORWARD, "phieu-huong-dan-chuyen-don")


__all__ = [
    "session_cancel",
    "session_edit",
    "session_new",
    "session_publish",
    "sessions",
    "visit_answer",
    "visit_detail",
    "visit_forward_pdf",
    "visit_new",
    "visit_receipt_pdf",
    "visit_result_pdf",
    "visits",
]
