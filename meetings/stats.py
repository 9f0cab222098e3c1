"""Meeting statistics of an agency for a period (thống kê lịch họp): reads only, and the PDF and Excel
exports through ``eoffice.output.report``.

Who sees them: the agency's leaders and its schedule managers (``may_see``); anyone else is refused.

What is counted: the agency's meetings and events that start in the period.
- By state: every registration, whatever its state now (chờ duyệt, đã duyệt, từ chối, đã hủy).
- Held (đã họp): approved and not postponed. Only held meetings count in the tables: per chair (the person
  who chaired; outside chairs together in one row), per organising unit (the unit that registered it), the
  hours (end − start, summed) and the roll call of the participants who are people (not units or agencies):
  attendance rate = present / (present + absent + excused); those not marked are left out.

Four queries whatever the number of meetings, chairs and units: the states and totals, the chairs, the
units, the roll call grouped by (chair, unit).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, DurationField, ExpressionWrapper, F, Q, Sum
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from documents.stats.selectors import Period
from eoffice.models import Agency, Role, User
from eoffice.output import report as output_report
from eoffice.search import fold
from meetings import rules
from meetings.models import Meeting, Participant
from workflow.models import WorkflowState

STATES = (WorkflowState.SUBMITTED, WorkflowState.APPROVED, WorkflowState.REJECTED, WorkflowState.CANCELLED)
HELD = Q(state=WorkflowState.APPROVED, postponed_at__isnull=True)
DURATION = ExpressionWrapper(F("end_at") - F("start_at"), output_field=DurationField())
ATTENDANCE = (
    Participant.Attendance.PRESENT,
    Participant.Attendance.ABSENT,
    Participant.Attendance.EXCUSED,
)
NONE_KEY = "none"
NONE_LABELS = {
    "chair": gettext_lazy("Chủ trì ngoài cơ quan"),
    "unit": gettext_lazy("Không rõ đơn vị tổ chức"),
}


def may_see(user: User) -> bool:
    """The agency's leaders and schedule managers."""
    if not getattr(user, "is_authenticated", False) or not user.agency_id:
        return False
    return user.has_role(Role.LEADER) or rules.is_manager(user)


@dataclass
class Line:
    key: str
    label: str
    meetings: int = 0
    duration: dt.timedelta = field(default_factory=dt.timedelta)
    present: int = 0
    absent: int = 0
    excused: int = 0
    order: int = 0
    sub: str = ""  # a chair's position

    @property
    def hours(self) -> float:
        return self.duration.total_seconds() / 3600

    @property
    def marked(self) -> int:
        return self.present + self.absent + self.excused

    @property
    def rate(self) -> float | None:
        """Present / marked, in percent; None when nobody was marked."""
        return round(100 * self.present / self.marked, 1) if self.marked else None


@dataclass
class Report:
    agency: Agency
    period: Period
    states: dict[str, int]
    total: Line
    chairs: list[Line]
    units: list[Line]

    @property
    def registered(self) -> int:
        return sum(self.states.values())

    @property
    def state_rows(self) -> list[tuple[str, str, int]]:
        return [(state, str(Meeting.label_for_state(state)), self.states[state]) for state in STATES]


def _key(pk) -> str:
    return str(pk) if pk is not None else NONE_KEY


def report(*, agency: Agency, period: Period) -> Report:
    base = Meeting.objects.filter(agency_id=agency.pk, start_at__gte=period.start, start_at__lt=period.end)
    held = base.filter(HELD)
    totals = base.aggregate(
        **{f"n_{state}": Count("pk", filter=Q(state=state)) for state in STATES},
        held=Count("pk", filter=HELD),
        duration=Sum(DURATION, filter=HELD),
    )
    total = Line("total", _("Tổng cộng"), totals["held"], totals["duration"] or dt.timedelta())
    chairs: dict[str, Line] = {}
    for row in (
        held.values("chair_id", "chair__full_name", "chair__username", "chair__position")
        .annotate(n=Count("pk"), duration=Sum(DURATION))
        .order_by()
    ):
        key = _key(row["chair_id"])
        label = (
            (row["chair__full_name"] or row["chair__username"]) if row["chair_id"] else NONE_LABELS["chair"]
        )
        duration = row["duration"] or dt.timedelta()
        chairs[key] = Line(key, str(label), row["n"], duration, sub=row["chair__position"] or "")
    units: dict[str, Line] = {}
    for row in (
        held.values("department_id", "department__name", "department__order")
        .annotate(n=Count("pk"), duration=Sum(DURATION))
        .order_by()
    ):
        key = _key(row["department_id"])
        label = row["department__name"] if row["department_id"] else NONE_LABELS["unit"]
        order = row["department__order"] if row["department_id"] is not None else 1 << 30
        units[key] = Line(key, str(label), row["n"], row["duration"] or dt.timedelta(), order=order)
    _roll_call(agency.pk, period, chairs=chairs, units=units, total=total)
    return Report(
        agency=agency,
        period=period,
        states={state: totals[f"n_{state}"] for state in STATES},
        total=total,
        chairs=sorted(
            chairs.values(), key=lambda line: (line.key == NONE_KEY, -line.meetings, fold(line.label))
        ),
        units=sorted(units.values(), key=lambda line: (line.key == NONE_KEY, line.order, fold(line.label))),
    )


def _roll_call(
    agency_id: int, period: Period, *, chairs: dict[str, Line], units: dict[str, Line], total: Line
) -> None:
    """The roll call of the people listed in the held meetings (``HELD``, spelt out through the join so that
    the agency's start-time index finds the meetings), added to their chair's and unit's lines."""
    counts = {name: Count("pk", filter=Q(attendance=name)) for name in ATTENDANCE}
    rows = (
        Participant.objects.filter(
            meeting__agency_id=agency_id,
            meeting__start_at__gte=period.start,
            meeting__start_at__lt=period.end,
            meeting__state=WorkflowState.APPROVED,
            meeting__postponed_at__isnull=True,
            user__isnull=False,
        )
        .values("meeting__chair_id", "meeting__department_id")
        .annotate(**counts)
        .order_by()
    )
    for row in rows:
        chair = chairs.get(_key(row["meeting__chair_id"]))
        unit = units.get(_key(row["meeting__department_id"]))
        for line in (chair, unit, total):
            if line is not None:
                line.present += row[Participant.Attendance.PRESENT]
                line.absent += row[Participant.Attendance.ABSENT]
                line.excused += row[Participant.Attendance.EXCUSED]


def definitions() -> list[str]:
    return [
        _("Số liệu của cơ quan: các cuộc họp, sự kiện có thời gian bắt đầu trong kỳ thống kê."),
        _(
            "Theo trạng thái: mọi lịch đã đăng ký, theo trạng thái hiện tại (chờ duyệt, đã duyệt, từ chối, "
            "đã hủy)."
        ),
        _(
            "Đã họp: lịch đã duyệt và không bị hoãn. Các bảng theo đơn vị, theo người chủ trì, số giờ họp và "
            "tỷ lệ có mặt chỉ tính các cuộc họp này."
        ),
        _(
            "Số giờ họp: tổng thời gian từ giờ bắt đầu đến giờ kết thúc của các cuộc họp. Đơn vị tổ chức: "
            "đơn vị đăng ký lịch. Người chủ trì ngoài cơ quan được cộng chung một dòng."
        ),
        _(
            "Tỷ lệ có mặt = có mặt / (có mặt + vắng + vắng có lý do), theo điểm danh các thành phần là cá "
            "nhân; người chưa được điểm danh không được tính."
        ),
    ]


# ---- printed values ------------------------------------------------------------------------------------


def hours_text(line: Line) -> str:
    return f"{line.hours:.1f}".replace(".", ",").removesuffix(",0")


def rate_text(line: Line) -> str:
    if line.rate is None:
        return "—"
    return f"{line.rate:.1f}".replace(".", ",").removesuffix(",0") + "%"


def values(line: Line) -> list:
    return [line.meetings, hours_text(line), line.present, line.absent, line.excused, rate_text(line)]


def header() -> tuple[list[tuple[str, int, int]], list[str]]:
    top = [
        (_("Số cuộc họp"), 2, 1),
        (_("Số giờ họp"), 2, 1),
        (_("Điểm danh thành phần là cá nhân"), 1, 3),
        (_("Tỷ lệ có mặt"), 2, 1),
    ]
    return top, [_("Có mặt"), _("Vắng"), _("Vắng có lý do")]


# ---- exports -------------------------------------------------------------------------------------------


def title() -> str:
    return _("BÁO CÁO TÌNH HÌNH TỔ CHỨC CUỘC HỌP")


def _listing_rows(lines: list[Line]) -> list[list]:
    return [[f"{line.label} ({line.sub})" if line.sub else line.label, *values(line)] for line in lines]


def _lists(data: Report) -> list[output_report.Listing]:
    headings = [_("Người chủ trì"), _("Số cuộc họp"), _("Số giờ họp"), _("Có mặt"), _("Vắng")]
    headings += [_("Vắng có lý do"), _("Tỷ lệ có mặt")]
    return [
        output_report.Listing(
            title=_("Theo người chủ trì"),
            headings=headings,
            widths=[34, 11, 11, 11, 11, 11, 11],
            rows=_listing_rows(data.chairs)
            or [[_("Không có cuộc họp nào trong kỳ này."), "", "", "", "", "", ""]],
        ),
        output_report.Listing(
            title=_("Theo trạng thái của lịch đăng ký"),
            headings=[_("Trạng thái"), _("Số lịch")],
            widths=[60, 40],
            rows=[[label, n] for _state, label, n in data.state_rows] + [[_("Tổng cộng"), data.registered]],
        ),
    ]


def _printed(data: Report, made_by: str) -> output_report.Report:
    top, under = header()
    rows = [output_report.Row(line.label, values(line)) for line in data.units]
    if not rows:
        rows.append(output_report.Row(_("Không có cuộc họp nào trong kỳ này."), empty=True))
    rows.append(output_report.Row(_("Tổng cộng"), values(data.total), strong=True))
    return output_report.Report(
        title=title(),
        agency=data.agency,
        scope_line=" · ".join([data.agency.name, data.period.label, _("Theo đơn vị tổ chức")]),
        header_top=[(_("Đơn vị tổ chức"), 2, 1), *top],
        header_under=under,
        widths=[34, 11, 11, 11, 11, 11, 11],
        rows=rows,
        definitions=definitions(),
        made_by=made_by,
        lists=_lists(data),
    )


def _sheet(data: Report) -> output_report.Sheet:
    """The numbers for Excel: hours as a number, the rate as a fraction (formatted as a percentage)."""

    def line(item: Line, strong: bool = False) -> output_report.Row:
        rate = item.rate / 100 if item.rate is not None else None
        numbers = [item.meetings, round(item.hours, 2), item.present, item.absent, item.excused, rate]
        return output_report.Row(item.label, numbers, strong=strong)

    rows = [line(item) for item in data.units]
    rows.append(line(data.total, strong=True))
    return output_report.Sheet(rows=rows, formats={3: "0.0", 7: "0.0%"}, column_width=13, lists=_lists(data))


def render(data: Report, *, fmt: str, made_by: str = "") -> tuple[bytes, str, str]:
    """The statistics as a download (Excel with ``fmt`` "xlsx", else PDF): (content, content type, name)."""
    stem = f"thong-ke-lich-hop-{data.period.date_from:%Y%m%d}-{data.period.date_to:%Y%m%d}"
    return output_report.render(_printed(data, made_by), fmt=fmt, stem=stem, sheet=_sheet(data))
