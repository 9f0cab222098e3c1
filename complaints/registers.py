"""The printed registers of the complaints module, for a period: the sổ tiếp công dân (one row per visit) and
the sổ xử lý đơn (one row per letter, its cases' classification and outcome), as PDF (the long-table
register of ``eoffice.output.register``: ReportLab, A4 landscape) and as an Excel sheet.

People are printed by their label only (``services.identity_label``): the name of an unprotected person, the
protected label for a protected one. Nothing here decrypts an identity. The rows are the user's visible set
(``selectors.visible_visits`` / ``visible_letters``) filtered in SQL, with their people and cases prefetched:
a fixed number of queries whatever the number of rows.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.stats.selectors import Period
from eoffice.output import excel
from eoffice.output import register as output_register
from eoffice.output.register import register_pdf

from . import selectors
from .deadlines import Deadline
from .models import Case, Identity, LegalRule, Letter, RuleCode, Visit
from .services.identity import identity_label

KINDS = ("visits", "letters")
FORMATS = ("pdf", "xlsx")
# Eight columns between the margins (265 mm): số, ngày, người, nội dung, phân loại, kết quả, hạn, ghi chú.
WIDTHS = [16, 22, 38, 66, 25, 30, 40, 28]
XLSX_WIDTHS = [9, 12, 28, 50, 18, 30, 30, 24]
CENTERED = {0, 1}
BODY = 10


def columns(kind: str) -> list[str]:
    if kind == "visits":
        return [
            _("Số thứ tự"),
            _("Ngày tiếp"),
            _("Người được tiếp"),
            _("Nội dung vụ việc"),
            _("Phân loại"),
            _("Kết quả tiếp"),
            _("Hạn trả lời"),
            _("Ghi chú"),
        ]
    return [
        _("Số vào sổ"),
        _("Ngày nhận đơn"),
        _("Người gửi đơn"),
        _("Tóm tắt nội dung"),
        _("Phân loại"),
        _("Kết quả xử lý"),
        _("Hạn"),
        _("Ghi chú"),
    ]


def title(kind: str) -> str:
    return _("SỔ TIẾP CÔNG DÂN") if kind == "visits" else _("SỔ XỬ LÝ ĐƠN")


def _people_prefetch() -> Prefetch:
    # Only the plain columns a register prints: never the encrypted ones.
    return Prefetch(
        "people",
        queryset=Identity.objects.only(
            "id", "letter_id", "visit_id", "role", "order", "protected", "display_name"
        ).order_by("order", "pk"),
    )


def visit_rows(*, user, period: Period) -> QuerySet[Visit]:
    """The visits the user may see, received in the period, in the order of the register."""
    return (
        selectors.visible_visits(user)
        .filter(received_at__gte=period.start, received_at__lt=period.end)
        .select_related("officer")
        .prefetch_related(_people_prefetch())
        .order_by("received_at", "number", "pk")
    )


def letter_rows(*, user, period: Period) -> QuerySet[Letter]:
    """The letters the user may see, received in the period, in the order of the register; each with the
    cases the user may see."""
    cases = selectors.visible_cases(user).select_related("due_rule").order_by("order", "pk")
    return (
        selectors.visible_letters(user)
        .filter(received_on__gte=period.date_from, received_on__lte=period.date_to)
        .select_related("duplicate_of")
        .prefetch_related(_people_prefetch(), Prefetch("cases", queryset=cases, to_attr="shown_cases"))
        .order_by("received_on", "year", "number", "pk")
    )


def _day(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value)
    return f"{value:%d/%m/%Y}"


def people_text(people: Sequence[Identity], count: int = 1) -> str:
    """The people of a row by their label; a group: its size and its named representatives."""
    labels = [identity_label(p) for p in people]
    text = "; ".join(dict.fromkeys(labels))
    if count >= 5:
        return _("Đoàn %(n)s người, đại diện: %(names)s") % {"n": count, "names": text or "—"}
    return text


def visit_answer_rules() -> list[LegalRule]:
    """Every version of the visit-answer rule, newest first (one query for a whole register)."""
    return list(LegalRule.objects.filter(code=RuleCode.VISIT_ANSWER).order_by("-effective_from"))


def due_text(due_at, rule: LegalRule | None, days: int | None = None) -> str:
    """A deadline as the register prints it: the date and its legal source beside it."""
    if due_at is None:
        return ""
    if rule is None:
        return _day(due_at)
    if days is None:
        return f"{_day(due_at)} — {rule.source}"
    return f"{_day(due_at)} — {Deadline(due_at, rule, days).label}"


def visit_values(visit: Visit, answer_rules: Sequence[LegalRule] = ()) -> list[str]:
    result = visit.get_outcome_display()
    if visit.forwarded_to:
        result += " — " + visit.forwarded_to
    elif visit.meeting_at:
        result += " — " + f"{timezone.localtime(visit.meeting_at):%H:%M %d/%m/%Y}"
    elif visit.outcome_note:
        result += " — " + visit.outcome_note
    notes = [_("Người tiếp: %(name)s") % {"name": visit.officer.get_full_name()}]
    if visit.channel == Visit.Channel.ONLINE:
        notes.append(str(Visit.Channel.ONLINE.label))
    if visit.answered_at:
        notes.append(_("Đã trả lời %(date)s") % {"date": _day(visit.answered_at)})
        if visit.result:
            notes.append(visit.result)
    day = timezone.localdate(visit.received_at)
    rule = next((r for r in answer_rules if r.effective_from <= day), None)
    return [
        f"{visit.number}/{visit.year}",
        _day(visit.received_at),
        people_text(list(visit.people.all()), visit.people_count),
        visit.content,
        visit.get_kind_display(),
        result,
        due_text(visit.due_at, rule, rule.days if rule else None),
        "; ".join(notes),
    ]


def _case_result(case: Case) -> str:
    text = case.get_outcome_display() if case.outcome else case.get_state_display()
    if case.outcome and case.state != "registered" and case.outcome != "accept":
        return text
    if case.outcome == "accept":
        return f"{text}: {case.get_state_display()}"
    return text


def letter_values(letter: Letter) -> list[str]:
    cases = list(getattr(letter, "shown_cases", []))
    several = len(cases) > 1
    kinds, results, dues = [], [], []
    for case in cases:
        prefix = f"({case.order}) " if several else ""
        kinds.append(prefix + f"{case.get_kind_display()} — {case.get_field_display()}")
        results.append(prefix + _case_result(case))
        if case.due_at:
            dues.append(prefix + due_text(case.due_at, case.due_rule))
    notes = [letter.get_source_display()]
    if letter.source_org:
        notes.append(letter.source_org)
    if letter.signer_count > 1:
        notes.append(_("%(n)s người đứng đơn") % {"n": letter.signer_count})
    if letter.duplicate_of_id:
        notes.append(_("Trùng đơn số %(n)s") % {"n": str(letter.duplicate_of)})
    if letter.anonymous:
        notes.append(_("Đơn không rõ họ tên, địa chỉ"))
    return [
        f"{letter.number}/{letter.year}",
        _day(letter.received_on),
        people_text(list(letter.people.all())),
        letter.summary,
        "; ".join(kinds),
        "; ".join(results),
        "; ".join(dues),
        "; ".join(notes),
    ]


def table(kind: str, rows) -> list[tuple[object, list[str]]]:
    if kind == "visits":
        answer_rules = visit_answer_rules()
        return [(row, visit_values(row, answer_rules)) for row in rows]
    return [(row, letter_values(row)) for row in rows]


def rows_for(kind: str, *, user, period: Period):
    return visit_rows(user=user, period=period) if kind == "visits" else letter_rows(user=user, period=period)


def render(*, kind: str, fmt: str, rows, agency, period: Period) -> tuple[bytes, str, str]:
    """The register as a download: (content, content type, file name)."""
    name = "so-tiep-cong-dan" if kind == "visits" else "so-xu-ly-don"
    stem = f"{name}-{period.date_from:%Y%m%d}-{period.date_to:%Y%m%d}"
    values = [v for _row, v in table(kind, rows)]
    subs = [period.label]
    if fmt == "xlsx":
        return (
            _xlsx(kind, values, agency, subs),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            f"{stem}.xlsx",
        )
    return _pdf(kind, values, agency, subs), "application/pdf", f"{stem}.pdf"


def _empty(kind: str) -> str:
    if kind == "visits":
        return _("Không có lượt tiếp công dân trong kỳ này.")
    return _("Không có đơn nào được vào sổ trong kỳ này.")


def _pdf(kind: str, values: list[list[str]], agency, subs: list[str]) -> bytes:
    count = (
        _("%(n)s lượt tiếp") % {"n": len(values)} if kind == "visits" else _("%(n)s đơn") % {"n": len(values)}
    )
    foot = _("In lúc %(time)s · %(count)s") % {
        "time": f"{timezone.localtime():%H:%M %d/%m/%Y}",
        "count": count,
    }
    return register_pdf(
        title_text=title(kind),
        agency=agency,
        subs=subs,
        columns=columns(kind),
        table=values,
        widths_mm=WIDTHS,
        centered=CENTERED,
        size=BODY,
        empty=_empty(kind),
        foot=foot,
    )


def _xlsx(kind: str, values: list[list[str]], agency, subs: list[str]) -> bytes:
    cols = columns(kind)
    wb, ws, first = output_register.sheet(
        sheet_title="So tiep cong dan" if kind == "visits" else "So xu ly don",
        lines=[agency.name.upper(), title(kind), " · ".join(subs)],
        columns=cols,
    )
    for row in values:
        excel.append(ws, row)
    if not values:
        excel.append(ws, [_empty(kind)])
    return output_register.finish_sheet(
        wb,
        ws,
        first=first,
        columns=len(cols),
        widths=XLSX_WIDTHS,
        centered=CENTERED,
        freeze_column="C",
        fit_width=True,
    )
