"""Demo data of the meetings module: two weeks of the schedule of Sở Kế hoạch và Đầu tư (tỉnh An Hòa), the
current week and the next.

- Rooms (Phòng họp số 1, Hội trường, Phòng họp số 2, Phòng họp trực tuyến which approves itself) and the
  agency's schedule settings (the Văn phòng manages the schedule, the Giám đốc is the head, the schedule is
  public).
- Meetings in every state: đã duyệt (the weekly briefing, an inspection trip, an online meeting approved by
  its room), chờ duyệt, từ chối and hủy (each with its reason), one secret meeting.
- A room conflict resolved: a unit's approved meeting in Phòng họp số 1 gives the room to a meeting the
  Giám đốc chairs (the office confirms "lấy phòng"); the displaced meeting is back to chờ duyệt and its
  organiser was told.
- The current week published by the office, the duty roster (trực lãnh đạo) of both weeks and a
  citizen-reception day of the Giám đốc.
- Giấy mời made from two meetings through the outgoing flow: the joint meeting's issued (delivered to Sở
  Tư pháp, which it invites), the head's meeting's waiting for the Giám đốc's signature.
- Yesterday's (the last working day's) appraisal meeting with its roll call, a vote with ballots, its
  minutes (biên bản, signed by the secretary and the chair) and its conclusion notice (Thông báo kết luận,
  issued through the outgoing flow) whose tasks are work items.

Everything is written through ``meetings.services`` (and the outgoing and signing services), so the data
is what the product makes: history, notifications and calendar sequence included. Steps that happened in
the past run with the clock set back to their moment (``_at``), so the services' checks (not in the past,
not ended, the lock window) hold as they did then. Idempotent: each item is found by its natural key (a
room by name, a meeting by its title in the agency, a duty by its day, a reception by day and leader, a
published week by its Monday, minutes, vote and conclusion by their meeting) and only what is missing is
made; a second run writes nothing. The e-mail copies of notifications are not queued; the calendar
invitations (iCalendar REQUEST/CANCEL and their in-app notices) go as the product sends them, after commit,
to the demo's fictional addresses (like the outgoing demo's issued documents).
"""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass, field
from unittest import mock

from django.core.management import call_command

ROOMS = [
    # name, capacity, equipment, location, auto-approve
    ("Phòng họp số 1", 20, "Máy chiếu, màn hình, âm thanh", "Tầng 2, nhà A", False),
    ("Hội trường", 120, "Âm thanh hội trường, màn hình LED, cầu truyền hình", "Tầng 1, nhà B", False),
    ("Phòng họp số 2", 12, "Màn hình 65 inch", "Tầng 3, nhà A", False),
    ("Phòng họp trực tuyến", 16, "Thiết bị hội nghị truyền hình, camera, micro", "Tầng 3, nhà A", True),
]

# The titles are the natural keys of the meetings.
BRIEFING = "Giao ban lãnh đạo Sở tuần"
APPRAISAL = "Họp thẩm định chủ trương đầu tư dự án Khu du lịch sinh thái Hồ Xanh"
INSPECTION = "Kiểm tra tiến độ giải ngân vốn đầu tư công tại Khu công nghiệp Tân Phú"
REJECTED = "Họp rà soát danh mục dự án kêu gọi đầu tư (đăng ký lần 1)"
CANCELLED = "Làm việc với Công ty CP Đầu tư Minh Phát về hồ sơ điều chỉnh dự án"
CONFIDENTIAL = "Họp xem xét đơn phản ánh liên quan đến công tác đấu thầu"
DISPLACED = "Họp Phòng Đăng ký kinh doanh rà soát hồ sơ tồn đọng quý IV"
HEAD_MEETING = "Làm việc với Đoàn công tác của Bộ Tài chính về đầu tư công trung hạn"
ONLINE = "Họp trực tuyến với các huyện về giải ngân vốn đầu tư công"
PENDING = "Họp góp ý dự thảo Kế hoạch đầu tư công năm 2027"
PENDING_2 = "Họp triển khai cập nhật dữ liệu doanh nghiệp trên Cổng thông tin quốc gia"
EMULATION = "Họp Hội đồng Thi đua - Khen thưởng Sở xét danh hiệu thi đua năm 2026"
GOVERNMENT = "Dự Hội nghị trực tuyến của Chính phủ về thúc đẩy giải ngân vốn đầu tư công"
JOINT = "Họp liên ngành với Sở Tư pháp về dự thảo Quy định phân cấp quản lý dự án đầu tư công"
MONTHLY = "Sơ kết công tác tháng 12 và triển khai nhiệm vụ năm 2027"

VOTE_QUESTION = (
    "Thống nhất đề nghị Ủy ban nhân dân tỉnh chấp thuận chủ trương đầu tư dự án Khu du lịch sinh thái Hồ Xanh"
)
VOTE_OPTIONS = ["Đồng ý", "Không đồng ý", "Đồng ý, có ý kiến bổ sung"]
APPRAISAL_CONTENT = (
    "1. Đại diện nhà đầu tư trình bày tóm tắt hồ sơ đề nghị chấp thuận chủ trương đầu tư dự án Khu du lịch "
    "sinh thái Hồ Xanh (quy mô 48,5 ha, tổng vốn đầu tư 1.250 tỷ đồng).\n"
    "2. Phòng Đăng ký kinh doanh báo cáo kết quả kiểm tra hồ sơ; Phòng Tổng hợp báo cáo sự phù hợp với "
    "quy hoạch tỉnh.\n"
    "3. Các thành viên dự họp thảo luận về sự phù hợp quy hoạch, nhu cầu sử dụng đất và phương án bảo vệ "
    "môi trường; biểu quyết thống nhất đề nghị chấp thuận chủ trương đầu tư."
)
APPRAISAL_CONCLUSION = (
    "Thống nhất đề nghị Ủy ban nhân dân tỉnh xem xét chấp thuận chủ trương đầu tư dự án; giao các phòng "
    "hoàn thiện báo cáo thẩm định và dự thảo quyết định trình Ủy ban nhân dân tỉnh."
)
CONCLUSION_TASKS = [
    # title, assignee username, working days after the meeting
    ("Hoàn thiện báo cáo thẩm định chủ trương đầu tư dự án Hồ Xanh", "truongphong.skhdt", 5),
    ("Rà soát sự phù hợp của dự án với quy hoạch tỉnh, báo cáo bằng văn bản", "chuyenvien2.skhdt", 3),
    ("Dự thảo tờ trình và quyết định chấp thuận chủ trương đầu tư", "chuyenvien.skhdt", 7),
]  # fmt: skip


@dataclass
class Plan:
    """One meeting of the demo: its day (0 = this Monday), times, place, chair, people, what happens to it."""

    title: str
    day: int
    start: tuple[int, int]
    end: tuple[int, int]
    organiser: str
    chair: str | None = None
    chair_text: str = ""
    room: str | None = None
    place: str = ""
    kind: str = "meeting"
    people: list[str] = field(default_factory=list)
    units: list[str] = field(default_factory=list)
    agencies: list[str] = field(default_factory=list)
    guests: list[tuple[str, str]] = field(default_factory=list)
    prepare: dict[str, str] = field(default_factory=dict)  # unit abbreviation → what it prepares (main)
    support: dict[str, str] = field(default_factory=dict)
    outcome: str = "approve"  # approve | pending | reject | cancel | auto
    reason: str = ""
    secret: bool = False
    description: str = ""
    notes: str = ""


def _plans(minutes_day: int) -> list[Plan]:
    return [
        Plan(
            BRIEFING,
            0,
            (8, 0),
            (9, 30),
            "vanthu.skhdt",
            chair="giamdoc.skhdt",
            room="Phòng họp số 1",
            people=["phogiamdoc.skhdt", "truongphong.skhdt"],
            units=["VP", "TH", "ĐKKD", "TTr"],
            prepare={"VP": "Tổng hợp kết quả công tác tuần trước và chương trình công tác tuần này"},
        ),
        Plan(
            APPRAISAL,
            minutes_day,
            (14, 0),
            (16, 30),
            "truongphong.skhdt",
            chair="phogiamdoc.skhdt",
            room="Hội trường",
            people=["chuyenvien.skhdt", "chuyenvien2.skhdt"],
            units=["ĐKKD", "TH"],
            agencies=["STTTT"],
            guests=[("Ông Trần Văn Bình, Công ty CP Du lịch Hồ Xanh", "binh.tv@hoxanh.example")],
            prepare={"ĐKKD": "Báo cáo kết quả kiểm tra hồ sơ đề nghị chấp thuận chủ trương đầu tư"},
            support={"TH": "Ý kiến về sự phù hợp với quy hoạch tỉnh"},
            description="Thẩm định hồ sơ đề nghị chấp thuận chủ trương đầu tư theo Luật Đầu tư.",
        ),
        Plan(
            INSPECTION,
            2,
            (8, 0),
            (11, 0),
            "chuyenvien2.skhdt",
            chair="phogiamdoc.skhdt",
            place="Khu công nghiệp Tân Phú, huyện Tân Phú",
            kind="event",
            people=["chuyenvien2.skhdt"],
            units=["TH"],
            notes="Xe xuất phát tại trụ sở Sở lúc 7 giờ 15.",
        ),
        Plan(
            CONFIDENTIAL,
            3,
            (15, 0),
            (16, 30),
            "vanthu.skhdt",
            chair="giamdoc.skhdt",
            room="Phòng họp số 2",
            people=["phogiamdoc.skhdt"],
            units=["TTr"],
            secret=True,
        ),
        Plan(
            REJECTED,
            3,
            (9, 0),
            (10, 30),
            "chuyenvien2.skhdt",
            chair="phogiamdoc.skhdt",
            room="Phòng họp số 1",
            people=["truongphong.skhdt"],
            units=["TH"],
            outcome="reject",
            reason="Trùng nội dung với cuộc họp giao ban; đề nghị đăng ký lại sau khi có ý kiến các sở.",
        ),
        Plan(
            CANCELLED,
            4,
            (14, 0),
            (15, 30),
            "truongphong.skhdt",
            chair="phogiamdoc.skhdt",
            room="Phòng họp số 2",
            people=["chuyenvien.skhdt"],
            guests=[("Đại diện Công ty CP Đầu tư Minh Phát", "vanthu@minhphat.example")],
            outcome="cancel",
            reason="Nhà đầu tư đề nghị lùi thời gian làm việc để bổ sung hồ sơ.",
        ),
        Plan(
            EMULATION,
            1,
            (14, 0),
            (16, 0),
            "vanthu.skhdt",
            chair="phogiamdoc.skhdt",
            room="Phòng họp số 2",
            people=["truongphong.skhdt"],
            units=["VP"],
            prepare={"VP": "Tổng hợp hồ sơ đề nghị khen thưởng của các phòng"},
        ),
        Plan(
            GOVERNMENT,
            4,
            (8, 0),
            (11, 30),
            "vanthu.skhdt",
            chair="giamdoc.skhdt",
            place="Điểm cầu Ủy ban nhân dân tỉnh",
            kind="event",
            people=["chuyenvien2.skhdt"],
            units=["TH"],
            prepare={"TH": "Số liệu giải ngân đến hết tháng 11"},
        ),
        Plan(
            BRIEFING + " (tuần sau)",
            7,
            (8, 0),
            (9, 30),
            "vanthu.skhdt",
            chair="giamdoc.skhdt",
            room="Phòng họp số 1",
            people=["phogiamdoc.skhdt", "truongphong.skhdt"],
            units=["VP", "TH", "ĐKKD", "TTr"],
            prepare={"VP": "Tổng hợp kết quả công tác tuần trước và chương trình công tác tuần này"},
        ),
        Plan(
            DISPLACED,
            8,
            (9, 0),
            (11, 0),
            "truongphong.skhdt",
            chair="truongphong.skhdt",
            room="Phòng họp số 1",
            people=["chuyenvien.skhdt"],
            units=["ĐKKD"],
        ),
        Plan(
            HEAD_MEETING,
            8,
            (8, 30),
            (11, 0),
            "vanthu.skhdt",
            chair="giamdoc.skhdt",
            room="Phòng họp số 1",
            people=["phogiamdoc.skhdt", "chuyenvien2.skhdt"],
            units=["TH"],
            prepare={"TH": "Báo cáo tình hình thực hiện kế hoạch đầu tư công trung hạn 2021–2025"},
            outcome="take_room",
        ),
        Plan(
            ONLINE,
            9,
            (14, 0),
            (16, 0),
            "chuyenvien2.skhdt",
            chair="phogiamdoc.skhdt",
            room="Phòng họp trực tuyến",
            people=["chuyenvien2.skhdt"],
            units=["TH"],
            agencies=["UBND"],
            outcome="auto",
        ),
        Plan(
            PENDING,
            10,
            (8, 0),
            (10, 0),
            "chuyenvien2.skhdt",
            chair="phogiamdoc.skhdt",
            room="Phòng họp số 2",
            people=["truongphong.skhdt"],
            units=["TH", "VP"],
            prepare={"TH": "Dự thảo Kế hoạch đầu tư công năm 2027"},
            outcome="pending",
        ),
        Plan(
            JOINT,
            10,
            (14, 0),
            (16, 30),
            "truongphong.skhdt",
            chair="phogiamdoc.skhdt",
            room="Phòng họp số 2",
            people=["chuyenvien.skhdt"],
            units=["ĐKKD"],
            agencies=["STP"],
            prepare={"ĐKKD": "Dự thảo Quy định và bảng tổng hợp ý kiến góp ý"},
        ),
        Plan(
            MONTHLY,
            11,
            (8, 0),
            (11, 0),
            "vanthu.skhdt",
            chair="giamdoc.skhdt",
            room="Hội trường",
            people=["phogiamdoc.skhdt"],
            units=["VP", "TH", "ĐKKD", "TTr", "MC"],
            prepare={"VP": "Báo cáo kết quả công tác tháng 12 và dự thảo chương trình công tác năm 2027"},
            notes="Toàn thể công chức, người lao động của Sở dự.",
        ),
        Plan(
            PENDING_2,
            11,
            (14, 0),
            (15, 30),
            "chuyenvien.skhdt",
            chair="truongphong.skhdt",
            room="Phòng họp số 1",
            people=["motcua.skhdt"],
            units=["ĐKKD"],
            outcome="pending",
        ),
    ]


# ---- the clock and the mail ---------------------------------------------------------------------------


@contextmanager
def _at(moment: dt.datetime | None):
    """Run the services as at ``moment`` (a past moment; None: now)."""
    if moment is None:
        yield
        return
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


@contextmanager
def _no_mail():
    """Seeded events are past or staged: no notification e-mail is queued."""
    with mock.patch("eoffice.notifications.dispatch_email", lambda notifications: None):
        yield


# ---- the seeder -------------------------------------------------------------------------------------------


class Seeder:
    def __init__(self, agency, people: dict, units: dict, agencies: dict, now: dt.datetime):
        from django.utils import timezone

        from meetings import rules

        self.agency = agency
        self.people = people
        self.units = units
        self.agencies = agencies
        self.now = now
        self.tz = timezone.get_current_timezone()
        self.monday = rules.week_start(timezone.localtime(now).date())
        self.manager = people["vanthu.skhdt"]
        self.head = people["giamdoc.skhdt"]
        self.made: dict[str, int] = {}

    def count(self, what: str, n: int = 1) -> None:
        self.made[what] = self.made.get(what, 0) + n

    def local(self, day: int, hm: tuple[int, int]) -> dt.datetime:
        return dt.datetime.combine(self.monday + dt.timedelta(days=day), dt.time(*hm), self.tz)

    def past(self, moment: dt.datetime) -> dt.datetime | None:
        """``moment`` when it is past (the clock goes back to it), else None (now)."""
        return moment if moment < self.now else None

    def registration_moment(self, start: dt.datetime) -> dt.datetime:
        """When the meeting was registered: before the lock window of its week (Thursday 15:00 of the week
        before), and never later than now."""
        monday = start.astimezone(self.tz).date()
        monday -= dt.timedelta(days=monday.weekday())
        thursday = dt.datetime.combine(monday - dt.timedelta(days=4), dt.time(15, 0), self.tz)
        return min(thursday, self.now - dt.timedelta(minutes=5))

    # -- configuration

    def rooms(self) -> dict:
        from meetings.models import Room

        existing = {r.name: r for r in Room.objects.filter(agency=self.agency)}
        for order, (name, capacity, equipment, location, auto) in enumerate(ROOMS):
            if name not in existing:
                room = Room.objects.create(
                    agency=self.agency,
                    name=name,
                    capacity=capacity,
                    equipment=equipment,
                    location=location,
                    auto_approve=auto,
                    order=order,
                )
                if auto:
                    room.managers.add(self.manager)
                existing[name] = room
                self.count("rooms")
        return existing

    def settings(self) -> None:
        from meetings.models import ScheduleSettings

        _config, created = ScheduleSettings.objects.get_or_create(
            agency=self.agency,
            defaults={
                "manager_department": self.units["VP"],
                "head": self.head,
                "publish_public": True,
                "weekly_cap_hours": 20,
            },
        )
        if created:
            self.count("settings")

    # -- meetings

    def fields(self, plan: Plan, rooms: dict):
        from meetings.models import Participant
        from meetings.services import MeetingFields, ParticipantFields

        start, end = self.local(plan.day, plan.start), self.local(plan.day, plan.end)
        participants = []
        for abbr in plan.units:
            role, prepare = Participant.Role.ATTEND, ""
            if abbr in plan.prepare:
                role, prepare = Participant.Role.PREPARE_MAIN, plan.prepare[abbr]
            elif abbr in plan.support:
                role, prepare = Participant.Role.PREPARE_SUPPORT, plan.support[abbr]
            participants.append(
                ParticipantFields(
                    department=self.units[abbr],
                    role=role,
                    prepare=prepare,
                    prepare_due=start - dt.timedelta(days=1) if prepare else None,
                )
            )
        participants += [ParticipantFields(user=self.people[u]) for u in plan.people]
        participants += [
            ParticipantFields(agency=self.agencies[a]) for a in plan.agencies if a in self.agencies
        ]
        participants += [ParticipantFields(name=name, email=email) for name, email in plan.guests]
        organiser = self.people[plan.organiser]
        return MeetingFields(
            title=plan.title,
            start_at=start,
            end_at=end,
            kind=plan.kind,
            description=plan.description,
            room=rooms[plan.room] if plan.room else None,
            place=plan.place,
            chair=self.people[plan.chair] if plan.chair else None,
            chair_text=plan.chair_text,
            participants=participants,
            contact=organiser,
            secret=plan.secret,
            notes=plan.notes,
            department=organiser.department,
        )

    def meeting(self, plan: Plan, rooms: dict):
        from meetings import services
        from meetings.models import Meeting

        found = Meeting.objects.filter(agency=self.agency, title=plan.title).first()
        if found is not None:
            return found
        fields = self.fields(plan, rooms)
        registered = self.registration_moment(fields.start_at)
        organiser = self.people[plan.organiser]
        with _at(self.past(registered)):
            meeting = services.meeting_register(by=organiser, fields=fields).meetings[0]
        self.count("meetings")
        handled = registered + dt.timedelta(hours=2)
        with _at(self.past(handled)):
            if plan.outcome in ("approve", "take_room"):
                meeting = services.meeting_approve(
                    meeting=meeting, by=self.manager, take_room=plan.outcome == "take_room"
                )
            elif plan.outcome == "reject":
                meeting = services.meeting_reject(meeting=meeting, by=self.manager, reason=plan.reason)
            elif plan.outcome == "cancel":
                meeting = services.meeting_approve(meeting=meeting, by=self.manager)
        if plan.outcome == "cancel":
            with _at(self.past(handled + dt.timedelta(days=1))):
                meeting = services.meeting_cancel(meeting=meeting, by=organiser, reason=plan.reason)
        return meeting

    # -- the week, the roster, reception

    def publish(self) -> None:
        from meetings import services
        from meetings.models import PublishedWeek

        if PublishedWeek.objects.filter(agency=self.agency, week_start=self.monday).exists():
            return
        friday = dt.datetime.combine(self.monday - dt.timedelta(days=3), dt.time(16, 0), self.tz)
        with _at(self.past(friday)):
            services.week_publish(
                agency=self.agency,
                week_start=self.monday,
                by=self.manager,
                note="Lịch công tác tuần của Lãnh đạo Sở và các phòng.",
            )
        self.count("published weeks")

    def roster(self) -> None:
        from meetings import services
        from meetings.models import DutyShift, ReceptionDay

        leaders = [self.head, self.people["phogiamdoc.skhdt"]]
        taken = set(
            DutyShift.objects.filter(
                agency=self.agency, date__gte=self.monday, date__lt=self.monday + dt.timedelta(days=14)
            ).values_list("date", flat=True)
        )
        for k in range(14):
            day = self.monday + dt.timedelta(days=k)
            if day in taken:
                continue
            person = leaders[(k // 7 + k) % 2]
            services.duty_set(
                agency=self.agency,
                date=day,
                person=person,
                by=self.manager,
                phone=person.phone or "0200 3852 100",
                note="Trực cả ngày" if day.weekday() >= 5 else "",
            )
            self.count("duty days")
        reception = self.monday + dt.timedelta(days=10)  # Thursday of next week
        if not ReceptionDay.objects.filter(agency=self.agency, date=reception, leader=self.head).exists():
            services.reception_add(
                agency=self.agency,
                date=reception,
                leader=self.head,
                by=self.manager,
                place="Phòng tiếp công dân, tầng 1, nhà A",
                note="Tiếp công dân định kỳ của Giám đốc Sở",
            )
            self.count("reception days")

    # -- the past meeting: roll call, vote, minutes, conclusion

    def roll_call_and_vote(self, meeting) -> None:
        from meetings import people as attendees
        from meetings import services
        from meetings.models import Participant, Vote

        if meeting.state != "approved":
            return
        during = meeting.start_at + dt.timedelta(minutes=20)
        chair = self.people["phogiamdoc.skhdt"]
        with _at(self.past(during)):
            for p in Participant.objects.filter(meeting=meeting, user__isnull=False, attendance=""):
                services.roll_call_mark(
                    meeting=meeting, participant_id=p.pk, by=meeting.organiser, attendance="present"
                )
                self.count("roll call")
        if Vote.objects.filter(meeting=meeting).exists():
            return
        with _at(self.past(during + dt.timedelta(minutes=60))):
            vote = services.vote_create(
                meeting=meeting, by=chair, question=VOTE_QUESTION, options=VOTE_OPTIONS
            )
            services.vote_open(meeting=meeting, vote_id=vote.pk, by=chair)
            options = list(vote.options.order_by("order"))
            voters = [u for u in attendees.attendee_users(meeting) if u.agency_id == self.agency.pk]
            for n, voter in enumerate(voters):
                option = options[2] if n == 2 else options[0]
                services.ballot_cast(meeting=meeting, vote_id=vote.pk, option_id=option.pk, by=voter)
                self.count("ballots")
        with _at(self.past(during + dt.timedelta(minutes=75))):
            services.vote_close(meeting=meeting, vote_id=vote.pk, by=chair)
        self.count("votes")

    def secretary_credential(self, secretary) -> None:
        """The secretary signs the minutes: a TEST credential like the leaders' (``signing_demo_credentials``
        gives them only to leaders)."""
        from django.conf import settings

        from signing import pki
        from signing.models import Credential
        from signing.services import demo_credential_create

        if Credential.objects.filter(owner=secretary, is_active=True).exists():
            return
        demo_credential_create(
            authority=pki.ensure_test_authority(settings.SIGNING_PKI_DIR),
            agency=self.agency,
            owner=secretary,
            common_name=secretary.full_name or secretary.username,
            organisation=self.agency.name,
            pin=settings.SIGNING_DEMO_PIN,
        )

    def minutes(self, meeting) -> None:
        """The biên bản: drafted from the meeting, completed, submitted, signed by the secretary then the
        presider through the signing queue."""
        from django.conf import settings

        from meetings import services
        from meetings.models import Minutes
        from signing import services as signing

        if meeting.state != "approved" or not meeting.has_ended:
            return
        keeper, secretary = self.people["truongphong.skhdt"], self.people["chuyenvien.skhdt"]
        presider = self.people["phogiamdoc.skhdt"]
        minutes = Minutes.objects.filter(meeting=meeting).first()
        if minutes is None:
            minutes = services.minutes_start(
                meeting=meeting, by=keeper, secretary=secretary, presider=presider
            )
            minutes = services.minutes_update(
                minutes=minutes,
                by=keeper,
                secretary=secretary,
                presider=presider,
                started_at=meeting.start_at,
                ended_at=meeting.end_at - dt.timedelta(minutes=10),
                attendees=minutes.attendees,
                content=f"{minutes.content}\n\n{APPRAISAL_CONTENT}".strip(),
                conclusion=APPRAISAL_CONCLUSION,
            )
            self.count("minutes")
        pin = settings.SIGNING_DEMO_PIN
        if minutes.status == Minutes.Status.DRAFT:
            self.secretary_credential(secretary)
            minutes = services.minutes_submit(minutes=minutes, by=keeper)
        for status, signer in ((Minutes.Status.SECRETARY, secretary), (Minutes.Status.PRESIDER, presider)):
            minutes.refresh_from_db()
            if minutes.status == status:
                signing.signature_request_sign(request=minutes.sign_request, pin=pin, by=signer)
                self.count("signatures")

    def conclusion(self, meeting) -> None:
        """The conclusions and their tasks, the Thông báo kết luận drafted from them and taken through the
        outgoing flow (submitted, approved, signed, issued): on issue the tasks become work items."""
        from django.conf import settings
        from django.utils import timezone

        from documents.outgoing import services as outgoing
        from meetings import services
        from meetings.models import Conclusion
        from workflow.models import WorkflowState

        if meeting.state != "approved" or not meeting.has_ended:
            return
        keeper = self.people["truongphong.skhdt"]
        leader = self.people["phogiamdoc.skhdt"]
        conclusion = Conclusion.objects.filter(meeting=meeting).select_related("notice").first()
        if conclusion is None:
            today = timezone.localdate()
            tasks = [
                (title, self.people[u], _working_days_after(today, n)) for title, u, n in CONCLUSION_TASKS
            ]
            conclusion = services.conclusion_save(
                meeting=meeting, by=keeper, text=APPRAISAL_CONCLUSION, tasks=tasks
            )
            self.count("conclusions")
        if conclusion.notice_id is None:
            services.conclusion_notice_draft(meeting=meeting, by=keeper)
            conclusion.refresh_from_db()
            self.count("conclusion notices")
        notice = conclusion.notice
        pin = settings.SIGNING_DEMO_PIN
        if notice.state == WorkflowState.NEW:
            notice = outgoing.draft_submit(
                document=notice, by=keeper, reviewer=leader, comment="Kính trình Phó Giám đốc xem xét."
            )
        if notice.state == WorkflowState.SUBMITTED:
            notice = outgoing.draft_approve(document=notice, by=leader, comment="Đồng ý ban hành.")
        if notice.state == WorkflowState.SIGNING and notice.signer_id:
            notice = outgoing.document_sign(document=notice, by=notice.signer, pin=pin)
        if notice.state == WorkflowState.SIGNED:
            outgoing.document_issue(document=notice, by=self.manager, pin=pin)

    def invitation(self, meeting, *, drafter: str, issue: bool) -> None:
        """The Giấy mời drafted from the meeting, reviewed by the deputy director, and signed and issued
        (delivered to the invited agencies) or left in the signer's "chờ ký" queue."""
        from django.conf import settings

        from documents.outgoing import services as outgoing
        from meetings import services
        from workflow.models import WorkflowState

        if meeting.state != "approved" or meeting.has_ended:
            return
        meeting.refresh_from_db()
        if meeting.invitation_id is None:
            services.invitation_draft(meeting=meeting, by=self.people[drafter])
            meeting.refresh_from_db()
            self.count("invitations")
        document = meeting.invitation
        reviewer = self.people["phogiamdoc.skhdt"]
        if document.state == WorkflowState.NEW:
            document = outgoing.draft_submit(
                document=document, by=self.people[drafter], reviewer=reviewer, comment="Kính trình xem xét."
            )
        if document.state == WorkflowState.SUBMITTED:
            document = outgoing.draft_approve(document=document, by=reviewer, comment="Đồng ý.")
        if not issue:
            return
        pin = settings.SIGNING_DEMO_PIN
        if document.state == WorkflowState.SIGNING and document.signer_id:
            document = outgoing.document_sign(document=document, by=document.signer, pin=pin)
        if document.state == WorkflowState.SIGNED:
            outgoing.document_issue(document=document, by=self.manager, pin=pin)

    def run(self) -> None:
        from django.conf import settings
        from django.test.utils import override_settings

        self.settings()
        rooms = self.rooms()
        meetings = {}
        for plan in _plans(self.minutes_day()):
            meetings[plan.title] = self.meeting(plan, rooms)
        self.roster()
        self.publish()
        appraisal = meetings[APPRAISAL]
        self.roll_call_and_vote(appraisal)
        if not settings.SIGNING_LOCAL_TSA:
            return  # demo signatures use the installation's own test TSA, never a real one
        call_command("signing_demo_credentials", verbosity=0)
        # The web server (and its /signing/tsa/ URL) is not up while seeding: the same test TSA, in process.
        with override_settings(SIGNING_TSA_IN_PROCESS=True):
            self.minutes(appraisal)
            self.conclusion(appraisal)
            self.invitation(meetings[JOINT], drafter="truongphong.skhdt", issue=True)
            self.invitation(meetings[HEAD_MEETING], drafter="vanthu.skhdt", issue=False)

    def minutes_day(self) -> int:
        """The last working day before today, as a day of this week (negative: last week)."""
        from django.utils import timezone

        day = timezone.localtime(self.now).date() - dt.timedelta(days=1)
        while day.weekday() >= 5:
            day -= dt.timedelta(days=1)
        return (day - self.monday).days


def _working_days_after(day: dt.date, n: int) -> dt.date:
    while n:
        day += dt.timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def seed_meetings(stdout) -> None:
    from django.utils import timezone

    from eoffice.demo import SKHDT
    from eoffice.models import Agency, Department, User

    agency = Agency.objects.filter(code=SKHDT).first()
    if agency is None:
        return
    people = {u.username: u for u in User.objects.filter(agency=agency, is_active=True)}
    needed = {
        "giamdoc.skhdt",
        "phogiamdoc.skhdt",
        "truongphong.skhdt",
        "vanthu.skhdt",
        "chuyenvien.skhdt",
        "chuyenvien2.skhdt",
        "motcua.skhdt",
    }
    units = {d.abbreviation: d for d in Department.objects.filter(agency=agency)}
    if not needed <= set(people) or not {"VP", "TH", "ĐKKD", "TTr"} <= set(units):
        return
    agencies = {a.abbreviation: a for a in Agency.objects.exclude(pk=agency.pk)}
    seeder = Seeder(agency, people, units, agencies, timezone.now())
    with _no_mail():
        seeder.run()
    if seeder.made:
        done = ", ".join(f"{n} {what}" for what, n in seeder.made.items())
        stdout.write(f"meetings: {done}\n")
