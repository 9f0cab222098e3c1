"""One-stop statistics (thống kê hồ sơ một cửa): reads only, filtered to what the viewer may count.

Who counts what:
- one-stop officers and leaders of an agency: every dossier of the agency;
- a unit's head: the dossiers handed to the unit (``Dossier.department``);
- anyone else: nothing (the views answer 403).

The columns (``column_q`` is the one filter that both counts a number and lists the dossiers behind it):
received in the period; resolved in the period (the result, or the written refusal, ready:
``resolved_at``) by ``Dossier.timing`` (early / on time / late); in progress *now*, whatever the period
(on time / overdue against ``due_at``; paused for a supplement in a column of its own); refused at
reception (form 03) and refused during processing (outcome refused) in the period; stopped (form 05) in
the period; the applicants' ratings given in the period.

A table is one SQL aggregate with a conditional ``COUNT(…) FILTER (WHERE …)`` per column, grouped by
procedure, field, unit or officer; its total row is the sum of its rows (no second query).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from documents.stats.selectors import Period, month_bounds
from eoffice.db import count_each
from eoffice.models import Agency, Department, Role, User
from eoffice.params import int_param
from eoffice.search import fold
from onestop.models import (
    PROCESSING_STATES,
    Dossier,
    DossierState,
    Outcome,
    Procedure,
    ProcedureField,
    Timing,
)
from workflow.models import HistoryEntry

COLUMNS = (
    "received",
    "early",
    "on_time",
    "late",
    "resolved",
    "open_on_time",
    "open_overdue",
    "paused",
    "refused_reception",
    "refused_processing",
    "stopped",
    "rated",
)
NUMBER_COLUMNS = COLUMNS[:-1]  # the columns printed as counts (ratings print as an average and a count)

LABELS = {
    "received": gettext_lazy("Tiếp nhận trong kỳ"),
    "early": gettext_lazy("Giải quyết trước hạn"),
    "on_time": gettext_lazy("Giải quyết đúng hạn"),
    "late": gettext_lazy("Giải quyết quá hạn"),
    "resolved": gettext_lazy("Đã giải quyết"),
    "open_on_time": gettext_lazy("Đang giải quyết trong hạn"),
    "open_overdue": gettext_lazy("Đang giải quyết quá hạn"),
    "paused": gettext_lazy("Chờ công dân bổ sung"),
    "refused_reception": gettext_lazy("Từ chối khi tiếp nhận"),
    "refused_processing": gettext_lazy("Từ chối khi giải quyết"),
    "stopped": gettext_lazy("Dừng xử lý"),
    "rated": gettext_lazy("Lượt đánh giá mức độ hài lòng"),
}
# Under a group heading of the table.
SHORT = {
    "received": gettext_lazy("Tiếp nhận"),
    "early": gettext_lazy("Trước hạn"),
    "on_time": gettext_lazy("Đúng hạn"),
    "late": gettext_lazy("Quá hạn"),
    "resolved": gettext_lazy("Cộng"),
    "open_on_time": gettext_lazy("Trong hạn"),
    "open_overdue": gettext_lazy("Quá hạn"),
    "paused": gettext_lazy("Chờ bổ sung"),
    "refused_reception": gettext_lazy("Khi tiếp nhận"),
    "refused_processing": gettext_lazy("Khi giải quyết"),
    "stopped": gettext_lazy("Dừng xử lý"),
    "rated": gettext_lazy("Số lượt"),
}
BAD = frozenset({"late", "open_overdue"})

GROUPINGS = {
    "procedure": gettext_lazy("Thủ tục hành chính"),
    "field": gettext_lazy("Lĩnh vực"),
    "unit": gettext_lazy("Đơn vị giải quyết"),
    "officer": gettext_lazy("Chuyên viên thụ lý"),
}
# grouping → (key field, label fields)
_GROUP_FIELDS = {
    "procedure": ("procedure_id", ("procedure__name", "procedure__code")),
    "field": ("procedure__field_id", ("procedure__field__name",)),
    "unit": ("department_id", ("department__name", "department__order")),
    "officer": ("officer_id", ("officer__full_name", "officer__username")),
}
_NONE_LABELS = {
    "procedure": gettext_lazy("Không rõ thủ tục"),
    "field": gettext_lazy("Không rõ lĩnh vực"),
    "unit": gettext_lazy("Chưa chuyển đơn vị giải quyết"),
    "officer": gettext_lazy("Chưa phân công chuyên viên"),
}


# --- scope ----------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    agency: Agency
    unit: Department | None = None  # a head's unit; None: the whole agency

    @property
    def q(self) -> Q:
        q = Q(agency_id=self.agency.pk)
        return q & Q(department_id=self.unit.pk) if self.unit else q

    @property
    def name(self) -> str:
        return self.unit.name if self.unit else self.agency.name


def scope_for(user: User) -> Scope | None:
    """The agency for one-stop officers and leaders, the unit for a head; None for anyone else."""
    if not getattr(user, "is_authenticated", False) or not user.agency_id:
        return None
    if user.has_role(Role.ONESTOP_OFFICER, Role.LEADER):
        return Scope(user.agency)
    if user.department_id and user.has_role(Role.DEPARTMENT_HEAD):
        return Scope(user.agency, unit=user.department)
    return None


# --- the columns ----------------------------------------------------------------------------------------


def _between(name: str, period: Period) -> Q:
    return Q(**{f"{name}__gte": period.start, f"{name}__lt": period.end})


def _decided(action: str, period: Period) -> Q:
    """The dossier's history has the transition ``action`` in the period (refusal at reception, stop)."""
    entries = HistoryEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Dossier),
        object_id=OuterRef("pk"),
        action=action,
        created_at__gte=period.start,
        created_at__lt=period.end,
    )
    return Q(Exists(entries))


def column_q(column: str, *, period: Period, now: datetime) -> Q:
    """The dossiers of one column (inside the scope)."""
    resolved = _between("resolved_at", period)
    timings = {"early": Timing.EARLY, "on_time": Timing.ON_TIME, "late": Timing.LATE}
    if column == "received":
        return _between("received_at", period)
    if column in timings:
        return resolved & Q(timing=timings[column])
    if column == "resolved":
        return resolved & Q(timing__in=list(timings.values()))
    processing = Q(state__in=[s.value for s in PROCESSING_STATES])
    if column == "open_on_time":
        return processing & (Q(due_at__isnull=True) | Q(due_at__gte=now))
    if column == "open_overdue":
        return processing & Q(due_at__lt=now)
    if column == "paused":
        return Q(state=DossierState.SUPPLEMENT)
    if column == "refused_reception":
        return Q(state=DossierState.REFUSED) & _decided("refuse_reception", period)
    if column == "refused_processing":
        return resolved & Q(outcome=Outcome.REFUSED)
    if column == "stopped":
        return Q(state=DossierState.STOPPED) & _decided("stop", period)
    if column == "rated":
        return Q(rating__isnull=False) & _between("rated_at", period)
    raise ValueError(column)


def _any_q(period: Period, now: datetime) -> Q:
    """Every dossier some column counts (the rows the aggregate reads)."""
    q = Q(pk__in=[])
    for column in ("received", "resolved", "open_on_time", "open_overdue", "paused"):
        q |= column_q(column, period=period, now=now)
    q |= column_q("rated", period=period, now=now)
    q |= column_q("refused_reception", period=period, now=now)
    q |= column_q("stopped", period=period, now=now)
    return q


def scoped(scope: Scope) -> QuerySet[Dossier]:
    return Dossier.objects.filter(scope.q)


# --- the table ------------------------------------------------------------------------------------------


@dataclass
class Counts:
    values: dict[str, int] = field(default_factory=lambda: dict.fromkeys(COLUMNS, 0))
    rating_sum: int = 0

    def __getitem__(self, column: str) -> int:
        return self.values[column]

    def add(self, other: Counts) -> None:
        for column in COLUMNS:
            self.values[column] += other.values[column]
        self.rating_sum += other.rating_sum

    @property
    def rate(self) -> float | None:
        """On-time rate in percent: (early + on time) / resolved; None when nothing was resolved."""
        resolved = self.values["resolved"]
        if not resolved:
            return None
        return round(100 * (self.values["early"] + self.values["on_time"]) / resolved, 1)

    @property
    def rating(self) -> float | None:
        """The average rating (1–5), None without ratings."""
        rated = self.values["rated"]
        return round(self.rating_sum / rated, 2) if rated else None

    @property
    def empty(self) -> bool:
        return not any(self.values.values())


@dataclass
class Row:
    key: str  # the object's id, or "none"
    label: str
    counts: Counts
    sub: str = ""
    order: int = 0  # a unit's place in the agency's list


@dataclass
class Report:
    scope: Scope
    period: Period
    group: str
    rows: list[Row]
    now: datetime

    @property
    def total(self) -> Counts:
        total = Counts()
        for row in self.rows:
            total.add(row.counts)
        return total

    @property
    def group_label(self) -> str:
        return str(GROUPINGS[self.group])


def _aggregates(period: Period, now: datetime) -> dict:
    aggs = {f"n_{c}": Count("pk", filter=column_q(c, period=period, now=now)) for c in COLUMNS}
    aggs["n_rating_sum"] = Sum("rating", filter=column_q("rated", period=period, now=now))
    return aggs


def report(*, scope: Scope, period: Period, group: str = "procedure", now: datetime | None = None) -> Report:
    """The table of the statistics page: one query, whatever the number of rows."""
    if group not in GROUPINGS:
        raise ValueError(group)
    now = now or timezone.now()
    key, label_fields = _GROUP_FIELDS[group]
    rows = (
        scoped(scope)
        .filter(_any_q(period, now))
        .values(key, *label_fields)
        .annotate(**_aggregates(period, now))
        .order_by()
    )
    result = []
    for row in rows:
        counts = Counts({c: row[f"n_{c}"] for c in COLUMNS}, row["n_rating_sum"] or 0)
        result.append(_row(group, row, row[key], counts))
    result.sort(key=lambda r: (r.key == "none", _sort_key(group, r)))
    return Report(scope=scope, period=period, group=group, rows=result, now=now)


def _row(group: str, values: dict, pk, counts: Counts) -> Row:
    if pk is None:
        return Row("none", str(_NONE_LABELS[group]), counts)
    if group == "procedure":
        return Row(str(pk), values["procedure__name"], counts, sub=values["procedure__code"])
    if group == "field":
        return Row(str(pk), values["procedure__field__name"], counts)
    if group == "unit":
        return Row(str(pk), values["department__name"], counts, order=values["department__order"])
    return Row(str(pk), values["officer__full_name"] or values["officer__username"], counts)


def _sort_key(group: str, row: Row):
    if group == "unit":
        return (row.order, fold(row.label))
    return (fold(row.label),)


# --- the list behind a number ---------------------------------------------------------------------------

_KEY_MODELS = {
    "procedure": (Procedure, "agency_id"),
    "field": (ProcedureField, None),
    "unit": (Department, "agency_id"),
    "officer": (User, "agency_id"),
}


def group_object(*, scope: Scope, group: str, key: str) -> str:
    """The name of a row (``key`` an id of the group, or "none"); 404 for a row outside the agency."""
    if group not in GROUPINGS:
        raise Http404
    if key == "none":
        return str(_NONE_LABELS[group])
    pk = int_param(key)
    if pk is None:
        raise Http404
    model, agency_field = _KEY_MODELS[group]
    qs = model.objects.filter(pk=pk)
    if agency_field:
        qs = qs.filter(**{agency_field: scope.agency.pk})
    obj = qs.first()
    if obj is None:
        raise Http404
    return obj.get_full_name() if isinstance(obj, User) else str(obj)


def records(
    *,
    scope: Scope,
    period: Period,
    column: str,
    group: str = "",
    key: str = "",
    now: datetime | None = None,
) -> QuerySet[Dossier]:
    """The dossiers behind one number: the scope, the column's filter and (for a row) the row's key."""
    if column not in COLUMNS:
        raise Http404
    now = now or timezone.now()
    qs = scoped(scope).filter(column_q(column, period=period, now=now))
    if group and key:
        field_name = _GROUP_FIELDS[group][0]
        pk = int_param(key)
        if key != "none" and pk is None:
            raise Http404
        qs = qs.filter(**({f"{field_name}__isnull": True} if key == "none" else {field_name: pk}))
    order = {
        "received": "-received_at",
        "rated": "-rated_at",
        "refused_reception": "-submitted_at",
        "stopped": "-submitted_at",
    }.get(column, "-resolved_at" if column in ("early", "on_time", "late", "resolved") else "due_at")
    return qs.select_related("procedure", "department", "officer").order_by(order, "-id")


# --- the dashboard --------------------------------------------------------------------------------------


def widget_counts(user: User, scope: Scope, *, now: datetime | None = None) -> dict:
    """The queue counts behind the widget's links and this month's on-time rate: one round trip."""
    from onestop.selectors import WIDGET_QUEUES, queue_q, visible_q

    now = now or timezone.now()
    base = visible_q(user)
    month = Period(*month_bounds(timezone.localdate(now)))
    querysets = {name: Dossier.objects.filter(base & queue_q(user, name, now=now)) for name in WIDGET_QUEUES}
    mine = scoped(scope)
    querysets["resolved"] = mine.filter(column_q("resolved", period=month, now=now))
    querysets["in_time"] = mine.filter(
        column_q("early", period=month, now=now) | column_q("on_time", period=month, now=now)
    )
    counts = count_each(querysets)
    counts["rate"] = round(100 * counts["in_time"] / counts["resolved"], 1) if counts["resolved"] else None
    counts["month"] = month
    return counts


def definitions(scope: Scope, group: str) -> list[str]:
    """What each number means (printed under the table and in the exports)."""
    if scope.unit:
        where = _(
            "Số liệu của đơn vị: các hồ sơ được chuyển đến đơn vị giải quyết. Hồ sơ từ chối khi tiếp nhận "
            "không thuộc đơn vị nào nên không được tính."
        )
    else:
        where = _("Số liệu toàn cơ quan: mọi hồ sơ một cửa của cơ quan.")
    lines = [
        where,
        _("Tiếp nhận: hồ sơ đủ điều kiện được tiếp nhận (đã cấp mã hồ sơ) có thời điểm tiếp nhận trong kỳ."),
        _(
            "Đã giải quyết: hồ sơ có kết quả trong kỳ, kể cả hồ sơ không giải quyết (trả lại có lý do). "
            "Trước hạn: có kết quả vào một ngày trước ngày hẹn trả; đúng hạn: trong ngày hẹn trả, không muộn "
            "hơn giờ hẹn; quá hạn: sau thời điểm hẹn trả. Thời điểm hẹn trả là hẹn theo thời hạn luật định, "
            "đã cộng thời gian chờ công dân bổ sung; hồ sơ được hẹn lại (Mẫu 04) vẫn so với hẹn ban đầu."
        ),
        _(
            "Đang giải quyết: hồ sơ chưa có kết quả tại thời điểm xem báo cáo, không phụ thuộc kỳ thống kê. "
            "Trong hạn: chưa qua thời điểm hẹn trả; quá hạn: đã qua thời điểm hẹn trả; chờ bổ sung: đang "
            "tạm dừng tính thời gian chờ công dân bổ sung, hoàn thiện hồ sơ."
        ),
        _(
            "Từ chối khi tiếp nhận: hồ sơ bị từ chối tiếp nhận (Mẫu 03) trong kỳ. Từ chối khi giải quyết: "
            "hồ sơ không giải quyết, trả lại có lý do, có kết quả trong kỳ (đã tính trong cột đã giải "
            "quyết). Dừng xử lý: hồ sơ được thông báo dừng xử lý (Mẫu 05) trong kỳ."
        ),
        _(
            "Tỷ lệ đúng hạn = (trước hạn + đúng hạn) / đã giải quyết. Mức độ hài lòng: điểm trung bình "
            "(thang 1–5) và số lượt người dân đánh giá trong kỳ."
        ),
    ]
    if group == "officer":
        lines.append(
            _("Theo chuyên viên: chuyên viên được phân công thụ lý hồ sơ; hồ sơ chưa phân công ghi riêng.")
        )
    elif group == "unit":
        lines.append(_("Theo đơn vị: đơn vị giải quyết hồ sơ; hồ sơ chưa chuyển đơn vị ghi riêng."))
    return lines


def rating_text(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")
