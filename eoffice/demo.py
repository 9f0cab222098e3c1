"""Demo data: a fictional province, "tỉnh An Hòa", with its People's Committee and three departments.

``manage.py seed_demo`` (run by ``make run`` at every start) loads it. It is idempotent: rows are found
by their natural key (agency code, department abbreviation within the agency, username) and are only
written when they are missing or differ from the data below; a second run writes nothing. Passwords
of existing accounts are never changed unless ``--reset-passwords`` is given. Images (signatures and
seals) are drawn only when missing.

The data is fictional: tỉnh An Hòa does not exist, its agency codes use the unassigned province code
H99, and every person is invented. It is not any real agency's data.

Extending the demo from another app
-----------------------------------
The definitions are plain data at the top of this module. Another app may add to them and may register
a seeder that runs after the core data, in the same transaction, from its ``AppConfig.ready``::

    from eoffice import demo

    def seed_documents(stdout) -> None:
        admin = demo.installation_admin()
        ...  # must be idempotent too: find by a natural key, create only what is missing

    demo.register_seeder(seed_documents)

Seeders run in the order they were registered and take one argument, the command's ``stdout``.

This module imports no Django models at module level: ``demo_accounts()`` is called by the launcher
before Django is set up, to print the accounts; it therefore lists only the accounts defined here.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TextIO

DEMO_PASSWORD = "Eoffice@2026"  # noqa: S105 — shared demo password, published in README.md on purpose
EMAIL_DOMAIN = "anhoa.gov.vn"
PLACE_NAME = "An Hòa"
PROVINCE = f"tỉnh {PLACE_NAME}"

# The labels of eoffice.models.Role, kept here as plain text so that this module needs no Django setup
# (tests check that they are the same).
ROLE_LABELS = {
    "clerk": "Văn thư",
    "leader": "Lãnh đạo",
    "department_head": "Trưởng/Phó đơn vị",
    "officer": "Chuyên viên",
    "onestop_officer": "Cán bộ một cửa",
    "agency_admin": "Quản trị cơ quan",
    "archivist": "Lưu trữ cơ quan",
    "format_reviewer": "Kiểm tra thể thức (Văn phòng)",
}


@dataclass(frozen=True)
class DemoDepartment:
    abbreviation: str
    name: str
    parent: str | None = None  # abbreviation of the parent unit in the same agency (one level only)


@dataclass(frozen=True)
class DemoAgency:
    code: str
    name: str
    abbreviation: str
    parent: str | None  # code of the parent agency
    address: str
    phone: str
    email: str
    seal_text: str  # written around the ring of the seal
    departments: tuple[DemoDepartment, ...] = field(default_factory=tuple)
    place_name: str = PLACE_NAME


@dataclass(frozen=True)
class DemoStaff:
    username: str
    full_name: str
    position: str
    agency: str  # agency code
    roles: tuple[str, ...]
    department: str | None = None  # department abbreviation
    phone: str = ""
    is_staff: bool = False
    email_domain: str = EMAIL_DOMAIN

    @property
    def email(self) -> str:
        return f"{self.username}@{self.email_domain}"


def _so_departments(*specialised: DemoDepartment) -> tuple[DemoDepartment, ...]:
    """The units every Sở has: the office with its one-stop counter, the specialised units, inspection."""
    return (
        DemoDepartment("VP", "Văn phòng"),
        DemoDepartment("MC", "Bộ phận một cửa", parent="VP"),
        *specialised,
        DemoDepartment("TTr", "Thanh tra Sở"),
    )


UBND = "000.00.00.H99"
SKHDT = "000.00.05.H99"
STTTT = "000.00.11.H99"
STP = "000.00.07.H99"

# Parents before children.
AGENCIES: list[DemoAgency] = [
    DemoAgency(
        code=UBND,
        name=f"Ủy ban nhân dân {PROVINCE}",
        abbreviation="UBND",
        parent=None,
        address=f"Số 1 đường Trần Hưng Đạo, phường Hòa Bình, {PROVINCE}",
        phone="0200 3851 000",
        email=f"ubnd@{EMAIL_DOMAIN}",
        seal_text=f"Ủy ban nhân dân {PROVINCE}",
        departments=(
            DemoDepartment("VP", "Văn phòng"),
            DemoDepartment("TH", "Phòng Tổng hợp", parent="VP"),
            DemoDepartment("KT", "Phòng Kinh tế", parent="VP"),
            DemoDepartment("HCTC", "Phòng Hành chính - Tổ chức", parent="VP"),
            DemoDepartment("BTCD", "Ban Tiếp công dân", parent="VP"),
        ),
    ),
    DemoAgency(
        code=SKHDT,
        name="Sở Kế hoạch và Đầu tư",
        abbreviation="SKHĐT",
        parent=UBND,
        address=f"Số 12 đường Lê Lợi, phường Hòa Bình, {PROVINCE}",
        phone="0200 3852 100",
        email=f"skhdt@{EMAIL_DOMAIN}",
        seal_text=f"Sở Kế hoạch và Đầu tư {PROVINCE}",
        departments=_so_departments(
            DemoDepartment("TH", "Phòng Tổng hợp"),
            DemoDepartment("ĐKKD", "Phòng Đăng ký kinh doanh"),
        ),
    ),
    DemoAgency(
        code=STTTT,
        name="Sở Thông tin và Truyền thông",
        abbreviation="STTTT",
        parent=UBND,
        address=f"Số 25 đường Nguyễn Du, phường Hòa Bình, {PROVINCE}",
        phone="0200 3853 200",
        email=f"stttt@{EMAIL_DOMAIN}",
        seal_text=f"Sở Thông tin và Truyền thông {PROVINCE}",
        departments=_so_departments(
            DemoDepartment("CNTT", "Phòng Công nghệ thông tin"),
            DemoDepartment("BCVT", "Phòng Bưu chính, Viễn thông"),
            DemoDepartment("TTBCXB", "Phòng Thông tin - Báo chí - Xuất bản"),
        ),
    ),
    DemoAgency(
        code=STP,
        name="Sở Tư pháp",
        abbreviation="STP",
        parent=UBND,
        address=f"Số 8 đường Quang Trung, phường Tân Thành, {PROVINCE}",
        phone="0200 3854 300",
        email=f"stp@{EMAIL_DOMAIN}",
        seal_text=f"Sở Tư pháp {PROVINCE}",
        departments=_so_departments(
            DemoDepartment("HCTP", "Phòng Hành chính tư pháp"),
            DemoDepartment("XDKTVB", "Phòng Xây dựng và kiểm tra văn bản"),
        ),
    ),
]

# Role codes (the values of eoffice.models.Role).
CLERK, LEADER, HEAD, OFFICER = "clerk", "leader", "department_head", "officer"
ONESTOP, ADMIN = "onestop_officer", "agency_admin"

STAFF: list[DemoStaff] = [
    # Ủy ban nhân dân tỉnh
    DemoStaff("chutich.ubnd", "Nguyễn Văn Thành", "Chủ tịch", UBND, (LEADER,), phone="0200 3851 001"),
    DemoStaff("phochutich.ubnd", "Lê Thị Minh Hằng", "Phó Chủ tịch", UBND, (LEADER,), phone="0200 3851 002"),
    DemoStaff(
        "chanhvanphong.ubnd", "Trần Quốc Khánh", "Chánh Văn phòng", UBND, (HEAD, "format_reviewer"), "VP",
        "0200 3851 010"
    ),
    DemoStaff("vanthu.ubnd", "Phạm Thị Thu Trang", "Văn thư", UBND, (CLERK,), "HCTC", "0200 3851 011"),
    DemoStaff("chuyenvien.ubnd", "Hoàng Văn Long", "Chuyên viên", UBND, (OFFICER,), "TH", "0200 3851 012"),
    DemoStaff(
        "quantri.ubnd", "Đỗ Minh Quân", "Chuyên viên công nghệ thông tin", UBND, (ADMIN,), "HCTC",
        "0200 3851 013", is_staff=True,
    ),
    # Sở Kế hoạch và Đầu tư
    DemoStaff("giamdoc.skhdt", "Vũ Đức Thắng", "Giám đốc", SKHDT, (LEADER,), phone="0200 3852 101"),
    DemoStaff("phogiamdoc.skhdt", "Ngô Thị Lan Anh", "Phó Giám đốc", SKHDT, (LEADER,), phone="0200 3852 102"),
    DemoStaff(
        "truongphong.skhdt", "Bùi Văn Hải", "Trưởng phòng Đăng ký kinh doanh", SKHDT, (HEAD,), "ĐKKD",
        "0200 3852 110",
    ),
    DemoStaff("vanthu.skhdt", "Đặng Thị Hương", "Văn thư", SKHDT, (CLERK,), "VP", "0200 3852 111"),
    DemoStaff("chuyenvien.skhdt", "Phan Minh Đức", "Chuyên viên", SKHDT, (OFFICER,), "ĐKKD", "0200 3852 112"),
    DemoStaff("chuyenvien2.skhdt", "Trịnh Thị Mai", "Chuyên viên", SKHDT, (OFFICER,), "TH", "0200 3852 113"),
    DemoStaff(
        "chanhthanhtra.skhdt", "Nguyễn Thị Thu Hà", "Chánh Thanh tra", SKHDT, (HEAD,), "TTr", "0200 3852 120"
    ),
    DemoStaff("thanhtra.skhdt", "Lê Văn Hùng", "Thanh tra viên", SKHDT, (OFFICER,), "TTr", "0200 3852 121"),
    DemoStaff(
        "thanhtra2.skhdt", "Trần Thị Ngọc Diệp", "Thanh tra viên", SKHDT, (OFFICER,), "TTr", "0200 3852 122"
    ),
    DemoStaff(
        "motcua.skhdt", "Lý Thị Ngọc Ánh", "Cán bộ tiếp nhận và trả kết quả", SKHDT, (ONESTOP,), "MC",
        "0200 3852 114",
    ),
    DemoStaff(
        "quantri.skhdt", "Hồ Quang Minh", "Chuyên viên Văn phòng", SKHDT, (ADMIN, "format_reviewer"), "VP",
        "0200 3852 115",
        is_staff=True,
    ),
    DemoStaff(
        "luutru.skhdt", "Cao Thị Thanh Loan", "Chuyên viên lưu trữ", SKHDT, ("archivist",), "VP",
        "0200 3852 116",
    ),
    # Sở Thông tin và Truyền thông
    DemoStaff("giamdoc.stttt", "Dương Văn Tùng", "Giám đốc", STTTT, (LEADER,), phone="0200 3853 201"),
    DemoStaff(
        "phogiamdoc.stttt", "Mai Thị Thanh Thủy", "Phó Giám đốc", STTTT, (LEADER,), phone="0200 3853 202"
    ),
    DemoStaff(
        "truongphong.stttt", "Lương Quốc Việt", "Trưởng phòng Công nghệ thông tin", STTTT, (HEAD,), "CNTT",
        "0200 3853 210",
    ),
    DemoStaff("vanthu.stttt", "Tạ Thị Bích Ngọc", "Văn thư", STTTT, (CLERK,), "VP", "0200 3853 211"),
    DemoStaff("chuyenvien.stttt", "Cao Minh Tâm", "Chuyên viên", STTTT, (OFFICER,), "CNTT", "0200 3853 212"),
    DemoStaff(
        "motcua.stttt", "Đinh Thị Hồng Nhung", "Cán bộ tiếp nhận và trả kết quả", STTTT, (ONESTOP,), "MC",
        "0200 3853 213",
    ),
    DemoStaff(
        "quantri.stttt", "Kiều Văn Nam", "Chuyên viên Văn phòng", STTTT, (ADMIN, "format_reviewer"), "VP",
        "0200 3853 214",
        is_staff=True,
    ),
    DemoStaff(
        "luutru.stttt", "Mai Thị Hồng Nhung", "Chuyên viên lưu trữ", STTTT, ("archivist",), "VP",
        "0200 3853 216",
    ),
    # Sở Tư pháp
    DemoStaff("giamdoc.stp", "Tô Văn Bình", "Giám đốc", STP, (LEADER,), phone="0200 3854 301"),
    DemoStaff(
        "truongphong.stp", "Châu Thị Kim Oanh", "Trưởng phòng Hành chính tư pháp", STP, (HEAD,), "HCTP",
        "0200 3854 310",
    ),
    DemoStaff("vanthu.stp", "Lâm Thị Hoa", "Văn thư", STP, (CLERK,), "VP", "0200 3854 311"),
    DemoStaff("chuyenvien.stp", "Quách Văn Phúc", "Chuyên viên", STP, (OFFICER,), "HCTP", "0200 3854 312"),
    DemoStaff(
        "motcua.stp", "Văn Thị Yến", "Cán bộ tiếp nhận và trả kết quả", STP, (ONESTOP,), "MC", "0200 3854 313"
    ),
    DemoStaff(
        "quantri.stp", "Huỳnh Tấn Lộc", "Chuyên viên Văn phòng", STP, (ADMIN, "format_reviewer"), "VP",
        "0200 3854 314",
        is_staff=True,
    ),
    DemoStaff(
        "luutru.stp", "Đoàn Minh Tâm", "Chuyên viên lưu trữ", STP, ("archivist",), "VP", "0200 3854 316",
    ),
]  # fmt: skip

SUPERUSER = {
    "username": "admin",
    "full_name": "Quản trị hệ thống",
    "email": f"admin@{EMAIL_DOMAIN}",
    "role_label": "Quản trị toàn hệ thống",
}

SEED_LOCK_KEY = 0x656F_6465_6D6F  # PostgreSQL advisory lock held while seeding ("eodemo")

Seeder = Callable[[TextIO], None]
SEEDERS: list[Seeder] = []
LAST_SEEDERS: list[Seeder] = []  # those of SEEDERS that run after the others
# Roles given after the seeders: once the office's format reviewers exist, the outgoing drafts the seeders
# approve would wait for the format check instead of reaching their signer.
LATE_ROLES = frozenset({"format_reviewer"})


def register_seeder(seeder: Seeder, *, last: bool = False) -> Seeder:
    """Run ``seeder(stdout)`` after the core demo data (once, however often this is called); ``last``: after
    every other seeder (one that changes how the others' records flow, e.g. naming format reviewers)."""
    if seeder not in SEEDERS:
        SEEDERS.append(seeder)
    if last and seeder not in LAST_SEEDERS:
        LAST_SEEDERS.append(seeder)
    return seeder


PROVINCES = (1, 2)


def province_from_env() -> int:
    """The demo province this installation seeds: ``EOFFICE_DEMO_PROVINCE`` (1, the default, is tỉnh An Hòa;
    2 is tỉnh Bình Sơn of ``eoffice.demo_province2``, the other end of the exchange demo)."""
    import os

    value = os.environ.get("EOFFICE_DEMO_PROVINCE", "").strip() or "1"
    if not value.isdigit() or int(value) not in PROVINCES:
        raise ValueError(f"EOFFICE_DEMO_PROVINCE must be one of {PROVINCES}, not {value!r}")
    return int(value)


def dataset(province: int = 1) -> tuple[list[DemoAgency], list[DemoStaff], dict[str, str]]:
    """The agencies, staff and superuser of demo ``province`` (1: this module's data)."""
    if province == 2:
        from eoffice import demo_province2 as data

        return data.AGENCIES, data.STAFF, data.SUPERUSER
    if province != 1:
        raise ValueError(f"unknown demo province {province!r}")
    return AGENCIES, STAFF, SUPERUSER


def _agency_names(province: int = 1) -> dict[str, str]:
    return {agency.code: agency.name for agency in dataset(province)[0]}


def role_label(person: DemoStaff) -> str:
    """ "Lãnh đạo (Giám đốc)": the roles, with the position when it says more."""
    roles = ", ".join(ROLE_LABELS[code] for code in person.roles)
    return roles if person.position == roles else f"{roles} ({person.position})"


def demo_accounts(province: int = 1) -> list[dict[str, str]]:
    """The demo accounts as the launcher and README.md show them (no Django needed)."""
    names = _agency_names(province)
    _agencies, staff, superuser = dataset(province)
    accounts = [
        {
            "username": superuser["username"],
            "password": DEMO_PASSWORD,
            "role_label": superuser["role_label"],
            "agency": "—",
        }
    ]
    accounts += [
        {
            "username": person.username,
            "password": DEMO_PASSWORD,
            "role_label": role_label(person),
            "agency": names[person.agency],
        }
        for person in staff
    ]
    return accounts


def demo_accounts_markdown() -> str:
    """The accounts table of README.md: ``python -c 'from eoffice.demo import *; print(demo_…())'``."""
    lines = [
        "| Tên đăng nhập (username) | Mật khẩu (password) | Vai trò (role) | Cơ quan (agency) |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| `{a['username']}` | `{a['password']}` | {a['role_label']} | {a['agency']} |"
        for a in demo_accounts()
    ]
    return "\n".join(lines)


# --- seeding (needs Django) ----------------------------------------------------------------------


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)
    updated: dict[str, int] = field(default_factory=dict)
    roles_set: int = 0
    images: int = 0
    passwords_reset: int = 0

    def count(self, kind: str, status: str) -> None:
        if status in {"created", "updated"}:
            bucket = getattr(self, status)
            bucket[kind] = bucket.get(kind, 0) + 1

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.roles_set or self.images or self.passwords_reset)


def _upsert(model, *, lookup: dict, values: dict, on_create: Callable | None = None):
    """Find the row by ``lookup``; create it, or write only the fields of ``values`` that differ."""
    obj = model.objects.select_for_update().filter(**lookup).first()
    if obj is None:
        obj = model(**lookup, **values)
        if on_create:
            on_create(obj)
        obj.full_clean()
        obj.save()
        return obj, "created"
    changed = []
    for name, value in values.items():
        model_field = model._meta.get_field(name)
        new = value.pk if model_field.is_relation and value is not None else value
        if getattr(obj, model_field.attname) != new:
            setattr(obj, name, value)
            changed.append(name)
    if changed:
        obj.full_clean()
        obj.save(update_fields=changed)
    return obj, "updated" if changed else "unchanged"


def _image_missing(field_file) -> bool:
    return not field_file or not field_file.storage.exists(field_file.name)


def _store_image(instance, field_name: str, data: bytes) -> None:
    """Save ``data`` in the image field under the name its ``upload_to`` gives, replacing a stale file."""
    from django.core.files.base import ContentFile

    field_file = getattr(instance, field_name)
    name = field_file.field.generate_filename(instance, f"{field_name}.png")
    if field_file.storage.exists(name):
        field_file.storage.delete(name)
    field_file.save(name.rsplit("/", 1)[-1], ContentFile(data), save=False)
    instance.save(update_fields=[field_name])


def installation_admin():
    """The demo's installation superuser (for seeders that need an actor)."""
    from eoffice.models import User

    return User.objects.get(username=SUPERUSER["username"])


def seed(*, stdout: TextIO, reset_passwords: bool = False, province: int = 1) -> SeedReport:
    """Load the demo data of ``province``, then (province 1 only: their data is tỉnh An Hòa's) run the
    registered seeders; all in one transaction."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction

    from eoffice import services
    from eoffice.demo_images import seal_png, signature_png
    from eoffice.models import Agency, AgencyRole, Department, User

    agency_specs, staff_specs, superuser = dataset(province)
    report = SeedReport()
    # One hash for every demo account: the password is public anyway, and hashing it 28 times would
    # make the first start of `make run` slow for nothing.
    password_hash = make_password(DEMO_PASSWORD)

    def set_password(user) -> None:
        user.password = password_hash

    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Two processes seeding at once (two web containers starting together) take turns.
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_xact_lock(%s)", [SEED_LOCK_KEY])
        admin, status = _upsert(
            User,
            lookup={"username": superuser["username"]},
            values={
                "full_name": superuser["full_name"],
                "email": superuser["email"],
                "is_superuser": True,
                "is_staff": True,
            },
            on_create=set_password,
        )
        report.count("users", status)
        users = [admin]
        late: list[tuple[User, tuple[str, ...]]] = []

        agencies: dict[str, Agency] = {}
        departments: dict[tuple[str, str], Department] = {}
        for spec in agency_specs:
            agency, status = _upsert(
                Agency,
                lookup={"code": spec.code},
                values={
                    "name": spec.name,
                    "abbreviation": spec.abbreviation,
                    "parent": agencies[spec.parent] if spec.parent else None,
                    "place_name": spec.place_name,
                    "address": spec.address,
                    "phone": spec.phone,
                    "email": spec.email,
                },
            )
            report.count("agencies", status)
            agencies[spec.code] = agency
            for order, unit in enumerate(spec.departments, start=1):
                department, status = _upsert(
                    Department,
                    lookup={"agency": agency, "abbreviation": unit.abbreviation},
                    values={
                        "name": unit.name,
                        "parent": departments[spec.code, unit.parent] if unit.parent else None,
                        "order": order,
                    },
                )
                report.count("departments", status)
                departments[spec.code, unit.abbreviation] = department
            if _image_missing(agency.seal_image):
                _store_image(agency, "seal_image", seal_png(spec.seal_text, spec.place_name))
                report.images += 1

        for person in staff_specs:
            user, status = _upsert(
                User,
                lookup={"username": person.username},
                values={
                    "full_name": person.full_name,
                    "email": person.email,
                    "position": person.position,
                    "phone": person.phone,
                    "agency": agencies[person.agency],
                    "department": departments[person.agency, person.department]
                    if person.department
                    else None,
                    "is_staff": person.is_staff,
                    "is_superuser": False,
                },
                on_create=set_password,
            )
            report.count("users", status)
            users.append(user)
            held = set(AgencyRole.objects.filter(group__user=user).values_list("agency_id", "role"))
            # a role that changes how the seeders' records flow is given after them (LATE_ROLES), and kept
            # when already held, so that seeding twice changes nothing
            roles = tuple(r for r in person.roles if r not in LATE_ROLES or (user.agency_id, r) in held)
            if held != {(user.agency_id, role) for role in roles}:
                services.staff_set_roles(user=user, roles=roles, by=admin)
                report.roles_set += 1
            if roles != person.roles:
                late.append((user, person.roles))
            if _image_missing(user.signature_image):
                _store_image(user, "signature_image", signature_png(person.full_name))
                report.images += 1

        if reset_passwords:
            for user in users:
                set_password(user)
                user.save(update_fields=["password"])
            report.passwords_reset = len(users)

        for seeder in sorted(SEEDERS, key=LAST_SEEDERS.__contains__) if province == 1 else ():
            seeder(stdout)
        for user, roles in late:  # a seeder may have given them already (the format check's own draft)
            held = set(AgencyRole.objects.filter(group__user=user).values_list("role", flat=True))
            if held != set(roles):
                services.staff_set_roles(user=user, roles=roles, by=admin)
                report.roles_set += 1
    return report
