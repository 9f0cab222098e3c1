"""Demo data of the complaints module: three months of the inspectorate (Thanh tra Sở) of Sở Kế hoạch và
Đầu tư, tỉnh An Hòa.

- The people: the inspectorate's accounts when the core demo has them, else accounts of the Sở that the
  core demo lists, named officers in the agency's complaint settings (``PARTS``); no account is added.
- Reception sessions: the regular Thursday session and the Giám đốc's monthly day, each published more
  than five working days ahead; the next ones are upcoming (they show on the meetings weekly schedule).
- The sổ tiếp công dân: visits with every outcome (guided, letter received, forwarded, a meeting with the
  Giám đốc booked), one answered.
- The sổ xử lý đơn: letters of every kind (khiếu nại, tố cáo, kiến nghị, phản ánh) and every intake
  outcome: accepted, refused, forwarded (one to Sở Tư pháp with its Phiếu chuyển đơn issued), guided, kept;
  letters forwarded to the Sở by other bodies, a duplicate linked to its original, letters overdue.
- A complaint at each instance: the first resolved with its decision issued, the second linked to it, in
  verification with a dialogue held.
- A protected denunciation: its scan (an image-only PDF of a handwritten letter naming the denouncer)
  stored encrypted, its redacted copy made with ``services.letter_redact``, accepted, marked complex and
  extended.
- A suspended complaint; a petition answered and published (with consent) on the public list; an online
  letter waiting to be taken.

Everything goes through ``complaints.services`` and the outgoing and signing services; past steps run
with the clock set back to their day (``_at``). The documents drafted from the cases are submitted,
approved, signed with the demo credentials and issued. Idempotent: a session by its kind and day, a visit
and a letter by their text (content, summary) in the agency; a step already done is not done again; a
second run writes nothing. No e-mail is queued.
"""

from __future__ import annotations

import datetime as dt
import io
import random
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from unittest import mock

from django.core.management import call_command

# ---- the inspectorate's people -------------------------------------------------------------------------

# Who plays each part: the inspectorate's accounts when the core demo has them (eoffice.demo.STAFF), else
# accounts of the Sở that the core demo lists (README's accounts table stays true: this seeder adds no
# account); those are then named officers in the agency's complaint settings.
PARTS = {
    "chief": ("chanhthanhtra.skhdt", "phogiamdoc.skhdt"),  # reviews the drafts, leads the 2nd instance
    "reception": ("thanhtra.skhdt", "chuyenvien2.skhdt"),  # reception officer, registers the letters
    "verifier": ("thanhtra2.skhdt", "chuyenvien.skhdt"),
}
DIRECTOR, DEPUTY, CLERK = "giamdoc.skhdt", "phogiamdoc.skhdt", "vanthu.skhdt"
UNIT_HEAD = "truongphong.skhdt"

PLACE = "Phòng tiếp công dân, tầng 1, trụ sở Sở Kế hoạch và Đầu tư, số 12 đường Lê Lợi, phường Hòa Bình"

# ---- the texts (natural keys) ----------------------------------------------------------------------------

COMPLAINT_1 = (
    "Khiếu nại Quyết định số 215/QĐ-ĐKKD ngày 05/8/2026 của Phòng Đăng ký kinh doanh về việc thu hồi Giấy "
    "chứng nhận đăng ký doanh nghiệp của Công ty TNHH Thương mại Hòa Phát An"
)
COMPLAINT_2 = (
    "Khiếu nại lần hai Quyết định giải quyết khiếu nại lần đầu về việc thu hồi Giấy chứng nhận đăng ký "
    "doanh nghiệp của Công ty TNHH Thương mại Hòa Phát An"
)
DENUNCIATION = (
    "Tố cáo công chức Phòng Đăng ký kinh doanh gây khó khăn, đòi tiền ngoài quy định khi giải quyết hồ sơ "
    "đăng ký thay đổi nội dung đăng ký doanh nghiệp"
)
PETITION = (
    "Kiến nghị rút ngắn thời gian giải quyết thủ tục cấp Giấy chứng nhận đăng ký hộ kinh doanh và cho nộp "
    "hồ sơ trực tuyến toàn trình"
)
REFUSED = (
    "Khiếu nại Thông báo số 88/TB-ĐKKD ngày 10/3/2025 về việc từ chối đăng ký tên doanh nghiệp trùng tên"
)
FORWARDED = (
    "Tố cáo công chứng viên Văn phòng công chứng Tân Thành chứng nhận hợp đồng mua bán nhà khi thiếu chữ "
    "ký của đồng sở hữu"
)
GUIDED = "Khiếu nại việc Ủy ban nhân dân xã Tân Phú thu hồi đất nông nghiệp để làm đường giao thông nông thôn"
KEPT = "Đơn không ký tên tố cáo cán bộ Sở đi làm muộn, sử dụng xe công vào việc riêng"
FEEDBACK = (
    "Phản ánh Cổng dịch vụ công của Sở thường xuyên lỗi khi ký số hồ sơ đăng ký doanh nghiệp vào buổi chiều"
)
FEEDBACK_DUP = (
    "Phản ánh (lần 2) Cổng dịch vụ công của Sở vẫn lỗi khi ký số hồ sơ đăng ký doanh nghiệp vào buổi chiều"
)
PRESS = (
    "Báo An Hòa chuyển đơn của bạn đọc phản ánh việc niêm yết thủ tục hành chính tại Bộ phận một cửa của "
    "Sở chưa đầy đủ"
)
COUNCIL = (
    "Ban Tiếp công dân tỉnh chuyển đơn kiến nghị của cử tri về việc chậm giải ngân vốn hỗ trợ doanh nghiệp "
    "nhỏ và vừa năm 2026"
)
OVERDUE_INTAKE = (
    "Kiến nghị xem xét lại việc chấm điểm hồ sơ dự thầu gói thầu xây dựng Trường tiểu học Hòa Bình 2"
)
OVERDUE_COMPLAINT = (
    "Khiếu nại việc Phòng Đăng ký kinh doanh không cấp Giấy chứng nhận đăng ký hộ kinh doanh cho cửa hàng "
    "vật liệu xây dựng tại xã Tân Phú"
)
SUSPENDED = (
    "Khiếu nại Quyết định xử phạt vi phạm hành chính số 41/QĐ-XPVPHC về việc không đăng ký thay đổi người "
    "đại diện theo pháp luật của Công ty CP Xây dựng Sông Hòa"
)
ONLINE = (
    "Tôi đã nộp hồ sơ đăng ký thành lập hợp tác xã từ ngày 20/11/2026 nhưng đến nay chưa nhận được kết quả "
    "hay thông báo bổ sung hồ sơ. Đề nghị Sở kiểm tra, trả lời."
)
PETITION_ANSWER = (
    "Sở đã trình Ủy ban nhân dân tỉnh cắt giảm thời gian giải quyết thủ tục đăng ký hộ kinh doanh từ 03 "
    "ngày làm việc xuống 02 ngày làm việc; từ ngày 01/01/2027 hồ sơ được nộp trực tuyến toàn trình trên "
    "Cổng dịch vụ công của tỉnh."
)

VISITS = [
    # content, kind, outcome, day offset (days before today; None: the last Giám đốc's day), person (name,
    # id, address, phone), extra
    (
        "Phản ánh việc doanh nghiệp được giao đất tại Khu công nghiệp Tân Phú chậm triển khai dự án, để đất "
        "hoang nhiều năm",
        "feedback",
        "guided",
        None,
        ("Lương Văn Cường", "052070002958", "Thôn Đông, xã Tân Phú, tỉnh An Hòa", "0945 660 318"),
        "Giám đốc Sở trả lời: Sở đã đưa dự án vào danh sách kiểm tra năm 2027 và sẽ thông báo kết quả.",
    ),
    (
        "Hỏi về việc hồ sơ đăng ký thay đổi địa chỉ trụ sở doanh nghiệp bị trả lại nhiều lần",
        "feedback",
        "guided",
        66,
        ("Đặng Thị Thanh Xuân", "052193004471", "Số 30 đường Lê Lợi, phường Hòa Bình, tỉnh An Hòa",
         "0977 315 209"),
        "Đã hướng dẫn thành phần hồ sơ theo Nghị định về đăng ký doanh nghiệp; hẹn nộp lại trực tuyến.",
    ),
    (
        "Hỏi thủ tục khiếu nại quyết định thu hồi Giấy chứng nhận đăng ký hộ kinh doanh",
        "complaint",
        "guided",
        80,
        ("Đinh Văn Quang", "052086001245", "Thôn Đông, xã Hòa Tiến, tỉnh An Hòa", "0912 305 118"),
        "Đã hướng dẫn công dân gửi đơn khiếu nại đến Ủy ban nhân dân xã nơi cấp Giấy chứng nhận.",
    ),
    (
        "Phản ánh thái độ phục vụ của công chức tại Bộ phận một cửa khi tiếp nhận hồ sơ",
        "feedback",
        "letter",
        45,
        ("Võ Thị Kim Liên", "052190004512", "Số 45 đường Nguyễn Huệ, phường Tân Thành, tỉnh An Hòa",
         "0905 442 617"),
        "",
    ),
    (
        "Kiến nghị về việc đền bù giải phóng mặt bằng dự án Khu dân cư Bắc Hòa Bình",
        "petition",
        "forwarded",
        30,
        ("Huỳnh Văn Phước", "052078003366", "Tổ 5, phường Bắc Hòa Bình, tỉnh An Hòa", "0935 118 204"),
        "Ủy ban nhân dân thành phố Hòa Bình (Hội đồng bồi thường, hỗ trợ và tái định cư)",
    ),
    (
        "Đoàn 6 hộ kinh doanh chợ Tân Thành kiến nghị về việc cấp lại Giấy chứng nhận đăng ký hộ kinh doanh "
        "sau khi di dời chợ",
        "petition",
        "leader_meeting",
        3,
        ("Trương Thị Hồng", "052185006789", "Ki-ốt 12, chợ Tân Thành, phường Tân Thành, tỉnh An Hòa",
         "0978 210 355"),
        "",
    ),
]  # fmt: skip

DENOUNCER = ("Phạm Thị Hạnh", "052188007341", "Số 27 đường Hai Bà Trưng, phường Hòa Bình, tỉnh An Hòa")


# ---- the clock and the mail ----------------------------------------------------------------------------


_NOW_FIELDS: list = []


def _now_fields() -> list:
    """The model fields whose default is ``timezone.now`` (a reference the patch below does not reach)."""
    if not _NOW_FIELDS:
        from django.apps import apps
        from django.utils import timezone

        _NOW_FIELDS.extend(
            f for m in apps.get_models() for f in m._meta.concrete_fields if f.default is timezone.now
        )
    return _NOW_FIELDS


@contextmanager
def _at(moment: dt.datetime | None):
    """Run the services as at ``moment`` (a past moment; None: now): ``timezone.now`` and the fields whose
    default it is (history, notifications, work items are stamped with that moment too)."""
    if moment is None:
        yield
        return
    fields = _now_fields()
    saved = [(f, f.__dict__.get("_get_default")) for f in fields]
    for f in fields:
        f.__dict__["_get_default"] = lambda: moment
    try:
        with mock.patch("django.utils.timezone.now", return_value=moment):
            yield
    finally:
        for f, old in saved:
            if old is None:
                f.__dict__.pop("_get_default", None)
            else:
                f.__dict__["_get_default"] = old


@contextmanager
def _no_mail():
    with (
        mock.patch("eoffice.notifications.dispatch_email", lambda notifications: None),
        mock.patch("complaints.services.online.filed_email", autospec=True),
    ):
        yield


def _working_days_before(day: dt.date, n: int) -> dt.date:
    from workflow import calendar

    while n:
        day -= dt.timedelta(days=1)
        if calendar.is_working_day(day):
            n -= 1
    return day


# ---- a scanned handwritten letter --------------------------------------------------------------------------

FONT_FILE = "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Italic.ttf"

# Where the denouncer's name, ID and address lines sit on the scan (fractions, origin top left).
IDENTITY_BOX = (1, 0.07, 0.205, 0.86, 0.16)
SIGNATURE_BOX = (1, 0.55, 0.80, 0.40, 0.12)


def _scan_pdf(lines: list[tuple[str, float]], signature: str) -> bytes:
    """An A4 page written by hand (an italic face, uneven lines, ruled paper, a little noise), scanned at
    150 dpi and saved as an image-only PDF, as a citizen's letter arrives."""
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    rng = random.Random(17)  # the same bytes on every run
    width, height = 1240, 1754
    page = Image.new("L", (width, height), 246)
    draw = ImageDraw.Draw(page)
    for y in range(260, height - 120, 58):
        draw.line([(90, y), (width - 90, y)], fill=215, width=1)
    font = ImageFont.truetype(FONT_FILE, 30)
    title = ImageFont.truetype(FONT_FILE, 38)
    for text, top in lines:
        y = int(top * height)
        x = 100 if not text.startswith("  ") else 160
        face = title if text.isupper() else font
        if text.isupper() or top < 0.12:  # the national motto is centred too
            x = (width - draw.textlength(text, font=face)) // 2
        for word in text.strip().split(" "):
            jitter = rng.randint(-3, 3)
            draw.text((x, y + jitter), word, font=face, fill=rng.randint(25, 60))
            x += draw.textlength(word + " ", font=face) + rng.randint(0, 4)
    sign_font = ImageFont.truetype(FONT_FILE, 44)
    draw.text((int(0.62 * width), int(0.84 * height)), signature, font=sign_font, fill=30)
    page = page.rotate(0.4, fillcolor=246, resample=Image.Resampling.BICUBIC)
    noise = Image.effect_noise((width, height), 6).point(lambda v: v - 128)
    page = Image.eval(Image.blend(page, noise.convert("L"), 0.04), lambda v: v)
    page = page.filter(ImageFilter.GaussianBlur(0.5))
    out = io.BytesIO()
    page.convert("RGB").save(out, "PDF", resolution=150)
    return out.getvalue()


def denunciation_scan(written: dt.date) -> bytes:
    name, id_number, address = DENOUNCER
    filed = written - dt.timedelta(days=14)
    return _scan_pdf(
        [
            ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 0.06),
            ("Độc lập - Tự do - Hạnh phúc", 0.095),
            ("ĐƠN TỐ CÁO", 0.15),
            (f"Tôi tên là: {name}", 0.225),
            (f"Số CCCD: {id_number}, cấp ngày 12/5/2021", 0.258),
            (f"Địa chỉ: {address}", 0.291),
            ("Số điện thoại: 0913 742 286", 0.324),
            ("Kính gửi: Giám đốc Sở Kế hoạch và Đầu tư tỉnh An Hòa", 0.375),
            (f"Ngày {filed:%d/%m/%Y} tôi nộp hồ sơ đăng ký thay đổi người đại diện", 0.42),
            ("theo pháp luật của công ty. Công chức tiếp nhận hồ sơ đã ba lần", 0.453),
            ("yêu cầu bổ sung giấy tờ không có trong quy định, rồi gợi ý tôi", 0.486),
            ("“bồi dưỡng” 2.000.000 đồng thì hồ sơ sẽ được giải quyết ngay.", 0.519),
            ("Tôi có ghi âm cuộc trao đổi, xin gửi kèm theo đơn này.", 0.552),
            ("Đề nghị Giám đốc Sở xác minh, xử lý nghiêm và giữ bí mật", 0.597),
            ("họ tên, địa chỉ của tôi theo quy định của Luật Tố cáo.", 0.63),
            (f"Hòa Bình, ngày {written:%d} tháng {written.month} năm {written.year}", 0.74),
            ("  Người tố cáo", 0.775),
        ],
        signature=name,
    )


# ---- the seeder ------------------------------------------------------------------------------------------


@dataclass
class Made:
    counts: dict

    def add(self, what: str, n: int = 1) -> None:
        self.counts[what] = self.counts.get(what, 0) + n


class Seeder:
    def __init__(self, agency, people: dict, agencies: dict, now: dt.datetime):
        from django.utils import timezone

        self.agency = agency
        self.people = people
        self.agencies = agencies
        self.now = now
        self.tz = timezone.get_current_timezone()
        self.today = timezone.localtime(now).date()
        self.made = Made({})
        self.reception = people["reception"]
        self.verifier = people["verifier"]
        self.chief = people["chief"]
        self.director = people[DIRECTOR]
        self.clerk = people[CLERK]

    # -- time

    def moment(self, day: dt.date, hour: int = 9, minute: int = 0) -> dt.datetime:
        return dt.datetime.combine(day, dt.time(hour, minute), self.tz)

    def past(self, moment: dt.datetime) -> dt.datetime | None:
        return moment if moment < self.now else None

    def ago(self, days: int, hour: int = 9) -> dt.datetime:
        """``days`` calendar days ago at ``hour``, moved back to a working day."""
        from workflow import calendar

        day = self.today - dt.timedelta(days=days)
        while not calendar.is_working_day(day):
            day -= dt.timedelta(days=1)
        return self.moment(day, hour)

    def later(self, moment: dt.datetime, working_days: int, hour: int = 9) -> dt.datetime:
        """``working_days`` after ``moment``, never later than a few minutes ago."""
        from workflow import calendar

        day = timezone_date(moment)
        n = working_days
        while n:
            day += dt.timedelta(days=1)
            if calendar.is_working_day(day):
                n -= 1
        return min(self.moment(day, hour), self.now - dt.timedelta(minutes=5))

    # -- staff and settings

    def settings(self) -> None:
        from complaints.models import ComplaintSettings

        config, created = ComplaintSettings.objects.get_or_create(
            agency=self.agency, defaults={"petition_days": 15, "publish_answers": True}
        )
        if created:
            config.deciders.set([self.director])
            config.officers.set([self.chief, self.reception, self.verifier])
            self.made.add("settings")

    # -- reception sessions

    def sessions(self) -> dict:
        """Every Thursday morning (regular) and the Giám đốc's day (the 15th, or the next working day) from
        three months ago to four weeks ahead; each published two weeks before its day."""
        from workflow import calendar

        first = self.today - dt.timedelta(days=91)
        last = self.today + dt.timedelta(days=28)
        plans = []
        day = first
        while day <= last:
            if day.weekday() == 3 and calendar.is_working_day(day):
                plans.append(("regular", day, None))
            day += dt.timedelta(days=1)
        month = dt.date(first.year, first.month, 15)
        while month <= last:
            day = month
            while not calendar.is_working_day(day):
                day += dt.timedelta(days=1)
            if first <= day <= last:
                plans.append(("leader", day, self.director))
            month = dt.date(month.year + (month.month == 12), month.month % 12 + 1, 15)
        return {(kind, day): self.session(kind, day, leader) for kind, day, leader in plans}

    def session(self, kind: str, day: dt.date, leader):
        from complaints import services
        from complaints.models import ReceptionSession

        found = ReceptionSession.objects.filter(agency=self.agency, kind=kind, date=day).first()
        start, end = (
            (dt.time(7, 30), dt.time(11, 30)) if kind == "regular" else (dt.time(8, 0), dt.time(11, 0))
        )
        note = (
            "Giám đốc Sở tiếp công dân định kỳ; Chánh Thanh tra và Trưởng phòng Đăng ký kinh doanh cùng dự."
            if leader
            else "Thanh tra Sở tiếp công dân thường xuyên."
        )
        fields = services.SessionFields(
            kind=kind, date=day, start_time=start, end_time=end, place=PLACE, leader=leader, note=note
        )

        def plan_and_publish():
            session = services.session_create(by=self.chief, fields=fields)
            return services.session_publish(session=session, by=self.chief)

        planned = self.moment(_working_days_before(day, 10), 15)
        return found or self.once(planned, plan_and_publish, made="reception sessions")

    # -- visits

    def visits(self, sessions: dict) -> None:
        from complaints import services
        from complaints.models import ReceptionSession, Visit

        upcoming = (
            ReceptionSession.objects.filter(
                agency=self.agency, kind="leader", date__gte=self.today, published_at__isnull=False
            )
            .order_by("date")
            .first()
        )
        for content, kind, outcome, days, (name, id_number, address, phone), extra in VISITS:
            if Visit.objects.filter(agency=self.agency, content=content).exists():
                continue
            if days is None:
                leader_days = [d for (k, d) in sessions if k == "leader" and d < self.today]
                at = self.moment(max(leader_days), 8, 30)
            else:  # on the last regular reception day by then
                by_then = self.today - dt.timedelta(days=days)
                at = self.moment(max(d for (k, d) in sessions if k == "regular" and d <= by_then), 9)
            session = next((s for (k, d), s in sessions.items() if d == at.date()), None)
            data = services.VisitInput(
                kind=kind,
                content=content,
                outcome=outcome,
                people=[services.PersonInput(name=name, id_number=id_number, address=address, phone=phone)],
                people_count=6 if outcome == "leader_meeting" else 1,
                received_at=at,
                session=session,
                outcome_note=extra if outcome == "guided" else "",
                forwarded_to=extra if outcome == "forwarded" else "",
                meeting_session=upcoming if outcome == "leader_meeting" else None,
                papers="Đơn phản ánh (01 bản)" if outcome == "letter" else "",
            )
            visit = self.once(at, partial(services.visit_record, by=self.reception, data=data), made="visits")
            answered = self.later(at, 6, 14)
            self.once(
                answered,
                partial(
                    services.visit_answer,
                    visit=visit,
                    by=self.reception,
                    result="Đã chuyển đơn đến Ủy ban nhân dân thành phố Hòa Bình; công dân đã được "
                    "thông báo bằng văn bản.",
                    answered_at=answered,
                ),
                done=outcome != "forwarded",
            )

    # -- letters

    def letter(self, summary: str, *, days: int, kind: str, people, field="other", source="post", **extra):
        """The letter of ``summary`` (registered ``days`` ago by the reception officer) and its first case."""
        from complaints import services
        from complaints.models import Letter

        at = self.ago(days, 8)
        content = extra.pop("content", summary)
        contents = [services.ContentInput(kind=kind, content=content, field=field, **extra.pop("case", {}))]
        letter = Letter.objects.filter(agency=self.agency, summary=summary).first() or self.once(
            at,
            lambda: services.letter_register(
                by=self.reception,
                received_on=at.date(),
                source=source,
                summary=summary,
                people=[
                    services.PersonInput(
                        name=n, id_number=i, address=a, phone=p, protected=extra.get("protected", False)
                    )
                    for n, i, a, p in people
                ],
                contents=contents,
                **extra,
            ),
            made="letters",
        )
        return letter.cases.order_by("order").first()

    def once(self, moment: dt.datetime, run, *, done: bool = False, made: str = ""):
        """The find-or-run step: unless ``done``, run ``run()`` as at ``moment`` (a moment to come: now),
        count it as one ``made`` and return its result; ``None`` when done. A record found by its natural
        key reads ``found or self.once(...)``."""
        if done:
            return None
        with _at(self.past(moment)):
            result = run()
        if made:
            self.made.add(made)
        return result

    def step(self, case, moment: dt.datetime, run, *, done: bool) -> object:
        """Run ``run()`` at ``moment`` unless ``done``; return the case as it is now."""
        self.once(moment, run, done=done)
        case.refresh_from_db()
        return case

    def outcome(self, case, after: int, service, *, issue: bool = True, **kwargs):
        """The intake outcome ``service`` (accept, refuse, forward, guide, keep) given by the reception
        officer ``after`` working days after the letter came, unless the case has one; the documents it
        drafts are issued three hours later (``issue``). Returns the case as it is now and the outcome's
        moment."""
        from complaints.models import CaseState

        at = self.later(self.moment(case.letter.received_on), after)
        case = self.step(
            case,
            at,
            lambda: service(case=case, by=self.reception, **kwargs),
            done=case.state != CaseState.REGISTERED,
        )
        if issue:
            self.issue(case, moment=at + dt.timedelta(hours=3))
        return case, at

    def file_step(self, case, moment: dt.datetime, kind: str, title: str, text: str):
        """A record of the case file (plan, evidence, report) added by the verifier at ``moment``, unless the
        case has one of its kind; returns the case as it is now."""
        from complaints import services

        return self.step(
            case,
            moment,
            lambda: services.case_step_add(case=case, by=self.verifier, kind=kind, title=title, text=text),
            done=case.steps.filter(kind=kind).exists(),
        )

    def issue(self, case, *, moment: dt.datetime | None = None, keep_waiting=()) -> None:
        """Every document drafted from ``case`` through the outgoing flow: submitted by its drafter to the
        Chánh Thanh tra, approved, signed by its signer with the demo PIN and issued by the Văn phòng."""
        from django.conf import settings

        from complaints.models import CaseDocument
        from documents.outgoing import services as outgoing
        from workflow.models import WorkflowState

        pin = settings.SIGNING_DEMO_PIN
        rows = CaseDocument.objects.filter(case=case, document__isnull=False).select_related("document")
        for row in rows.order_by("pk"):
            document = row.document
            if document.state == WorkflowState.ISSUED or row.form in keep_waiting:
                continue
            with _at(self.past(moment) if moment else None):
                if document.state == WorkflowState.NEW:
                    document = outgoing.draft_submit(
                        document=document,
                        by=document.drafted_by,
                        reviewer=self.chief,
                        comment="Kính trình Chánh Thanh tra xem xét.",
                    )
                if document.state == WorkflowState.SUBMITTED:
                    document = outgoing.draft_approve(document=document, by=self.chief, comment="Đồng ý.")
                if document.state == WorkflowState.SIGNING and document.signer_id:
                    document = outgoing.document_sign(document=document, by=document.signer, pin=pin)
                if document.state == WorkflowState.SIGNED:
                    outgoing.document_issue(document=document, by=self.clerk, pin=pin)
            self.made.add("documents issued")
        case.refresh_from_db()

    # -- the cases

    def complaints(self) -> None:
        from complaints import services
        from complaints.models import CaseState, CaseStep, Stage

        first = self.letter(
            COMPLAINT_1,
            days=88,
            kind="complaint",
            field="administration",
            source="in_person",
            people=[("Phạm Văn Tài", "052075001928", "Số 9 đường Lý Thường Kiệt, phường Tân Thành, "
                     "tỉnh An Hòa",
                     "0903 551 872")],
            case={"subject": "Phòng Đăng ký kinh doanh", "act_known_on": self.today - dt.timedelta(days=120)},
        )  # fmt: skip
        first, accepted = self.outcome(first, 3, services.case_accept, note="Đủ điều kiện thụ lý.")
        verify = self.later(accepted, 2)
        first = self.step(
            first,
            verify,
            lambda: services.case_verification_assign(
                case=first, by=self.director, lead=self.verifier, members=[self.reception]
            ),
            done=first.members.exists(),
        )
        first = self.file_step(
            first,
            self.later(verify, 1),
            CaseStep.Kind.PLAN,
            "Kế hoạch xác minh nội dung khiếu nại",
            "Làm việc với Phòng Đăng ký kinh doanh; thu thập hồ sơ đăng ký doanh nghiệp; "
            "làm việc với người khiếu nại.",
        )
        first = self.file_step(
            first,
            self.later(verify, 8),
            CaseStep.Kind.REPORT,
            "Báo cáo kết quả xác minh nội dung khiếu nại",
            "Doanh nghiệp không hoạt động tại địa chỉ đăng ký nhưng đã gửi văn bản giải trình trước "
            "khi ban hành quyết định thu hồi; Phòng chưa xem xét văn bản này.",
        )
        decided = self.later(verify, 12)
        first = self.step(
            first,
            decided,
            lambda: services.case_decision_draft(
                case=first,
                by=self.verifier,
                result="partly",
                summary="Khiếu nại đúng một phần; hủy Quyết định số 215/QĐ-ĐKKD, giao Phòng "
                "Đăng ký kinh doanh kiểm tra lại địa chỉ trụ sở của doanh nghiệp.",
            ),
            done=first.documents.filter(form="complaint_decision").exists(),
        )
        self.issue(first, moment=decided + dt.timedelta(hours=4))
        sent = self.later(decided, 2)
        first = self.step(
            first,
            sent,
            lambda: services.case_deliver(
                case=first,
                by=self.reception,
                delivered_on=sent.date(),
                recipients="Ông Phạm Văn Tài; Phòng Đăng ký kinh doanh",
            ),
            done=first.state != CaseState.RESOLVED
            or first.steps.filter(kind=CaseStep.Kind.DELIVERY).exists(),
        )

        # the second instance
        opened = self.ago(22, 9)
        second = first.next_instances.first() or self.once(
            opened,
            lambda: services.case_second_instance_open(
                case=first,
                by=self.reception,
                received_on=opened.date(),
                summary=COMPLAINT_2,
                content="Không đồng ý với việc giao Phòng Đăng ký kinh doanh kiểm tra lại; đề nghị công "
                "nhận toàn bộ nội dung khiếu nại và bồi thường thiệt hại do bị thu hồi Giấy chứng nhận.",
                decision_received_on=self.today - dt.timedelta(days=30),
            ),
            made="letters",
        )
        second, accepted = self.outcome(
            second, 3, services.case_accept, note="Khiếu nại lần hai trong thời hạn."
        )
        verify = self.later(accepted, 1)
        second = self.step(
            second,
            verify,
            lambda: services.case_verification_assign(
                case=second, by=self.director, lead=self.chief, members=[self.verifier], order=True
            ),
            done=second.members.exists(),
        )
        self.issue(second, moment=verify + dt.timedelta(hours=3))
        notified = self.later(verify, 1)
        held = self.moment(notified.date() + dt.timedelta(days=7), 14)
        while held.weekday() >= 5:
            held += dt.timedelta(days=1)
        dialogue = second.steps.filter(kind=CaseStep.Kind.DIALOGUE).exists()
        self.once(
            notified,
            lambda: services.case_dialogue_schedule(
                case=second,
                by=self.chief,
                at=held,
                place="Phòng họp số 2, Sở Kế hoạch và Đầu tư",
                notified_on=notified.date(),
            ),
            done=dialogue,
        )
        second = self.step(
            second,
            held + dt.timedelta(hours=2),
            lambda: services.case_dialogue_minutes(
                case=second, by=self.chief, held_on=held.date(), text=DIALOGUE_MINUTES
            ),
            done=dialogue,
        )
        assert second.stage in (Stage.VERIFICATION, Stage.DIALOGUE, Stage.DECISION)

    def denunciation(self) -> None:
        from django.core.files.uploadedfile import SimpleUploadedFile

        from complaints import services
        from complaints.models import CaseStep, LetterFile

        name, id_number, address = DENOUNCER
        scan = SimpleUploadedFile(
            "don-to-cao.pdf",
            denunciation_scan(self.ago(64).date() - dt.timedelta(days=1)),
            content_type="application/pdf",
        )
        case = self.letter(
            DENUNCIATION,
            days=64,
            kind="denunciation",
            field="corruption",
            source="in_person",
            people=[(name, id_number, address, "0913 742 286")],
            protected=True,
            files=[scan],
            case={"subject": "Công chức Phòng Đăng ký kinh doanh"},
        )
        letter = case.letter
        received = self.moment(letter.received_on, 8)
        self.once(
            received + dt.timedelta(hours=2),
            lambda: services.letter_redact(
                source=letter.files.get(kind=LetterFile.Kind.LETTER),
                boxes=[IDENTITY_BOX, SIGNATURE_BOX],
                by=self.reception,
            ),
            done=letter.files.filter(kind=LetterFile.Kind.REDACTED).exists(),
            made="redacted copies",
        )
        case, accepted = self.outcome(case, 5, services.case_accept, note="Tố cáo có căn cứ để xác minh.")
        verify = self.later(accepted, 1)
        case = self.step(
            case,
            verify,
            lambda: services.case_verification_assign(case=case, by=self.director, lead=self.verifier),
            done=case.members.exists(),
        )
        complex_at = self.later(verify, 10)
        case = self.step(
            case,
            complex_at,
            lambda: services.case_mark_complex(
                case=case,
                by=self.director,
                ground="Phải xác minh tại nhiều doanh nghiệp đã nộp hồ sơ và trưng cầu giám định tệp ghi âm.",
            ),
            done=case.complexity != "normal",
        )
        extend_at = self.later(verify, 19)
        case = self.step(
            case,
            extend_at,
            lambda: services.case_extend(
                case=case, by=self.director, ground="Chờ kết quả giám định tệp ghi âm của cơ quan chuyên môn."
            ),
            done=case.extension_count > 0,
        )
        self.issue(case, moment=extend_at + dt.timedelta(hours=3))
        self.file_step(
            case,
            self.later(verify, 4),
            CaseStep.Kind.EVIDENCE,
            "Biên bản làm việc với công chức bị tố cáo",
            "Công chức thừa nhận đã yêu cầu bổ sung giấy tờ; không thừa nhận việc đòi tiền.",
        )

    def intake_outcomes(self) -> None:
        from complaints import services

        people = {
            "refused": [("Lê Minh Tuấn", "052080009911", "Số 3 đường Phan Chu Trinh, phường Hòa Bình, "
                         "tỉnh An Hòa",
                         "0988 731 405")],
            "forwarded": [("Nguyễn Thị Bích Vân", "052192003147", "Số 61 đường Quang Trung, "
                           "phường Tân Thành, "
                           "tỉnh An Hòa", "0916 205 733")],
            "guided": [("Hồ Văn Sáu", "052067004420", "Ấp Tân Phú 2, xã Tân Phú, tỉnh An Hòa",
                        "0367 118 942")],
            "feedback": [("Công ty TNHH Phần mềm Sao Mai (Ông Đặng Quốc Bảo)", "052088001536",
                          "Số 18 đường Nguyễn Du, phường Hòa Bình, tỉnh An Hòa", "0909 664 120")],
        }  # fmt: skip
        refused = self.letter(
            REFUSED, days=70, kind="complaint", field="administration", people=people["refused"],
            case={"act_known_on": dt.date(2025, 3, 12)},
        )  # fmt: skip
        self.outcome(
            refused,
            2,
            services.case_refuse,
            reason="Đã hết thời hiệu khiếu nại (90 ngày kể từ ngày biết được quyết định hành chính) theo "
            "khoản 1 Điều 11 Luật Khiếu nại.",
        )

        forwarded = self.letter(
            FORWARDED, days=52, kind="denunciation", field="judicial", people=people["forwarded"]
        )
        self.outcome(
            forwarded,
            3,
            services.case_forward,
            agency=self.agencies["STP"],
            reason="Nội dung tố cáo hành vi của công chứng viên thuộc thẩm quyền giải quyết của Sở Tư pháp.",
        )

        guided = self.letter(GUIDED, days=40, kind="complaint", field="land", people=people["guided"])
        self.outcome(
            guided,
            2,
            services.case_guide,
            issue=False,
            guidance="Việc thu hồi đất do Ủy ban nhân dân xã Tân Phú thực hiện; đề nghị ông gửi "
            "đơn khiếu nại đến Chủ tịch Ủy ban nhân dân xã Tân Phú để được giải quyết lần đầu.",
        )

        kept = self.letter(KEPT, days=58, kind="denunciation", field="officials", people=[], anonymous=True)
        self.outcome(
            kept,
            2,
            services.case_keep,
            issue=False,
            reason="Đơn không rõ họ tên, địa chỉ người tố cáo; lưu đơn, chuyển thông tin cho "
            "Văn phòng Sở để chấn chỉnh việc sử dụng xe công.",
        )

        # A feedback letter kept as handled, and the same person writing again: a duplicate.
        original = self.letter(
            FEEDBACK, days=35, kind="feedback", field="administration", people=people["feedback"]
        )
        original = self.outcome(
            original, 2, services.case_accept, issue=False, note="Chuyển Văn phòng Sở kiểm tra."
        )[0]
        duplicate = self.letter(
            FEEDBACK_DUP, days=12, kind="feedback", field="administration", people=people["feedback"]
        )
        at = self.later(self.moment(duplicate.letter.received_on), 1)
        self.step(
            duplicate,
            at,
            lambda: services.case_mark_duplicate(
                case=duplicate, of=original, by=self.reception, note="Cùng nội dung đơn đang giải quyết."
            ),
            done=duplicate.duplicate_of_id is not None,
        )

        # Forwarded to the Sở by the press and by the province's citizen reception board.
        press = self.letter(
            PRESS, days=26, kind="feedback", field="administration", source="press",
            people=[("Trần Văn Lực", "052091002874", "Xã Hòa Tiến, tỉnh An Hòa", "0932 447 015")],
            source_org="Báo An Hòa", source_reference="125/BAH-BĐ",
        )  # fmt: skip
        self.outcome(press, 2, services.case_accept, issue=False, note="Giao Văn phòng Sở kiểm tra.")
        council = self.letter(
            COUNCIL, days=9, kind="petition", field="policy", source="forwarded",
            people=[("Nguyễn Văn Hòa", "052073005510", "Thôn Bắc, xã Hòa Tiến, tỉnh An Hòa", "0914 338 260")],
            source_org="Ban Tiếp công dân tỉnh An Hòa", source_reference="412/BTCD-TD",
        )  # fmt: skip
        del council  # waits for intake (within its time)

    def overdue(self) -> None:
        from complaints import services
        from complaints.models import CaseState

        self.letter(
            OVERDUE_INTAKE, days=21, kind="petition", field="other",
            people=[("Công ty CP Xây lắp Tân Phú (Bà Lâm Thị Thảo)", "052184002219",
                     "Khu công nghiệp Tân Phú, tỉnh An Hòa", "0918 772 613")],
        )  # fmt: skip
        late = self.letter(
            OVERDUE_COMPLAINT, days=75, kind="complaint", field="administration", source="in_person",
            people=[("Mai Văn Dũng", "052082006634", "Thôn Tây, xã Tân Phú, tỉnh An Hòa", "0975 280 446")],
            case={"act_known_on": self.today - dt.timedelta(days=90)},
        )  # fmt: skip
        self.outcome(late, 3, services.case_accept, handler=self.verifier)

        suspended = self.letter(
            SUSPENDED, days=50, kind="complaint", field="administration",
            people=[("Công ty CP Xây dựng Sông Hòa (Ông Phan Thanh Sơn)", "052079008812",
                     "Số 102 đường Lê Duẩn, phường Bắc Hòa Bình, tỉnh An Hòa", "0236 3851 777")],
            case={"act_known_on": self.today - dt.timedelta(days=60)},
        )  # fmt: skip
        suspended, accepted = self.outcome(suspended, 3, services.case_accept)
        at = self.later(accepted, 6)
        suspended = self.step(
            suspended,
            at,
            lambda: services.case_suspend(
                case=suspended,
                by=self.director,
                ground="Chờ kết quả giải quyết vụ án hành chính có liên quan của Tòa án nhân dân "
                "tỉnh An Hòa.",
            ),
            done=suspended.state != CaseState.ACCEPTED,
        )
        self.issue(suspended, moment=at + dt.timedelta(hours=3))

    def petition(self) -> None:
        from complaints import services
        from complaints.models import CaseState, PublishedAnswer

        case = self.letter(
            PETITION, days=60, kind="petition", field="administration", source="in_person",
            people=[("Đoàn Thị Mỹ Linh", "052195000873", "Số 7 đường Trần Phú, phường Hòa Bình, tỉnh An Hòa",
                     "0906 318 552")],
        )  # fmt: skip
        case, accepted = self.outcome(case, 1, services.case_accept, issue=False)
        routed = self.later(accepted, 1)
        unit_head = self.people[UNIT_HEAD]
        case = self.step(
            case,
            routed,
            lambda: services.case_route(case=case, by=self.reception, department=unit_head.department,
                                        handler=unit_head),
            done=case.handler_id == unit_head.pk,
        )  # fmt: skip
        answered = self.later(routed, 6)
        case = self.step(
            case,
            answered,
            lambda: services.case_answer_draft(
                case=case, by=unit_head, summary=PETITION_ANSWER, publish_consent=True
            ),
            done=case.documents.filter(form="petition_answer").exists(),
        )
        self.issue(case, moment=answered + dt.timedelta(hours=3))
        self.once(
            self.later(answered, 2),
            lambda: services.answer_publish(
                case=case,
                by=self.reception,
                question="Đề nghị rút ngắn thời gian giải quyết thủ tục cấp Giấy chứng nhận "
                "đăng ký hộ kinh doanh và cho phép nộp hồ sơ trực tuyến toàn trình.",
                answer=PETITION_ANSWER,
            ),
            done=case.state != CaseState.RESOLVED or PublishedAnswer.objects.filter(case=case).exists(),
            made="published answers",
        )

    def online(self) -> None:
        from complaints import services
        from complaints.models import Case

        self.once(
            self.now - dt.timedelta(hours=3),
            lambda: services.online_submit(
                agency=self.agency,
                kind="petition",
                email="ngoc.tran.htx@example.com",
                person=services.PersonInput(
                    name="Trần Thị Ngọc", address="Thôn Nam, xã Hòa Tiến, tỉnh An Hòa", phone="0387 556 210"
                ),
                content=ONLINE,
                field="administration",
            ),
            done=Case.objects.filter(agency=self.agency, content=ONLINE).exists(),
            made="online letters",
        )

    def run(self) -> None:
        from django.conf import settings
        from django.test.utils import override_settings

        self.settings()
        sessions = self.sessions()
        self.visits(sessions)
        self.online()
        if not settings.SIGNING_LOCAL_TSA:
            return  # demo signatures use the installation's own test TSA, never a real one
        call_command("signing_demo_credentials", verbosity=0)
        with override_settings(SIGNING_TSA_IN_PROCESS=True):
            self.complaints()
            self.denunciation()
            self.intake_outcomes()
            self.overdue()
            self.petition()


def timezone_date(moment: dt.datetime) -> dt.date:
    from django.utils import timezone

    return timezone.localtime(moment).date()


DIALOGUE_MINUTES = (
    "Người khiếu nại trình bày yêu cầu; Phòng Đăng ký kinh doanh giải trình căn cứ ban hành quyết định thu "
    "hồi; các bên thống nhất bổ sung văn bản giải trình của doanh nghiệp và biên bản "
    "kiểm tra trụ sở vào hồ sơ."
)


# ---- staff ------------------------------------------------------------------------------------------


def seed_complaints(stdout) -> None:
    from django.utils import timezone

    from eoffice.demo import SKHDT
    from eoffice.models import Agency, User

    agency = Agency.objects.filter(code=SKHDT).first()
    if agency is None:
        return
    made = Made({})
    people = {u.username: u for u in User.objects.filter(agency=agency, is_active=True)}
    if not {DIRECTOR, CLERK, UNIT_HEAD} <= set(people):
        return
    for part, names in PARTS.items():
        found = [people[name] for name in names if name in people]
        if not found:
            return
        people[part] = found[0]
    agencies = {a.abbreviation: a for a in Agency.objects.exclude(pk=agency.pk)}
    seeder = Seeder(agency, people, agencies, timezone.now())
    seeder.made = made
    with _no_mail():
        seeder.run()
    if made.counts:
        done = ", ".join(f"{n} {what}" for what, n in made.counts.items())
        stdout.write(f"complaints: {done}\n")
