"""Biên bản cuộc họp (NĐ 30/2020, Phụ lục III, Mẫu 1.9; abbreviation BB) as PDF, through the output layer
(``eoffice.output.pdf``: WeasyPrint, the shipped Liberation Serif, a fetcher that stays off the network) and
the shared agency header (``eoffice.output.header``).

The template is ``templates/meetings/minutes/pdf.html`` with its stylesheet ``minutes.css`` beside it. At the
bottom, as the decree places them, THƯ KÝ signs on the left and CHỦ TỌA on the right; the empty spaces
between each title and name carry the ids ``bb-secretary-space`` and ``bb-presider-space``, whose
rectangles (read from WeasyPrint's anchors) are where the signing module stamps each signature.

Also the texts the minutes are drafted from: the attendees from the roll call (present, absent, substitutes)
and the content seeded from the agenda and the closed votes. Reads only; nothing here writes.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone

from eoffice.output import pdf as output_pdf
from eoffice.output.header import parent_line

TEMPLATE = "meetings/minutes/pdf.html"
STYLESHEET = "meetings/minutes/minutes.css"
PT_PER_PX = 0.75  # 1 CSS px = 0.75 PDF pt
MM = 72 / 25.4
BOX_WIDTH = 55 * MM  # the signature image's box, centred on its column
SPACES = {"secretary": "bb-secretary-space", "presider": "bb-presider-space"}
BLANK_NUMBER = " " * 8  # "Số:        /BB-SKHĐT": the minutes are filed, not numbered in the outgoing register


@dataclass(frozen=True)
class Rendered:
    pdf: bytes
    pages: int
    boxes: dict  # {"secretary": {"page", "x1", "y1", "x2", "y2"}, "presider": {...}} in PDF points


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "").strip()


def _lines(text: str) -> list[str]:
    return [line.strip() for line in _nfc(text).splitlines() if line.strip()]


def when_text(value: dt.datetime | None) -> str:
    """ "08 giờ 00 phút, ngày 05 tháng 3 năm 2026" (Decree 30: days below 10 and months 1–2 with a 0)."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    month = f"{local.month:02d}" if local.month <= 2 else str(local.month)
    return (
        f"{local.hour:02d} giờ {local.minute:02d} phút, ngày {local.day:02d} tháng {month} năm {local.year}"
    )


def person_text(user) -> str:
    """ "Vũ Đức Thắng, Giám đốc" (the position when known)."""
    if user is None:
        return ""
    name = _nfc(user.get_full_name()) or user.get_username()
    position = _nfc(getattr(user, "position", ""))
    return f"{name}, {position}" if position else name


# ---- what the draft starts from ------------------------------------------------------------------------


def attendees_text(meeting, participants) -> str:
    """The attendees as the roll call left them: who was present (a substitute in place of the person
    invited), who was absent and why; before any roll call, everyone invited."""
    from meetings.models import Participant

    present, absent, unknown = [], [], []
    for p in participants:
        label = _nfc(p.label)
        if p.user_id and p.user and _nfc(p.user.position):
            label = person_text(p.user)
        if p.substitute_id and p.substitute_status == Participant.Substitute.APPROVED:
            label = f"{person_text(p.substitute)} (dự thay {_nfc(p.label)})"
        if p.attendance == Participant.Attendance.PRESENT:
            present.append(label)
        elif p.attendance in (Participant.Attendance.ABSENT, Participant.Attendance.EXCUSED):
            reason = _nfc(p.absence_reason)
            excused = p.attendance == Participant.Attendance.EXCUSED
            note = ("có lý do: " + reason if reason else "có lý do") if excused else reason
            absent.append(f"{label} ({note})" if note else label)
        else:
            unknown.append(label)
    out: list[str] = []
    if present or absent:
        if present:
            out.append("Có mặt:")
            out += [f"- {x};" for x in present]
        if absent:
            out.append("Vắng mặt:")
            out += [f"- {x};" for x in absent]
        if unknown:
            out.append("Chưa điểm danh:")
            out += [f"- {x};" for x in unknown]
    else:
        out += [f"- {x};" for x in unknown]
    if out and out[-1].endswith(";"):
        out[-1] = out[-1][:-1] + "."
    return "\n".join(out)


def content_text(meeting, votes) -> str:
    """The content's starting point: the agenda (the meeting's details) and the result of each closed
    vote; the secretary writes the proceedings in order."""
    out = _lines(meeting.description)
    for vote in votes:
        counts = {o.pk: 0 for o in vote.options.all()}
        for ballot in vote.ballots.all():
            counts[ballot.option_id] = counts.get(ballot.option_id, 0) + 1
        results = "; ".join(f"{_nfc(o.label)}: {counts.get(o.pk, 0)} phiếu" for o in vote.options.all())
        out.append(f"Biểu quyết “{_nfc(vote.question)}”: {results}.")
    return "\n".join(out)


# ---- rendering --------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def stylesheet_path() -> Path:
    return output_pdf.template_file(STYLESHEET)


def _paragraphs(text: str) -> list[dict]:
    """One paragraph per line; a line typed with a leading dash is a list item."""
    out = []
    for line in _lines(text):
        dash = line[:1] in "-–—•+"
        out.append({"text": line.lstrip("-–—•+ ").strip() if dash else line, "dash": dash})
    return out


def context(minutes, *, draft: bool) -> dict:
    meeting = minutes.meeting
    agency = meeting.agency
    parent = parent_line(agency.parent_name) if agency.parent_id else ""
    return {
        "draft": draft,
        "parent": parent,
        "agency": _nfc(agency.name).upper(),
        "number_line": f"Số:{BLANK_NUMBER}/BB-{_nfc(agency.abbreviation)}",
        "meeting_title": _nfc(meeting.title),
        "started": when_text(minutes.started_at),
        "place": _nfc(meeting.place_label),
        "attendees": _paragraphs(minutes.attendees),
        "presider": person_text(minutes.presider),
        "secretary": person_text(minutes.secretary),
        "content": _paragraphs(minutes.content),
        "conclusion": _paragraphs(minutes.conclusion),
        "ended": when_text(minutes.ended_at),
        "secretary_name": _nfc(minutes.secretary.get_full_name()),
        "presider_name": _nfc(minutes.presider.get_full_name()),
        "spaces": SPACES,
    }


def _box(page_index: int, page, anchor) -> dict:
    height = page.height * PT_PER_PX
    if len(anchor) >= 4:
        x1, top, x2, bottom = (v * PT_PER_PX for v in anchor[:4])
    else:  # older WeasyPrint: only the top-left point; the column is half the text area, 22 mm high
        x1, top = (v * PT_PER_PX for v in anchor[:2])
        x2, bottom = x1 + 82 * MM, top + 22 * MM
    centre = (x1 + x2) / 2
    rect = (centre - BOX_WIDTH / 2, height - bottom, centre + BOX_WIDTH / 2, height - top)
    return {
        "page": page_index,
        **dict(zip(("x1", "y1", "x2", "y2"), (round(v, 2) for v in rect), strict=True)),
    }


def _boxes(document) -> dict:
    found = {}
    for index, page in enumerate(document.pages):
        for role, anchor_id in SPACES.items():
            anchor = page.anchors.get(anchor_id)
            if anchor is not None and role not in found:
                found[role] = _box(index, page, anchor)
    if set(found) != set(SPACES):
        raise RuntimeError("signature spaces missing from the rendered minutes")  # a template bug
    return found


def render(minutes, *, draft: bool = False) -> Rendered:
    """The minutes as a Decree-30 PDF and the rectangles of the two signatures (``draft`` marks the
    preview of an unfinished draft)."""
    html_text = render_to_string(TEMPLATE, context(minutes, draft=draft))
    document = output_pdf.document(
        html_text,
        stylesheets=[output_pdf.header_stylesheet(), output_pdf.stylesheet(stylesheet_path())],
        base_url=stylesheet_path().parent,
    )
    return Rendered(pdf=document.write_pdf(), pages=len(document.pages), boxes=_boxes(document))


def filename(minutes) -> str:
    """ASCII, safe in a Content-Disposition header."""
    return f"bien-ban-hop-{minutes.meeting_id}.pdf"
