"""Báo cáo tình hình giải quyết văn bản đi (NĐ 30 Phụ lục VI, V.4): by drafting unit and period, how many
outgoing documents were drafted, are in review, were signed, issued and recalled; every number links to
the list of the documents behind it; printed to PDF and Excel by ``eoffice.output.report`` as the incoming
report (``documents.stats.exports``).

What each number counts, for a period of local days (only the documents the person may see, in SQL):

- ``drafted``: drafts created in the period (whatever became of them);
- ``review``: of the documents submitted in the period, those still awaiting review or signature now;
- ``signed``: documents signed in the period (the number and date are fixed at the signature);
- ``issued``: documents issued (sealed and sent) in the period;
- ``recalled``: documents recalled in the period.

Scope: a leader, clerk or agency admin sees the agency, by unit; a unit head sees the unit.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eoffice.models import Department, Role

BUCKETS = ("drafted", "review", "signed", "issued", "recalled")
LABELS = {
    "drafted": gettext_lazy("Dự thảo trong kỳ"),
    "review": gettext_lazy("Đang trình duyệt, chờ ký"),
    "signed": gettext_lazy("Đã ký"),
    "issued": gettext_lazy("Đã phát hành"),
    "recalled": gettext_lazy("Đã thu hồi"),
}
NO_UNIT = "none"


def bucket_q(bucket: str, period) -> Q:
    """The condition of a bucket for the period (``documents.stats.selectors.Period``)."""
    from workflow.models import WorkflowState

    start, end = period.start, period.end
    if bucket == "drafted":
        return Q(created_at__gte=start, created_at__lt=end)
    if bucket == "review":
        return Q(
            submitted_at__gte=start,
            submitted_at__lt=end,
            state__in=[WorkflowState.SUBMITTED, WorkflowState.SIGNING],
        )
    if bucket == "signed":
        return Q(signed_at__gte=start, signed_at__lt=end)
    if bucket == "issued":
        return Q(released_at__gte=start, released_at__lt=end)
    if bucket == "recalled":
        return Q(recalled_at__gte=start, recalled_at__lt=end)
    raise ValueError(bucket)


def any_q(period) -> Q:
    q = Q(pk__in=[])
    for bucket in BUCKETS:
        q |= bucket_q(bucket, period)
    return q


@dataclass
class Line:
    key: str  # a department pk, NO_UNIT, or "" for the total
    label: str
    counts: dict

    def get(self, bucket: str) -> int:
        return self.counts.get(bucket, 0)


@dataclass
class OutgoingReport:
    agency: object
    period: object
    unit: Department | None
    lines: list[Line]
    total: Line


def scope_unit(user, unit_pk: str = "") -> Department | None:
    """The unit the person reports on (None: the whole agency); PermissionDenied for anyone else."""
    if not user.agency_id:
        raise PermissionDenied
    if user.has_role(Role.LEADER, Role.CLERK, Role.AGENCY_ADMIN):
        if unit_pk and unit_pk.isascii() and unit_pk.isdigit():
            unit = Department.objects.filter(agency_id=user.agency_id, pk=int(unit_pk)).first()
            if unit is None:
                raise PermissionDenied
            return unit
        return None
    if user.has_role(Role.DEPARTMENT_HEAD) and user.department_id:
        return Department.objects.get(pk=user.department_id)
    raise PermissionDenied


def can_view(user) -> bool:
    return bool(
        user.is_authenticated
        and user.agency_id
        and (
            user.has_role(Role.LEADER, Role.CLERK, Role.AGENCY_ADMIN)
            or (user.has_role(Role.DEPARTMENT_HEAD) and user.department_id)
        )
    )


def base_queryset(user, unit: Department | None) -> QuerySet:
    from documents.outgoing.models import OutgoingDocument
    from documents.outgoing.selectors import visible_q

    qs = OutgoingDocument.objects.filter(visible_q(user), agency_id=user.agency_id)
    return qs.filter(department=unit) if unit is not None else qs


def report(*, user, period, unit: Department | None) -> OutgoingReport:
    """The counts by unit, one grouped query (the units without a document are listed with zeros)."""
    qs = base_queryset(user, unit).filter(any_q(period))
    counted = {
        row["department"]: row
        for row in qs.order_by()
        .values("department")
        .annotate(**{b: Count("pk", filter=bucket_q(b, period)) for b in BUCKETS})
    }
    if unit is not None:
        units = [unit]
    else:
        units = list(
            Department.objects.filter(agency_id=user.agency_id, is_active=True).order_by("order", "name")
        )
        others = Department.objects.filter(pk__in=[k for k in counted if k])
        units += list(others.exclude(pk__in=[u.pk for u in units]))
    lines = []
    for d in units:
        row = counted.get(d.pk, {})
        lines.append(Line(str(d.pk), d.name, {b: row.get(b, 0) for b in BUCKETS}))
    if unit is None and None in counted:
        lines.append(Line(NO_UNIT, _("Chưa xác định đơn vị"), {b: counted[None].get(b, 0) for b in BUCKETS}))
    total = Line("", _("Cộng"), {b: sum(line.get(b) for line in lines) for b in BUCKETS})
    return OutgoingReport(agency=user.agency, period=period, unit=unit, lines=lines, total=total)


def documents(*, user, period, unit_key: str, bucket: str) -> QuerySet:
    """The documents behind a number (drill-down), newest first."""
    if bucket not in BUCKETS and bucket != "all":
        raise ValueError(bucket)
    scope = scope_unit(user, "" if unit_key == NO_UNIT else unit_key)
    qs = base_queryset(user, scope)
    if unit_key == NO_UNIT:
        qs = qs.filter(department__isnull=True)
    qs = qs.filter(any_q(period) if bucket == "all" else bucket_q(bucket, period))
    return (
        qs.select_related("doc_type", "department", "drafted_by")
        .defer("text_content", "text_folded", "search_vector", "search_text", "body", "legal_bases")
        .order_by("-created_at", "-pk")
    )


# --- exports ------------------------------------------------------------------------------------------


def definitions() -> list[str]:
    return [
        _(
            "Dự thảo trong kỳ: văn bản đi được tạo (soạn thảo) trong kỳ, kể cả dự thảo đã hủy "
            "hoặc bị trả lại."
        ),
        _(
            "Đang trình duyệt, chờ ký: văn bản trình duyệt trong kỳ, tại thời điểm lập báo cáo còn chờ duyệt "
            "hoặc chờ ký."
        ),
        _("Đã ký: văn bản được người có thẩm quyền ký số trong kỳ (số và ngày văn bản được cấp khi ký)."),
        _("Đã phát hành: văn bản được văn thư đóng dấu, phát hành trong kỳ."),
        _("Đã thu hồi: văn bản đã phát hành bị thu hồi trong kỳ."),
        _(
            "Đơn vị: đơn vị soạn thảo văn bản. Chỉ tính văn bản người lập báo cáo được phép xem; văn bản mật "
            "chỉ được tính khi người xem được cấp quyền."
        ),
    ]


def render(*, data: OutgoingReport, fmt: str, made_by: str) -> tuple[bytes, str, str]:
    from eoffice.output import report as output_report

    labels = [str(LABELS[b]) for b in BUCKETS]
    rows = [output_report.Row(line.label, [line.get(b) for b in BUCKETS]) for line in data.lines]
    rows.append(output_report.Row(data.total.label, [data.total.get(b) for b in BUCKETS], strong=True))
    scope = _("Đơn vị: %(name)s") % {"name": data.unit.name} if data.unit else _("Phạm vi: toàn cơ quan")
    printed = output_report.Report(
        title=_("BÁO CÁO TÌNH HÌNH GIẢI QUYẾT VĂN BẢN ĐI"),
        agency=data.agency,
        scope_line=f"{scope} · {data.period.label}",
        header_top=[(_("Đơn vị soạn thảo"), 2, 1), (_("Số văn bản đi"), 1, len(BUCKETS))],
        header_under=labels,
        widths=[35] + [13] * len(BUCKETS),
        rows=rows,
        definitions=definitions(),
        made_by=made_by,
    )
    sheet = output_report.Sheet(rows=rows, formats={}, column_width=16)
    stem = f"bao-cao-van-ban-di-{data.period.date_from:%Y%m%d}-{data.period.date_to:%Y%m%d}"
    return output_report.render(printed, fmt=fmt, stem=stem, sheet=sheet)
