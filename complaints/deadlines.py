"""The legal clock of a case, computed from the ``LegalRule`` in force on the day its letter was received.

Counting (Bộ luật Dân sự 2015 Đ147–148): a period "within N days of an event" starts the day after the
event; a period in days ends at the close of its last day, moved to the next working day when that day is
a weekend, a public holiday (Tết included) or a swapped day off; a period in working days counts only
working days (``workflow.calendar``). Time suspended does not count: it is added back on "continue".

Pure computations: ``recompute`` sets the fields of an unsaved case; the services save and write history.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from workflow import calendar
from workflow.rules import deadline_marks

from .models import Case, CaseKind, CaseState, ComplaintSettings, Complexity, LegalRule, RuleCode, Stage, Unit


@dataclass(frozen=True)
class Deadline:
    due_at: dt.datetime | None
    rule: LegalRule | None
    days: int = 0

    @property
    def label(self) -> str:
        """What a page prints beside the deadline: "07 ngày làm việc — NĐ 124/2020/NĐ-CP Đ16 …"."""
        if self.rule is None:
            return ""
        return f"{self.days:02d} {self.rule.get_unit_display()} — {self.rule.source}"


NONE = Deadline(None, None)


# Inside ``memoized()``: every version of a rule and each agency's settings read once (a report computing
# the deadlines of many cases); outside it every call reads the table, so a rule added meanwhile applies.
_memo: ContextVar[dict | None] = ContextVar("complaints_deadlines_memo", default=None)


@contextmanager
def memoized(*, settings_by_agency: dict[int, ComplaintSettings | None] | None = None) -> Iterator[None]:
    """Read each rule's versions and each agency's settings once, and remember the periods computed (a pure
    function of their start day, length and unit while the calendar does not change). ``settings_by_agency``
    gives every agency's settings up front (a generator that has not written them yet): an agency missing
    from it has none."""
    memo: dict = {}
    if settings_by_agency is not None:
        memo["settings_given"] = True
        memo.update({("settings", agency_id): found for agency_id, found in settings_by_agency.items()})
    token = _memo.set(memo)
    try:
        yield
    finally:
        _memo.reset(token)


def _in_force(code: str, on: dt.date) -> LegalRule | None:
    memo = _memo.get()
    if memo is None:
        return LegalRule.objects.in_force(code, on=on)
    key = ("rules", code)
    if key not in memo:
        memo[key] = list(LegalRule.objects.filter(code=code).order_by("-effective_from"))
    return next((rule for rule in memo[key] if rule.effective_from <= on), None)


def rule_in_force(code: str, *, on: dt.date) -> LegalRule:
    found = _in_force(code, on)
    if found is None:
        raise ValidationError(
            _("Chưa có quy định thời hạn “%(code)s” có hiệu lực vào ngày %(day)s.")
            % {
                "code": RuleCode(code).label if code in RuleCode.values else code,
                "day": on.strftime("%d/%m/%Y"),
            }
        )
    return found


def _close_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, calendar.office_hours()[-1][1], tzinfo=calendar.local_tz())


def local_date(instant: dt.datetime | dt.date) -> dt.date:
    if isinstance(instant, dt.datetime):
        return timezone.localtime(instant, calendar.local_tz()).date()
    return instant


def add_period(start: dt.datetime | dt.date, days: int, unit: str) -> dt.datetime:
    """The end of a period of ``days`` in ``unit`` that starts the day after ``start``."""
    first = local_date(start)
    memo = _memo.get()
    key = ("period", first, days, unit)
    if memo is not None and key in memo:
        return memo[key]
    if unit == Unit.WORKING_DAYS:
        end = calendar.add_working_days(_close_of(first), days, end_of_day=True)
    else:
        last = first + dt.timedelta(days=days)
        for _i in range(60):
            if calendar.is_working_day(last):
                break
            last += dt.timedelta(days=1)
        end = _close_of(last)
    if memo is not None:
        memo[key] = end
    return end


def paused_length(paused_at: dt.datetime, resumed_at: dt.datetime, unit: str) -> int:
    """The suspension in the unit of the running rule: calendar days, or working days, between the two."""
    start, end = local_date(paused_at), local_date(resumed_at)
    if end <= start:
        return 0
    if unit == Unit.WORKING_DAYS:
        return calendar.count_working_days(start + dt.timedelta(days=1), end)
    return (end - start).days


def agency_settings(case: Case) -> ComplaintSettings | None:
    memo = _memo.get()
    if memo is None:
        return ComplaintSettings.objects.filter(agency_id=case.agency_id).first()
    key = ("settings", case.agency_id)
    if key not in memo:
        if memo.get("settings_given"):
            return None
        memo[key] = ComplaintSettings.objects.filter(agency_id=case.agency_id).first()
    return memo[key]


def _remote(case: Case) -> bool:
    if case.remote_area:
        return True
    config = agency_settings(case)
    return bool(config and config.remote_area)


def intake_deadline(case: Case) -> Deadline:
    """While the letter waits for its intake outcome."""
    received = case.letter.received_on
    if case.kind == CaseKind.COMPLAINT:
        rule = rule_in_force(RuleCode.COMPLAINT_ACCEPT, on=received)
    elif case.kind == CaseKind.DENUNCIATION:
        rule = rule_in_force(RuleCode.DENUNCIATION_INTAKE, on=received)
        if case.competent is False:
            rule = rule_in_force(RuleCode.DENUNCIATION_FORWARD, on=received)
    else:
        return petition_deadline(case)
    return Deadline(add_period(received, rule.days, rule.unit), rule, rule.days)


def petition_deadline(case: Case) -> Deadline:
    received = case.letter.received_on
    rule = rule_in_force(RuleCode.PETITION_ANSWER, on=received)
    config = agency_settings(case)
    days = config.petition_days if config else rule.days
    return Deadline(add_period(received, days, rule.unit), rule, days)


def resolution_deadline(case: Case) -> Deadline:
    """From acceptance: the days of the rule (complex / remote), the extensions of a denunciation, and the
    time suspended."""
    if case.kind in (CaseKind.PETITION, CaseKind.FEEDBACK):
        return petition_deadline(case)
    if case.accepted_at is None:
        return NONE
    received = case.letter.received_on
    if case.kind == CaseKind.COMPLAINT:
        code = RuleCode.COMPLAINT_RESOLVE_2 if case.instance == 2 else RuleCode.COMPLAINT_RESOLVE_1
        rule = rule_in_force(code, on=received)
        days = rule.days_for(complex=case.complexity != Complexity.NORMAL, remote=_remote(case))
    else:
        rule = rule_in_force(RuleCode.DENUNCIATION_RESOLVE, on=received)
        days = rule.days + (rule.extension_days or 0) * case.extension_count
    return Deadline(add_period(case.accepted_at, days + case.paused_days, rule.unit), rule, days)


def max_extensions(case: Case) -> int:
    """How many extensions of a denunciation its complexity allows (0, 1 or 2)."""
    rule = rule_in_force(RuleCode.DENUNCIATION_RESOLVE, on=case.letter.received_on)
    if case.complexity == Complexity.VERY_COMPLEX:
        return rule.max_extensions_very_complex
    if case.complexity == Complexity.COMPLEX:
        return rule.max_extensions_complex
    return 0


def delivery_deadline(case: Case) -> Deadline:
    """After the decision or conclusion: sending it (complaints 03, denunciations 05 working days)."""
    if case.resolved_at is None or case.kind in (CaseKind.PETITION, CaseKind.FEEDBACK):
        return NONE
    code = RuleCode.COMPLAINT_SEND_1 if case.kind == CaseKind.COMPLAINT else RuleCode.DENUNCIATION_SEND
    rule = rule_in_force(code, on=case.letter.received_on)
    return Deadline(add_period(case.resolved_at, rule.days, rule.unit), rule, rule.days)


def current(case: Case) -> Deadline:
    """The deadline of what is expected of the case in its state now."""
    if case.state == CaseState.REGISTERED:
        return intake_deadline(case)
    if case.state in (CaseState.ACCEPTED, CaseState.SUSPENDED):
        return resolution_deadline(case)
    if case.state == CaseState.RESOLVED:
        # The sending clock runs until the result has gone out (stage DELIVERY or HANDLING); after that the
        # case waits only to be published or closed, with no legal deadline.
        if case.stage in (Stage.DELIVERY, Stage.HANDLING):
            return delivery_deadline(case)
        return NONE
    return NONE


def recompute(case: Case, *, now: dt.datetime | None = None) -> Deadline:
    """Set ``due_at``, ``due_soon_at`` and ``due_rule`` of ``case`` (not saved) from its state; return it."""
    deadline = current(case)
    case.due_at = deadline.due_at
    case.due_rule = deadline.rule
    case.due_soon_at, _escalate = deadline_marks(due_at=deadline.due_at, start=now or timezone.now())
    return deadline


def lodging_deadline(*, kind_code: str, known_on: dt.date, remote: bool = False) -> Deadline:
    """The last day to lodge a complaint (1st: 90 days from knowing the act; 2nd: 30 / 45 days from receiving
    the 1st decision), under the rule in force on ``known_on``."""
    rule = rule_in_force(kind_code, on=known_on)
    days = rule.days_for(remote=remote)
    return Deadline(add_period(known_on, days, rule.unit), rule, days)


def dialogue_notice_ok(*, case: Case, notified_on: dt.date, dialogue_on: dt.date) -> Deadline | None:
    """None when the notice is early enough (or no rule applies); else the rule broken."""
    rule = _in_force(RuleCode.DIALOGUE_NOTICE, case.letter.received_on)
    if rule is None:
        return None
    if (dialogue_on - notified_on).days >= rule.days:
        return None
    return Deadline(None, rule, rule.days)
