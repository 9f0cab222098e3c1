"""The audit of accesses (Phụ lục VI III.5a "lịch sử truy cập và xem văn bản", III.6a, III.6b, III.6l).

- ``record_access(*, user, kind, object_id, action)``: one INSERT of an ``AccessEvent``, called by the views
  that show a record or serve its file (the business apps pass plain values: eoffice imports none of them).
- Sign-ins: Django's ``user_logged_in`` / ``user_login_failed`` write a ``LoginEvent`` (the username tried,
  success, agency) beside django-axes, which listens to the same signals. No password is ever read.
- ``access_rollup()``: the nightly roll-up (beat ``eoffice.tasks.access_rollup``) sums each finished day
  of ``AccessEvent`` into ``AccessDaily`` with INSERT … ON CONFLICT DO UPDATE SET count = the day's
  count: running it twice, or again over a day already summed, gives the same rows.
- Statistics (``access_report``) read ``AccessDaily`` up to the last summarised day and ``AccessEvent``
  after it (today, or the days the roll-up has not reached yet): the event table is only read by its BRIN
  index on the time over a day or two, whatever its size.
- ``access_history(kind, object_id, limit)``: the last accesses of one record (the "Lịch sử truy cập"
  block of a record's page, ``{% access_history kind pk %}`` of ``audit_tags``).
"""

from __future__ import annotations

import datetime as dt
import logging
from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.db import DatabaseError, connection, connections, transaction
from django.dispatch import receiver
from django.urls import NoReverseMatch
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from eoffice.audit_summary import Sources, rollup_months
from eoffice.db_router import read_alias
from eoffice.models import (
    AccessDaily,
    AccessEvent,
    AccessMonthly,
    AccessMonthlyRecord,
    LoginEvent,
    Role,
    User,
)

logger = logging.getLogger(__name__)

# The record kinds, as the records registry names them, with the model that holds them ("app.Model",
# resolved by name when a page shows titles: eoffice imports no business app).
KINDS: dict[str, tuple[object, str]] = {
    "incoming": (_("Văn bản đến"), "documents.IncomingDocument"),
    "outgoing": (_("Văn bản đi"), "documents.OutgoingDocument"),
    "dossier": (_("Hồ sơ một cửa"), "onestop.Dossier"),
    "complaint": (_("Vụ việc đơn thư"), "complaints.Case"),
    "letter": (_("Đơn thư"), "complaints.Letter"),
    "meeting": (_("Cuộc họp"), "meetings.Meeting"),
    "casefile": (_("Hồ sơ công việc"), "documents.CaseFile"),
}
ACTIONS = tuple(AccessEvent.Action.values)
KIND_MAX = AccessEvent._meta.get_field("kind").max_length

# Who sees the statistics of their agency (III.6a, III.6b) and the access history of a record.
STATS_ROLES = (Role.AGENCY_ADMIN, Role.LEADER)
HISTORY_ROLES = (Role.CLERK, Role.LEADER, Role.AGENCY_ADMIN, Role.ARCHIVIST)


def kind_label(kind: str) -> str:
    return str(KINDS[kind][0]) if kind in KINDS else kind


def action_for(request, *, download: bool | None = None) -> str:
    """The action of a file request: "print" for the "In" link (``?print=1``), "download" for
    ``?download=1`` (or ``download=True``), "view" otherwise."""
    if request.GET.get("print") == "1":
        return AccessEvent.Action.PRINT
    if download if download is not None else request.GET.get("download") == "1":
        return AccessEvent.Action.DOWNLOAD
    return AccessEvent.Action.VIEW


# ---- recording ------------------------------------------------------------------------------------


def record_access(*, user, kind: str, object_id: int, action: str = AccessEvent.Action.VIEW) -> None:
    """Log one access of the record ``kind``/``object_id`` by ``user`` (agency: the user's): a single
    INSERT in the request's transaction, nothing read. A database error outside a transaction is logged,
    never shown: the page the person asked for matters more than its log line."""
    if action not in ACTIONS:
        raise ValueError(f"unknown access action {action!r}")
    if not kind or len(kind) > KIND_MAX:
        raise ValueError(f"bad record kind {kind!r}")
    signed_in = bool(getattr(user, "is_authenticated", False))
    event = AccessEvent(
        user_id=user.pk if signed_in else None,
        agency_id=getattr(user, "agency_id", None) if signed_in else None,
        kind=kind,
        object_id=int(object_id),
        action=action,
    )
    if connection.in_atomic_block:  # a failure here belongs to the caller's transaction
        event.save(force_insert=True)
        return
    try:
        event.save(force_insert=True)
    except DatabaseError:
        logger.exception("access not logged: %s #%s by %s", kind, object_id, event.user_id)


def record_file_access(request, *, kind: str, object_id: int, download: bool | None = None) -> dict:
    """Log a file request of the record (action from the query: ``?print=1``, ``?download=1``) and return
    the keyword arguments of ``eoffice.files.serve_field_file``: inline unless downloaded, and the print
    mark (``mark_for``) on every copy served to the person, the one the page's viewer shows included (a
    print from the browser's own viewer then carries it too; measured in bench/printmark_inline.py)."""
    action = action_for(request, download=download)
    record_access(user=request.user, kind=kind, object_id=object_id, action=action)
    return {
        "inline": action != AccessEvent.Action.DOWNLOAD,
        "mark_for": request.user,
    }


# ---- sign-ins ---------------------------------------------------------------------------------------


def _login_event(**values) -> None:
    try:
        with transaction.atomic():
            LoginEvent.objects.create(**values)
    except DatabaseError:
        logger.exception("login event not logged for %r", values.get("username"))


@receiver(user_logged_in, dispatch_uid="eoffice.audit.logged_in")
def on_logged_in(sender, request, user, **kwargs) -> None:
    _login_event(
        user_id=user.pk,
        agency_id=getattr(user, "agency_id", None),
        username=user.get_username()[:150],
        success=True,
    )


@receiver(user_login_failed, dispatch_uid="eoffice.audit.login_failed")
def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    """Only the username is kept (``credentials`` holds the password, masked or not: never read)."""
    username = str((credentials or {}).get(User.USERNAME_FIELD) or "")[:150]
    known = User.objects.filter(username=username).values("pk", "agency_id").first() if username else None
    _login_event(
        user_id=known["pk"] if known else None,
        agency_id=known["agency_id"] if known else None,
        username=username,
        success=False,
    )


# ---- the daily roll-up ----------------------------------------------------------------------------


def _day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def _local_day(moment: dt.datetime) -> dt.date:
    return timezone.localtime(moment).date()


def summarised_through() -> dt.date | None:
    """The last day the roll-up has summed (the leading column of the unique index answers it)."""
    with connections[read_alias()].cursor() as cursor:
        cursor.execute(f"SELECT max(day) FROM {AccessDaily._meta.db_table}")  # noqa: S608
        return cursor.fetchone()[0]


ROLLUP_SQL = """
INSERT INTO {daily} (day, agency_id, user_id, kind, object_id, action, count)
SELECT %(day)s, max(agency_id), user_id, kind, object_id, action, count(*)
  FROM {events}
 WHERE at >= %(start)s AND at < %(end)s
 GROUP BY user_id, kind, object_id, action
ON CONFLICT (day, kind, object_id, user_id, action)
DO UPDATE SET count = EXCLUDED.count, agency_id = EXCLUDED.agency_id
"""


def access_rollup_day(*, day: dt.date) -> int:
    """Sum ``day``'s events into ``AccessDaily`` (replacing that day's sums): the rows written."""
    sql = ROLLUP_SQL.format(daily=AccessDaily._meta.db_table, events=AccessEvent._meta.db_table)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, {"day": day, "start": _day_start(day), "end": _day_start(day + dt.timedelta(1))})
        return cursor.rowcount


def access_rollup(*, today: dt.date | None = None) -> dict:
    """Sum every finished day not yet summarised (from the day after the last summarised one, or the first
    event's day, to yesterday). Idempotent: a day summed again gets the same counts."""
    today = today or timezone.localdate()
    last = summarised_through()
    if last is not None:
        first = last + dt.timedelta(1)
    else:
        oldest = AccessEvent.objects.order_by("pk").values_list("at", flat=True).first()
        if oldest is None:
            return {"days": 0, "rows": 0}
        first = _local_day(oldest)
    days = rows = 0
    day = first
    while day < today:
        rows += access_rollup_day(day=day)
        days += 1
        day += dt.timedelta(1)
    if days:
        # the months those days fall in, rebuilt from the daily sums (whole months of long periods)
        rows += rollup_months(first=first, last=today - dt.timedelta(1))
    return {"days": days, "rows": rows, "first": first.isoformat() if days else None}


# ---- statistics -----------------------------------------------------------------------------------


def may_see_stats(user) -> bool:
    return bool(getattr(user, "agency_id", None)) and user.has_role(*STATS_ROLES)


def may_see_history(user) -> bool:
    return bool(getattr(user, "agency_id", None)) and user.has_role(*HISTORY_ROLES)


@dataclass
class RecordLine:
    kind: str
    object_id: int
    total: int
    views: int
    downloads: int
    prints: int
    exports: int
    people: int
    title: str = ""
    url: str = ""

    @property
    def kind_label(self) -> str:
        return kind_label(self.kind)


@dataclass
class UserLine:
    user_id: int | None
    name: str
    username: str
    total: int
    views: int
    downloads: int
    prints: int
    exports: int
    records: int


@dataclass
class LoginDay:
    day: dt.date
    success: int
    failed: int
    people: int

    @property
    def total(self) -> int:
        return self.success + self.failed


@dataclass
class AccessReport:
    agency: object
    date_from: dt.date
    date_to: dt.date
    kind: str
    limit: int
    totals: dict = field(default_factory=dict)
    records: list[RecordLine] = field(default_factory=list)
    users: list[UserLine] = field(default_factory=list)
    logins: list[LoginDay] = field(default_factory=list)
    login_totals: dict = field(default_factory=dict)
    summarised_through: dt.date | None = None


_SUMS = """sum(n) AS total,
       coalesce(sum(n) FILTER (WHERE action = 'view'), 0) AS views,
       coalesce(sum(n) FILTER (WHERE action = 'download'), 0) AS downloads,
       coalesce(sum(n) FILTER (WHERE action = 'print'), 0) AS prints,
       coalesce(sum(n) FILTER (WHERE action = 'export'), 0) AS exports"""


USER_COLUMNS = "user_id, kind, action"
RECORD_COLUMNS = "kind, object_id, action"


def _rows_cte(name: str, columns: str, sources: Sources, kind: str) -> str:
    """``name`` AS the accesses of an agency in the period, at the level of ``columns`` (a person's or a
    record's): whole months from a monthly table, the edge days from the daily sums, then the events after
    the last summarised day (parameters agency, m1, m2, a0, b0, a1, b1, t1, t2 and kind)."""
    kind_filter = " AND kind = %(kind)s" if kind else ""
    monthly = (AccessMonthly if columns == USER_COLUMNS else AccessMonthlyRecord)._meta.db_table
    parts = []
    if sources.months:
        parts.append(
            f"SELECT {columns}, count AS n FROM {monthly} WHERE agency_id = %(agency)s"  # noqa: S608 (model tables; values are parameters)
            f" AND month >= %(m1)s AND month <= %(m2)s{kind_filter}"
        )
    for i, _range in enumerate(sources.days):
        parts.append(
            f"SELECT {columns}, count AS n FROM {AccessDaily._meta.db_table} WHERE agency_id = %(agency)s"  # noqa: S608 (model tables; values are parameters)
            f" AND day >= %(a{i})s AND day <= %(b{i})s{kind_filter}"
        )
    parts.append(
        f"SELECT {columns}, 1 AS n FROM {AccessEvent._meta.db_table} WHERE agency_id = %(agency)s"  # noqa: S608 (model tables; values are parameters)
        f" AND at >= %(t1)s AND at < %(t2)s{kind_filter}"
    )
    return f"{name} AS (" + " UNION ALL ".join(parts) + ")"


def _fetch(sql: str, params: dict) -> list[tuple]:
    with connections[read_alias()].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _describe(lines: list[RecordLine]) -> None:
    """The title and link of each record: one query per kind shown (six at most)."""
    by_kind: dict[str, list[RecordLine]] = {}
    for line in lines:
        by_kind.setdefault(line.kind, []).append(line)
    for kind, group in by_kind.items():
        label = kind_label(kind)
        for line in group:
            line.title = f"{label} #{line.object_id}"
        if kind not in KINDS:
            continue
        try:
            model = apps.get_model(KINDS[kind][1])
        except LookupError:
            continue
        found = {
            obj.pk: obj for obj in model._default_manager.filter(pk__in=[line.object_id for line in group])
        }
        for line in group:
            obj = found.get(line.object_id)
            if obj is None:
                continue
            line.title = str(obj)
            try:
                line.url = obj.get_absolute_url()
            except (AttributeError, NoReverseMatch):
                line.url = ""


def _people_of_records(params: dict, records: list[tuple[str, int]]) -> dict:
    """The distinct people of each of the top records over the period (the monthly rows cannot add them up):
    the daily sums and the live events of those records only, by the (kind, object_id) indexes."""
    if not records:
        return {}
    values = dict(params, kinds=[k for k, _o in records], ids=[o for _k, o in records])
    pairs = "(kind, object_id) IN (SELECT * FROM unnest(%(kinds)s::text[], %(ids)s::bigint[]))"
    rows = _fetch(
        f"""SELECT kind, object_id, count(DISTINCT user_id) FROM (
              SELECT kind, object_id, user_id FROM {AccessDaily._meta.db_table}
               WHERE {pairs} AND agency_id = %(agency)s AND day >= %(d1)s AND day <= %(d2)s
              UNION ALL
              SELECT kind, object_id, user_id FROM {AccessEvent._meta.db_table}
               WHERE {pairs} AND agency_id = %(agency)s AND at >= %(t1)s AND at < %(t2)s) AS r
            GROUP BY kind, object_id""",  # noqa: S608 (table names of the models; values are parameters)
        values,
    )
    return {(row[0], row[1]): row[2] for row in rows}


def _records_of_users(params: dict, user_ids: list, kind: str) -> dict:
    """The distinct records each of the top people opened over the period (exact, for those people only)."""
    ids = [pk for pk in user_ids if pk is not None]
    if not ids:
        return {}
    kind_filter = " AND kind = %(kind)s" if kind else ""
    rows = _fetch(
        f"""SELECT user_id, count(DISTINCT (kind, object_id)) FROM (
              SELECT user_id, kind, object_id FROM {AccessDaily._meta.db_table}
               WHERE agency_id = %(agency)s AND day >= %(d1)s AND day <= %(d2)s
                 AND user_id = ANY(%(users)s){kind_filter}
              UNION ALL
              SELECT user_id, kind, object_id FROM {AccessEvent._meta.db_table}
               WHERE agency_id = %(agency)s AND at >= %(t1)s AND at < %(t2)s
                 AND user_id = ANY(%(users)s){kind_filter}) AS r
            GROUP BY user_id""",  # noqa: S608 (table names of the models; values are parameters)
        dict(params, users=ids),
    )
    return {row[0]: row[1] for row in rows}


def access_report(
    *, user, date_from: dt.date, date_to: dt.date, kind: str = "", limit: int = 20
) -> AccessReport:
    """The accesses of the user's agency in [date_from, date_to]: totals per action, the top ``limit``
    records and people, the sign-ins per day. Only for the agency's admin and leaders (PermissionDenied)."""
    from django.core.exceptions import PermissionDenied

    if not may_see_stats(user):
        raise PermissionDenied
    if kind and kind not in KINDS:
        kind = ""
    through = summarised_through()
    live_from = _day_start(through + dt.timedelta(1)) if through else None
    start, end = _day_start(date_from), _day_start(date_to + dt.timedelta(1))
    sources = Sources.for_period(date_from=date_from, date_to=date_to, through=through)
    params = {
        "agency": user.agency_id,
        "kind": kind,
        "t1": max(start, live_from) if live_from else start,
        "t2": end,
        "limit": limit,
        # the summarised days of the period (for the exact distinct counts of the top rows)
        "d1": date_from,
        "d2": min(date_to, through) if through else date_from - dt.timedelta(1),
    }
    if sources.months:
        params["m1"], params["m2"] = sources.months
    for i, (first, last) in enumerate(sources.days):
        params[f"a{i}"], params[f"b{i}"] = first, last
    users_cte = "WITH " + _rows_cte("rows", USER_COLUMNS, sources, kind)
    records_cte = "WITH " + _rows_cte("rows", RECORD_COLUMNS, sources, kind)
    report = AccessReport(
        agency=user.agency,
        date_from=date_from,
        date_to=date_to,
        kind=kind,
        limit=limit,
        summarised_through=through,
    )
    ((total, views, downloads, prints, exports, people),) = _fetch(
        f"""{users_cte} SELECT coalesce(sum(n), 0),
       coalesce(sum(n) FILTER (WHERE action = 'view'), 0),
       coalesce(sum(n) FILTER (WHERE action = 'download'), 0),
       coalesce(sum(n) FILTER (WHERE action = 'print'), 0),
       coalesce(sum(n) FILTER (WHERE action = 'export'), 0),
       count(DISTINCT user_id) FROM rows""",  # noqa: S608 (table names of the models; values are parameters)
        params,
    )
    # the top records and, in the same pass, how many records there are (the groups, before the LIMIT)
    top = _fetch(
        f"""{records_cte} SELECT kind, object_id, {_SUMS}, count(*) OVER () FROM rows
         GROUP BY kind, object_id ORDER BY total DESC, kind, object_id LIMIT %(limit)s""",  # noqa: S608 (table names of the models; values are parameters)
        params,
    )
    report.totals = {
        "total": total,
        "views": views,
        "downloads": downloads,
        "prints": prints,
        "exports": exports,
        "records": top[0][7] if top else 0,
        "people": people,
    }
    people_of = _people_of_records(params, [(row[0], row[1]) for row in top])
    report.records = [
        RecordLine(
            kind=row[0],
            object_id=row[1],
            total=row[2],
            views=row[3],
            downloads=row[4],
            prints=row[5],
            exports=row[6],
            people=people_of.get((row[0], row[1]), 0),
        )
        for row in top
    ]
    _describe(report.records)
    per_user = _fetch(
        f"""{users_cte}, per_user AS (
          SELECT user_id, {_SUMS} FROM rows GROUP BY user_id ORDER BY total DESC, user_id LIMIT %(limit)s)
        SELECT p.user_id, u.full_name, u.username, p.total, p.views, p.downloads, p.prints, p.exports
          FROM per_user p
          LEFT JOIN {User._meta.db_table} u ON u.id = p.user_id ORDER BY p.total DESC, p.user_id""",  # noqa: S608 (table names of the models; values are parameters)
        params,
    )
    records_of = _records_of_users(params, [row[0] for row in per_user], kind)
    report.users = [
        UserLine(
            user_id=row[0],
            name=row[1] or "",
            username=row[2] or "",
            total=row[3],
            views=row[4],
            downloads=row[5],
            prints=row[6],
            exports=row[7],
            records=records_of.get(row[0], 0),
        )
        for row in per_user
    ]
    report.logins = [
        LoginDay(day=row[0], success=row[1], failed=row[2], people=row[3])
        for row in _fetch(
            f"""SELECT (at AT TIME ZONE %(tz)s)::date AS day, count(*) FILTER (WHERE success),
                       count(*) FILTER (WHERE NOT success), count(DISTINCT user_id) FILTER (WHERE success)
                  FROM {LoginEvent._meta.db_table}
                 WHERE agency_id = %(agency)s AND at >= %(t1)s AND at < %(t2)s
                 GROUP BY 1 ORDER BY 1 DESC""",  # noqa: S608 (table names of the models; values are parameters)
            {"tz": timezone.get_current_timezone_name(), "agency": user.agency_id, "t1": start, "t2": end},
        )
    ]
    report.login_totals = {
        "success": sum(d.success for d in report.logins),
        "failed": sum(d.failed for d in report.logins),
        "days": len(report.logins),
    }
    return report


# ---- the history of one record ----------------------------------------------------------------------


def access_history(*, kind: str, object_id: int, limit: int = 20, agency_id: int | None = None) -> list:
    """The last ``limit`` accesses of one record, newest first, with the person (one query, by the
    (kind, object_id, at) index); ``agency_id`` keeps those of one agency."""
    rows = AccessEvent.objects.filter(kind=kind, object_id=object_id)
    if agency_id is not None:
        rows = rows.filter(agency_id=agency_id)
    return list(
        rows.select_related("user")
        .only("at", "action", "user__full_name", "user__username")
        .order_by("-at")[:limit]
    )
