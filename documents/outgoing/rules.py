"""Predicates and formatters of outgoing documents: who may draft or edit, the public verification link,
the Decree-30 layout of a document, the summary of a consultation round. No writes here."""

from __future__ import annotations

import datetime as dt
import re

from django.utils.translation import gettext as _

from documents.common import Confidentiality, Urgency
from documents.outgoing import render
from documents.outgoing.models import Consultation, ConsultationAnswer, OutgoingDocument
from documents.registers import numbering
from eoffice.models import User
from signing.rules import verification_url
from workflow.models import WorkflowState

URGENCY_MARKS = {Urgency.URGENT: "KHẨN", Urgency.VERY_URGENT: "THƯỢNG KHẨN", Urgency.FLASH: "HỎA TỐC"}
SECRET_MARKS = {
    Confidentiality.SECRET: "MẬT",
    Confidentiality.TOP_SECRET: "TỐI MẬT",
    Confidentiality.ULTRA_SECRET: "TUYỆT MẬT",
}


def lines(text: str) -> list[str]:
    """The non-empty lines of a one-per-line field, stripped."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


# ---- who may ------------------------------------------------------------------------------------------


def can_draft(user: User) -> bool:
    return bool(user.agency_id) and user.is_active


def can_edit(document: OutgoingDocument, user: User) -> bool:
    """The person holding the draft now: drafter (new, returned), reviewer (submitted), signer (signing)."""
    if user.agency_id != document.agency_id:
        return False
    state = document.state
    if state in (WorkflowState.NEW, WorkflowState.RETURNED):
        return document.drafted_by_id == user.pk
    if state == WorkflowState.SUBMITTED:
        return document.reviewer_id == user.pk
    if state == WorkflowState.SIGNING:
        return document.signer_id == user.pk
    return False


# ---- formatters ---------------------------------------------------------------------------------------


def public_url(document: OutgoingDocument) -> str:
    return verification_url(document.public_code) if document.public_code else ""


def box_dict(box: dict | None) -> dict | None:
    """A version's signature box (``{"page", "rect"}``) as the signing module's stamp box dict."""
    if not box:
        return None
    x1, y1, x2, y2 = box["rect"]
    return {"page": int(box["page"]), "x1": x1, "y1": y1, "x2": x2, "y2": y2}


def label(document: OutgoingDocument) -> str:
    """How notifications name a document: its number and symbol, or the start of its summary."""
    return document.number_symbol or document.summary[:80]


_COPIES_IN_NOTE = re.compile(r"\b\d+\s*b\b", re.IGNORECASE)


def archive_line(document: OutgoingDocument) -> str:
    """The "Lưu" line (Phụ lục I: "Lưu: VT, TCCB, 02b"): the note, or VT and the drafting unit; then the
    number of archive copies (``archive_copies``, not the number of copies issued) when there are any."""
    if document.archive_note:
        parts = [document.archive_note.strip().rstrip(".").rstrip(",")]
    else:
        unit = document.department.abbreviation if document.department_id and document.department else ""
        parts = ["VT", unit] if unit else ["VT"]
    in_note = bool(document.archive_note and _COPIES_IN_NOTE.search(document.archive_note))
    if document.archive_copies and not in_note:
        parts.append(f"{document.archive_copies:02d}b")
    return ", ".join(parts)


def layout_for(
    document: OutgoingDocument, *, number: int | None = None, date: dt.date | None = None, draft: bool = True
) -> render.Layout:
    """The Decree-30 layout of ``document`` (a draft, or the final text with its number and date)."""
    agency = document.agency
    symbol = numbering.outgoing_symbol(
        doc_type=document.doc_type, agency=agency, department=document.department
    )
    title = document.signer_title or (document.signer.position if document.signer_id else "")
    return render.Layout(
        type_name=document.doc_type.name,
        type_abbr=document.doc_type.abbreviation,
        parent_agency=agency.parent.name if agency.parent_id else "",
        agency=agency.name,
        symbol=symbol,
        number=number,
        place=document.place_name or agency.place_name,
        date=date,
        summary=document.summary,
        addressees=tuple(lines(document.addressees)),
        legal_bases=tuple(lines(document.legal_bases)),
        body_html=document.body,
        issuing_authority=(
            f"{(document.authority_title or title).upper()} {agency.name.upper()}"
            if document.doc_type.abbreviation == "QĐ"
            else ""
        ),
        signer_authority=document.signer_authority,
        authority_title=document.authority_title.upper(),
        signer_title=title.upper(),
        signer_name=document.signer.full_name if document.signer_id else "",
        distribution=tuple(lines(document.distribution)),
        archive=archive_line(document),
        urgency=URGENCY_MARKS.get(document.urgency, ""),
        confidentiality=SECRET_MARKS.get(document.confidentiality, ""),
        circulation=document.circulation,
        draft=draft,
        appendices=render.appendices_from(document.appendices.all()) if document.pk else (),
    )


def consultation_summary_text(consultation: Consultation) -> str:
    counts = dict.fromkeys(ConsultationAnswer.Answer.values, 0)
    for row in consultation.answers.all():
        counts[row.answer] += 1
    return (
        _("Đồng ý: %(agree)s; không đồng ý: %(disagree)s; ý kiến khác: %(other)s; chưa trả lời: %(pending)s.")
        % counts
    )
