"""Demo data of the one-stop module at Sở Kế hoạch và Đầu tư of the fictional tỉnh An Hòa.

About fifteen procedures of the business-registration and investment fields (papers, internal steps whose
hours add up to the legal time), the counter's settings, and about eighty dossiers in every state spread
over the last three months: online submissions waiting, incomplete and refused ones, dossiers at the
counter, in the unit, in processing (some overdue, some with a new appointment, form 04), waiting for
review, approval or a signature, paused for a supplement, back at the counter, returned (early, on time or
late, most of them rated) and stopped.

Every dossier is written through ``onestop.services`` with their ``now`` argument, so that codes, history,
hand-offs (form 06) and clocks carry realistic dates. Idempotent: nothing is done when the agency already
has dossiers. Past events mail nobody: applicant emails and notification emails are not queued while
seeding, and the in-app notifications about dossiers that have moved on are marked read.

The procedure codes have the format of the national database of administrative procedures; 2.001610 is the
real code of “Đăng ký thành lập doanh nghiệp tư nhân”, the others are illustrative. Applicants are invented
(addresses in tỉnh An Hòa, emails at example.com / example.org).
"""

from __future__ import annotations

import random
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from unittest import mock

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

DN, DT = "DN", "ĐT"
FIELDS = {DN: "Thành lập và hoạt động doanh nghiệp", DT: "Đầu tư tại Việt Nam"}

LAW_DN = (
    "Luật Doanh nghiệp năm 2020 và các luật sửa đổi, bổ sung; Nghị định số 168/2025/NĐ-CP của Chính phủ "
    "về đăng ký doanh nghiệp; quy định của Bộ Tài chính về phí, lệ phí trong lĩnh vực đăng ký doanh nghiệp."
)
LAW_DT = (
    "Luật Đầu tư năm 2020 và các luật sửa đổi, bổ sung; các nghị định của Chính phủ quy định chi tiết và "
    "hướng dẫn thi hành Luật Đầu tư."
)
FEE_DN = (
    "Lệ phí đăng ký doanh nghiệp 50.000 đồng/lần, miễn khi nộp hồ sơ qua mạng; phí công bố nội dung "
    "đăng ký doanh nghiệp theo quy định của Bộ Tài chính."
)
FREE = "Không thu phí, lệ phí."

# Papers: (name, kind, mandatory)
ORIG, COPY, EITHER = "original", "copy", "either"
PROXY = (
    "Văn bản ủy quyền cho người nộp hồ sơ (trường hợp không phải người đại diện theo pháp luật)",
    ORIG,
    False,
)
LEGAL_ID = "Bản sao giấy tờ pháp lý của cá nhân đối với "
APPLICATION = ("Giấy đề nghị đăng ký doanh nghiệp", ORIG, True)
CHARTER = ("Điều lệ công ty", ORIG, True)
MEMBERS = ("Danh sách thành viên", ORIG, True)
CHANGE_PAPERS = (
    ("Thông báo thay đổi nội dung đăng ký doanh nghiệp", ORIG, True),
    (
        "Nghị quyết, quyết định của chủ sở hữu, Hội đồng thành viên hoặc Đại hội đồng cổ đông "
        "về việc thay đổi",
        ORIG,
        True,
    ),
    ("Bản sao biên bản họp Hội đồng thành viên hoặc Đại hội đồng cổ đông", COPY, False),
)


@dataclass(frozen=True)
class DemoProcedure:
    code: str
    name: str
    field: str
    days: int
    result: str
    unit: str  # department abbreviation
    papers: tuple
    fee: int = 50000
    fee_note: str = FEE_DN
    online: str = "full"
    review: bool = True
    organisation: bool = False  # filed by an existing business (else by its founder)
    summary: str = ""  # "{org}" is the business's name


GCN = "Giấy chứng nhận đăng ký doanh nghiệp"
PROCEDURES = [
    DemoProcedure(
        code="2.001610",
        name="Đăng ký thành lập doanh nghiệp tư nhân",
        field=DN,
        days=3,
        result=GCN,
        unit="ĐKKD",
        papers=(APPLICATION, (LEGAL_ID + "chủ doanh nghiệp tư nhân", COPY, True), PROXY),
        summary="Đăng ký thành lập {org}",
    ),
    DemoProcedure(
        code="2.002039",
        name="Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên",
        field=DN,
        days=3,
        result=GCN,
        unit="ĐKKD",
        papers=(
            APPLICATION,
            CHARTER,
            (LEGAL_ID + "người đại diện theo pháp luật", COPY, True),
            ("Bản sao giấy tờ pháp lý của chủ sở hữu công ty", COPY, True),
            PROXY,
        ),
        summary="Đăng ký thành lập {org}",
    ),
    DemoProcedure(
        code="2.002040",
        name="Đăng ký thành lập công ty trách nhiệm hữu hạn hai thành viên trở lên",
        field=DN,
        days=3,
        result=GCN,
        unit="ĐKKD",
        papers=(
            APPLICATION,
            CHARTER,
            MEMBERS,
            (LEGAL_ID + "thành viên và người đại diện theo pháp luật", COPY, True),
            PROXY,
        ),
        summary="Đăng ký thành lập {org}",
    ),
    DemoProcedure(
        code="2.002041",
        name="Đăng ký thành lập công ty cổ phần",
        field=DN,
        days=3,
        result=GCN,
        unit="ĐKKD",
        papers=(
            APPLICATION,
            CHARTER,
            ("Danh sách cổ đông sáng lập", ORIG, True),
            (LEGAL_ID + "cổ đông sáng lập và người đại diện theo pháp luật", COPY, True),
            PROXY,
        ),
        summary="Đăng ký thành lập {org}",
    ),
    DemoProcedure(
        code="2.002042",
        name="Đăng ký thành lập công ty hợp danh",
        field=DN,
        days=3,
        result=GCN,
        unit="ĐKKD",
        papers=(APPLICATION, CHARTER, MEMBERS, (LEGAL_ID + "thành viên công ty", COPY, True), PROXY),
        online="partial",
        summary="Đăng ký thành lập {org}",
    ),
    DemoProcedure(
        code="2.002050",
        name="Đăng ký thay đổi người đại diện theo pháp luật của công ty trách nhiệm hữu hạn, "
        "công ty cổ phần",
        field=DN,
        days=3,
        result=GCN + " (cấp thay đổi)",
        unit="ĐKKD",
        papers=(*CHANGE_PAPERS, (LEGAL_ID + "người đại diện theo pháp luật mới", COPY, True)),
        organisation=True,
        summary="{org} thay đổi người đại diện theo pháp luật",
    ),
    DemoProcedure(
        code="2.002051",
        name="Đăng ký thay đổi vốn điều lệ, tỷ lệ vốn góp của công ty",
        field=DN,
        days=3,
        result=GCN + " (cấp thay đổi)",
        unit="ĐKKD",
        papers=(*CHANGE_PAPERS, ("Danh sách thành viên hoặc cổ đông sau khi thay đổi", ORIG, False)),
        organisation=True,
        summary="{org} tăng vốn điều lệ",
    ),
    DemoProcedure(
        code="2.002062",
        name="Thông báo thay đổi ngành, nghề kinh doanh",
        field=DN,
        days=3,
        result="Giấy xác nhận về việc thay đổi nội dung đăng ký doanh nghiệp",
        unit="ĐKKD",
        papers=CHANGE_PAPERS,
        fee=0,
        fee_note="Miễn lệ phí; phí công bố nội dung đăng ký doanh nghiệp theo quy định của Bộ Tài chính.",
        review=False,
        organisation=True,
        summary="{org} bổ sung ngành, nghề kinh doanh",
    ),
    DemoProcedure(
        code="2.002070",
        name="Thông báo tạm ngừng kinh doanh, tiếp tục kinh doanh trước thời hạn đã thông báo",
        field=DN,
        days=3,
        result="Giấy xác nhận về việc doanh nghiệp đăng ký tạm ngừng kinh doanh",
        unit="ĐKKD",
        papers=(
            ("Thông báo tạm ngừng kinh doanh, tiếp tục kinh doanh trước thời hạn đã thông báo", ORIG, True),
            ("Nghị quyết, quyết định về việc tạm ngừng kinh doanh (công ty nhiều thành viên)", ORIG, False),
        ),
        fee=0,
        fee_note=FREE,
        review=False,
        organisation=True,
        summary="{org} tạm ngừng kinh doanh 12 tháng",
    ),
    DemoProcedure(
        code="2.002075",
        name="Giải thể doanh nghiệp",
        field=DN,
        days=5,
        result="Thông báo về việc cập nhật tình trạng pháp lý của doanh nghiệp là đã giải thể",
        unit="ĐKKD",
        papers=(
            ("Thông báo về giải thể doanh nghiệp", ORIG, True),
            ("Báo cáo thanh lý tài sản doanh nghiệp; danh sách chủ nợ và số nợ đã thanh toán", ORIG, True),
            ("Nghị quyết, quyết định giải thể và bản sao biên bản họp", ORIG, True),
        ),
        fee=0,
        fee_note=FREE,
        online="partial",
        organisation=True,
        summary="{org} đề nghị giải thể",
    ),
    DemoProcedure(
        code="2.002080",
        name="Đăng ký hoạt động chi nhánh, văn phòng đại diện, địa điểm kinh doanh",
        field=DN,
        days=3,
        result="Giấy chứng nhận đăng ký hoạt động chi nhánh, văn phòng đại diện",
        unit="ĐKKD",
        papers=(
            ("Thông báo thành lập chi nhánh, văn phòng đại diện, địa điểm kinh doanh", ORIG, True),
            ("Nghị quyết, quyết định thành lập chi nhánh, văn phòng đại diện", ORIG, True),
            (LEGAL_ID + "người đứng đầu chi nhánh, văn phòng đại diện", COPY, True),
        ),
        review=False,
        organisation=True,
        summary="{org} đăng ký hoạt động chi nhánh tại huyện Tân Phú",
    ),
    DemoProcedure(
        code="2.002090",
        name="Cấp lại Giấy chứng nhận đăng ký doanh nghiệp",
        field=DN,
        days=3,
        result=GCN + " (cấp lại)",
        unit="ĐKKD",
        papers=(("Giấy đề nghị cấp lại Giấy chứng nhận đăng ký doanh nghiệp", ORIG, True), PROXY),
        review=False,
        organisation=True,
        summary="{org} đề nghị cấp lại Giấy chứng nhận bị mất",
    ),
    DemoProcedure(
        code="2.002095",
        name="Chuyển đổi doanh nghiệp tư nhân thành công ty trách nhiệm hữu hạn",
        field=DN,
        days=3,
        result=GCN,
        unit="ĐKKD",
        papers=(
            APPLICATION,
            CHARTER,
            ("Danh sách chủ nợ, số nợ chưa thanh toán và hợp đồng chưa thanh lý", ORIG, True),
            ("Danh sách người lao động hiện có", ORIG, True),
            (LEGAL_ID + "người đại diện theo pháp luật", COPY, True),
        ),
        online="partial",
        organisation=True,
        summary="Chuyển đổi {org} thành công ty TNHH",
    ),
    DemoProcedure(
        code="1.009645",
        name="Cấp Giấy chứng nhận đăng ký đầu tư đối với dự án không thuộc diện chấp thuận chủ trương đầu tư",
        field=DT,
        days=15,
        result="Giấy chứng nhận đăng ký đầu tư",
        unit="TH",
        papers=(
            ("Văn bản đề nghị thực hiện dự án đầu tư", ORIG, True),
            ("Bản sao tài liệu về tư cách pháp lý của nhà đầu tư", COPY, True),
            ("Tài liệu chứng minh năng lực tài chính của nhà đầu tư", EITHER, True),
            ("Đề xuất dự án đầu tư", ORIG, True),
            ("Bản sao giấy tờ về quyền sử dụng địa điểm thực hiện dự án", COPY, True),
        ),
        fee=0,
        fee_note=FREE,
        online="partial",
        organisation=True,
        summary="{org} đầu tư dự án nhà xưởng",
    ),
    DemoProcedure(
        code="1.009646",
        name="Điều chỉnh Giấy chứng nhận đăng ký đầu tư",
        field=DT,
        days=10,
        result="Giấy chứng nhận đăng ký đầu tư (điều chỉnh)",
        unit="TH",
        papers=(
            ("Văn bản đề nghị điều chỉnh dự án đầu tư", ORIG, True),
            ("Báo cáo tình hình triển khai dự án đầu tư đến thời điểm điều chỉnh", ORIG, True),
            ("Quyết định của nhà đầu tư về việc điều chỉnh dự án đầu tư", ORIG, True),
            ("Tài liệu giải trình nội dung điều chỉnh", ORIG, False),
        ),
        fee=0,
        fee_note=FREE,
        online="partial",
        organisation=True,
        summary="{org} điều chỉnh tiến độ dự án",
    ),
    DemoProcedure(
        code="1.009650",
        name="Cấp lại Giấy chứng nhận đăng ký đầu tư",
        field=DT,
        days=5,
        result="Giấy chứng nhận đăng ký đầu tư (cấp lại)",
        unit="TH",
        papers=(("Văn bản đề nghị cấp lại Giấy chứng nhận đăng ký đầu tư", ORIG, True),),
        fee=0,
        fee_note=FREE,
        online="offline",
        review=False,
        organisation=True,
        summary="{org} đề nghị cấp lại Giấy chứng nhận đăng ký đầu tư",
    ),
]


def _names(text: str) -> list[str]:
    return text.split("|")


STEP_NAMES = {
    "receive": "Tiếp nhận, kiểm tra hồ sơ và chuyển phòng chuyên môn",
    "assign": "Lãnh đạo phòng phân công chuyên viên thụ lý",
    "process": "Chuyên viên thẩm định hồ sơ, dự thảo kết quả",
    "review": "Lãnh đạo phòng xem xét, trình ký",
    "approve": "Lãnh đạo Sở phê duyệt, ký kết quả",
    "return": "Chuyển kết quả về bộ phận một cửa, trả cho tổ chức, cá nhân",
}

SURNAMES = _names("Nguyễn|Trần|Lê|Phạm|Hoàng|Huỳnh|Phan|Vũ|Võ|Đặng|Bùi|Đỗ|Hồ|Ngô|Dương|Lý|Trương|Đinh|Mai|Tô")
MIDDLE = _names("Văn|Thị|Minh|Đức|Thu|Ngọc|Quốc|Thanh|Hữu|Kim|Gia|Phương")
GIVEN = _names(
    "An|Bình|Cường|Dũng|Giang|Hà|Hải|Hạnh|Hòa|Hùng|Khánh|Lan|Linh|Long|Mai|Nam|Nga|Phúc|Quân"
    "|Sơn|Tâm|Thảo|Trang|Tuấn|Việt|Yến"
)
COMPANY_KINDS = {
    "2.001610": "Doanh nghiệp tư nhân",
    "2.002039": "Công ty TNHH",
    "2.002040": "Công ty TNHH",
    "2.002041": "Công ty Cổ phần",
    "2.002042": "Công ty Hợp danh",
}
TRADES = _names(
    "Thương mại|Xây dựng|Nông sản|Vận tải|Du lịch|Cơ khí|Thực phẩm|Công nghệ|Dược phẩm|Nội thất"
    "|May mặc|Thủy sản"
)
BRANDS = _names(
    "Minh Khang|An Phát|Hòa Bình|Tân Phú|Phúc Lộc|Sao Mai|Thành Đạt|Việt Hưng|Hưng Thịnh"
    "|Bình Minh|Ngọc Lan|Đông Á|Trường Sơn|Kim Ngân|Phú Gia|Hải Âu"
)
STREETS = _names(
    "Trần Hưng Đạo|Lê Lợi|Nguyễn Du|Quang Trung|Hai Bà Trưng|Lý Thường Kiệt|Nguyễn Trãi"
    "|Phan Chu Trinh|Hùng Vương|Bạch Đằng"
)
WARDS = _names("phường Hòa Bình|phường Tân Thành|phường An Phú|phường Phú Lợi|xã Tân Phú|xã An Lạc")
COMMENTS = {
    5: ["Cán bộ hướng dẫn tận tình, trả kết quả sớm.", "Rất hài lòng.", "Thủ tục nhanh gọn.", ""],
    4: ["Hài lòng.", "Hướng dẫn rõ ràng, thời gian hợp lý.", ""],
    3: ["Phải bổ sung giấy tờ nhiều lần.", "Chờ đợi hơi lâu."],
    2: ["Trả kết quả trễ hẹn."],
}

# The dossiers: (scenario, count). A scenario names where the dossier ends and how it got there.
PLAN = [
    ("submitted", 5),
    ("incomplete_counter", 2),
    ("incomplete_online", 2),
    ("refused_counter", 1),
    ("refused_online", 2),
    ("received", 3),
    ("unit", 4),
    ("processing", 6),
    ("processing_overdue", 3),
    ("processing_extended", 2),
    ("review", 3),
    ("approval", 3),
    ("signing", 2),
    ("supplement", 4),
    ("returning", 3),
    ("returning_refused", 1),
    ("returned_early", 12),
    ("returned_on_time", 8),
    ("returned_late", 4),
    ("returned_extended", 2),
    ("returned_supplement", 3),
    ("returned_refused", 1),
    ("stopped", 3),
]


# ---------------------------------------------------------------------------------------------------
# Time
# ---------------------------------------------------------------------------------------------------


def _working_day(n: int) -> date:
    """The n-th working day before today (0: today, or the last working day before it)."""
    from workflow import calendar

    day = timezone.localdate()
    seen = -1
    while True:
        if calendar.is_working_day(day):
            seen += 1
            if seen >= n:
                return day
        day -= timedelta(days=1)


def _office(day: date, rng: random.Random) -> datetime:
    from workflow import calendar

    minute = rng.choice([rng.randrange(7 * 60 + 40, 11 * 60 + 15), rng.randrange(13 * 60 + 10, 16 * 60 + 45)])
    return datetime.combine(day, time(minute // 60, minute % 60), tzinfo=calendar.local_tz())


def _latest_office_moment(now: datetime) -> datetime:
    """The last moment before ``now`` (less half an hour) that falls in office hours."""
    from workflow import calendar

    hours = calendar.office_hours()
    local = timezone.localtime(now - timedelta(minutes=30))
    day = local.date()
    while True:
        if calendar.is_working_day(day):
            for opening, closing in reversed(hours):
                start = datetime.combine(day, opening, tzinfo=calendar.local_tz())
                end = datetime.combine(day, closing, tzinfo=calendar.local_tz()) - timedelta(minutes=5)
                if local >= end:
                    return end
                if local >= start:
                    return local
        day -= timedelta(days=1)
        local = datetime.combine(day, time(23, 59), tzinfo=calendar.local_tz())


class Clock:
    """Moments of one dossier: increasing, and never later than the last office moment before now (what
    would fall later is done then: nobody works at the counter on Sunday)."""

    def __init__(self, now: datetime):
        self.ceiling = _latest_office_moment(now)
        self.last: datetime | None = None

    def __call__(self, moment: datetime) -> datetime:
        moment = min(moment, self.ceiling)
        if self.last is not None:
            moment = max(moment, self.last + timedelta(minutes=1))
        self.last = moment
        return moment


def _after(moment: datetime, hours: float) -> datetime:
    from workflow import calendar

    return calendar.add_working_hours(moment, hours)


def _between(start: datetime, end: datetime, fraction: float) -> datetime:
    from workflow import calendar

    seconds = calendar.working_seconds_between(start, end) if end > start else 0
    return calendar.add_working_seconds(start, seconds * fraction)


# ---------------------------------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------------------------------


def _pdf(title: str, lines: list[str]) -> bytes:
    from eoffice.output import pdf

    body = "".join(f"<p>{line}</p>" for line in lines)
    html = f"""<html><head><style>
      @page {{ size: A4; margin: 2cm 2cm 2cm 3cm; }}
      body {{ font-family: "{pdf.FAMILY}"; font-size: 13pt; }}
      .nation {{ text-align: center; font-weight: bold; }}
      h1 {{ text-align: center; font-size: 14pt; margin-top: 1.2cm; text-transform: uppercase; }}
    </style></head><body>
      <p class="nation">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>Độc lập - Tự do - Hạnh phúc</p>
      <h1>{title}</h1>{body}</body></html>"""
    return pdf.write(html)


class Files:
    """The few PDFs the demo uploads, rendered once."""

    def __init__(self):
        self._cache: dict[str, bytes] = {}

    def result(self, procedure) -> SimpleUploadedFile:
        name = procedure.result_name
        if name not in self._cache:
            self._cache[name] = _pdf(
                name,
                [
                    "SỞ KẾ HOẠCH VÀ ĐẦU TƯ TỈNH AN HÒA",
                    "Phòng Đăng ký kinh doanh chứng nhận nội dung đăng ký theo hồ sơ đã nộp.",
                    "(Bản dự thảo kết quả giải quyết thủ tục hành chính, dữ liệu dùng thử.)",
                ],
            )
        return SimpleUploadedFile("ket-qua.pdf", self._cache[name], content_type="application/pdf")

    def scan(self) -> SimpleUploadedFile:
        if "scan" not in self._cache:
            self._cache["scan"] = _pdf(
                "Bản chụp giấy tờ", ["Giấy tờ trong hồ sơ nộp trực tuyến (dữ liệu dùng thử)."]
            )
        return SimpleUploadedFile("ban-chup.pdf", self._cache["scan"], content_type="application/pdf")


# ---------------------------------------------------------------------------------------------------
# Catalogue
# ---------------------------------------------------------------------------------------------------


def _step_hours(days: int, review: bool, per_day: Decimal) -> dict[str, Decimal]:
    legal = Decimal(days) * per_day
    if days <= 3:
        hours = {"receive": 2, "assign": 2, "review": 4, "approve": 2, "return": 2}
    elif days <= 5:
        hours = {"receive": 4, "assign": 4, "review": 4, "approve": 4, "return": 4}
    else:
        hours = {"receive": 4, "assign": 8, "review": 8, "approve": 8, "return": 4}
    if not review:
        del hours["review"]
    hours = {kind: Decimal(value) for kind, value in hours.items()}
    hours["process"] = legal - sum(hours.values())
    return hours


def _catalogue(agency, units: dict) -> None:
    from onestop import catalogue
    from onestop.models import STEP_ORDER, Procedure, StepKind
    from workflow import calendar

    per_day = Decimal(calendar.seconds_per_day()) / Decimal(3600)
    have = set(Procedure.objects.filter(agency=agency).values_list("code", flat=True))
    counter = units.get("MC")
    rows = []
    for spec in PROCEDURES:
        if spec.code in have:
            continue
        unit = units.get(spec.unit)
        hours = _step_hours(spec.days, spec.review, per_day)
        steps = [
            catalogue.StepRow(
                kind=kind,
                name=STEP_NAMES[kind],
                department={
                    StepKind.RECEIVE: counter,
                    StepKind.RETURN: counter,
                    StepKind.APPROVE: None,
                }.get(kind, unit),
                hours=hours[kind],
            )
            for kind in STEP_ORDER
            if kind in hours
        ]
        papers = [
            catalogue.PaperRow(order=i, name=name, kind=kind, quantity=1, mandatory=mandatory)
            for i, (name, kind, mandatory) in enumerate(spec.papers, start=1)
        ]
        rows.append(
            catalogue.ProcedureRow(
                code=spec.code,
                name=spec.name,
                field_code=spec.field,
                field_name=FIELDS[spec.field],
                online_level=spec.online,
                time_value=Decimal(spec.days),
                time_unit="days",
                result_name=spec.result,
                fee_amount=spec.fee,
                fee_note=spec.fee_note,
                legal_basis=LAW_DN if spec.field == DN else LAW_DT,
                handling_department=unit,
                papers=papers,
                steps=steps,
            )
        )
    if rows:
        result = catalogue.import_procedures(agency=agency, procedures=rows)
        if not result.ok:
            raise RuntimeError("onestop demo catalogue: " + "; ".join(result.errors))


def _config(agency) -> None:
    from onestop import selectors
    from onestop.models import OnestopConfig

    config = selectors.config_for(agency)
    OnestopConfig.objects.filter(pk=config.pk).update(
        counter_name="Bộ phận Tiếp nhận và Trả kết quả",
        counter_address=f"Tầng 1, {agency.address}" if agency.address else "",
        counter_phone=agency.phone,
        cutoff=time(15, 0),
        supplement_days=10,
    )


# ---------------------------------------------------------------------------------------------------
# Applicants
# ---------------------------------------------------------------------------------------------------


def _person(rng: random.Random) -> str:
    return f"{rng.choice(SURNAMES)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _ascii(text: str) -> str:
    from eoffice.search import fold

    return "".join(ch for ch in fold(text) if ch.isalnum())


def _applicant(rng: random.Random, spec: DemoProcedure, n: int, *, email: bool):
    from onestop import services

    person = _person(rng)
    brand = BRANDS[n % len(BRANDS)]
    trade = TRADES[(n * 7) % len(TRADES)]
    kind = COMPANY_KINDS.get(spec.code, rng.choice(["Công ty TNHH", "Công ty Cổ phần"]))
    org = f"{kind} {trade} {brand}"
    address = f"Số {rng.randrange(2, 250)} đường {rng.choice(STREETS)}, {rng.choice(WARDS)}, tỉnh An Hòa"
    phone = f"09{rng.randrange(10, 99)}{rng.randrange(100000, 999999)}"
    domain = rng.choice(["example.com", "example.org"])
    summary = spec.summary.format(org=org)
    if spec.organisation:
        applicant = services.Applicant(
            name=org,
            kind="organisation",
            id_number=f"99{rng.randrange(10**7, 10**8)}",
            address=address,
            phone=phone,
            email=f"lienhe.{_ascii(brand)}{n}@{domain}" if email else "",
        )
    else:
        applicant = services.Applicant(
            name=person,
            kind="person",
            id_number=f"0{rng.randrange(1, 96):02d}{rng.choice('0123')}{rng.randrange(60, 100) % 100:02d}"
            f"{rng.randrange(10**5, 10**6):06d}",
            address=address,
            phone=phone,
            email=f"{_ascii(person)}{n}@{domain}" if email else "",
        )
    return applicant, summary


# ---------------------------------------------------------------------------------------------------
# Dossiers
# ---------------------------------------------------------------------------------------------------


@dataclass
class Cast:
    onestop: object
    leaders: list
    heads: dict  # department id -> head
    officers: dict  # department id -> officer


class Seeder:
    def __init__(self, agency, cast: Cast, rng: random.Random):
        from onestop.models import Procedure

        self.agency = agency
        self.cast = cast
        self.rng = rng
        self.now = timezone.now()
        self.files = Files()
        self.n = 0
        procedures = list(
            Procedure.objects.filter(agency=agency, is_active=True).select_related("handling_department")
        )
        by_code = {p.code: p for p in procedures}
        self.specs = {p.code: spec for spec in PROCEDURES if (p := by_code.get(spec.code))}
        self.procedures = [by_code[code] for code in self.specs]
        # Procedures whose unit can carry a dossier to the end (a head to assign, an officer to process).
        self.flowing = [
            p
            for p in self.procedures
            if p.handling_department_id in cast.heads and p.handling_department_id in cast.officers
        ]

    # ---- helpers ----

    def pick(self, *, flowing: bool = False, online: bool = False):
        pool = self.flowing if flowing else self.procedures
        if online:
            pool = [p for p in pool if p.accepts_online] or pool
        # Business registrations are most of a Sở's dossiers: weigh them up.
        weights = [4 if p.code in COMPANY_KINDS else 2 if self.specs[p.code].field == DN else 1 for p in pool]
        return self.rng.choices(pool, weights=weights)[0]

    def leader(self):
        return self.rng.choice(self.cast.leaders)

    def papers(self, procedure, *, online: bool = False, drop_mandatory: bool = False):
        from onestop.services import PaperInput

        inputs = []
        dropped = False
        for paper in procedure.papers.all():
            if drop_mandatory and paper.mandatory and not dropped and paper.order > 1:
                dropped = True
                continue
            if not paper.mandatory and self.rng.random() < 0.6:
                continue
            inputs.append(
                PaperInput(
                    name=paper.name,
                    required=paper,
                    kind=paper.kind,
                    quantity=paper.quantity,
                    file=self.files.scan() if online else None,
                )
            )
        return inputs

    def start(self, procedure, *, days_ago: int, online: bool, outcome: str = "valid", clock: Clock):
        """A dossier submitted ``days_ago`` working days ago, at the counter or online, and checked."""
        from onestop import services

        self.n += 1
        online = online and procedure.accepts_online
        applicant, summary = self.applicant(procedure, online=online)
        moment = clock(_office(_working_day(days_ago), self.rng))
        incomplete = outcome == services.OUTCOME_INCOMPLETE
        if online:
            dossier = services.online_submit(
                procedure=procedure,
                applicant=applicant,
                papers=self.papers(procedure, online=True),
                summary=summary,
                now=moment,
            )
            if outcome == "submitted":
                return dossier
            checked = _after(moment, self.rng.uniform(0.3, 3))
            if timezone.localtime(checked).date() != timezone.localtime(moment).date():
                checked = moment + timedelta(minutes=self.rng.randrange(5, 25))
            return services.dossier_check(
                dossier=dossier,
                by=self.cast.onestop,
                now=clock(checked),
                **self.decision(procedure, outcome),
            )
        return services.dossier_receive(
            by=self.cast.onestop,
            procedure=procedure,
            applicant=applicant,
            channel="post" if self.rng.random() < 0.1 else "counter",
            papers=self.papers(procedure, drop_mandatory=incomplete),
            summary=summary,
            now=moment,
            **self.decision(procedure, outcome),
        )

    def decision(self, procedure, outcome: str) -> dict:
        from onestop import services

        if outcome == services.OUTCOME_INCOMPLETE:
            names = [p.name for p in procedure.papers.all() if p.mandatory][-1:]
            return {
                "outcome": outcome,
                "missing": "\n".join(
                    [*names, "Giấy đề nghị cần ghi đầy đủ ngành, nghề kinh doanh theo mã ngành cấp 4."]
                ),
            }
        if outcome == services.OUTCOME_INELIGIBLE:
            return {
                "outcome": outcome,
                "reasons": self.rng.choice(
                    [
                        "Tên doanh nghiệp dự kiến trùng với tên doanh nghiệp đã đăng ký trên Hệ thống "
                        "thông tin quốc gia về đăng ký doanh nghiệp.",
                        "Hồ sơ không thuộc thẩm quyền giải quyết của Sở; đề nghị nộp tại Ủy ban nhân dân "
                        "cấp xã.",
                        "Người ký giấy đề nghị không phải người đại diện theo pháp luật và không có văn bản "
                        "ủy quyền hợp lệ.",
                    ]
                ),
            }
        return {"outcome": outcome}

    def applicant(self, procedure, *, online: bool):
        spec = self.specs[procedure.code]
        return _applicant(self.rng, spec, self.n, email=online or self.rng.random() < 0.45)

    def resolve_at(self, dossier, timing: str) -> datetime:
        """When the result is ready: early (a day or more before the due day), on the due day, or late."""
        from workflow import calendar

        start, due = dossier.clock_start, dossier.due_at
        total = calendar.working_seconds_between(start, due)
        per_day = calendar.seconds_per_day()
        if timing == "early":
            room = max(total - per_day - 1800, 3600)
            return calendar.add_working_seconds(start, room * self.rng.uniform(0.45, 1.0))
        if timing == "on_time":
            return calendar.add_working_seconds(start, total - self.rng.uniform(0.5, 3.5) * 3600)
        return calendar.add_working_seconds(due, self.rng.uniform(2, 14) * 3600)

    # ---- the flow of one received dossier ----

    def pace(self) -> float:
        """How much of its allotted time a quick step takes: mostly less, now and then more."""
        return self.rng.uniform(0.15, 0.95) if self.rng.random() < 0.88 else self.rng.uniform(1.2, 2.5)

    def plan(self, kinds: list[str], hours: dict[str, float], start: datetime, end: datetime) -> dict:
        """When each of these steps ends, from ``start`` to ``end``: the quick steps take about their
        allotted hours, the processing takes what is left (the officer's work is what runs early or late)."""
        from workflow import calendar

        span = calendar.working_seconds_between(start, end) if end > start else 0
        quick = {kind: hours.get(kind, 0) * 3600 * self.pace() for kind in kinds if kind != "process"}
        if "process" in kinds:
            rest = span - sum(quick.values())
            if rest < 1800:  # too tight: everything shrinks to fit
                scale = max(span - 1800, 0) / (sum(quick.values()) or 1)
                quick = {kind: value * scale for kind, value in quick.items()}
                rest = min(1800, span)
            quick["process"] = rest
        moments, acc = {}, 0.0
        for kind in kinds:
            acc += quick[kind]
            moments[kind] = calendar.add_working_seconds(start, acc)
        return moments

    def run(self, dossier, *, stop: str, timing: str = "early", clock: Clock, supplement: bool = False,
            extend: bool = False, refuse: bool = False):  # fmt: skip
        """Carry a received dossier forward with the services until ``stop``."""
        from onestop import services
        from onestop.models import DossierState

        if stop == "received":
            return dossier
        rng = self.rng
        procedure = dossier.procedure
        unit = procedure.handling_department
        head, officer = self.cast.heads.get(unit.pk), self.cast.officers.get(unit.pk)
        onestop = self.cast.onestop
        hours = {s.kind: float(s.hours) for s in procedure.steps.all()}
        review = "review" in hours
        ahead = ["process", "review", "approve"] if review else ["process", "approve"]

        hand = clock(_after(dossier.received_at, hours.get("receive", 2) * rng.uniform(0.1, 0.8)))
        dossier = services.dossier_hand_to_unit(
            dossier=dossier, by=onestop, department=unit, now=hand, note="Chuyển phòng chuyên môn giải quyết."
        )
        if stop == "unit":
            return dossier
        if stop == "supplement_unit":
            return self.ask(dossier, self.leader(), clock(_after(hand, rng.uniform(1, 6))))
        if stop == "stopped_unit":
            return services.dossier_stop(
                dossier=dossier,
                by=self.leader(),
                reason="Tổ chức có văn bản đề nghị rút hồ sơ để hoàn thiện lại dự án.",
                now=clock(_after(hand, rng.uniform(2, 10))),
            )
        target = self.resolve_at(dossier, timing)
        when = self.plan(["assign", *ahead], hours, hand, target)
        assigned = clock(when["assign"])
        dossier = services.dossier_assign(
            dossier=dossier, by=head, officer=officer, now=assigned, note="Đồng chí thụ lý, trình đúng hạn."
        )
        if supplement:
            asked = clock(_between(assigned, when["process"], rng.uniform(0.2, 0.6)))
            self.ask(dossier, officer, asked)
            if stop == "supplement":
                return dossier.__class__.objects.get(pk=dossier.pk)
            if stop == "stopped":
                return services.dossier_stop(
                    dossier=dossier,
                    by=self.leader(),
                    reason="Quá thời hạn bổ sung nhưng tổ chức, cá nhân không bổ sung hồ sơ theo yêu cầu.",
                    now=clock(_after(asked, 8 * 12)),
                )
            answered = clock(_after(asked, 8 * rng.randrange(2, 6) + rng.uniform(0, 6)))
            dossier = services.dossier_supplement_received(
                dossier=dossier,
                by=onestop,
                papers=[services.PaperInput(name="Văn bản giải trình, bổ sung theo yêu cầu", received=True)],
                note="Người nộp đã bổ sung tại bộ phận một cửa.",
                now=answered,
            )
            target = self.resolve_at(dossier, timing)
            when = self.plan(ahead, hours, answered, target)
        if extend:
            extended_at = clock(dossier.due_at - timedelta(hours=3))
            new_due = _after(dossier.due_at, 8 * rng.choice([3, 4, 5]))
            if stop == "processing":
                new_due = max(new_due, _after(self.now, 8 * 3))
            dossier = services.dossier_extend(
                dossier=dossier,
                by=head,
                reason="Hồ sơ cần xác minh thêm thông tin với cơ quan thuế và Ủy ban nhân dân cấp xã nơi "
                "đặt trụ sở; Sở xin lỗi tổ chức, cá nhân và hẹn lại ngày trả kết quả.",
                due_at=new_due,
                now=extended_at,
            )
            target = self.resolve_at(dossier, timing)
            when = self.plan(ahead, hours, extended_at, target)
        if stop == "processing":
            return dossier
        if stop == "stopped":
            return services.dossier_stop(
                dossier=dossier,
                by=onestop,
                reason="Người nộp có đơn đề nghị dừng giải quyết và nhận lại hồ sơ.",
                now=clock(_between(assigned, when["process"], 0.5)),
            )
        if refuse:
            dossier = services.dossier_refuse(
                dossier=dossier,
                by=officer,
                reasons="Ngành, nghề đăng ký thuộc diện kinh doanh có điều kiện nhưng hồ sơ không đáp ứng "
                "điều kiện theo quy định; Sở trả lại hồ sơ và nêu rõ lý do.",
                now=clock(when["process"]),
            )
        else:
            leader = self.leader()
            dossier = services.dossier_submit(
                dossier=dossier,
                by=officer,
                leader=None if review else leader,
                result_file=self.files.result(procedure),
                result_number=f"{rng.randrange(10**9, 10**10)}",
                note="Hồ sơ hợp lệ, đề nghị cấp kết quả.",
                now=clock(when["process"]),
            )
            if review:
                if stop == "review":
                    return dossier
                dossier = services.dossier_forward(
                    dossier=dossier,
                    by=head,
                    leader=leader,
                    note="Kính trình lãnh đạo Sở.",
                    now=clock(when["review"]),
                )
            if stop == "approval":
                return dossier
            dossier = services.dossier_approve(
                dossier=dossier, by=leader, sign=stop == "signing", note="Đồng ý.", now=clock(when["approve"])
            )
            if stop == "signing":
                return dossier
        if stop == "returning":
            return dossier
        # Most results are handed over within the step's time; some wait for the applicant to come.
        pace = rng.uniform(0.2, 0.9) if rng.random() < 0.85 else rng.uniform(1.5, 6)
        rating = rng.choices([5, 4, 3, 2, None], weights=[9, 5, 2, 1 if timing == "late" else 0, 4])[0]
        dossier = services.dossier_hand_over(
            dossier=dossier,
            by=onestop,
            returned_to=dossier.applicant_name if dossier.applicant_kind == "person" else _person(rng),
            note="Đã trả kết quả tại bộ phận một cửa.",
            rating=rating,
            comment=rng.choice(COMMENTS[rating]) if rating else "",
            now=clock(_after(dossier.resolved_at, hours.get("return", 2) * pace)),
        )
        assert dossier.state == DossierState.RETURNED
        return dossier

    def ask(self, dossier, by, moment: datetime):
        from onestop import services

        services.dossier_request_supplement(
            dossier=dossier,
            by=by,
            content=self.rng.choice(
                [
                    "Bổ sung bản sao giấy tờ pháp lý của thành viên góp vốn còn thiếu.",
                    "Điều lệ công ty cần có đầy đủ chữ ký của các thành viên; đề nghị nộp lại.",
                    "Giải trình nguồn vốn góp và bổ sung xác nhận số dư tài khoản.",
                    "Bổ sung văn bản ủy quyền có chữ ký của người đại diện theo pháp luật.",
                ]
            ),
            now=moment,
        )
        return dossier.__class__.objects.get(pk=dossier.pk)

    # ---- scenarios ----

    def others(self) -> list:
        """Procedures whose unit cannot carry a dossier past the assignment (no head or no officer)."""
        return [p for p in self.procedures if p not in self.flowing]

    def scenario(self, name: str, i: int):
        """The i-th dossier of scenario ``name``."""
        from onestop import rules, services

        clock = Clock(self.now)
        rng = self.rng
        if name == "submitted":
            procedure = self.pick(online=True)
            return self.start(procedure, days_ago=rng.choice([0, 0, 1]), online=True, outcome="submitted",
                              clock=clock)  # fmt: skip
        if name.startswith("incomplete") or name.startswith("refused"):
            outcome = (
                services.OUTCOME_INCOMPLETE if name.startswith("incomplete") else services.OUTCOME_INELIGIBLE
            )
            online = name.endswith("online")
            procedure = self.pick(online=online)
            return self.start(
                procedure, days_ago=rng.randrange(1, 40), online=online, outcome=outcome, clock=clock
            )
        if name == "received":
            procedure = self.pick()
            return self.start(procedure, days_ago=0, online=rng.random() < 0.5, clock=clock)
        if name == "unit":
            procedure = rng.choice(self.others()) if i % 2 == 0 and self.others() else self.pick(flowing=True)
            dossier = self.start(
                procedure, days_ago=rng.randrange(0, 2), online=rng.random() < 0.4, clock=clock
            )
            return self.run(dossier, stop="unit", clock=clock)

        flowing = self.pick(flowing=True)
        online = rng.random() < 0.35
        if name == "processing":
            dossier = self.start(flowing, days_ago=rng.randrange(0, 2), online=online, clock=clock)
            return self.run(dossier, stop="processing", timing="on_time", clock=clock)
        if name == "processing_overdue":
            days = _days(flowing) + rng.randrange(1, 5)
            dossier = self.start(flowing, days_ago=days, online=online, clock=clock)
            return self.run(dossier, stop="processing", timing="early", clock=clock)
        if name == "processing_extended":
            dossier = self.start(flowing, days_ago=_days(flowing), online=online, clock=clock)
            return self.run(dossier, stop="processing", timing="early", clock=clock, extend=True)
        if name in ("review", "approval", "signing"):
            pool = [p for p in self.flowing if rules.has_review(p)] if name == "review" else self.flowing
            procedure = rng.choice(pool or self.flowing)
            dossier = self.start(procedure, days_ago=_days(procedure) - 1, online=online, clock=clock)
            return self.run(dossier, stop=name, timing="early", clock=clock)
        if name == "supplement":
            if i == 0 and self.others():
                procedure = rng.choice(self.others())
                dossier = self.start(procedure, days_ago=rng.randrange(2, 6), online=False, clock=clock)
                return self.run(dossier, stop="supplement_unit", clock=clock)
            dossier = self.start(flowing, days_ago=rng.randrange(1, 8), online=online, clock=clock)
            return self.run(dossier, stop="supplement", timing="on_time", clock=clock, supplement=True)
        if name.startswith("returning"):
            dossier = self.start(flowing, days_ago=_days(flowing) + rng.randrange(0, 3), online=online,
                                 clock=clock)  # fmt: skip
            return self.run(
                dossier, stop="returning", timing="early", clock=clock, refuse=name.endswith("refused")
            )
        if name == "stopped":
            kind = i % 3
            if kind == 0 and self.others():
                procedure = rng.choice(self.others())
                dossier = self.start(procedure, days_ago=rng.randrange(10, 40), online=False, clock=clock)
                return self.run(dossier, stop="stopped_unit", clock=clock)
            dossier = self.start(flowing, days_ago=rng.randrange(15, 55), online=online, clock=clock)
            return self.run(dossier, stop="stopped", clock=clock, supplement=kind == 1)
        # returned_*
        days = rng.randrange(_days(flowing) + 3, 64)
        dossier = self.start(flowing, days_ago=days, online=online, clock=clock)
        timing = {"returned_on_time": "on_time", "returned_late": "late"}.get(name, "early")
        if name == "returned_extended":
            timing = "on_time"
        return self.run(
            dossier,
            stop="returned",
            timing=timing,
            clock=clock,
            extend=name == "returned_extended",
            supplement=name == "returned_supplement",
            refuse=name == "returned_refused",
        )


def _days(procedure) -> int:
    return int(procedure.time_value)


def _cast(agency) -> Cast | None:
    from eoffice.models import Role, User

    staff = list(User.objects.filter(agency=agency, is_active=True).select_related("department"))
    onestop = [u for u in staff if u.has_role(Role.ONESTOP_OFFICER)]
    leaders = [u for u in staff if u.has_role(Role.LEADER)]
    if not onestop or not leaders:
        return None
    heads, officers = {}, {}
    for user in sorted(staff, key=lambda u: u.username):
        if user.department_id and user.has_role(Role.DEPARTMENT_HEAD):
            heads.setdefault(user.department_id, user)
        if user.department_id and user.has_role(Role.OFFICER):
            officers.setdefault(user.department_id, user)
    return Cast(onestop=onestop[0], leaders=leaders, heads=heads, officers=officers)


@contextmanager
def _no_mail():
    """Seeded events are in the past: no applicant email and no notification email is queued."""
    with (
        mock.patch("onestop.services.core.APPLICANT_EMAILS", False),
        mock.patch("eoffice.notifications.dispatch_email", lambda notifications: None),
    ):
        yield


def _settle_notifications(agency, since: datetime) -> None:
    """Mark read what the seeding notified about dossiers that have since moved on."""
    from eoffice import services as core
    from eoffice.models import Notification, Role
    from onestop.models import Dossier, DossierState

    dossiers = {
        d.get_absolute_url(): d
        for d in Dossier.objects.filter(agency=agency).only("pk", "state", "holder_id", "department_id")
    }
    fresh = Notification.objects.filter(
        kind__startswith="onestop.", recipient__agency=agency, read_at__isnull=True, created_at__gte=since
    ).select_related("recipient")
    for note in fresh:
        dossier, user = dossiers.get(note.url), note.recipient
        current = dossier is not None and (
            dossier.holder_id == user.pk
            or (dossier.state == DossierState.SUBMITTED and user.has_role(Role.ONESTOP_OFFICER))
            or (
                dossier.state == DossierState.UNIT
                and dossier.department_id == user.department_id
                and user.has_role(Role.DEPARTMENT_HEAD)
            )
        )
        if not current:
            core.notification_mark_read(user=user, notification=note)


def seed_onestop(stdout) -> None:
    from eoffice.demo import SKHDT
    from eoffice.models import Agency, Department
    from onestop.models import Dossier

    agency = Agency.objects.filter(code=SKHDT).first()
    if agency is None or Dossier.objects.filter(agency=agency).exists():
        return
    cast = _cast(agency)
    if cast is None:
        return
    units = {d.abbreviation: d for d in Department.objects.filter(agency=agency)}
    since = timezone.now()
    _catalogue(agency, units)
    _config(agency)
    seeder = Seeder(agency, cast, random.Random(2026))  # noqa: S311 - demo data
    if not seeder.flowing:
        return
    created = 0
    with _no_mail():
        for name, count in PLAN:
            for i in range(count):
                seeder.scenario(name, i)
                created += 1
    _settle_notifications(agency, since)
    stdout.write(f"onestop: {len(seeder.procedures)} thủ tục, {created} hồ sơ một cửa mẫu\n")
