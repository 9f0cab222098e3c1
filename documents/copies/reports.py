"""Sổ đăng ký bản sao văn bản: its columns, its rows, and the printed register through the long-table
register of ``eoffice.output.register`` (the pattern of the outgoing register)."""

from __future__ import annotations

from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from documents.copies.models import CopyForm, DocumentCopy
from eoffice.output.register import register_pdf as output_register_pdf

COLUMNS = [
    "Số, ký hiệu bản sao",
    "Ngày sao",
    "Hình thức sao",
    "Văn bản được sao (số, ký hiệu, ngày, tác giả, trích yếu)",
    "Trang",
    "Người ký",
    "Nơi nhận",
]
WIDTHS = [30, 20, 22, 93, 15, 35, 50]  # mm, adding up to the register's 265 mm


def source_text(copy: DocumentCopy) -> str:
    if copy.source_outgoing_id:
        src = copy.source_outgoing
        when = timezone.localtime(src.issued_at).strftime("%d/%m/%Y") if src.issued_at else ""
        author = copy.agency.name
    else:
        src = copy.source_incoming
        when = src.issued_date.strftime("%d/%m/%Y") if src.issued_date else ""
        author = src.issuer_name
    return f"{src.number_symbol} ngày {when} của {author}: {src.summary}"


def row(copy: DocumentCopy) -> list[str]:
    signer = copy.signer.full_name if copy.signer_id else ""
    if copy.signer_authority:
        signer = f"{copy.signer_authority} {signer}"
    return [
        copy.number_symbol,
        timezone.localtime(copy.issued_at).strftime("%d/%m/%Y") if copy.issued_at else "",
        copy.get_form_display(),
        source_text(copy),
        copy.pages or str(copy.page_count),
        signer,
        "; ".join(r.name for r in copy.recipients.all()),
    ]


def table(copies) -> list[tuple[DocumentCopy, list[str]]]:
    return [(copy, row(copy)) for copy in copies]


def register_pdf(*, copies, agency, form: str, date_from: date, date_to: date) -> bytes:
    period = _("Từ ngày %(a)s đến ngày %(b)s") % {"a": f"{date_from:%d/%m/%Y}", "b": f"{date_to:%d/%m/%Y}"}
    subs = [period]
    if form:
        subs.insert(0, _("Hình thức sao: %(form)s") % {"form": CopyForm(form).label})
    foot = _("In lúc %(time)s · %(count)s bản sao") % {
        "time": f"{timezone.localtime():%H:%M %d/%m/%Y}",
        "count": len(copies),
    }
    return output_register_pdf(
        title_text=_("SỔ ĐĂNG KÝ BẢN SAO VĂN BẢN"),
        agency=agency,
        subs=subs,
        columns=COLUMNS,
        table=[row(c) for c in copies],
        widths_mm=WIDTHS,
        centered={0, 1, 2, 4},
        empty=_("Không có bản sao trong kỳ này."),
        foot=foot,
    )
