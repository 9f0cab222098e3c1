"""The printed file plan (Decree 30 Phụ lục V mục II): the agency header of ``eoffice/output`` (the parent
agency and the agency left, the national title and motto right), "DANH MỤC HỒ SƠ", the year, the decision
it goes with ("Kèm theo Quyết định số … ngày … tháng … năm … của …", filled once the decision is issued),
the five-column table with its heading rows, and the closing count of files kept permanently and for a
term. A4 portrait, the shipped Liberation Serif, through ``eoffice.output.pdf``."""

from __future__ import annotations

import unicodedata

from django.template.loader import render_to_string
from django.utils import timezone

from documents.records.models import FilePlan
from documents.records.plan import selectors
from eoffice.output import pdf as output_pdf
from eoffice.output.header import parent_line

TEMPLATE = "documents/records/plan/pdf.html"


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "")


def decision_line(plan: FilePlan) -> str:
    """ "Kèm theo Quyết định số 12/QĐ-SKHĐT ngày 05 tháng 01 năm 2027 của Giám đốc Sở …" once issued; the
    form's dotted line before."""
    decision = plan.decision
    if decision is None or not decision.number_symbol or not decision.issued_at:
        return "Kèm theo Quyết định số ….. ngày ….. tháng ….. năm …… của ……"
    at = timezone.localtime(decision.issued_at)
    author = " ".join(x for x in (_nfc(decision.signer_title), _nfc(plan.agency.name)) if x)
    return (
        f"Kèm theo Quyết định số {decision.number_symbol} ngày {at:%d} tháng {at:%m} năm {at:%Y} của {author}"
    )


def context(plan: FilePlan) -> dict:
    tree = selectors.print_layout(plan=plan)
    agency = plan.agency
    return {
        "plan": plan,
        "layout": tree,
        "counts": tree.counts,
        "parent": parent_line(agency.parent_name) if agency.parent_id else "",
        "agency_upper": _nfc(agency.name).upper(),
        "decision_line": decision_line(plan),
        "approved": plan.status == FilePlan.Status.APPROVED,
    }


def plan_pdf(*, plan: FilePlan) -> bytes:
    return output_pdf.write(
        render_to_string(TEMPLATE, context(plan)), stylesheets=[output_pdf.header_stylesheet()]
    )
