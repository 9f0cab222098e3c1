"""The access statistics page (III.6a, III.6b) and its Excel export, for the agency's admin and leaders."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eoffice import audit
from eoffice.db_router import replica_reads
from eoffice.output import excel

TEMPLATE = "eoffice/audit/stats.html"
LIMITS = (10, 20, 50, 100)
MAX_DAYS = 366 * 5


class StatsForm(forms.Form):
    date_from = forms.DateField(label=gettext_lazy("Từ ngày"), required=False)
    date_to = forms.DateField(label=gettext_lazy("Đến ngày"), required=False)
    kind = forms.ChoiceField(label=gettext_lazy("Loại"), required=False)
    limit = forms.TypedChoiceField(
        label=gettext_lazy("Số dòng"),
        required=False,
        coerce=int,
        choices=[(n, n) for n in LIMITS],
        empty_value=20,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("Tất cả"))] + [(k, audit.kind_label(k)) for k in audit.KINDS]

    def clean(self):
        data = super().clean()
        today = timezone.localdate()
        date_to = data.get("date_to") or today
        date_from = data.get("date_from") or date_to - dt.timedelta(days=29)
        if date_from > date_to:
            raise forms.ValidationError(_("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc."))
        if (date_to - date_from).days > MAX_DAYS:
            raise forms.ValidationError(_("Kỳ thống kê dài nhất là 5 năm."))
        data["date_from"], data["date_to"] = date_from, date_to
        data["limit"] = data.get("limit") or 20
        return data


def _denied(request):
    if audit.may_see_stats(request.user):
        return None
    message = _("Chỉ quản trị cơ quan và lãnh đạo cơ quan được xem thống kê truy cập.")
    return render(request, TEMPLATE, {"denied": message}, status=403)


def _report(request):
    form = StatsForm(request.GET)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    report = audit.access_report(
        user=request.user,
        date_from=data["date_from"],
        date_to=data["date_to"],
        kind=data.get("kind") or "",
        limit=data["limit"],
    )
    return form, report


@login_required
@replica_reads
def stats(request):
    if denied := _denied(request):
        return denied
    form, report = _report(request)
    context = {"form": form, "report": report, "kinds": form.fields["kind"].choices, "limits": LIMITS}
    if report is not None:
        context["export_query"] = urlencode(
            {
                "date_from": report.date_from.isoformat(),
                "date_to": report.date_to.isoformat(),
                "kind": report.kind,
                "limit": report.limit,
            }
        )
    return render(request, TEMPLATE, context)


@login_required
@replica_reads
def stats_export(request):
    if denied := _denied(request):
        return denied
    form, report = _report(request)
    if report is None:
        return render(
            request, TEMPLATE, {"form": form, "kinds": form.fields["kind"].choices, "limits": LIMITS}
        )
    content = workbook_bytes(report, made_by=request.user.get_full_name())
    response = HttpResponse(content, content_type=excel.CONTENT_TYPE)
    name = f"thong-ke-truy-cap-{report.date_from:%Y%m%d}-{report.date_to:%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def workbook_bytes(report: audit.AccessReport, *, made_by: str) -> bytes:
    """The report as a workbook: the records, the people and the sign-ins, one sheet each."""
    period = _("Từ ngày %(a)s đến ngày %(b)s") % {
        "a": f"{report.date_from:%d/%m/%Y}",
        "b": f"{report.date_to:%d/%m/%Y}",
    }
    actions = [_("Xem"), _("Tải về"), _("In"), _("Kết xuất")]
    wb, ws = excel.workbook(_("Văn bản, hồ sơ"))
    excel.heading(ws, [report.agency.name, _("THỐNG KÊ LƯỢT TRUY CẬP VĂN BẢN, HỒ SƠ"), period])
    first = excel.next_row(ws)
    excel.append(ws, [_("STT"), _("Loại"), _("Văn bản, hồ sơ"), _("Tổng lượt"), *actions, _("Số người")])
    for i, line in enumerate(report.records, 1):
        excel.append(
            ws,
            [
                i,
                line.kind_label,
                line.title,
                line.total,
                line.views,
                line.downloads,
                line.prints,
                line.exports,
                line.people,
            ],
        )
    excel.grid(ws, first_row=first, last_row=excel.next_row(ws) - 1, columns=9, centered=(1,))
    excel.widths(ws, [6, 18, 60, 10, 8, 8, 8, 10, 10])
    excel.made_line(
        ws, _("Lập ngày %(d)s bởi %(u)s") % {"d": f"{timezone.localdate():%d/%m/%Y}", "u": made_by}
    )

    ws = excel.add_sheet(wb, _("Người truy cập"))
    excel.heading(ws, [report.agency.name, _("THỐNG KÊ LƯỢT TRUY CẬP THEO NGƯỜI DÙNG"), period])
    first = excel.next_row(ws)
    excel.append(
        ws, [_("STT"), _("Họ và tên"), _("Tên đăng nhập"), _("Tổng lượt"), *actions, _("Số văn bản, hồ sơ")]
    )
    for i, line in enumerate(report.users, 1):
        excel.append(
            ws,
            [
                i,
                line.name,
                line.username,
                line.total,
                line.views,
                line.downloads,
                line.prints,
                line.exports,
                line.records,
            ],
        )
    excel.grid(ws, first_row=first, last_row=excel.next_row(ws) - 1, columns=9, centered=(1,))
    excel.widths(ws, [6, 30, 20, 10, 8, 8, 8, 10, 14])

    ws = excel.add_sheet(wb, _("Đăng nhập"))
    excel.heading(ws, [report.agency.name, _("THỐNG KÊ LƯỢT ĐĂNG NHẬP HỆ THỐNG"), period])
    first = excel.next_row(ws)
    excel.append(ws, [_("Ngày"), _("Thành công"), _("Không thành công"), _("Tổng"), _("Số người đăng nhập")])
    for day in report.logins:
        excel.append(ws, [day.day, day.success, day.failed, day.total, day.people])
        ws.cell(row=excel.next_row(ws) - 1, column=1).number_format = "DD/MM/YYYY"
    total = report.login_totals
    last = excel.append(
        ws, [_("Tổng cộng"), total["success"], total["failed"], total["success"] + total["failed"], ""]
    )
    excel.grid(ws, first_row=first, last_row=last, columns=5, bold_rows=(last,))
    excel.widths(ws, [14, 14, 18, 10, 20])
    return excel.to_bytes(wb)
