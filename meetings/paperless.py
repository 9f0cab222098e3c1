"""Rules and reads of the paperless meeting (họp không giấy): who may upload, see, comment, check in, vote;
the roll-call window; the files a person may open (filtered in SQL); the section of the meeting's page
(a fixed number of queries, whatever the number of files, participants and votes) and the results of a
vote. Pure reads; ``meetings.services.paperless`` is the authority on every write."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from eoffice.models import Role, User

from . import people, rules
from .models import Ballot, FileComment, Meeting, MeetingFile, Participant, Vote, VoteOption

OPEN_MEETING_STATES = ("submitted", "approved")


# ---- rights ------------------------------------------------------------------------------------------


def can_manage(user: User, meeting: Meeting) -> bool:
    """The organiser or a schedule manager: approves substitutes, marks the roll call."""
    return bool(user.is_authenticated) and (
        user.pk == meeting.organiser_id or rules.is_manager(user, meeting.agency_id)
    )


def can_preside(user: User, meeting: Meeting) -> bool:
    """The organiser, the chair or a schedule manager: runs votes, sees every file."""
    return can_manage(user, meeting) or (bool(meeting.chair_id) and user.pk == meeting.chair_id)


def is_involved(user: User, meeting: Meeting) -> bool:
    """Takes part in the meeting (organiser, chair, contact, listed, a substitute, through their unit or
    agency) or manages the schedule. Cached on the meeting object for the request."""
    cache = meeting.__dict__.setdefault("_paperless_involved", {})
    if user.pk not in cache:
        cache[user.pk] = can_preside(user, meeting) or (
            Meeting.objects.filter(pk=meeting.pk).filter(rules.involved_q(user)).exists()
        )
    return cache[user.pk]


def heads_unit(user: User, participant: Participant) -> bool:
    """``user`` answers for a unit listed in the meeting: a head or deputy of that unit."""
    return bool(
        participant.department_id
        and participant.department_id == user.department_id
        and user.has_role(Role.DEPARTMENT_HEAD)
    )


def own_rows(user: User, participants: list[Participant]) -> list[Participant]:
    """The participant rows ``user`` checks in for: their own line (unless an approved substitute goes),
    the line they substitute on, and the lines of the unit they head."""
    approved = Participant.Substitute.APPROVED

    def answers_for(p: Participant) -> bool:
        if p.user_id == user.pk:
            return not (p.substitute_id and p.substitute_status == approved)
        if p.substitute_id == user.pk:
            return p.substitute_status == approved
        return heads_unit(user, p)

    rows = [p for p in participants if answers_for(p)]
    return rows


def can_upload(user: User, meeting: Meeting, participants: list[Participant]) -> bool:
    """The organiser, chair, schedule managers, and the main preparers (for their preparation)."""
    if can_preside(user, meeting):
        return True
    return any(p.role == Participant.Role.PREPARE_MAIN for p in own_rows(user, participants))


def is_open(meeting: Meeting) -> bool:
    return meeting.state in OPEN_MEETING_STATES and not meeting.has_ended


# ---- roll call ---------------------------------------------------------------------------------------


def roll_call_window(meeting: Meeting) -> tuple[dt.datetime, dt.datetime]:
    """From ``roll_call_minutes`` before the start to as many minutes after it (an agency setting)."""
    minutes = dt.timedelta(minutes=rules.settings_for(meeting.agency_id).roll_call_minutes)
    return meeting.start_at - minutes, meeting.start_at + minutes


def roll_call_open(meeting: Meeting, now: dt.datetime | None = None, window=None) -> bool:
    start, end = window or roll_call_window(meeting)
    now = now or timezone.now()
    return meeting.state == "approved" and start <= now <= end


def marking_open(meeting: Meeting, now: dt.datetime | None = None, window=None) -> bool:
    """The organiser records presence and absences from the roll call's start until the later of its end
    and the meeting's end."""
    start, end = window or roll_call_window(meeting)
    now = now or timezone.now()
    return meeting.state == "approved" and start <= now <= max(end, meeting.end_at)


def voting_time(meeting: Meeting, now: dt.datetime | None = None, window=None) -> bool:
    """A vote opens while the meeting runs (from the roll call's start to the meeting's end)."""
    start, _end = window or roll_call_window(meeting)
    now = now or timezone.now()
    return meeting.state == "approved" and start <= now < meeting.end_at


# ---- reads ---------------------------------------------------------------------------------------------


def files_visible(user: User, meeting: Meeting) -> QuerySet[MeetingFile]:
    """The meeting's files ``user`` may open: all of them for the organiser, chair and schedule managers;
    for the other participants the unrestricted ones and those they are listed on; none for anyone else."""
    qs = MeetingFile.objects.filter(meeting=meeting)
    if can_preside(user, meeting):
        return qs
    if not is_involved(user, meeting):
        return qs.none()
    listed = MeetingFile.viewers.through.objects.filter(meetingfile_id=OuterRef("pk"), user_id=user.pk)
    return qs.filter(Q(restricted=False) | Q(Exists(listed)))


def participants_of(meeting: Meeting) -> list[Participant]:
    return list(
        meeting.participants.select_related("user", "department", "agency", "substitute").order_by(
            "order", "id"
        )
    )


@dataclass
class VoteResult:
    vote: Vote
    options: list[VoteOption]  # each with ``.count`` (closed votes) and ``.voters`` (named closed votes)
    cast: int
    mine: Ballot | None = None
    show_results: bool = False


def vote_results(*, user: User, meeting: Meeting, votes: list[Vote] | None = None) -> list[VoteResult]:
    """Each vote with its options, the number of ballots, the user's own ballot, and once closed the
    count per option (and who chose it, unless the vote is anonymous). Four queries for any number."""
    if votes is None:
        votes = list(
            meeting.votes.prefetch_related(
                Prefetch(
                    "options",
                    queryset=VoteOption.objects.annotate(count=Count("ballots")).order_by("order", "id"),
                )
            ).annotate(cast=Count("ballots", distinct=True))
        )
    vote_ids = [v.pk for v in votes]
    mine = {b.vote_id: b for b in Ballot.objects.filter(vote_id__in=vote_ids, voter_id=user.pk)}
    named_closed = [v.pk for v in votes if v.status == Vote.Status.CLOSED and not v.anonymous]
    voters: dict[int, list[User]] = {}
    if named_closed:
        for ballot in (
            Ballot.objects.filter(vote_id__in=named_closed).select_related("voter").order_by("cast_at", "id")
        ):
            voters.setdefault(ballot.option_id, []).append(ballot.voter)
    results = []
    for v in votes:
        options = list(v.options.all())
        for option in options:
            option.voters = voters.get(option.pk, [])
        results.append(
            VoteResult(
                vote=v,
                options=options,
                cast=getattr(v, "cast", 0),
                mine=mine.get(v.pk),
                show_results=v.status == Vote.Status.CLOSED,
            )
        )
    return results


@dataclass
class Section:
    """What the meeting page's paperless section shows to one person."""

    meeting: Meeting
    user: User
    involved: bool
    manage: bool
    preside: bool
    upload: bool
    files: list[MeetingFile] = field(default_factory=list)
    participants: list[Participant] = field(default_factory=list)
    mine: list[Participant] = field(default_factory=list)
    attendee: bool = False
    votes: list[VoteResult] = field(default_factory=list)
    roll_call_start: dt.datetime | None = None
    roll_call_end: dt.datetime | None = None
    roll_call_open: bool = False
    marking_open: bool = False
    voting_time: bool = False
    is_open: bool = False
    can_request_substitute: list[Participant] = field(default_factory=list)
    present: int = 0

    @property
    def checked_in(self) -> bool:
        return bool(self.mine) and all(p.attendance == Participant.Attendance.PRESENT for p in self.mine)


def section(*, user: User, meeting: Meeting) -> Section:
    """The paperless section of the meeting's page for ``user``: a fixed number of queries."""
    involved = is_involved(user, meeting)
    manage = can_manage(user, meeting)
    preside = can_preside(user, meeting)
    if not involved:
        return Section(meeting=meeting, user=user, involved=False, manage=False, preside=False, upload=False)
    participants = participants_of(meeting)
    mine = own_rows(user, participants)
    attendees = people.attendee_users(meeting, participants=participants)
    files = list(
        files_visible(user, meeting)
        .select_related("uploaded_by")
        .prefetch_related(
            "viewers",
            Prefetch(
                "comments", queryset=FileComment.objects.select_related("author").order_by("created_at", "id")
            ),
        )
        .order_by("order", "id")
    )
    start, end = roll_call_window(meeting)
    now = timezone.now()
    return Section(
        meeting=meeting,
        user=user,
        involved=True,
        manage=manage,
        preside=preside,
        upload=is_open(meeting) and (preside or any(p.role == Participant.Role.PREPARE_MAIN for p in mine)),
        files=files,
        participants=participants,
        mine=mine,
        attendee=any(u.pk == user.pk for u in attendees),
        votes=vote_results(user=user, meeting=meeting),
        roll_call_start=start,
        roll_call_end=end,
        roll_call_open=roll_call_open(meeting, now, (start, end)),
        marking_open=marking_open(meeting, now, (start, end)),
        voting_time=voting_time(meeting, now, (start, end)),
        is_open=is_open(meeting),
        can_request_substitute=[
            p
            for p in participants
            if p.user_id == user.pk and meeting.state in OPEN_MEETING_STATES and now < meeting.start_at
        ],
        present=sum(1 for p in participants if p.attendance == Participant.Attendance.PRESENT),
    )
