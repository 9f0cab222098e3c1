"""Dashboard widget of the meetings module: today's and tomorrow's meetings.

Two lists, each split into today and tomorrow, of the approved meetings starting on those days (a postponed
one is marked):
- "Lịch của tôi": the meetings the person is involved in (``rules.involved_q``: organiser, chair, contact,
  listed in person or as a substitute, through their unit or their agency);
- "Lịch lãnh đạo cơ quan": the person's leaders, kept simple and the same for everyone: the meetings of the
  person's agency chaired by one of its leaders (role ``Role.LEADER`` in the agency), that are not already
  in the first list. A secret one reads "Lịch họp" to whoever may not read it (``rules.details_visible_q``).

One query (at most ``LIMIT`` meetings): the candidates are a UNION of indexed look-ups (as the week pages'),
so the dashboard stays fast at province scale.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import BooleanField, Case, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from eoffice.dashboard import Widget, register
from eoffice.models import Role, User

LIMIT = 40


def _flag(q: Q) -> Case:
    return Case(When(q, then=Value(True)), default=Value(False), output_field=BooleanField())


def _candidate_ids(user, start: dt.datetime, end: dt.datetime):
    """The ids of the meetings starting in [start, end) the person is involved in (``rules.involved_q``
    split into indexed look-ups) or an agency leader chairs: one UNION, fast however many meetings the
    installation holds."""
    from meetings.models import Meeting, Participant

    window = Q(start_at__gte=start, start_at__lt=end)
    listed = Q(meeting__start_at__gte=start, meeting__start_at__lt=end)
    leaders = User.objects.filter(
        agency_id=user.agency_id,
        is_active=True,
        groups__agency_role__role=Role.LEADER,
        groups__agency_role__agency_id=user.agency_id,
    ).values("pk")
    parts = [
        Meeting.objects.filter(window, organiser_id=user.pk).values("pk"),
        Meeting.objects.filter(window, chair_id=user.pk).values("pk"),
        Meeting.objects.filter(window, contact_id=user.pk).values("pk"),
        Meeting.objects.filter(window, agency_id=user.agency_id, chair_id__in=leaders).values("pk"),
        Participant.objects.filter(listed, user_id=user.pk).values("meeting_id"),
        Participant.objects.filter(listed, substitute_id=user.pk).values("meeting_id"),
        Participant.objects.filter(listed, agency_id=user.agency_id).values("meeting_id"),
    ]
    if user.department_id:
        unit = Participant.objects.filter(listed, department_id=user.department_id)
        parts.append(unit.values("meeting_id"))
    parts = [part.order_by() for part in parts]
    return parts[0].union(*parts[1:])


def meetings_for(user, *, today: dt.date | None = None) -> list:
    """The approved meetings starting today or tomorrow that the person is involved in or an agency leader
    chairs, each with ``mine`` (involved) and ``shown`` (may read its content) set."""
    from meetings import rules
    from meetings.models import Meeting

    today = today or timezone.localdate()
    start = dt.datetime.combine(today, dt.time.min, timezone.get_current_timezone())
    end = start + dt.timedelta(days=2)
    return list(
        Meeting.objects.filter(pk__in=_candidate_ids(user, start, end), state="approved")
        .annotate(mine=_flag(rules.involved_q(user)), shown=_flag(rules.details_visible_q(user)))
        .select_related("room", "chair")
        .order_by("start_at", "id")[:LIMIT]
    )


def widget_context(user) -> dict | None:
    """For everyone of an agency; None for someone without one, or when there is no meeting to show (the
    dashboard then says that nothing is waiting, as for the other widgets)."""
    if not user.agency_id:
        return None
    today = timezone.localdate()
    tomorrow = today + dt.timedelta(days=1)
    days = [(today, _("Hôm nay")), (tomorrow, _("Ngày mai"))]
    lists = {"mine": {today: [], tomorrow: []}, "leaders": {today: [], tomorrow: []}}
    for meeting in meetings_for(user, today=today):
        day = timezone.localtime(meeting.start_at).date()
        lists["mine" if meeting.mine else "leaders"][day].append(meeting)
    if not any(day_list for lists_by_day in lists.values() for day_list in lists_by_day.values()):
        return None
    sections = [
        {
            "key": key,
            "title": title,
            "days": [{"date": day, "label": label, "meetings": lists[key][day]} for day, label in days],
            "empty": not any(lists[key].values()),
        }
        for key, title in (("mine", _("Lịch của tôi")), ("leaders", _("Lịch lãnh đạo cơ quan")))
    ]
    return {"sections": sections}


def register_all() -> None:
    register(
        Widget(
            key="meetings.today",
            template="meetings/_widget.html",
            context=widget_context,
            order=5,
        )
    )
