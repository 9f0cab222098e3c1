"""Citizen reception (tiếp công dân): the reception sessions (the reception office's regular days and the
leaders' periodic days: created, edited, published at least ``reception_publish`` working days ahead,
cancelled with a reason) and the sổ tiếp công dân (one numbered ``Visit`` per visit, its visitors kept
encrypted, its outcome: guided, letter received — registered in the sổ xử lý đơn through
``letter_register`` —, forwarded, a leader meeting booked; the answer due within ``visit_answer`` working
days, and the answer recorded).

Only the agency's officers and deciders (``rules.is_staff_of``) write here. History rows never hold a
visitor's identity: the content and notes are the officer's words, the people are stored apart."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import deadlines, rules, selectors
from complaints.models import (
    CaseKind,
    Identity,
    Letter,
    ReceptionSession,
    RegisterCounter,
    RuleCode,
    Source,
    Visit,
)
from complaints.services.common import next_number
from complaints.services.identity import PersonInput, identities_add
from eoffice.models import User
from workflow import calendar
from workflow import services as wf
from workflow.models import HistoryEntry

__all__ = [
    "SessionFields",
    "VisitInput",
    "publish_check",
    "representatives_check",
    "session_cancel",
    "session_create",
    "session_edit",
    "session_publish",
    "visit_answer",
    "visit_deadline",
    "visit_letter",
    "visit_record",
]

# A group (đoàn đông người): 5–10 people name 1–2 representatives, more than 10 up to 5 (Luật TCD Đ8,
# NĐ 154/2026).
GROUP_MIN = 5
LARGE_GROUP = 10


def _require_staff(by: User, agency_id: int | None = None) -> None:
    if not rules.is_staff_of(by, agency_id):
        raise PermissionDenied(_("Chỉ cán bộ tiếp công dân, người có thẩm quyền giải quyết được thực hiện."))


# ---- reception sessions ---------------------------------------------------------------------------------


@dataclass
class SessionFields:
    kind: str
    date: dt.date
    start_time: dt.time
    end_time: dt.time
    place: str
    leader: User | None = None
    note: str = ""


def _check_session(fields: SessionFields, agency_id: int) -> None:
    if fields.kind not in ReceptionSession.Kind.values:
        raise ValidationError(_("Hình thức tiếp không hợp lệ."), code="bad_kind")
    if fields.date is None or fields.start_time is None or fields.end_time is None:
        raise ValidationError(_("Vui lòng nhập ngày và giờ tiếp."), code="no_date")
    if fields.end_time <= fields.start_time:
        raise ValidationError(_("Giờ kết thúc phải sau giờ bắt đầu."), code="times")
    if not (fields.place or "").strip():
        raise ValidationError(_("Vui lòng nhập địa điểm tiếp công dân."), code="no_place")
    if fields.kind == ReceptionSession.Kind.LEADER and fields.leader is None:
        raise ValidationError(_("Lịch lãnh đạo tiếp định kỳ phải có lãnh đạo tiếp."), code="no_leader")
    leader = fields.leader
    if leader is not None and (leader.agency_id != agency_id or not leader.is_active):
        raise ValidationError(_("Lãnh đạo tiếp phải là cán bộ đang làm việc của cơ quan."), code="bad_leader")


def publish_check(day: dt.date, *, today: dt.date | None = None) -> None:
    """Refuse (ValidationError with the rule's label) publishing a session on ``day`` with fewer than the
    ``reception_publish`` working days in force on ``day`` left between today and it (both excluded)."""
    today = today or timezone.localdate()
    rule = deadlines.rule_in_force(RuleCode.RECEPTION_PUBLISH, on=day)
    left = calendar.count_working_days(today + dt.timedelta(days=1), day - dt.timedelta(days=1))
    if left < rule.days:
        raise ValidationError(
            _(
                "Lịch tiếp công dân phải được công bố trước ít nhất %(label)s; từ nay đến ngày tiếp "
                "%(day)s chỉ còn %(left)s ngày làm việc."
            )
            % {"label": rule.label, "day": day.strftime("%d/%m/%Y"), "left": max(left, 0)},
            code="too_late",
        )


def session_create(*, by: User, fields: SessionFields) -> ReceptionSession:
    _require_staff(by)
    _check_session(fields, by.agency_id)
    if fields.date < timezone.localdate():
        raise ValidationError(_("Ngày tiếp không được trước hôm nay."), code="past")
    with transaction.atomic():
        session = ReceptionSession.objects.create(
            agency_id=by.agency_id,
            kind=fields.kind,
            date=fields.date,
            start_time=fields.start_time,
            end_time=fields.end_time,
            leader=fields.leader,
            place=fields.place.strip()[:255],
            note=(fields.note or "").strip()[:500],
            created_by=by,
        )
        wf.history_add(record=session, event=HistoryEntry.Event.CREATED, actor=by, action="session_create")
    return session


def session_edit(*, session: ReceptionSession, by: User, fields: SessionFields) -> ReceptionSession:
    """Change a session not cancelled; a published one moved to another day is checked again against the
    publication rule (it shows on the schedule at once)."""
    _require_staff(by)
    _check_session(fields, by.agency_id)
    with transaction.atomic():
        session = selectors.session_access(user=by, pk=session.pk, lock=True)
        if session.cancelled_at:
            raise ValidationError(_("Lịch tiếp đã hủy, không sửa được."), code="cancelled")
        if fields.date != session.date:
            if fields.date < timezone.localdate():
                raise ValidationError(_("Ngày tiếp không được trước hôm nay."), code="past")
            if session.published_at and fields.kind != ReceptionSession.Kind.UNSCHEDULED:
                publish_check(fields.date)
        before = {"date": session.date.isoformat(), "start_time": session.start_time.strftime("%H:%M")}
        session.kind, session.date = fields.kind, fields.date
        session.start_time, session.end_time = fields.start_time, fields.end_time
        session.leader = fields.leader
        session.place = fields.place.strip()[:255]
        session.note = (fields.note or "").strip()[:500]
        session.save()
        wf.history_add(
            record=session, event=HistoryEntry.Event.UPDATED, actor=by, action="session_edit", data=before
        )
    return session


def session_publish(*, session: ReceptionSession, by: User) -> ReceptionSession:
    """Publish a session (công bố lịch tiếp): from then on it shows on the meetings module's weekly schedule.
    A regular or leader's session at least ``reception_publish`` working days ahead (the rule in force on
    the session's day); an unscheduled one (tiếp đột xuất) whenever."""
    _require_staff(by)
    with transaction.atomic():
        session = selectors.session_access(user=by, pk=session.pk, lock=True)
        if session.cancelled_at:
            raise ValidationError(_("Lịch tiếp đã hủy, không công bố được."), code="cancelled")
        if session.published_at:
            raise ValidationError(_("Lịch tiếp này đã được công bố."), code="published")
        if session.kind != ReceptionSession.Kind.UNSCHEDULED:
            publish_check(session.date)
        elif session.date < timezone.localdate():
            raise ValidationError(_("Ngày tiếp đã qua."), code="past")
        session.published_at, session.published_by = timezone.now(), by
        session.save(update_fields=["published_at", "published_by"])
        wf.history_add(record=session, event=HistoryEntry.Event.COMMENT, actor=by, action="session_publish")
    return session


def session_cancel(*, session: ReceptionSession, by: User, reason: str) -> ReceptionSession:
    """Cancel a session with its reason (it leaves the weekly schedule); visits already recorded keep it."""
    _require_staff(by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Vui lòng nêu lý do hủy lịch tiếp."), code="no_reason")
    with transaction.atomic():
        session = selectors.session_access(user=by, pk=session.pk, lock=True)
        if session.cancelled_at:
            raise ValidationError(_("Lịch tiếp này đã hủy."), code="cancelled")
        session.cancelled_at, session.cancel_reason = timezone.now(), reason[:500]
        session.save(update_fields=["cancelled_at", "cancel_reason"])
        wf.history_add(
            record=session,
            event=HistoryEntry.Event.COMMENT,
            actor=by,
            action="session_cancel",
            comment=reason,
        )
    return session


# ---- visits (sổ tiếp công dân) ----------------------------------------------------------------------------


@dataclass
class VisitInput:
    kind: str
    content: str
    outcome: str
    people: list[PersonInput]
    people_count: int = 1
    protected: bool = False
    received_at: dt.datetime | None = None
    session: ReceptionSession | None = None
    channel: str = Visit.Channel.IN_PERSON
    outcome_note: str = ""
    forwarded_to: str = ""
    meeting_session: ReceptionSession | None = None
    meeting_at: dt.datetime | None = None
    papers: str = ""
    letter_files: list = field(default_factory=list)
    paper_files: list = field(default_factory=list)


def representatives_check(people_count: int, named: int) -> None:
    """The count rules of a group: 5–10 people name 1–2 representatives, more than 10 up to 5; fewer than
    5 people are each named (at least one, no more than came)."""
    if people_count < 1:
        raise ValidationError(_("Số người phải từ 1 trở lên."), code="people_count")
    if named < 1:
        raise ValidationError(_("Vui lòng nhập họ tên người được tiếp."), code="no_people")
    if people_count < GROUP_MIN:
        if named > people_count:
            raise ValidationError(
                _("Đã nhập %(named)s người nhưng số người đến là %(count)s.")
                % {"named": named, "count": people_count},
                code="people_count",
            )
        return
    most = 2 if people_count <= LARGE_GROUP else 5
    if named > most:
        raise ValidationError(
            _("Đoàn %(count)s người cử không quá %(most)s người đại diện (đã nhập %(named)s).")
            % {"count": people_count, "most": most, "named": named},
            code="representatives",
        )


def visit_deadline(visit: Visit) -> deadlines.Deadline:
    """The answer due to a visitor (``visit_answer``, 10 working days — Luật TCD Đ28), under the rule in
    force on the day of the visit; none when the visitor was guided on the spot."""
    if visit.outcome == Visit.Outcome.GUIDED:
        return deadlines.NONE
    day = deadlines.local_date(visit.received_at)
    rule = deadlines.rule_in_force(RuleCode.VISIT_ANSWER, on=day)
    return deadlines.Deadline(deadlines.add_period(day, rule.days, rule.unit), rule, rule.days)


def _check_visit(data: VisitInput, agency_id: int, now: dt.datetime) -> None:
    if data.kind not in CaseKind.values:
        raise ValidationError(_("Phân loại không hợp lệ."), code="bad_kind")
    if data.outcome not in Visit.Outcome.values:
        raise ValidationError(_("Kết quả tiếp không hợp lệ."), code="bad_outcome")
    if data.channel not in Visit.Channel.values:
        raise ValidationError(_("Hình thức tiếp không hợp lệ."), code="bad_channel")
    if not (data.content or "").strip():
        raise ValidationError(_("Vui lòng nhập nội dung vụ việc."), code="no_content")
    if data.received_at and data.received_at > now + dt.timedelta(minutes=5):
        raise ValidationError(_("Thời điểm tiếp không được sau hiện tại."), code="future")
    representatives_check(data.people_count, len(data.people))
    if data.session is not None and (data.session.agency_id != agency_id or data.session.cancelled_at):
        raise ValidationError(_("Buổi tiếp không hợp lệ."), code="bad_session")
    if data.outcome == Visit.Outcome.GUIDED and not (data.outcome_note or "").strip():
        raise ValidationError(_("Vui lòng ghi nội dung đã hướng dẫn, giải thích."), code="no_note")
    if data.outcome == Visit.Outcome.FORWARDED and not (data.forwarded_to or "").strip():
        raise ValidationError(_("Vui lòng ghi cơ quan, đơn vị được chuyển đến."), code="no_forwarded_to")
    if data.outcome == Visit.Outcome.LEADER_MEETING:
        meeting = data.meeting_session
        if meeting is not None:
            if (
                meeting.agency_id != agency_id
                or meeting.kind != ReceptionSession.Kind.LEADER
                or not meeting.published_at
                or meeting.cancelled_at
                or meeting.date < timezone.localdate(now)
            ):
                raise ValidationError(
                    _("Chọn một buổi lãnh đạo tiếp đã công bố, từ hôm nay trở đi."), code="bad_meeting"
                )
        elif data.meeting_at is None:
            raise ValidationError(
                _("Vui lòng chọn buổi lãnh đạo tiếp hoặc ghi thời gian hẹn gặp lãnh đạo."), code="no_meeting"
            )
        elif data.meeting_at < now:
            raise ValidationError(_("Thời gian hẹn gặp lãnh đạo phải sau hiện tại."), code="past_meeting")


def visit_record(*, by: User, data: VisitInput) -> Visit:
    """Enter a visit in the sổ tiếp công dân (numbered ``next_number`` "visits"), its visitors encrypted
    (a denunciation, or a visitor asking for secrecy: protected, no plain name kept), its outcome; a letter
    handed in is registered in the sổ xử lý đơn (``letter_register``, linked to the visit, with the scans
    of the letter and of the papers). The answer is due within ``visit_answer`` working days."""
    _require_staff(by)
    now = timezone.now()
    _check_visit(data, by.agency_id, now)
    received_at = data.received_at or now
    protected = bool(
        data.protected or data.kind == CaseKind.DENUNCIATION or any(p.protected for p in data.people)
    )
    role = Identity.Role.REPRESENTATIVE if data.people_count >= GROUP_MIN else Identity.Role.VISITOR
    people = [
        PersonInput(
            name=p.name,
            id_number=p.id_number,
            address=p.address,
            phone=p.phone,
            email=p.email,
            note=p.note,
            role=role,
            protected=protected,
        )
        for p in data.people
    ]
    meeting_at, note = data.meeting_at, (data.outcome_note or "").strip()
    if data.outcome == Visit.Outcome.LEADER_MEETING and data.meeting_session is not None:
        meeting = data.meeting_session
        meeting_at = dt.datetime.combine(meeting.date, meeting.start_time, tzinfo=calendar.local_tz())
    with transaction.atomic():
        visit = Visit(
            agency_id=by.agency_id,
            year=deadlines.local_date(received_at).year,
            number=next_number(
                agency_id=by.agency_id,
                register=RegisterCounter.Register.VISITS,
                year=deadlines.local_date(received_at).year,
            ),
            received_at=received_at,
            officer=by,
            session=data.session,
            channel=data.channel,
            kind=data.kind,
            content=data.content.strip(),
            people_count=data.people_count,
            protected=protected,
            outcome=data.outcome,
            outcome_note=note,
            forwarded_to=(data.forwarded_to or "").strip()[:255]
            if data.outcome == Visit.Outcome.FORWARDED
            else "",
            meeting_at=meeting_at if data.outcome == Visit.Outcome.LEADER_MEETING else None,
            papers=(data.papers or "").strip(),
        )
        visit.due_at = visit_deadline(visit).due_at
        visit.save()
        identities_add(people=people, by=by, visit=visit)
        history = {"number": str(visit), "outcome": visit.outcome}
        if data.meeting_session is not None and data.outcome == Visit.Outcome.LEADER_MEETING:
            history["meeting_session"] = data.meeting_session.pk
        if data.outcome == Visit.Outcome.LETTER:
            from complaints.services.letters import ContentInput, letter_register

            letter = letter_register(
                by=by,
                received_on=deadlines.local_date(received_at),
                source=Source.IN_PERSON,
                summary=visit.content,
                people=people,
                contents=[ContentInput(kind=data.kind, content=visit.content)],
                files=data.letter_files,
                papers=data.paper_files,
                visit=visit,
                signer_count=max(data.people_count, len(people)),
                protected=protected,
            )
            history["letter"] = letter.pk
        wf.history_add(
            record=visit, event=HistoryEntry.Event.CREATED, actor=by, action="visit_record", data=history
        )
    return visit


def visit_letter(visit: Visit) -> Letter | None:
    return visit.letters.order_by("pk").first()


def visit_answer(*, visit: Visit, by: User, result: str, answered_at: dt.datetime | None = None) -> Visit:
    """Record the answer given to the visitor (its time and content); a second answer replaces the first,
    both kept in the history."""
    _require_staff(by)
    result = (result or "").strip()
    if not result:
        raise ValidationError(_("Vui lòng nhập kết quả trả lời người được tiếp."), code="no_result")
    now = timezone.now()
    answered_at = answered_at or now
    if answered_at > now + dt.timedelta(minutes=5):
        raise ValidationError(_("Thời điểm trả lời không được sau hiện tại."), code="future")
    with transaction.atomic():
        visit = selectors.visit_access(user=by, pk=visit.pk, lock=True)
        if answered_at < visit.received_at:
            raise ValidationError(_("Thời điểm trả lời không được trước ngày tiếp."), code="before")
        visit.answered_at, visit.result = answered_at, result
        visit.save(update_fields=["answered_at", "result"])
        wf.history_add(
            record=visit,
            event=HistoryEntry.Event.COMMENT,
            actor=by,
            action="visit_answer",
            data={"on_time": bool(visit.due_at is None or answered_at <= visit.due_at)},
        )
    return visit
