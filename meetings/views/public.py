"""The public weekly schedule (no login), for agencies that publish it (``ScheduleSettings.publish_public``):
only weeks the office published, only approved meetings put in the weekly schedule; a secret meeting shows
as "Lịch họp" with its time only. No notes, preparations, outsiders' names or staff phone numbers (but the
duty roster's published phone)."""

from __future__ import annotations

from urllib.parse import urlencode

from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from meetings import week as week_selectors


@require_GET
def week(request, code: str):
    agency = week_selectors.public_agency(code)
    wk = week_selectors.parse_week(request.GET.get("week"))
    view = week_selectors.public_week_view(agency=agency, week=wk)
    base = reverse("meetings_public:week", args=[agency.code])
    context = {
        "view": view,
        "wk": wk,
        "agency": agency,
        "prev_url": f"{base}?{urlencode({'week': wk.previous.isoformat()})}",
        "next_url": f"{base}?{urlencode({'week': wk.next.isoformat()})}",
        "this_url": base,
    }
    return render(request, "meetings/public/week.html", context)
