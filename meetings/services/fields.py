"""The input of registering and changing a meeting (the form's cleaned data), and what registering returns."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from eoffice.models import Agency, Department, User
from meetings.models import Meeting, Participant, Room
from workflow.models import WorkflowState

__all__ = ["BookingWarning", "MeetingFields", "ParticipantFields", "RecurrenceFields", "RegisterResult"]

MAX_HOURS = 24
MAX_OCCURRENCES = 100
MAX_SERIES_DAYS = 366
ACTIVE_STATES = (WorkflowState.SUBMITTED, WorkflowState.APPROVED)

# ---- the input ------------------------------------------------------------------------------------------


@dataclass
class ParticipantFields:
    """One participant: exactly one of ``user``, ``department``, ``agency`` (another agency) or ``name``
    (an outsider, with an optional ``email``)."""

    user: User | None = None
    department: Department | None = None
    agency: Agency | None = None
    name: str = ""
    email: str = ""
    role: str = Participant.Role.ATTEND
    prepare: str = ""
    prepare_due: dt.datetime | None = None

    @property
    def key(self) -> tuple:
        if self.user is not None:
            return ("user", self.user.pk)
        if self.department is not None:
            return ("department", self.department.pk)
        if self.agency is not None:
            return ("agency", self.agency.pk)
        return ("name", self.name.strip().lower(), self.email.strip().lower())

    @property
    def label(self) -> str:
        if self.user is not None:
            return self.user.get_full_name()
        if self.department is not None:
            return self.department.name
        if self.agency is not None:
            return self.agency.name
        return self.name

    @classmethod
    def of(cls, p: Participant) -> ParticipantFields:
        return cls(
            user=p.user,
            department=p.department,
            agency=p.agency,
            name=p.name,
            email=p.email,
            role=p.role,
            prepare=p.prepare,
            prepare_due=p.prepare_due,
        )


@dataclass
class RecurrenceFields:
    frequency: str  # MeetingSeries.Frequency
    until: dt.date
    interval: int = 1
    exceptions: list[dt.date] = field(default_factory=list)


@dataclass
class MeetingFields:
    title: str
    start_at: dt.datetime
    end_at: dt.datetime
    kind: str = Meeting.Kind.MEETING
    description: str = ""
    room: Room | None = None
    place: str = ""
    chair: User | None = None
    chair_text: str = ""
    participants: list[ParticipantFields] = field(default_factory=list)
    contact: User | None = None
    secret: bool = False
    in_weekly: bool = True
    notes: str = ""
    department: Department | None = None  # the registering unit; the actor's own by default
    incoming_ids: list[int] = field(default_factory=list)
    outgoing_ids: list[int] = field(default_factory=list)
    recurrence: RecurrenceFields | None = None

    @classmethod
    def of(cls, meeting: Meeting) -> MeetingFields:
        """The fields of a saved meeting (what the change form starts from)."""
        links = list(meeting.documents.all())
        return cls(
            title=meeting.title,
            start_at=meeting.start_at,
            end_at=meeting.end_at,
            kind=meeting.kind,
            description=meeting.description,
            room=meeting.room,
            place=meeting.place,
            chair=meeting.chair,
            chair_text=meeting.chair_text,
            participants=[
                ParticipantFields.of(p)
                for p in meeting.participants.select_related("user", "department", "agency")
            ],
            contact=meeting.contact,
            secret=meeting.secret,
            in_weekly=meeting.in_weekly,
            notes=meeting.notes,
            department=meeting.department,
            incoming_ids=[d.incoming_id for d in links if d.incoming_id],
            outgoing_ids=[d.outgoing_id for d in links if d.outgoing_id],
        )


@dataclass(frozen=True)
class BookingWarning:
    """Something the person registering should know before saving; never a refusal."""

    code: str  # person_busy | chair_busy | weekly_cap | room_pending | room_taken_by_head
    message: str

    def __str__(self) -> str:
        return self.message


@dataclass
class RegisterResult:
    meetings: list[Meeting]
    warnings: list[BookingWarning]
