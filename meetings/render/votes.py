"""The results of a meeting's vote as an Excel workbook (through the one Excel writer, ``eoffice.output``)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext as _

from eoffice.output import excel
from meetings.models import Meeting
from meetings.paperless import VoteResult

CONTENT_TYPE = excel.CONTENT_TYPE


def _when(value) -> str:
    return timezone.localtime(value).strftime("%H:%M %d/%m/%Y") if value else ""


def xlsx(*, meeting: Meeting, result: VoteResult, user) -> bytes:
    """One sheet: the meeting and the question, then each option with its count and share, and (unless
    the vote is anonymous) who chose it."""
    vote = result.vote
    wb, ws = excel.workbook(_("Ket qua bieu quyet"))
    excel.heading(
        ws,
        [
            meeting.agency.name.upper() if meeting.agency_id else "",
            _("KẾT QUẢ BIỂU QUYẾT"),
            _("Cuộc họp: %(title)s — %(when)s") % {"title": meeting.title, "when": _when(meeting.start_at)},
            _("Nội dung: %(q)s") % {"q": vote.question},
            _("Mở lúc %(open)s, kết thúc lúc %(close)s; %(n)s phiếu%(kind)s")
            % {
                "open": _when(vote.opened_at),
                "close": _when(vote.closed_at),
                "n": result.cast,
                "kind": _(" (biểu quyết kín)") if vote.anonymous else "",
            },
        ],
        fonts=[excel.BOLD, excel.TITLE, None, excel.BOLD, excel.ITALIC],
    )
    columns = [_("STT"), _("Phương án"), _("Số phiếu"), _("Tỷ lệ (%)")]
    if not vote.anonymous:
        columns.append(_("Người chọn"))
    first = last = excel.append(ws, columns)
    for n, option in enumerate(result.options, start=1):
        share = round(100 * option.count / result.cast, 1) if result.cast else 0
        row = [n, option.label, option.count, share]
        if not vote.anonymous:
            row.append(", ".join(v.get_full_name() for v in option.voters))
        last = excel.append(ws, row)
    last = excel.append(
        ws, ["", _("Tổng số phiếu"), result.cast, 100 if result.cast else 0] + ([""] * (len(columns) - 4))
    )
    excel.grid(ws, first_row=first, last_row=last, columns=len(columns), centered=[1, 3, 4], bold_rows=[last])
    excel.widths(ws, [6, 40, 10, 10, 60][: len(columns)])
    excel.made_line(
        ws,
        _("Xuất lúc %(time)s bởi %(name)s")
        % {"time": timezone.localtime().strftime("%H:%M %d/%m/%Y"), "name": user.get_full_name()},
    )
    excel.page(ws, freeze=ws.cell(row=first + 1, column=1))
    return excel.to_bytes(wb)
