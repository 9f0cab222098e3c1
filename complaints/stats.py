"""The periodic statistics report of the complaints module (báo cáo định kỳ công tác tiếp công dân, xử lý
đơn, giải quyết khiếu nại, tố cáo): the cases (one per content of a letter) received in the period and carried
over, one or many signers, processable, by competence, the intake outcomes (accepted, forwarded, guidance),
resolved on time / late and still open, grouped by kind, field or stage; the visits by kind and outcome.

Every number is counted over the user's visible set (``rules.visible_q`` / ``selectors.visible_visits``) and
is the size of a list the drill-down page shows (``records`` / ``visit_records``), with the same filter: a
number and its list cannot disagree. Statistics hold counts only, never a person.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from documents.stats.selectors import Period
from eoffice.output import report as output_report

from . import deadlines, selectors
from .models import (
    OPEN_CASE_STATES,
    Case,
    CaseKind,
    CaseState,
    Field,
    IntakeOutcome,
    Stage,
    Visit,
)

GROUPINGS = {
    "kind": gettext_lazy("Loại đơn"),
    "field": gettext_lazy("Lĩnh vực"),
    "stage": gettext_lazy("Bước giải quyết"),
}
GROUP_CHOICES = {"kind": CaseKind.choices, "field": Field.choices, "stage": Stage.choices}

LABELS = {
    "received": gettext_lazy("Tiếp nhận trong kỳ"),
    "carried": gettext_lazy("Kỳ trước chuyển sang"),
    "single": gettext_lazy("Một người đứng đơn"),
    "many": gettext_lazy("Nhiều người đứng đơn"),
    "processable": gettext_lazy("Đủ điều kiện xử lý"),
    "not_processable": gettext_lazy("Không đủ điều kiện xử lý"),
    "competent": gettext_lazy("Thuộc thẩm quyền"),
    "not_competent": gettext_lazy("Không thuộc thẩm quyền"),
    "accepted": gettext_lazy("Thụ lý"),
    "forwarded": gettext_lazy("Chuyển đơn"),
    "guided": gettext_lazy("Hướng dẫn, trả đơn"),
    "resolved": gettext_lazy("Đã giải quyết"),
    "on_time": gettext_lazy("Đúng hạn"),
    "late": gettext_lazy("Quá hạn"),
    "open": gettext_lazy("Đang giải quyết"),
}
COLUMNS = tuple(LABELS)
# The first header row: (label, the columns under it); a group of one spans both rows.
HEADER = (
    (gettext_lazy("Số vụ việc"), ("received", "carried")),
    (gettext_lazy("Người đứng đơn"), ("single", "many")),
    (gettext_lazy("Phân loại"), ("processable", "not_processable", "competent", "not_competent")),
    (gettext_lazy("Kết quả xử lý đơn"), ("accepted", "forwarded", "guided")),
    (gettext_lazy("Kết quả giải quyết"), ("resolved", "on_time", "late")),
    (gettext_lazy("Đang giải quyết"), ("open",)),
)
TIMED = ("on_time", "late")  # computed from each case's legal deadline (a calendar of working days)

VISIT_LABELS = {
    "visits": gettext_lazy("Lượt tiếp"),
    "people": gettext_lazy("Số người"),
    "groups": gettext_lazy("Đoàn đông người"),
    **dict(Visit.Outcome.choices),
    "answered": gettext_lazy("Đã trả lời"),
}
VISIT_COLUMNS = tuple(VISIT_LABELS)
VISIT_LINKED = tuple(c for c in VISIT_COLUMNS if c != "people")


# ---- the columns as filters -------------------------------------------------------------------------------


def _between(name: str, period: Period) -> Q:
    return Q(**{f"{name}__gte": period.start, f"{name}__lt": period.end})


def _received(period: Period) -> Q:
    return Q(letter__received_on__gte=period.date_from, letter__received_on__lte=period.date_to)


def _carried(period: Period) -> Q:
    """Received before the period and not finished before it: no intake exit, result or closing before its
    first day, not stopped or withdrawn (those carry no date and are left out)."""
    start = period.start
    exits = [IntakeOutcome.REFUSE, IntakeOutcome.FORWARD, IntakeOutcome.GUIDE, IntakeOutcome.KEEP]
    finished = (
        Q(resolved_at__lt=start)
        | Q(closed_at__lt=start)
        | Q(outcome__in=exits, outcome_at__lt=start)
        | Q(state__in=[CaseState.STOPPED, CaseState.WITHDRAWN])
    )
    return Q(letter__received_on__lt=period.date_from) & ~finished


def _in_scope(period: Period) -> Q:
    return _received(period) | _carried(period)


def column_q(column: str, period: Period) -> Q:
    """The filter of a column (the timed columns: the cases resolved in the period; ``timing`` splits
    them)."""
    scope = _in_scope(period)
    return {
        "received": _received(period),
        "carried": _carried(period),
        "single": scope & Q(letter__signer_count__lte=1),
        "many": scope & Q(letter__signer_count__gt=1),
        "processable": scope & Q(processable=True),
        "not_processable": scope & Q(processable=False),
        "competent": scope & Q(competent=True),
        "not_competent": scope & Q(competent=False),
        "accepted": _between("accepted_at", period),
        "forwarded": Q(outcome=IntakeOutcome.FORWARD) & _between("outcome_at", period),
        "guided": Q(outcome=IntakeOutcome.GUIDE) & _between("outcome_at", period),
        "resolved": _between("resolved_at", period),
        "on_time": _between("resolved_at", period),
        "late": _between("resolved_at", period),
        "open": scope & Q(state__in=OPEN_CASE_STATES) & Q(resolved_at__isnull=True),
    }[column]


def visit_column_q(column: str) -> Q:
    if column in ("visits", "people"):
        return Q()
    if column == "groups":
        return Q(people_count__gte=5)
    if column == "answered":
        return Q(answered_at__isnull=False)
    return Q(outcome=column)


# ---- on time / late ------------------------------------------------------------------------------------


def is_late(case: Case) -> bool:
    """Resolved after the legal deadline of its resolution (the rule in force when the letter was received,
    with complexity, extensions and the time suspended)."""
    deadline = deadlines.resolution_deadline(case)
    return deadline.due_at is not None and case.resolved_at is not None and case.resolved_at > deadline.due_at


def timing(qs: QuerySet[Case], period: Period) -> dict[int, bool]:
    """Case id → late, for the cases of ``qs`` resolved in the period: as recorded when each was resolved
    (``resolved_late``), computed from the rules only for a case resolved before lateness was recorded."""
    resolved = qs.filter(column_q("resolved", period))
    late = dict(resolved.filter(resolved_late__isnull=False).values_list("pk", "resolved_late"))
    unrecorded = (
        resolved.filter(resolved_late__isnull=True)
        .select_related("letter")
        .only(  # what the resolution deadline reads, nothing more
            "pk",
            "agency_id",
            "letter__received_on",
            "kind",
            "instance",
            "complexity",
            "remote_area",
            "paused_days",
            "extension_count",
            "accepted_at",
            "resolved_at",
            "state",
        )
    )
    with deadlines.memoized():  # the rules and each agency's settings read once, not once per case
        late.update((case.pk, is_late(case)) for case in unrecorded)
    return late


# ---- the report ---------------------------------------------------------------------------------------


@dataclass
class Line:
    key: str
    label: str
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class Report:
    agency: object
    period: Period
    group: str
    lines: list[Line]
    total: Line
    visit_lines: list[Line]
    visit_total: Line

    @property
    def group_label(self) -> str:
        return str(GROUPINGS[self.group])


def _group_field(group: str) -> str:
    return group if group in GROUPINGS else "kind"


def report(*, user, period: Period, group: str = "kind") -> Report:
    """The counts of the user's visible cases and visits: one aggregate query per table, and the resolved
    cases of the period read once for their deadlines."""
    group = _group_field(group)
    cases = selectors.visible_cases(user)
    # "n_" names: an annotation named like a field (processable, competent) would shadow it in the filters
    aggregates = {f"n_{c}": Count("pk", filter=column_q(c, period)) for c in COLUMNS if c not in TIMED}
    by_key = {
        row[group]: row
        for row in cases.filter(
            _in_scope(period)
            | column_q("accepted", period)
            | column_q("resolved", period)
            | column_q("forwarded", period)
            | column_q("guided", period)
        )
        .values(group)
        .annotate(**aggregates)
        .order_by()
    }
    late = timing(cases, period)
    keys_of = dict(cases.filter(pk__in=list(late)).values_list("pk", group)) if late else {}
    timed = Counter()
    for pk, is_late_ in late.items():
        timed[(keys_of[pk], "late" if is_late_ else "on_time")] += 1
    lines = []
    for key, label in GROUP_CHOICES[group]:
        row = by_key.get(key)
        if row is None:
            continue
        counts = {c: row[f"n_{c}"] for c in COLUMNS if c not in TIMED}
        counts.update(on_time=timed[(key, "on_time")], late=timed[(key, "late")])
        lines.append(Line(key, str(label), counts))
    total = Line("", _("Tổng cộng"), {c: sum(line.counts[c] for line in lines) for c in COLUMNS})

    visits = selectors.visible_visits(user).filter(_between("received_at", period))
    visit_aggregates = {
        f"n_{c}": Count("pk", filter=visit_column_q(c)) for c in VISIT_COLUMNS if c != "people"
    }
    visit_rows = {
        row["kind"]: row
        for row in visits.values("kind").annotate(n_people=Sum("people_count"), **visit_aggregates).order_by()
    }
    visit_lines = [
        Line(key, str(label), {c: visit_rows[key][f"n_{c}"] or 0 for c in VISIT_COLUMNS})
        for key, label in CaseKind.choices
        if key in visit_rows
    ]
    visit_total = Line(
        "", _("Tổng cộng"), {c: sum(line.counts[c] for line in visit_lines) for c in VISIT_COLUMNS}
    )
    return Report(user.agency, period, group, lines, total, visit_lines, visit_total)


def records(*, user, period: Period, column: str, group: str = "", key: str = "") -> QuerySet[Case]:
    """The cases behind a number (the same filter as the count), newest first."""
    qs = selectors.visible_cases(user).filter(column_q(column, period))
    if group in GROUPINGS and key:
        qs = qs.filter(**{group: key})
    if column in TIMED:
        late = timing(qs, period)
        qs = qs.filter(pk__in=[pk for pk, is_late_ in late.items() if is_late_ == (column == "late")])
    return qs.select_related("letter", "handler", "department").order_by("-letter__received_on", "-pk")


def visit_records(*, user, period: Period, column: str, key: str = "") -> QuerySet[Visit]:
    qs = selectors.visible_visits(user).filter(_between("received_at", period), visit_column_q(column))
    if key:
        qs = qs.filter(kind=key)
    return qs.select_related("officer").order_by("-received_at", "-pk")


def definitions() -> list[str]:
    return [
        _("Số liệu tính theo vụ việc: một đơn có nhiều nội dung được tách thành nhiều vụ việc."),
        _(
            "Tiếp nhận trong kỳ: đơn có ngày nhận trong kỳ. Kỳ trước chuyển sang: đơn nhận trước kỳ, "
            "chưa xử lý xong (chưa có kết quả, chưa trả, chuyển, lưu đơn, chưa kết thúc) vào ngày đầu kỳ."
        ),
        _(
            "Người đứng đơn, phân loại và đang giải quyết: tính trên vụ việc tiếp nhận trong kỳ và kỳ trước "
            "chuyển sang; đang giải quyết là số hiện tại, tại thời điểm lập báo cáo."
        ),
        _("Thụ lý, chuyển đơn, hướng dẫn: vụ việc có kết quả xử lý đơn trong kỳ."),
        _(
            "Đã giải quyết: vụ việc có quyết định, kết luận hoặc văn bản trả lời trong kỳ; đúng hạn hoặc "
            "quá hạn so với thời hạn theo quy định có hiệu lực tại ngày nhận đơn (kể cả gia hạn, thời gian "
            "tạm đình chỉ)."
        ),
        _("Tiếp công dân: lượt tiếp trong kỳ theo loại vụ việc và kết quả tiếp; đoàn đông người từ 5 người."),
        _("Số liệu chỉ gồm các vụ việc người lập báo cáo được xem; báo cáo không chứa thông tin nhân thân."),
    ]


# ---- printed: PDF and Excel through eoffice.output.report -------------------------------------------------

STYLE = output_report.Style(heading=9, number=8.5, cell=10, pad_x=2)


def title() -> str:
    return _("BÁO CÁO CÔNG TÁC TIẾP CÔNG DÂN, XỬ LÝ ĐƠN, GIẢI QUYẾT KHIẾU NẠI, TỐ CÁO")


def header(group_label: str) -> tuple[list[tuple[str, int, int]], list[str]]:
    top: list[tuple[str, int, int]] = [(group_label, 2, 1)]
    under: list[str] = []
    for label, cols in HEADER:
        if len(cols) == 1:
            top.append((str(LABELS[cols[0]]), 2, 1))
        else:
            top.append((str(label), 1, len(cols)))
            under += [str(LABELS[c]) for c in cols]
    return top, under


def ordered(line: Line) -> list[int]:
    """A line's counts in the order of the printed columns."""
    return [line.counts[c] for _label, cols in HEADER for c in cols]


def _visit_listing(rep: Report) -> output_report.Listing:
    lines = [*rep.visit_lines, rep.visit_total]
    return output_report.Listing(
        title=_("Tiếp công dân: lượt tiếp theo loại vụ việc và kết quả tiếp"),
        headings=[_("Loại vụ việc"), *(str(VISIT_LABELS[c]) for c in VISIT_COLUMNS)],
        widths=[20] + [80 / len(VISIT_COLUMNS)] * len(VISIT_COLUMNS),
        rows=[[line.label, *(line.counts[c] for c in VISIT_COLUMNS)] for line in lines],
    )


def render(*, rep: Report, fmt: str, made_by: str = "") -> tuple[bytes, str, str]:
    """The report as a download (Excel with ``fmt`` "xlsx", else PDF): (content, content type, file name)."""
    stem = f"bao-cao-don-thu-{rep.period.date_from:%Y%m%d}-{rep.period.date_to:%Y%m%d}"
    top, under = header(rep.group_label)
    rows = [output_report.Row(line.label, ordered(line)) for line in rep.lines]
    if not rows:
        rows.append(output_report.Row(_("Không có vụ việc nào trong kỳ này."), empty=True))
    rows.append(output_report.Row(_("Tổng cộng"), ordered(rep.total), strong=True))
    listing = _visit_listing(rep)
    columns = 1 + len(COLUMNS)
    printed = output_report.Report(
        title=title(),
        agency=rep.agency,
        scope_line=" · ".join(
            [rep.agency.name, rep.period.label, _("Theo %(group)s") % {"group": rep.group_label.lower()}]
        ),
        header_top=top,
        header_under=under,
        widths=[16] + [None] * (columns - 1),
        rows=rows,
        definitions=definitions(),
        made_by=made_by,
        lists=[listing],
        style=STYLE,
    )
    sheet_rows = [output_report.Row(line.label, ordered(line)) for line in rep.lines]
    sheet_rows.append(output_report.Row(_("Tổng cộng"), ordered(rep.total), strong=True))
    sheet = output_report.Sheet(rows=sheet_rows, formats={}, column_width=11, lists=[listing])
    return output_report.render(printed, fmt=fmt, stem=stem, sheet=sheet)


def now_label() -> str:
    return f"{timezone.localtime():%H:%M %d/%m/%Y}"
