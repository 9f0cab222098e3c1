"""The weekly schedule pages: the agency's week (or one leader's, or one unit's), "my week", their PDF and
Excel exports, and the schedule manager's small forms (publish, duty roster, reception days, unlock a unit).
Thin: parse, call one selector or service, render."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from eoffice.actions import error_text, form_error_text
from meetings import rules, services
from meetings import week as week_selectors
from meetings.forms import schedule as forms
from meetings.render import week as render_week

# ---- the week pages ------------------------------------------------------------------------------------


@login_required
@require_GET
def week(request):
    scope = week_selectors.resolve_scope(user=request.user, params=request.GET)
    return _week_page(request, scope)


@login_required
@require_GET
def my_week(request):
    return _week_page(request, week_selectors.mine_scope(request.user))


def _week_page(request, scope):
    wk = week_selectors.parse_week(request.GET.get("week"))
    seen_at = services.schedule_seen(user=request.user, week_start=wk.start)
    view = week_selectors.week_view(scope=scope, week=wk, viewer=request.user, seen_at=seen_at)
    return render(request, "meetings/week.html", _context(request, view))


def _url(name: str, **query) -> str:
    query = {key: value for key, value in query.items() if value not in (None, "")}
    return reverse(name) + (f"?{urlencode(query)}" if query else "")


def _context(request, view: week_selectors.WeekView) -> dict:
    user, wk, scope = request.user, view.week, view.scope
    page = "meetings:my_week" if scope.kind == "mine" else "meetings:week"
    export = "meetings:my_week_export" if scope.kind == "mine" else "meetings:week_export"
    context = {
        "view": view,
        "wk": wk,
        "scope": scope,
        "prev_url": _url(page, week=wk.previous.isoformat(), **scope.query),
        "next_url": _url(page, week=wk.next.isoformat(), **scope.query),
        "this_url": _url(page, **scope.query),
        "pdf_url": reverse(export, args=["pdf"])
        + f"?{urlencode({'week': wk.start.isoformat(), **scope.query})}",
        "xlsx_url": reverse(export, args=["xlsx"])
        + f"?{urlencode({'week': wk.start.isoformat(), **scope.query})}",
        "new_url": reverse("meetings:new") if rules.can_register(user) else "",
    }
    if scope.kind != "mine" and scope.agency is not None:
        config = rules.settings_for(scope.agency)
        manager = rules.is_manager(user, scope.agency.pk)
        context.update(
            leaders=list(week_selectors.agency_leaders(scope.agency.pk)),
            units=list(week_selectors.agency_units(scope.agency.pk)),
            lock=week_selectors.lock_state(config, wk),
            next_lock=week_selectors.lock_state(config, week_selectors.Week(wk.next)),
            is_manager=manager,
            public_url=(
                reverse("meetings_public:week", args=[scope.agency.code]) + f"?week={wk.start.isoformat()}"
                if config.publish_public
                else ""
            ),
        )
        if manager and scope.kind == "agency":
            context.update(_manager_forms(scope.agency, wk, locked=context["lock"] is not None))
    return context


def _manager_forms(agency, wk, *, locked: bool) -> dict:
    initial = {"week": wk.start}
    return {
        "publish_form": forms.PublishForm(initial=initial, prefix="publish"),
        "duty_form": forms.DutyForm(initial={**initial, "date": wk.start}, agency=agency, prefix="duty"),
        "reception_form": forms.ReceptionForm(
            initial={**initial, "date": wk.start}, agency=agency, prefix="rcp"
        ),
        "unlock_form": forms.UnlockForm(initial=initial, agency=agency, prefix="unlock"),
        "unlocks": week_selectors.unlocked_units(agency.pk, wk) if locked else [],
    }


# ---- exports -------------------------------------------------------------------------------------------


@login_required
@require_GET
def week_export(request, fmt: str):
    scope = week_selectors.resolve_scope(user=request.user, params=request.GET)
    return _export(request, scope, fmt)


@login_required
@require_GET
def my_week_export(request, fmt: str):
    return _export(request, week_selectors.mine_scope(request.user), fmt)


def _export(request, scope, fmt: str) -> HttpResponse:
    if fmt not in ("pdf", "xlsx"):
        raise Http404
    wk = week_selectors.parse_week(request.GET.get("week"))
    view = week_selectors.week_view(scope=scope, week=wk, viewer=request.user)
    content, content_type, filename = render_week.export(view, fmt=fmt)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# ---- the manager's forms -------------------------------------------------------------------------------


@dataclass(frozen=True)
class ManagerAction:
    form: type
    prefix: str
    run: Callable  # (cleaned data, agency, user) → the success message


def _publish(data, agency, user) -> str:
    services.week_publish(agency=agency, week_start=data["week"], by=user, note=data["note"])
    return _("Đã ban hành lịch công tác tuần và thông báo đến cán bộ của cơ quan.")


def _duty_set(data, agency, user) -> str:
    services.duty_set(
        agency=agency,
        date=data["date"],
        person=data["person"],
        by=user,
        phone=data["phone"],
        note=data["note"],
    )
    return _("Đã cập nhật lịch trực lãnh đạo.")


def _duty_remove(data, agency, user) -> str:
    services.duty_remove(agency=agency, pk=data["pk"], by=user)
    return _("Đã xóa lịch trực.")


def _reception_add(data, agency, user) -> str:
    services.reception_add(
        agency=agency,
        date=data["date"],
        leader=data["leader"],
        by=user,
        start_time=data["start_time"],
        end_time=data["end_time"],
        place=data["place"],
        note=data["note"],
    )
    return _("Đã thêm lịch tiếp công dân.")


def _reception_remove(data, agency, user) -> str:
    services.reception_remove(agency=agency, pk=data["pk"], by=user)
    return _("Đã xóa lịch tiếp công dân.")


def _unit_unlock(data, agency, user) -> str:
    services.unit_unlock(
        agency=agency, department=data["department"], week_start=data["week"], by=user, reason=data["reason"]
    )
    return _("Đã mở khóa đăng ký lịch cho %(unit)s.") % {"unit": data["department"].name}


MANAGER_ACTIONS = {
    "publish": ManagerAction(forms.PublishForm, "publish", _publish),
    "duty": ManagerAction(forms.DutyForm, "duty", _duty_set),
    "duty-remove": ManagerAction(forms.RemoveForm, "", _duty_remove),
    "reception": ManagerAction(forms.ReceptionForm, "rcp", _reception_add),
    "reception-remove": ManagerAction(forms.RemoveForm, "", _reception_remove),
    "unlock": ManagerAction(forms.UnlockForm, "unlock", _unit_unlock),
}


@login_required
@require_POST
def manage(request, action: str):
    entry = MANAGER_ACTIONS.get(action)
    if entry is None or not request.user.agency_id:
        raise Http404
    agency = request.user.agency
    kwargs = {} if entry.form is forms.PublishForm else {"agency": agency}
    form = entry.form(request.POST, prefix=entry.prefix or None, **kwargs)
    if not form.is_valid():
        messages.error(request, form_error_text(form))
    else:
        try:
            messages.success(request, entry.run(form.cleaned_data, agency, request.user))
        except (ValidationError, PermissionDenied) as exc:
            messages.error(request, error_text(exc))
    week_value = (
        form.cleaned_data.get("week") if form.is_valid() else request.POST.get(form.add_prefix("week"))
    )
    return redirect(_url("meetings:week", week=str(week_value or "")[:10]))
