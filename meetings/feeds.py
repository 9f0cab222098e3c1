"""Calendar feeds (webcal): the token, who may hold a unit's feed, and what a feed carries.

A feed carries the approved meetings of published weeks that its owner takes part in: for a person, what
``rules.involved_q`` says; for a unit, the meetings it registered or is invited to and those of its
people. A secret meeting shows in full only to an owner who is in it (a person always is; a unit only when
it registered it or is invited as a unit), else as "Lịch họp" with its time only."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db.models import BooleanField, DateField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Cast, TruncWeek
from django.utils import timezone
from django.utils.translation import gettext as _

from eoffice.models import Department, Role, User

from . import rules
from .models import CalendarFeed, Meeting, Participant, PublishedWeek

PAST_DAYS = 90  # how far back a feed reaches: calendar apps keep what they already have


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_by_token(token: str) -> CalendarFeed | None:
    """The live feed of ``token`` (looked up by its SHA-256), None when unknown, revoked or its owner gone."""
    feed = (
        CalendarFeed.objects.select_related("user", "department")
        .filter(token_sha256=token_hash(token), revoked_at__isnull=True)
        .first()
    )
    if feed is None:
        return None
    if feed.user_id and not feed.user.is_active:
        return None
    if feed.department_id and not feed.department.is_active:
        return None
    return feed


def can_manage_unit_feed(user: User, department: Department) -> bool:
    """The unit's head (or deputy), or the agency's schedule manager."""
    if not getattr(user, "is_authenticated", False) or not department.is_active:
        return False
    if user.department_id == department.pk and user.has_role(Role.DEPARTMENT_HEAD):
        return True
    return rules.is_manager(user, department.agency_id)


def unit_feed_departments(user: User) -> QuerySet[Department]:
    """The units whose feed ``user`` may hold: all of the agency's for a schedule manager, else their own
    when they head it."""
    if not user.agency_id:
        return Department.objects.none()
    qs = Department.objects.filter(agency_id=user.agency_id, is_active=True).order_by("order", "name")
    if rules.is_manager(user):
        return qs
    if user.department_id and user.has_role(Role.DEPARTMENT_HEAD):
        return qs.filter(pk=user.department_id)
    return Department.objects.none()


def _published(qs: QuerySet[Meeting]) -> QuerySet[Meeting]:
    """Approved meetings whose week (in local time) the agency has published."""
    tz = timezone.get_current_timezone()
    published = PublishedWeek.objects.filter(agency_id=OuterRef("agency_id"), week_start=OuterRef("_week"))
    return (
        qs.filter(state="approved")
        .annotate(_week=Cast(TruncWeek("start_at", tzinfo=tz), DateField()))
        .filter(Exists(published))
    )


def _unit_q(department_id: int) -> Q:
    listed = Participant.objects.filter(meeting=OuterRef("pk")).filter(
        Q(department_id=department_id)
        | Q(user__department_id=department_id)
        | Q(substitute__department_id=department_id)
    )
    return Q(department_id=department_id) | Q(chair__department_id=department_id) | Q(Exists(listed))


def unit_reads_secret_q(department_id: int) -> Q:
    return Q(department_id=department_id) | Q(
        Exists(Participant.objects.filter(meeting=OuterRef("pk"), department_id=department_id))
    )


def feed_meetings(feed: CalendarFeed, *, now: dt.datetime | None = None) -> QuerySet[Meeting]:
    """What ``feed`` carries, with ``readable`` annotated (False: a secret meeting to be masked)."""
    since = (now or timezone.now()) - dt.timedelta(days=PAST_DAYS)
    qs = Meeting.objects.filter(start_at__gte=since)
    if feed.user_id:
        qs = qs.filter(rules.involved_q(feed.user)).annotate(readable=Value(True))
    else:
        qs = qs.filter(_unit_q(feed.department_id)).annotate(
            readable=ExpressionWrapper(unit_reads_secret_q(feed.department_id), output_field=BooleanField())
        )
    return _published(qs).select_related("room", "chair", "organiser").order_by("start_at", "pk")


def feed_name(feed: CalendarFeed) -> str:
    owner = feed.user.get_full_name() if feed.user_id else feed.department.name
    return _("Lịch công tác — %(owner)s") % {"owner": owner}


TOUCH_EVERY = dt.timedelta(minutes=15)


def feed_touch(feed: CalendarFeed, *, now: dt.datetime | None = None) -> None:
    """Note when the feed was last read (at most every 15 minutes: calendar apps poll often)."""
    now = now or timezone.now()
    if feed.last_used_at is None or now - feed.last_used_at >= TOUCH_EVERY:
        CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=now)


def feed_path(token: str) -> str:
    from django.urls import reverse

    return reverse("meetings:feed", args=[token])


def feed_links(token: str) -> dict[str, str]:
    """The https address and the webcal:// one (which calendar apps open as a subscription)."""
    from django.conf import settings

    https = settings.EOFFICE_BASE_URL + feed_path(token)
    return {"https": https, "webcal": "webcal://" + https.split("://", 1)[-1]}


def page_data(user: User, new: dict | None = None) -> dict:
    """The feeds page: the person's live feed, the units they may hold a feed of with theirs, and the
    address just created (``new``: {"department": id or None, "token": …}), shown once."""
    departments = list(unit_feed_departments(user))
    live = CalendarFeed.objects.filter(revoked_at__isnull=True).select_related("created_by")
    own = live.filter(user=user).first()
    by_unit = {f.department_id: f for f in live.filter(department__in=departments)} if departments else {}
    new_links = feed_links(new["token"]) if new else None
    new_unit = new.get("department") if new else None
    units = [
        {
            "department": d,
            "feed": by_unit.get(d.pk),
            "links": new_links if new and new_unit == d.pk else None,
        }
        for d in departments
    ]
    return {
        "own": own,
        "own_links": new_links if new and new_unit is None else None,
        "units": units,
    }
