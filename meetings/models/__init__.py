"""Meetings and the weekly work schedule (lịch họp, lịch công tác tuần).

By sub-domain: ``config`` (an agency's schedule settings, unlocked units, published weeks, duty roster,
citizen-reception days), ``rooms``, ``meeting`` (the meeting and its FSM, recurrence, participants, linked
documents), ``paperless`` (files with viewers, comments, votes), ``minutes`` (biên bản, conclusions and their
tasks), ``calendar`` (feeds, reminders sent, what each person last saw). Models only guard and change fields;
every write goes through ``meetings.services``.
"""

from meetings.models.calendar import CalendarFeed, MeetingReminder, ScheduleSeen
from meetings.models.config import (
    DutyShift,
    PublishedWeek,
    ReceptionDay,
    ScheduleSettings,
    UnitUnlock,
    Weekday,
)
from meetings.models.meeting import OPEN_STATES, Meeting, MeetingDocument, MeetingSeries, Participant
from meetings.models.minutes import Conclusion, ConclusionTask, Minutes, minutes_path
from meetings.models.paperless import Ballot, FileComment, MeetingFile, Vote, VoteOption, meeting_file_path
from meetings.models.rooms import Room

__all__ = [
    "OPEN_STATES",
    "Ballot",
    "CalendarFeed",
    "Conclusion",
    "ConclusionTask",
    "DutyShift",
    "FileComment",
    "Meeting",
    "MeetingDocument",
    "MeetingFile",
    "MeetingReminder",
    "MeetingSeries",
    "Minutes",
    "Participant",
    "PublishedWeek",
    "ReceptionDay",
    "Room",
    "ScheduleSeen",
    "ScheduleSettings",
    "UnitUnlock",
    "Vote",
    "VoteOption",
    "Weekday",
    "meeting_file_path",
    "minutes_path",
]
