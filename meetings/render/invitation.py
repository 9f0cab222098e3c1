"""The Giấy mời's text (NĐ 30/2020, Phụ lục III, Mẫu 1.7) made from a meeting's data: the summary, the
body ("… trân trọng kính mời: …", "Tới dự …", Chủ trì, Thời gian, Địa điểm, what each preparer brings, the
notes) and the Nơi nhận. The document itself (header, number, GIẤY MỜI, signature, Nơi nhận) is laid out by
the outgoing documents' renderer: the Giấy mời is an outgoing document of type GM."""

from __future__ import annotations

from dataclasses import dataclass, field
from html import escape

from django.utils import timezone
from django.utils.translation import gettext as _

from meetings.models import Meeting, Participant

WEEKDAYS = ("Thứ Hai", "Thứ Ba", "Thứ Tư", "Thứ Năm", "Thứ Sáu", "Thứ Bảy", "Chủ nhật")


@dataclass
class InvitationText:
    summary: str
    body: str
    invited: list[str] = field(default_factory=list)
    distribution: list[str] = field(default_factory=list)


def _lower_first(text: str) -> str:
    """ "Hội nghị …" → "hội nghị …", but "UBND …" stays."""
    if len(text) > 1 and text[0].isupper() and text[1].islower():
        return text[0].lower() + text[1:]
    return text


def summary(meeting: Meeting) -> str:
    title = meeting.title.strip().rstrip(".")
    if title.lower().startswith("dự "):
        return title
    return _("Dự %(title)s") % {"title": _lower_first(title)}


def when_text(meeting: Meeting) -> str:
    """ "08 giờ 00 phút, Thứ Hai, ngày 07 tháng 12 năm 2026" (and the end when it is another day)."""
    start = timezone.localtime(meeting.start_at)
    end = timezone.localtime(meeting.end_at)
    text = _("%(h)02d giờ %(m)02d phút, %(weekday)s, ngày %(d)02d tháng %(mo)02d năm %(y)d") % {
        "h": start.hour,
        "m": start.minute,
        "weekday": WEEKDAYS[start.weekday()],
        "d": start.day,
        "mo": start.month,
        "y": start.year,
    }
    if end.date() != start.date():
        text += _(" đến %(h)02d giờ %(m)02d phút, ngày %(d)02d tháng %(mo)02d năm %(y)d") % {
            "h": end.hour,
            "m": end.minute,
            "d": end.day,
            "mo": end.month,
            "y": end.year,
        }
    return text


def party(p: Participant) -> str:
    """How one invited party is named in the Giấy mời."""
    if p.user_id:
        person = p.user
        position = f", {person.position}" if person.position else ""
        return _("Ông (bà) %(name)s%(position)s") % {"name": person.get_full_name(), "position": position}
    if p.department_id:
        return _("Lãnh đạo %(unit)s") % {"unit": p.department.name}
    if p.agency_id:
        return _("Đại diện lãnh đạo %(agency)s") % {"agency": p.agency.name}
    return p.name


def _chair(meeting: Meeting) -> str:
    if meeting.chair_id:
        position = f", {meeting.chair.position}" if meeting.chair.position else ""
        return f"{meeting.chair.get_full_name()}{position}"
    return meeting.chair_text


def _p(text: str) -> str:
    return f"<p>{escape(text)}</p>"


def _labelled(label: str, text: str) -> str:
    return f"<p><strong>{escape(label)}</strong> {escape(text)}</p>"


def build(meeting: Meeting, participants: list[Participant]) -> InvitationText:
    """The Giấy mời's summary, body (HTML of the outgoing editor's subset) and Nơi nhận lines."""
    invited = [party(p) for p in participants if not (p.user_id and p.user_id == meeting.chair_id)]
    names = "; ".join(invited) if invited else _("các thành phần có liên quan")
    kind = _("cuộc họp") if meeting.kind == Meeting.Kind.MEETING else _("sự kiện")
    paragraphs = [
        _p(_("%(agency)s trân trọng kính mời: %(names)s.") % {"agency": meeting.agency.name, "names": names}),
        _p(_("Tới dự %(kind)s: %(title)s.") % {"kind": kind, "title": meeting.title.strip().rstrip(".")}),
    ]
    if meeting.description.strip():
        paragraphs += [_p(line) for line in meeting.description.splitlines() if line.strip()]
    paragraphs += [
        _labelled(_("Chủ trì:"), _chair(meeting) + "."),
        _labelled(_("Thời gian:"), when_text(meeting) + "."),
        _labelled(_("Địa điểm:"), (meeting.place_label or "") + "."),
    ]
    for p in participants:
        if p.is_preparer and p.prepare.strip():
            paragraphs.append(
                _p(
                    _("%(party)s chuẩn bị %(what)s.")
                    % {"party": party(p), "what": _lower_first(p.prepare.strip().rstrip("."))}
                )
            )
    if meeting.notes.strip():
        paragraphs += [_p(line) for line in meeting.notes.splitlines() if line.strip()]
    paragraphs.append(_p(_("Rất mong các thành phần được mời tham dự đúng thời gian./.")))
    distribution = [_("Như thành phần được mời")] if invited else []
    if meeting.chair_id:
        distribution.append(_("%(name)s (để chủ trì)") % {"name": meeting.chair.get_full_name()})
    return InvitationText(
        summary=summary(meeting), body="".join(paragraphs), invited=invited, distribution=distribution
    )
