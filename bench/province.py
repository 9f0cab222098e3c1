"""Generator of a province-scale database for the page benchmark (``bench/pages.py``).

    psql -h 127.0.0.1 -U postgres -c 'create database eo_bench_1m'
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/eo_bench_1m REDIS_URL=redis://127.0.0.1:6379/13 \
        .venv/bin/python bench/province.py --docs 1000000 [--reset] [--seed 2026]

Loads a fictional province (tỉnh An Hòa, agency codes …H99): 300 agencies (UBND tỉnh, the Sở and ban
ngành, UBND huyện with their phòng, UBND xã, chi cục, trung tâm, schools …), their units and 20,000 staff
with roles (groups per agency and role), registers, and ``--docs`` documents over the 5 years ending today
(70 % incoming, 30 % outgoing), each with the assignments and history rows its life produced: the state of
a document is where "now" falls in its own timeline (received → registered → directed → handed to an
officer → started → finished), so old documents are archived (early, on time or late), recent ones are
open, a few are still awaiting registration or direction, some are overdue, returned or recalled.

Rows are streamed with psycopg 3 ``COPY … FROM STDIN`` (one connection per table, so PostgreSQL parses
and indexes on the second core while Python composes rows); the column list of every COPY is built from
the model's ``_meta`` (concrete, non-generated fields; defaults for the fields not set here). By default
the secondary indexes and the foreign keys and unique constraints of the big tables are dropped before
the load and re-created after it (``--keep-indexes`` loads with them in place). Then ANALYZE (VACUUM
ANALYZE of the big tables), identity sequences set, register counters written, and the benchmark personas
chosen (table ``bench_meta`` and ``bench/results/province-<scale>.json``).

Deterministic for a given ``--seed``, ``--docs``, ``--agencies`` and ``--users``; the organisation does not
depend on ``--docs``, so the same people exist at every scale and only the documents grow.
Holidays are not modelled (working days are Monday to Friday).
"""

from __future__ import annotations

import argparse
import bisect
import json
import math
import os
import platform
import random
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from datetime import timezone as dt_timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

from bench import province_data as V  # noqa: E402

RESULTS = ROOT / "bench" / "results"
PASSWORD = "Eoffice@2026"  # noqa: S105 - the demo password, so the lead can log in as any persona
PERSONA_AGENCY = "SKHĐT"
PERSONA_UNIT = "TH"

# --------------------------------------------------------------------------------------------------
# Working time: t = working-day index + fraction of the office day (07:30–17:00, Vietnam time)
# --------------------------------------------------------------------------------------------------

LOCAL = dt_timezone(timedelta(hours=7))
BASE_MONDAY = date(2000, 1, 3)
OFFICE_START_MIN = 7 * 60 + 30
OFFICE_MIN = 570  # 07:30 → 17:00
END_OF_DAY = 0.99999


class Clock:
    """Fast conversions between working time ``t`` and aware datetimes (weekends skipped)."""

    def __init__(self, now: datetime):
        self.now = now
        self.t_now = self.from_dt(now)
        # A threshold at the close of office (17:00) is already past when "now" is after it (evening,
        # weekend): the moment reminder levels are computed at.
        self.t_levels = math.floor(self.t_now) + 1.0 if self.t_now % 1 >= END_OF_DAY - 1e-9 else self.t_now
        self.k0 = int(self.t_now) - 5 * 262 - 30
        self._days = [self._day_start(k) for k in range(self.k0, int(self.t_now) + 400)]
        self._min = timedelta(minutes=1)

    @staticmethod
    def day_of(k: int) -> date:
        w, r = divmod(k, 5)
        return BASE_MONDAY + timedelta(days=7 * w + r)

    def _day_start(self, k: int) -> datetime:
        d = self.day_of(k)
        return datetime(d.year, d.month, d.day, 7, 30, tzinfo=LOCAL)

    @staticmethod
    def index_of(d: date) -> tuple[int, bool]:
        w, r = divmod((d - BASE_MONDAY).days, 7)
        if r >= 5:
            return 5 * w + 4, False
        return 5 * w + r, True

    def from_dt(self, dt: datetime) -> float:
        local = dt.astimezone(LOCAL)
        k, working = self.index_of(local.date())
        if not working:
            return k + END_OF_DAY
        minutes = local.hour * 60 + local.minute - OFFICE_START_MIN
        if minutes < 0:
            return k - 1 + END_OF_DAY
        if minutes >= OFFICE_MIN:
            return k + END_OF_DAY
        return k + minutes / OFFICE_MIN

    def day(self, k: int) -> datetime:
        i = k - self.k0
        if 0 <= i < len(self._days):
            return self._days[i]
        return self._day_start(k)

    def dt(self, t: float) -> datetime:
        k = int(t)
        return self.day(k) + timedelta(minutes=(t - k) * OFFICE_MIN)

    def eod(self, k: int) -> datetime:
        """Close of office (17:00) of working day ``k``."""
        return self.day(k) + timedelta(minutes=OFFICE_MIN)

    def deadline(self, k_due: int, t_start: float):
        """(due_at, due_soon_at, escalate_at, t_due, t_soon, t_escalate) of a deadline at the close of
        working day ``k_due``: due soon 8 working hours (one office day) before, escalated 3 working
        days after (as ``workflow.rules.deadline_marks``)."""
        t_due = k_due + 1.0
        t_soon = float(k_due)
        soon = self.eod(k_due - 1)
        if t_start > t_soon:
            t_soon, soon = min(t_start, t_due), self.dt(min(t_start, t_due - 1e-6))
        return self.eod(k_due), soon, self.eod(k_due + 3), t_due, t_soon, k_due + 4.0


# --------------------------------------------------------------------------------------------------
# The organisation
# --------------------------------------------------------------------------------------------------


@dataclass
class Dept:
    id: int
    agency_id: int
    name: str
    abbr: str
    order: int
    weight: float = 1.0
    head: int = 0
    officers: list[int] = field(default_factory=list)
    officer_cum: list[float] = field(default_factory=list)


@dataclass
class AgencyOrg:
    id: int
    ordinal: int
    name: str
    code: str
    abbr: str
    parent_id: int | None
    kind: str  # province, so, huyen, unit, xa, school
    weight: float
    staff: int
    units: list[tuple[str, str]]
    slug: str = ""
    leader_titles: tuple[str, str] = ("Giám đốc", "Phó Giám đốc")
    authority: str = "GIÁM ĐỐC"
    depts: list[Dept] = field(default_factory=list)
    dept_cum: list[float] = field(default_factory=list)
    head_leader: int = 0
    deputies: list[int] = field(default_factory=list)
    clerks: list[int] = field(default_factory=list)
    register_in: int = 0
    register_out: int = 0
    register_out_qd: int = 0


@dataclass
class Person:
    id: int
    username: str
    full_name: str
    agency_id: int
    dept_id: int | None
    position: str
    roles: tuple[str, ...]


@dataclass
class Org:
    agencies: list[AgencyOrg]
    depts: dict[int, Dept]
    people: dict[int, Person]
    by_id: dict[int, AgencyOrg]
    persona: dict


def _zipf(n: int, s: float) -> list[float]:
    return [1.0 / (k**s) for k in range(1, n + 1)]


def _cum(weights: list[float]) -> list[float]:
    out, total = [], 0.0
    for w in weights:
        total += w
        out.append(total)
    return out


def _pick(rng: random.Random, items: list, cum: list[float]):
    return items[bisect.bisect_right(cum, rng.random() * cum[-1])] if len(items) > 1 else items[0]


def person_name(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return f"{rng.choice(V.HO)} {rng.choice(V.DEM_NAM)} {rng.choice(V.TEN_NAM)}"
    return f"{rng.choice(V.HO)} {rng.choice(V.DEM_NU)} {rng.choice(V.TEN_NU)}"


def _spec(**fields) -> dict:
    return fields


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def agency_specs(n_agencies: int) -> list[dict]:
    """The agencies in priority order (the first ``n`` are taken): UBND tỉnh, Sở, huyện, units, xã."""
    specs = [
        _spec(
            name=f"Ủy ban nhân dân {V.PROVINCE}",
            abbr="UBND",
            kind="province",
            weight=45,
            staff=330,
            units=V.UBND_UNITS,
            parent=None,
            yy=0,
            zz=0,
            titles=("Chủ tịch", "Phó Chủ tịch"),
            authority="ỦY BAN NHÂN DÂN",
        )
    ]
    for i, (name, abbr, weight, staff, units) in enumerate(V.SO, start=1):
        titles = ("Chánh Thanh tra", "Phó Chánh Thanh tra") if abbr == "TTr" else ("Giám đốc", "Phó Giám đốc")
        if name.startswith("Ban") or name.startswith("Văn phòng"):
            titles = (
                ("Trưởng ban", "Phó Trưởng ban")
                if name.startswith("Ban")
                else ("Chánh Văn phòng", "Phó Chánh Văn phòng")
            )
        first = [("VP", "Văn phòng")]
        last = [("TTS", "Thanh tra Sở")] if name.startswith("Sở") else []
        specs.append(
            _spec(
                name=name,
                abbr=abbr,
                kind="so",
                weight=weight,
                staff=staff,
                units=first + units + last,
                parent=0,
                yy=i,
                zz=0,
                titles=titles,
                authority=titles[0].upper(),
            )
        )
    n_so = len(V.SO)
    huyen_idx = []
    for j, (name, _level) in enumerate(V.HUYEN, start=1):
        huyen_idx.append(len(specs))
        specs.append(
            _spec(
                name=f"Ủy ban nhân dân {name[0].lower()}{name[1:]}",
                abbr="UBND",
                kind="huyen",
                weight=8 + (j % 4),
                staff=150 + 10 * (j % 5),
                units=V.HUYEN_UNITS,
                parent=0,
                yy=n_so + j,
                zz=0,
                titles=("Chủ tịch", "Phó Chủ tịch"),
                authority="ỦY BAN NHÂN DÂN",
                short=name,
            )
        )
    so_index = {abbr: 1 + i for i, (_n, abbr, *_r) in enumerate(V.SO)}
    zz_next: dict[int, int] = {}

    def child_code(parent_pos: int) -> tuple[int, int]:
        zz_next[parent_pos] = zz_next.get(parent_pos, 0) + 1
        return specs[parent_pos]["yy"], zz_next[parent_pos]

    for parent_abbr, name, abbr in V.UNITS_UNDER_SO:
        pos = so_index[parent_abbr]
        yy, zz = child_code(pos)
        titles = (
            ("Chi cục trưởng", "Phó Chi cục trưởng")
            if name.startswith("Chi cục")
            else ("Giám đốc", "Phó Giám đốc")
        )
        if name.startswith("Trường"):
            titles = ("Hiệu trưởng", "Phó Hiệu trưởng")
        if name.startswith("Ban"):
            titles = ("Giám đốc", "Phó Giám đốc")
        specs.append(
            _spec(
                name=f"{name} {V.PROVINCE}" if not name.endswith("tỉnh") else name,
                abbr=abbr,
                kind="unit",
                weight=1.5 + (zz % 3),
                staff=45 + 8 * (zz % 5),
                units=V.CENTRE_UNITS[: 3 + zz % 2],
                parent=pos,
                yy=yy,
                zz=zz,
                titles=titles,
                authority=titles[0].upper(),
            )
        )
    syt = so_index["SYT"]
    for name, _level in V.HUYEN:
        yy, zz = child_code(syt)
        specs.append(
            _spec(
                name=f"Trung tâm Y tế {name[0].lower()}{name[1:]}",
                abbr="TTYT",
                kind="unit",
                weight=1.5,
                staff=50,
                units=V.CENTRE_UNITS,
                parent=syt,
                yy=yy,
                zz=zz,
                titles=("Giám đốc", "Phó Giám đốc"),
                authority="GIÁM ĐỐC",
            )
        )
    for pos in huyen_idx:
        yy, zz = child_code(pos)
        specs.append(
            _spec(
                name="Ban Quản lý dự án đầu tư xây dựng " + _lower_first(specs[pos]["short"]),
                abbr="BQLDA",
                kind="unit",
                weight=0.8,
                staff=18,
                units=V.CENTRE_UNITS[:3],
                parent=pos,
                yy=yy,
                zz=zz,
                titles=("Giám đốc", "Phó Giám đốc"),
                authority="GIÁM ĐỐC",
            )
        )
    sgd = so_index["SGDĐT"]
    for name in V.SCHOOL_NAMES:
        yy, zz = child_code(sgd)
        specs.append(
            _spec(
                name=f"Trường Trung học phổ thông {name}",
                abbr="THPT",
                kind="school",
                weight=0.5,
                staff=30,
                units=V.SCHOOL_UNITS,
                parent=sgd,
                yy=yy,
                zz=zz,
                titles=("Hiệu trưởng", "Phó Hiệu trưởng"),
                authority="HIỆU TRƯỞNG",
            )
        )
    xa_i = 0
    while len(specs) < max(n_agencies, 1):
        pos = huyen_idx[xa_i % len(huyen_idx)]
        yy, zz = child_code(pos)
        base = V.XA_NAMES[xa_i % len(V.XA_NAMES)]
        prefix = ("Phường" if xa_i % 10 == 0 else "Thị trấn") if xa_i % 7 == 0 else "Xã"
        specs.append(
            _spec(
                name=f"Ủy ban nhân dân {prefix.lower()} {base}"
                + (f" {xa_i // len(V.XA_NAMES) + 1}" if xa_i >= len(V.XA_NAMES) else ""),
                abbr="UBND",
                kind="xa",
                weight=0.7 + 0.1 * (xa_i % 6),
                staff=24 + (xa_i % 9),
                units=V.XA_UNITS[: 3 + xa_i % 3],
                parent=pos,
                yy=yy,
                zz=zz,
                titles=("Chủ tịch", "Phó Chủ tịch"),
                authority="ỦY BAN NHÂN DÂN",
            )
        )
        xa_i += 1
    return specs[:n_agencies]


def build_org(*, n_agencies: int, n_users: int, seed: int, ids: dict[str, int]) -> Org:
    """The organisation (independent of the number of documents). ``ids``: first id of each table."""
    from eoffice.search import fold

    rng = random.Random(f"{seed}-org")
    specs = agency_specs(n_agencies)
    # Staff: scale the nominal sizes to n_users, but never below what the roles need.
    nominal = sum(s["staff"] for s in specs)
    agencies: list[AgencyOrg] = []
    by_id: dict[int, AgencyOrg] = {}
    slugs: set[str] = set()
    for i, s in enumerate(specs):
        aid = ids["agency"] + i
        parent_id = ids["agency"] + s["parent"] if s["parent"] is not None else None
        slug = fold(s["abbr"]).lower()
        if slug in slugs:
            slug = f"{slug}{i}"
        slugs.add(slug)
        a = AgencyOrg(
            id=aid,
            ordinal=i,
            name=s["name"],
            code=f"000.{s['zz']:02d}.{s['yy']:02d}.H99",
            abbr=s["abbr"],
            parent_id=parent_id,
            kind=s["kind"],
            weight=s["weight"] * (0.85 + 0.3 * rng.random()) if s["abbr"] != PERSONA_AGENCY else s["weight"],
            staff=s["staff"],
            units=list(s["units"]),
            slug=slug,
            leader_titles=s["titles"],
            authority=s["authority"],
        )
        agencies.append(a)
        by_id[aid] = a
    # Sizes
    sizes = []
    for a in agencies:
        n_dep = (
            3
            if a.staff * n_users / nominal > 150
            else (2 if a.kind in ("xa", "so", "huyen", "province") else 1)
        )
        a._n_dep = n_dep  # type: ignore[attr-defined]
        need = 1 + n_dep + (2 if a.staff > 150 else 1) + 2 * len(a.units)
        sizes.append(max(need, round(a.staff * n_users / nominal)))
    # Fix the total on the largest agencies (UBND tỉnh first) while above their minimum.
    diff = n_users - sum(sizes)
    order = sorted(range(len(agencies)), key=lambda i: -sizes[i])
    step = 1 if diff > 0 else -1
    guard = 0
    while diff and guard < 10 * n_users:
        for i in order:
            if not diff:
                break
            a = agencies[i]
            need = 1 + a._n_dep + (2 if a.staff > 150 else 1) + 2 * len(a.units)  # type: ignore[attr-defined]
            if step > 0 or sizes[i] > need:
                sizes[i] += step
                diff -= step
        guard += 1

    depts: dict[int, Dept] = {}
    people: dict[int, Person] = {}
    next_dept, next_user = ids["department"], ids["user"]
    persona: dict = {}
    for a, size in zip(agencies, sizes, strict=True):
        for order_, (abbr, name) in enumerate(a.units, start=1):
            d = Dept(id=next_dept, agency_id=a.id, name=name, abbr=abbr, order=order_)
            next_dept += 1
            a.depts.append(d)
            depts[d.id] = d

        def add(
            username: str, position: str, roles: tuple[str, ...], dept_id: int | None, agency_id: int = a.id
        ) -> int:
            nonlocal next_user
            uid = next_user
            next_user += 1
            people[uid] = Person(uid, username, person_name(rng), agency_id, dept_id, position, roles)
            return uid

        n_dep = a._n_dep  # type: ignore[attr-defined]
        a.head_leader = add(f"{a.slug}.ld1", a.leader_titles[0], ("leader",), None)
        a.deputies = [add(f"{a.slug}.ld{k + 2}", a.leader_titles[1], ("leader",), None) for k in range(n_dep)]
        n_clerks = 2 if a.staff > 150 else 1
        a.clerks = [add(f"{a.slug}.vt{k + 1}", "Văn thư", ("clerk",), a.depts[0].id) for k in range(n_clerks)]
        for k, d in enumerate(a.depts, start=1):
            title = (
                "Chánh Văn phòng"
                if d.name.startswith("Văn phòng")
                else (
                    "Chánh Thanh tra"
                    if d.name.startswith("Thanh tra")
                    else ("Trưởng phòng" if d.name.startswith("Phòng") else "Trưởng bộ phận")
                )
            )
            d.head = add(f"{a.slug}.tp{k}", title, ("department_head",), d.id)
        n_officers = size - 1 - n_dep - n_clerks - len(a.depts)
        # officers over units: skewed, every unit has at least one
        unit_w = _zipf(len(a.depts), 0.8)
        rng.shuffle(unit_w)
        counts = [1] * len(a.depts)
        for _ in range(n_officers - len(a.depts)):
            counts[bisect.bisect_right(_cum(unit_w), rng.random() * sum(unit_w))] += 1
        n = 0
        for d, c in zip(a.depts, counts, strict=True):
            for _ in range(c):
                n += 1
                position = rng.choice(
                    ["Chuyên viên", "Chuyên viên", "Chuyên viên", "Chuyên viên chính", "Cán sự"]
                )
                d.officers.append(add(f"{a.slug}.cv{n}", position, ("officer",), d.id))
        # document weights: units and officers skewed (a few busy people do most of the work)
        dw = _zipf(len(a.depts), 1.0)
        rng.shuffle(dw)
        for d, w in zip(a.depts, dw, strict=True):
            d.weight = w
            ow = _zipf(len(d.officers), 1.1)
            d.officer_cum = _cum(ow)
        if a.abbr == PERSONA_AGENCY:
            unit = next((d for d in a.depts if d.abbr == PERSONA_UNIT), a.depts[0])
            others = sum(d.weight for d in a.depts if d is not unit)
            unit.weight = 0.8 * others if others else 1.0
            ow = _zipf(len(unit.officers), 1.1)
            if len(ow) > 1:
                ow[0] = 0.65 * sum(ow[1:])
            unit.officer_cum = _cum(ow)
            persona = {
                "agency": a.id,
                "officer": unit.officers[0],
                "head": unit.head,
                "leader": a.head_leader,
                "clerk": a.clerks[0],
                "department": unit.id,
            }
        a.dept_cum = _cum([d.weight for d in a.depts])
    if not persona:  # the persona agency was not among the first n agencies: take the second one
        a = agencies[min(1, len(agencies) - 1)]
        unit = max(a.depts, key=lambda d: d.weight)
        persona = {
            "agency": a.id,
            "officer": unit.officers[0],
            "head": unit.head,
            "leader": a.head_leader,
            "clerk": a.clerks[0],
            "department": unit.id,
        }
    return Org(agencies=agencies, depts=depts, people=people, by_id=by_id, persona=persona)


# --------------------------------------------------------------------------------------------------
# COPY machinery
# --------------------------------------------------------------------------------------------------


def copy_columns(model) -> list:
    """The concrete, non-generated fields of ``model``: the columns a COPY may write."""
    return [f for f in model._meta.concrete_fields if not getattr(f, "generated", False)]


REQUIRED = object()  # a column without default that every row must give


def _field_default(f, now: datetime):
    if f.has_default():
        value = f.get_default()
    elif getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
        value = now
    elif f.null:
        value = None
    elif f.get_internal_type() in (
        "CharField",
        "TextField",
        "FileField",
        "ImageField",
        "EmailField",
        "SlugField",
        "URLField",
        "FSMField",
    ):
        value = ""
    elif f.get_internal_type() == "BooleanField":
        value = False
    elif f.get_internal_type() == "JSONField":
        value = {}
    elif f.primary_key:
        value = None
    else:
        return REQUIRED
    if hasattr(value, "pk"):
        value = value.pk
    return value


class Sink:
    """One COPY stream into one table, on its own connection (committed by ``close``)."""

    def __init__(self, connect, model, now: datetime, shared=None):
        from psycopg.copy import QueuedLibpqWriter

        self.model = model
        self.table = model._meta.db_table
        fields = copy_columns(model)
        self.attnames = [f.attname for f in fields]
        self.defaults = [_field_default(f, now) for f in fields]
        self.json_idx = [i for i, f in enumerate(fields) if f.get_internal_type() == "JSONField"]
        self.known = set(self.attnames)
        for i in self.json_idx:
            self.defaults[i] = json.dumps(self.defaults[i])
        self.spec = list(zip(self.attnames, self.defaults, strict=True))
        self.count = 0
        cols = ", ".join(f'"{f.column}"' for f in fields)
        self.sql = f'COPY "{self.table}" ({cols}) FROM STDIN'
        self.shared = shared
        self.rows: list[list] = []
        if shared is None:
            self.conn = connect()
            self.cur = self.conn.cursor()
            self._cm = self.cur.copy(self.sql, writer=QueuedLibpqWriter(self.cur))
            self.copy = self._cm.__enter__()
        self.started = time.perf_counter()
        self.seconds = 0.0

    def write(self, row: dict) -> None:
        if not self.count:
            unknown = set(row) - self.known
            if unknown:
                raise KeyError(f"{self.table}: unknown columns {sorted(unknown)}")
            missing = [a for a, d in self.spec if d is REQUIRED and a not in row]
            if missing:
                raise KeyError(f"{self.table}: no value and no default for {missing}")
        values = [row.get(a, d) for a, d in self.spec]
        for i in self.json_idx:
            v = values[i]
            if not isinstance(v, str):
                values[i] = json.dumps(v, ensure_ascii=False)
        if self.shared is None:
            self.copy.write_row(values)
        else:
            self.rows.append(values)
        self.count += 1

    def close(self) -> None:
        if self.shared is None:
            self._cm.__exit__(None, None, None)
            self.conn.commit()
            self.conn.close()
        else:  # one connection (the caller's transaction): buffered, written now
            with self.shared.cursor() as cur, cur.copy(self.sql) as copy:
                for values in self.rows:
                    copy.write_row(values)
            self.rows = []
        self.seconds = time.perf_counter() - self.started


def connector(settings_dict: dict):
    import psycopg

    params = {
        "dbname": settings_dict["NAME"],
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
        "host": settings_dict.get("HOST") or None,
        "port": settings_dict.get("PORT") or None,
    }
    params = {k: v for k, v in params.items() if v}

    def connect():
        conn = psycopg.connect(**params)
        conn.execute("SET synchronous_commit = off")
        conn.execute("SET maintenance_work_mem = '1GB'")
        conn.commit()
        return conn

    return connect


BIG_MODELS = (
    "documents.IncomingDocument",
    "documents.OutgoingDocument",
    "documents.OutgoingRecipient",
    "documents.IncomingDocumentUserObjectPermission",
    "workflow.Assignment",
    "workflow.HistoryEntry",
)


def drop_secondary(connect, tables: list[str]) -> list[tuple[str, str, str, str]]:
    """Drop the indexes (other than primary keys), foreign keys and unique constraints of ``tables``;
    returns what ``restore_secondary`` needs to put them back."""
    saved: list[tuple[str, str, str, str]] = []
    with connect() as conn, conn.cursor() as cur:
        cur.execute(
            "SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid), c.contype "
            "FROM pg_constraint c WHERE c.conrelid::regclass::text = ANY(%s) AND c.contype IN ('f', 'u') "
            "ORDER BY c.contype DESC",
            [tables],
        )
        for table, name, definition, kind in cur.fetchall():
            saved.append(("constraint-" + kind, table, name, definition))
        cur.execute(
            "SELECT i.tablename, i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = ANY(%s) "
            "AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = "
            "(quote_ident(i.schemaname) || '.' || quote_ident(i.indexname))::regclass)",
            [tables],
        )
        for table, name, definition in cur.fetchall():
            saved.append(("index", table, name, definition))
        for kind, table, name, _definition in saved:
            if kind.startswith("constraint"):
                cur.execute(f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"')
        for kind, _table, name, _definition in saved:
            if kind == "index":
                cur.execute(f'DROP INDEX "{name}"')
        conn.commit()
    return saved


def restore_secondary(connect, saved, *, workers: int = 2) -> dict[str, float]:
    """Re-create the indexes (two at a time: two cores), then unique constraints, then foreign keys."""
    timings: dict[str, float] = {}

    def run(sql: str, label: str) -> None:
        started = time.perf_counter()
        with connect() as conn:
            conn.execute(sql)
            conn.commit()
        timings[label] = round(time.perf_counter() - started, 2)

    indexes = [(f"{t}.{n}", d) for k, t, n, d in saved if k == "index"]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(lambda item: run(item[1], item[0]), indexes))
    uniques = [
        (f"{t}.{n}", f'ALTER TABLE "{t}" ADD CONSTRAINT "{n}" {d}')
        for k, t, n, d in saved
        if k == "constraint-u"
    ]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(lambda item: run(item[1], item[0]), uniques))
    fks = [
        (f"{t}.{n}", f'ALTER TABLE "{t}" ADD CONSTRAINT "{n}" {d}')
        for k, t, n, d in saved
        if k == "constraint-f"
    ]
    with ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(lambda item: run(item[1], item[0]), fks))
    return timings


# --------------------------------------------------------------------------------------------------
# Text
# --------------------------------------------------------------------------------------------------


class Texts:
    def __init__(self, rng: random.Random, fold, now: datetime):
        self.fold = fold
        years = list(range(now.year - 5, now.year + 1))
        self.sentences: list[tuple[str, str]] = []
        for _ in range(3000):
            s = rng.choice(V.TEXT_SENTENCES).format(
                n=rng.randint(10, 3500),
                u=rng.choice(V.ISSUER_UNITS),
                d=f"{rng.randint(1, 28):02d}/{rng.randint(1, 12):02d}/{rng.choice(years)}",
                topic=rng.choice(V.TOPICS),
                p=rng.randint(35, 100),
            )
            self.sentences.append((s, fold(s)))
        self.summaries_cache: dict = {}

    def summary(self, rng: random.Random, type_name: str, year: int) -> str:
        opening = V.TYPE_OPENINGS.get(type_name, "Về việc")
        scope = rng.choice(V.SCOPES).format(
            year=year, next=year + 1, quarter=rng.choice(["I", "II", "III", "IV"]), month=rng.randint(1, 12)
        )
        body = f"{rng.choice(V.ACTIONS)} {rng.choice(V.TOPICS)} {scope}"
        if type_name == "Kế hoạch":
            body = body[0].upper() + body[1:]
            return body
        return f"{opening} {body}" if opening else body

    def full_text(self, rng: random.Random, summary: str) -> tuple[str, str]:
        picks = rng.sample(self.sentences, rng.randint(4, 7))
        text = " ".join([summary + "."] + [p[0] for p in picks])
        folded = " ".join([self.fold(summary) + "."] + [p[1] for p in picks])
        return text, folded


# --------------------------------------------------------------------------------------------------
# The generator
# --------------------------------------------------------------------------------------------------


@dataclass
class Ctx:
    clock: Clock
    org: Org
    rng: random.Random
    texts: Texts
    fold: object
    types: dict[str, tuple[int, str]]  # name -> (id, abbreviation)
    type_names: list[str]
    type_cum: list[float]
    ct_incoming: int
    ct_outgoing: int
    perm_view: int
    sinks: dict[str, Sink]
    later: dict[str, list[dict]]
    next_id: dict[str, int]
    counters: dict[tuple[int, int], int]
    stats: dict[str, int]
    persona_detail: int = 0


def _nid(ctx: Ctx, table: str) -> int:
    v = ctx.next_id[table]
    ctx.next_id[table] = v + 1
    return v


def _hist(
    ctx: Ctx, *, ct: int, obj: int, agency: int, at: datetime, event: str, actor: int | None, **kw
) -> None:
    row = {
        "id": _nid(ctx, "history"),
        "content_type_id": ct,
        "object_id": obj,
        "agency_id": agency,
        "event": event,
        "actor_id": actor,
        "created_at": at,
    }
    row.update(kw)
    ctx.sinks["history"].write(row)


def _reminder_level(t_soon, t_due, t_esc, t_end) -> int:
    if t_esc is not None and t_esc <= t_end:
        return 3
    if t_due is not None and t_due <= t_end:
        return 2
    if t_soon is not None and t_soon <= t_end:
        return 1
    return 0


def _sample_times(rng: random.Random, n: int, t0: float, t1: float) -> list[float]:
    """``n`` moments in [t0, t1], the density growing by 40 % over the period (more use every year)."""
    a, b = 1.0, 0.4
    out = []
    for _ in range(n):
        u = rng.random()
        x = (-a + math.sqrt(a * a + 2 * b * u * (a + b / 2))) / b
        out.append(t0 + x * (t1 - t0))
    out.sort()
    return out


URGENCY_DAYS = {0: 10, 1: 3, 2: 2, 3: 1}


def _urgency(rng: random.Random) -> int:
    u = rng.random()
    return 0 if u < 0.90 else (1 if u < 0.96 else (2 if u < 0.99 else 3))


def gen_incoming(ctx: Ctx, i: int, t_recv: float, agency: AgencyOrg, forced: bool = False) -> None:
    rng, clock, org = ctx.rng, ctx.clock, ctx.org
    fold = ctx.fold
    now_t = clock.t_now
    doc_id = _nid(ctx, "incoming")
    type_name = _pick(rng, ctx.type_names, ctx.type_cum)
    type_id, type_abbr = ctx.types[type_name]
    recv_dt = clock.dt(t_recv)
    year = recv_dt.year
    urgency = _urgency(rng)
    secret = 0 if forced else (1 if rng.random() < 0.01 else 0)
    if secret and rng.random() < 0.15:
        secret = 2
    # issuer
    issuer_agency_id = None
    if rng.random() < 0.6 and len(org.agencies) > 1:
        src = org.agencies[rng.randrange(len(org.agencies))]
        if src.id == agency.id:
            src = org.agencies[(src.ordinal + 1) % len(org.agencies)]
        issuer_name = src.name
        issuer_abbr = src.abbr
        if rng.random() < 0.5:
            issuer_agency_id = src.id
    else:
        issuer_name, issuer_abbr = V.CENTRAL_ISSUERS[rng.randrange(len(V.CENTRAL_ISSUERS))]
    num = rng.randint(1, 3200)
    if type_abbr:
        number_symbol = f"{num}/{type_abbr}-{issuer_abbr}"
    else:
        number_symbol = f"{num}/{issuer_abbr}-{V.ISSUER_UNITS[rng.randrange(len(V.ISSUER_UNITS))]}"
    summary = ctx.texts.summary(rng, type_name, year)
    signer_name = person_name(rng)
    note = V.NOTES[rng.randrange(len(V.NOTES))] if rng.random() < 0.05 else ""
    clerk = agency.clerks[rng.randrange(len(agency.clerks))]
    channel = rng.choice(("paper", "electronic", "electronic", "email"))
    # timeline (working time)
    t_reg = t_recv + rng.expovariate(1 / 0.08)
    returned = (not forced) and rng.random() < 0.015
    k_recv = int(t_recv)
    due_at, due_soon_at, _esc, t_due, _t_soon, _t_esc = clock.deadline(k_recv + URGENCY_DAYS[urgency], t_recv)
    u = rng.random()
    if u < 0.6:
        delay = rng.uniform(0.05, 0.7)
    elif u < 0.9:
        delay = rng.uniform(0.7, 2.0)
    elif u < 0.98:
        delay = rng.uniform(2.0, 5.0)
    else:
        delay = rng.uniform(5.0, 30.0)
    t_dir = t_reg + delay
    leaders = [agency.head_leader, *agency.deputies]
    director = agency.head_leader if (secret or rng.random() < 0.5) else rng.choice(leaders)
    directing_leader = agency.head_leader if secret else None
    delegated_by = None
    if not secret and not forced and rng.random() < 0.03 and agency.deputies:
        delegated_by, directing_leader = agency.head_leader, rng.choice(agency.deputies)
        director = directing_leader
    # the leader may set his own deadline
    explicit_due = (not forced) and rng.random() < 0.3
    if explicit_due:
        k_due = int(t_dir) + rng.choice((5, 7, 10, 15, 20))
        due_at, due_soon_at, _esc, t_due, _ts, _te = clock.deadline(k_due, t_dir)
    # lead: a unit (forwarded by its head to an officer) or a person directly
    dept = _pick(rng, agency.depts, agency.dept_cum)
    if forced:
        dept = org.depts[org.persona["department"]]
    to_person = (not forced) and rng.random() < 0.15
    if to_person:
        lead_user = dept.head if rng.random() < 0.4 else _pick(rng, dept.officers, dept.officer_cum)
        officer = lead_user
    else:
        lead_user = None
        officer = _pick(rng, dept.officers, dept.officer_cum)
        if forced:
            officer = org.persona["officer"]
    u = rng.random()
    t_fwd = t_dir + (
        rng.uniform(0.02, 0.5) if u < 0.6 else (rng.uniform(0.5, 2) if u < 0.95 else rng.uniform(2, 5))
    )
    t_assigned = t_dir if to_person else t_fwd
    t_start = t_assigned + rng.uniform(0.05, 3.0)
    u = rng.random()
    if forced:  # the persona's typical document: directed, handed on, being processed
        t_dir = t_reg + 0.3
        t_fwd = t_dir + 0.3
        t_start = t_fwd + 0.5
        t_fin = math.inf
    elif u < 0.70:
        span = max(t_due - t_start, 0.2)
        t_fin = t_start + span * rng.uniform(0.1, 0.95)
    elif u < 0.86:
        t_fin = max(t_start + 0.1, t_due - rng.uniform(0.0, 0.95))
    elif u < 0.997:
        t_fin = max(t_start + 0.1, t_due + rng.expovariate(1 / 4.0))
    else:
        t_fin = math.inf  # never finished: long overdue
    recalled_t = t_recv + rng.uniform(1, 15) if (not forced and rng.random() < 0.002) else math.inf
    t_eff = min(now_t, recalled_t)
    # state at t_eff
    if t_eff < t_reg:
        state = "new"
    elif returned:
        state = "returned"
    elif t_eff < t_dir:
        state = "received"
    elif t_eff < t_start:
        state = "assigned"
    elif t_eff < t_fin:
        state = "processing"
    else:
        state = "archived"
    # numbering at registration
    number = nyear = None
    if state != "new":
        reg_dt = clock.dt(t_reg)
        nyear = reg_dt.year
        key = (agency.register_in, nyear)
        number = ctx.counters.get(key, 0) + 1
        ctx.counters[key] = number
    sha = f"{rng.getrandbits(256):064x}"
    scanned = rng.random() < 0.05
    if scanned:
        text_content = text_folded = ""
    else:
        text_content, text_folded = ctx.texts.full_text(rng, summary)
    directed = state in ("assigned", "processing", "archived")
    instruction = rng.choice(V.INSTRUCTIONS).format(
        unit=dept.name if not to_person else org.people[lead_user].full_name
    )
    last_t = max(x for x in (t_recv, t_reg, t_dir, t_fwd, t_start, t_fin) if x <= t_eff)
    row = {
        "id": doc_id,
        "state": state,
        "agency_id": agency.id,
        "register_id": agency.register_in,
        "year": nyear,
        "number": number,
        "issuer_agency_id": issuer_agency_id,
        "issuer_name": issuer_name,
        "number_symbol": number_symbol,
        "issued_date": (recv_dt - timedelta(days=rng.randint(0, 6))).date(),
        "doc_type_id": type_id,
        "summary": summary,
        "signer_name": signer_name,
        "urgency": urgency,
        "confidentiality": secret,
        "page_count": rng.randint(1, 12),
        "received_at": recv_dt,
        "channel": channel,
        "due_at": due_at,
        "due_soon_at": due_soon_at,
        "file": f"documents/incoming/{recv_dt:%Y/%m}/{sha[:16]}.pdf",
        "file_name": f"{number_symbol.replace('/', '-')}.pdf",
        "file_sha256": sha,
        "file_size": rng.randint(40_000, 2_500_000),
        "signature_status": "valid" if channel == "electronic" else "unchecked",
        "signature_report": "{}",
        "received_by_id": clerk,
        "registered_at": clock.dt(t_reg) if state != "new" else None,
        "directing_leader_id": directing_leader,
        "delegated_by_id": delegated_by,
        "instruction": instruction if directed else "",
        "directed_by_id": director if directed else None,
        "directed_at": clock.dt(t_dir) if directed else None,
        "proposal": "",
        "reply_number_symbol": "",
        "completed_at": clock.dt(t_fin) if state == "archived" else None,
        "return_reason": "",
        "note": note,
        "recalled_at": clock.dt(recalled_t) if recalled_t <= now_t else None,
        "recall_confirmed_at": clock.dt(recalled_t + 0.2) if recalled_t + 0.2 <= now_t else None,
        "created_at": recv_dt,
        "updated_at": clock.dt(last_t),
        "search_text": fold(" ".join(filter(None, [number_symbol, issuer_name, summary, signer_name, note]))),
        "text_content": text_content,
        "text_folded": text_folded,
        "text_status": "scanned" if scanned else "text",
    }
    if state == "archived" and rng.random() < 0.25:
        row["proposal"] = "Đề xuất ban hành văn bản trả lời theo nội dung đã tham mưu."
    if state == "archived" and rng.random() < 0.3:
        row["reply_number_symbol"] = f"{rng.randint(1, 2500)}/{agency.abbr}-{dept.abbr}"
    if state == "returned":
        row["return_reason"] = rng.choice(V.RETURN_REASONS)
    ctx.sinks["incoming"].write(row)
    ctx.stats["incoming_" + state] = ctx.stats.get("incoming_" + state, 0) + 1

    ct = ctx.ct_incoming
    ag = agency.id
    H = _hist  # noqa: N806
    H(
        ctx,
        ct=ct,
        obj=doc_id,
        agency=ag,
        at=recv_dt,
        event="created",
        actor=clerk,
        to_state="new",
        data={"signature": row["signature_status"], "duplicate_of": None, "converted_from_images": False},
    )
    grants = {clerk, directing_leader} if secret else set()
    if state != "new":
        H(
            ctx,
            ct=ct,
            obj=doc_id,
            agency=ag,
            at=row["registered_at"],
            event="transition",
            actor=clerk,
            action="register_number",
            from_state="new",
            to_state="received",
            data={"number": number, "year": nyear, "register": agency.register_in},
        )
    if state == "returned":
        H(
            ctx,
            ct=ct,
            obj=doc_id,
            agency=ag,
            at=clock.dt(t_reg + 0.05),
            event="transition",
            actor=clerk,
            action="send_back",
            from_state="received",
            to_state="returned",
            comment=row["return_reason"],
        )
    if delegated_by and state != "new" and t_reg + 0.01 <= t_eff:
        H(
            ctx,
            ct=ct,
            obj=doc_id,
            agency=ag,
            at=clock.dt(t_reg + 0.01),
            event="comment",
            actor=delegated_by,
            action="delegate",
            comment="Chuyển đồng chí Phó chỉ đạo.",
            data={"to": directing_leader},
        )
    if not directed:
        if secret:
            _grant(ctx, doc_id, grants)
        return

    # --- assignments ---------------------------------------------------------------------------------
    sink = ctx.sinks["assignment"]
    dir_dt = row["directed_at"]
    k_due = int(t_due - 1.0)
    _d, _s, esc_dt, t_due_, t_soon, t_esc = clock.deadline(k_due, t_dir)
    soon_dt = _s
    done = state == "archived"
    cancelled = recalled_t <= now_t and not done

    def status_of(t_done: float) -> tuple[str, datetime | None]:
        if cancelled:
            return "cancelled", row["recalled_at"]
        if t_done <= t_eff:
            return "done", clock.dt(t_done)
        return "open", None

    root_id = _nid(ctx, "assignment")
    root_status, root_done = status_of(t_fin)
    lead_dept_name = dept.name
    lead_holder = lead_user if to_person else dept.head
    forwarded = (not to_person) and t_fwd <= t_eff
    sink.write(
        {
            "id": root_id,
            "content_type_id": ct,
            "object_id": doc_id,
            "agency_id": ag,
            "role": "lead",
            "department_id": dept.id,
            "assignee_id": lead_user,
            "parent_id": None,
            "assigned_by_id": director,
            "instruction": instruction,
            "status": root_status,
            "progress": 100 if root_status == "done" else 0,
            "progress_note": "",
            "assigned_at": dir_dt,
            "due_at": due_at,
            "due_soon_at": soon_dt,
            "escalate_at": esc_dt,
            "reminder_level": _reminder_level(
                t_soon, t_due, t_esc, t_fin if root_status == "done" else clock.t_levels
            ),
            "completed_at": root_done,
        }
    )
    grants.update({lead_holder, dept.head})
    coord_names: list[str] = []
    inform_names: list[str] = []
    parts: list[tuple[int, int | None, float]] = []  # (assignment id, holder, t_done) for coordinate parts
    n_coord = 0
    if (forced or rng.random() < 0.25) and len(agency.depts) > 1:
        n_coord = 1 if (forced or rng.random() < 0.7) else 2
    for _ in range(n_coord):
        other = agency.depts[rng.randrange(len(agency.depts))]
        if other.id == dept.id:
            continue
        aid = _nid(ctx, "assignment")
        person = None if rng.random() < 0.6 else _pick(rng, other.officers, other.officer_cum)
        holder = person or other.head
        if t_fin < math.inf:
            t_c = t_dir + (max(min(t_fin, t_due), t_dir + 0.5) - t_dir) * rng.uniform(0.3, 0.9)
        else:
            t_c = t_dir + rng.uniform(1, 8)
        if done:
            t_c = min(t_c, t_fin)
        st, cdone = status_of(t_c)
        if st == "done" and done and t_c >= t_fin:
            cdone = row["completed_at"]
        sink.write(
            {
                "id": aid,
                "content_type_id": ct,
                "object_id": doc_id,
                "agency_id": ag,
                "role": "coordinate",
                "department_id": other.id,
                "assignee_id": person,
                "parent_id": None,
                "assigned_by_id": director,
                "instruction": instruction,
                "status": st,
                "progress": 100 if st == "done" else 0,
                "progress_note": "",
                "assigned_at": dir_dt,
                "due_at": due_at,
                "due_soon_at": soon_dt,
                "escalate_at": esc_dt,
                "reminder_level": _reminder_level(
                    t_soon, t_due, t_esc, t_c if st == "done" else clock.t_levels
                ),
                "completed_at": cdone,
            }
        )
        coord_names.append(org.people[person].full_name if person else other.name)
        parts.append((aid, holder, t_c))
        grants.add(holder)
    if (forced or rng.random() < 0.2) and agency.deputies:
        informed = rng.choice(
            [p for p in (agency.head_leader, *agency.deputies) if p != director] or [director]
        )
        if informed != director:
            aid = _nid(ctx, "assignment")
            t_read = t_dir + rng.expovariate(1 / 0.5)
            st, rdone = status_of(t_read)
            sink.write(
                {
                    "id": aid,
                    "content_type_id": ct,
                    "object_id": doc_id,
                    "agency_id": ag,
                    "role": "inform",
                    "department_id": None,
                    "assignee_id": informed,
                    "parent_id": None,
                    "assigned_by_id": director,
                    "instruction": instruction,
                    "status": st,
                    "progress": 0,
                    "progress_note": "",
                    "assigned_at": dir_dt,
                    "read_at": rdone if st == "done" else None,
                    "completed_at": rdone,
                }
            )
            inform_names.append(org.people[informed].full_name)
            grants.add(informed)
    # history of the direction
    H(
        ctx,
        ct=ct,
        obj=doc_id,
        agency=ag,
        at=dir_dt,
        event="transition",
        actor=director,
        action="assign",
        from_state="received",
        to_state="assigned",
        comment=instruction,
        # one row per direction, as workflow.services.record_assign writes it: the transition names the parts
        data={
            "lead": org.people[lead_user].full_name if to_person else lead_dept_name,
            "coordinate": coord_names,
            "inform": inform_names,
            "due_at": due_at.isoformat(),
        },
    )
    lead_part = root_id
    if forwarded:
        child_id = _nid(ctx, "assignment")
        fwd_dt = clock.dt(t_fwd)
        _d2, soon2, esc2, _td2, t_soon2, _te2 = clock.deadline(k_due, t_fwd)
        c_status, c_done = status_of(t_fin)
        officer_name = org.people[officer].full_name
        progress = (
            100 if c_status == "done" else (rng.choice((10, 20, 40, 60, 80)) if state == "processing" else 0)
        )
        sink.write(
            {
                "id": child_id,
                "content_type_id": ct,
                "object_id": doc_id,
                "agency_id": ag,
                "role": "lead",
                "department_id": dept.id,
                "assignee_id": officer,
                "parent_id": root_id,
                "assigned_by_id": dept.head,
                "instruction": rng.choice(V.FORWARD_NOTES).format(name=officer_name.split()[-1]),
                "status": c_status,
                "progress": progress,
                "progress_note": V.PROGRESS_NOTES[0] if progress and c_status == "open" else "",
                "assigned_at": fwd_dt,
                "due_at": due_at,
                "due_soon_at": soon2,
                "escalate_at": esc2,
                "reminder_level": _reminder_level(
                    t_soon2, t_due, t_esc, t_fin if c_status == "done" else clock.t_levels
                ),
                "read_at": fwd_dt + timedelta(hours=1) if t_fwd + 0.2 <= t_eff else None,
                "completed_at": c_done,
            }
        )
        H(
            ctx,
            ct=ct,
            obj=doc_id,
            agency=ag,
            at=fwd_dt,
            event="reassigned",
            actor=dept.head,
            comment="",
            data={
                "assignment": root_id,
                "role": "lead",
                "from": lead_dept_name,
                "to": officer_name,
                "replaced": [],
            },
        )
        lead_part = child_id
        grants.add(officer)
        holder = officer
    else:
        holder = lead_holder
    if state in ("processing", "archived") and (forwarded or to_person):
        start_dt = clock.dt(t_start)
        H(
            ctx,
            ct=ct,
            obj=doc_id,
            agency=ag,
            at=start_dt,
            event="transition",
            actor=holder,
            action="start",
            from_state="assigned",
            to_state="processing",
        )
        if forced or rng.random() < 0.5:
            H(
                ctx,
                ct=ct,
                obj=doc_id,
                agency=ag,
                at=start_dt + timedelta(minutes=rng.randint(5, 600)),
                event="progress",
                actor=holder,
                comment=rng.choice(V.PROGRESS_NOTES),
                data={"percent": rng.choice((20, 40, 60)), "assignment": lead_part, "role": "lead"},
            )
    for aid, coord_holder, t_c in parts:
        if t_c <= t_eff and not cancelled:
            H(
                ctx,
                ct=ct,
                obj=doc_id,
                agency=ag,
                at=clock.dt(t_c),
                event="completed",
                actor=coord_holder,
                comment="Đã có ý kiến phối hợp.",
                data={"assignment": aid, "role": "coordinate"},
            )
    if done:
        fin_dt = row["completed_at"]
        if row["proposal"]:
            H(
                ctx,
                ct=ct,
                obj=doc_id,
                agency=ag,
                at=fin_dt - timedelta(minutes=30),
                event="comment",
                actor=holder,
                action="propose",
                comment=row["proposal"],
                data={"kind": "proposal"},
            )
        note_ = rng.choice(V.FINISH_NOTES)
        H(
            ctx,
            ct=ct,
            obj=doc_id,
            agency=ag,
            at=fin_dt,
            event="transition",
            actor=holder,
            action="finish",
            from_state="processing",
            to_state="archived",
            comment=note_,
        )
        H(
            ctx,
            ct=ct,
            obj=doc_id,
            agency=ag,
            at=fin_dt,
            event="completed",
            actor=holder,
            comment=note_,
            data={"assignment": lead_part, "role": "lead"},
        )
    if secret:
        _grant(ctx, doc_id, grants)
    if forced:
        ctx.persona_detail = doc_id


def _grant(ctx: Ctx, doc_id: int, users) -> None:
    for uid in sorted(u for u in users if u):
        ctx.later["perm"].append(
            {
                "id": _nid(ctx, "perm"),
                "user_id": uid,
                "permission_id": ctx.perm_view,
                "content_object_id": doc_id,
            }
        )


OUT_STATES_FLOW = ("new", "submitted", "signing", "signed", "issued")


def gen_outgoing(ctx: Ctx, t_create: float, agency: AgencyOrg) -> None:
    rng, clock, org = ctx.rng, ctx.clock, ctx.org
    now_t = clock.t_now
    doc_id = _nid(ctx, "outgoing")
    type_name = _pick(rng, ctx.type_names, ctx.type_cum)
    if type_name == "Giấy mời" and rng.random() < 0.5:
        type_name = "Công văn"
    type_id, type_abbr = ctx.types[type_name]
    dept = _pick(rng, agency.depts, agency.dept_cum)
    drafter = _pick(rng, dept.officers, dept.officer_cum)
    reviewer = dept.head
    signer = agency.head_leader if rng.random() < 0.4 else rng.choice([agency.head_leader, *agency.deputies])
    deputy = signer != agency.head_leader
    create_dt = clock.dt(t_create)
    summary = ctx.texts.summary(rng, type_name, create_dt.year)
    t_submit = t_create + rng.uniform(0.2, 3.0)
    returned_once = rng.random() < 0.05
    t_return = t_submit + rng.uniform(0.1, 1.0)
    t_resubmit = t_return + rng.uniform(0.3, 2.0)
    t_approve = (t_resubmit if returned_once else t_submit) + rng.uniform(0.1, 2.0)
    t_sign = t_approve + rng.uniform(0.05, 2.0)
    t_issue = t_sign + rng.uniform(0.02, 0.5)
    cancelled = rng.random() < 0.02
    t_cancel = t_create + rng.uniform(0.5, 5.0)
    recalled = rng.random() < 0.003
    t_recall = t_issue + rng.uniform(1.0, 20.0)
    if cancelled and t_cancel <= now_t:
        state = "cancelled"
    elif now_t < t_submit:
        state = "new"
    elif returned_once and t_return <= now_t < t_resubmit:
        state = "returned"
    elif now_t < t_approve:
        state = "submitted"
    elif now_t < t_sign:
        state = "signing"
    elif now_t < t_issue:
        state = "signed"
    elif recalled and t_recall <= now_t:
        state = "recalled"
    else:
        state = "issued"
    signed = state in ("signed", "issued", "recalled")
    register = (
        agency.register_out_qd if (type_abbr == "QĐ" and agency.register_out_qd) else agency.register_out
    )
    number = nyear = None
    number_symbol = ""
    issued_at = None
    if signed:
        issued_at = clock.dt(t_sign)
        nyear = issued_at.year
        key = (register, nyear)
        number = ctx.counters.get(key, 0) + 1
        ctx.counters[key] = number
        symbol = f"{type_abbr}-{agency.abbr}" if type_abbr else f"{agency.abbr}-{dept.abbr}"
        number_symbol = f"{number:02d}/{symbol}"
    addressees = "\n".join(rng.sample(V.OUT_ADDRESSEES, rng.randint(1, 3)))
    scanned = rng.random() < 0.05 or state in ("new", "returned", "cancelled")
    if scanned:
        text_content = text_folded = ""
    else:
        text_content, text_folded = ctx.texts.full_text(rng, summary)
    head_title = agency.leader_titles[0].upper()
    is_ubnd = agency.authority == "ỦY BAN NHÂN DÂN"
    row = {
        "id": doc_id,
        "state": state,
        "agency_id": agency.id,
        "department_id": dept.id,
        "doc_type_id": type_id,
        "source": "template" if rng.random() < 0.7 else "upload",
        "register_id": register if signed else None,
        "year": nyear,
        "number": number,
        "number_symbol": number_symbol,
        "issued_at": issued_at,
        "summary": summary,
        "addressees": addressees,
        "distribution": "- Như trên;\n- Lưu: VT, " + dept.abbr + ".",
        "archive_note": f"VT, {dept.abbr}",
        "copies": rng.randint(1, 5),
        "place_name": V.PLACE,
        "signer_id": signer,
        "signer_authority": ("TM." if is_ubnd and not deputy else ("KT." if deputy else "")),
        "authority_title": (agency.authority if is_ubnd else head_title) if (deputy or is_ubnd) else "",
        "signer_title": org.people[signer].position.upper(),
        "urgency": _urgency(rng),
        "confidentiality": 0,
        "drafted_by_id": drafter,
        "reviewer_id": reviewer,
        "issued_by_id": agency.clerks[0] if state in ("issued", "recalled") else None,
        "submitted_at": clock.dt(t_submit) if state not in ("new", "cancelled") else None,
        "approved_at": clock.dt(t_approve) if state in ("signing", "signed", "issued", "recalled") else None,
        "signed_at": issued_at,
        "released_at": clock.dt(t_issue) if state in ("issued", "recalled") else None,
        "recalled_at": clock.dt(t_recall) if state == "recalled" else None,
        "recall_reason": "Văn bản có sai sót về thể thức, thu hồi để ban hành lại."
        if state == "recalled"
        else "",
        "created_at": create_dt,
        "updated_at": create_dt,
        "search_text": ctx.fold(" ".join(filter(None, [number_symbol, summary, addressees]))),
        "text_content": text_content,
        "text_folded": text_folded,
        "text_status": "none"
        if state in ("new", "returned", "cancelled")
        else ("scanned" if scanned else "text"),
    }
    ctx.sinks["outgoing"].write(row)
    ctx.stats["outgoing_" + state] = ctx.stats.get("outgoing_" + state, 0) + 1
    ct, ag = ctx.ct_outgoing, agency.id
    H = _hist  # noqa: N806
    H(ctx, ct=ct, obj=doc_id, agency=ag, at=create_dt, event="created", actor=drafter, to_state="new")
    if state == "cancelled":
        H(
            ctx,
            ct=ct,
            obj=doc_id,
            agency=ag,
            at=clock.dt(t_cancel),
            event="transition",
            actor=drafter,
            action="cancel",
            from_state="new",
            to_state="cancelled",
            comment="Không ban hành.",
        )
        return
    if state == "new":
        return
    H(
        ctx,
        ct=ct,
        obj=doc_id,
        agency=ag,
        at=row["submitted_at"],
        event="transition",
        actor=drafter,
        action="submit",
        from_state="new",
        to_state="submitted",
    )
    if returned_once and t_return <= now_t:
        H(
            ctx,
            ct=ct,
            obj=doc_id,
            agency=ag,
            at=clock.dt(t_return),
            event="transition",
            actor=reviewer,
            action="send_back",
            from_state="submitted",
            to_state="returned",
            comment="Đề nghị chỉnh sửa trích yếu.",
        )
        if t_resubmit <= now_t:
            H(
                ctx,
                ct=ct,
                obj=doc_id,
                agency=ag,
                at=clock.dt(t_resubmit),
                event="transition",
                actor=drafter,
                action="submit",
                from_state="returned",
                to_state="submitted",
            )
    if row["approved_at"]:
        H(
            ctx,
            ct=ct,
            obj=doc_id,
            agency=ag,
            at=row["approved_at"],
            event="transition",
            actor=reviewer,
            action="approve",
            from_state="submitted",
            to_state="signing",
        )
    if signed:
        H(
            ctx,
            ct=ct,
            obj=doc_id,
            agency=ag,
            at=issued_at,
            event="transition",
            actor=signer,
            action="sign",
            from_state="signing",
            to_state="signed",
            data={"number": number, "year": nyear},
        )
    if row["released_at"]:
        H(
            ctx,
            ct=ct,
            obj=doc_id,
            agency=ag,
            at=row["released_at"],
            event="transition",
            actor=agency.clerks[0],
            action="issue",
            from_state="signed",
            to_state="issued",
            data={"version": 2},
        )
        if rng.random() < 0.4 and len(ctx.org.agencies) > 2:
            for other in rng.sample(ctx.org.agencies, min(len(ctx.org.agencies), rng.randint(1, 4))):
                if other.id == agency.id:
                    continue
                ctx.later["recipient"].append(
                    {
                        "id": _nid(ctx, "recipient"),
                        "document_id": doc_id,
                        "agency_id": other.id,
                        "name": other.name,
                        "channel": "internal",
                        "status": rng.choice(("03", "04", "05", "06", "06", "06")),
                        "status_at": row["released_at"] + timedelta(hours=rng.randint(1, 72)),
                    }
                )
    if state == "recalled":
        H(
            ctx,
            ct=ct,
            obj=doc_id,
            agency=ag,
            at=row["recalled_at"],
            event="transition",
            actor=signer,
            action="recall",
            from_state="issued",
            to_state="recalled",
            comment=row["recall_reason"],
        )


# --------------------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------------------


def _max_ids(cursor, tables: dict[str, str]) -> dict[str, int]:
    out = {}
    for key, table in tables.items():
        cursor.execute(f'SELECT coalesce(max(id), 0) + 1 FROM "{table}"')
        out[key] = cursor.fetchone()[0]
    return out


def load(
    *,
    n_docs: int,
    n_agencies: int = 300,
    n_users: int = 20_000,
    seed: int = 2026,
    drop_indexes: bool = True,
    vacuum: bool = True,
    shared_connection: bool = False,
    now: datetime | None = None,
    log=print,
) -> dict:
    """Generate and load the province into Django's default database; returns the report.

    ``shared_connection``: write every table through Django's own connection, inside the caller's
    transaction (rows buffered per table; no index dropped, no VACUUM) — what the tests use."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import Group, Permission
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.utils import timezone

    from documents.models import (
        DocumentType,
        IncomingDocument,
        IncomingDocumentUserObjectPermission,
        OutgoingDocument,
        OutgoingRecipient,
        Register,
        RegisterCounter,
    )
    from eoffice.models import Agency, AgencyRole, Department, Role, User
    from eoffice.search import fold
    from workflow.models import Assignment, HistoryEntry

    now = now or timezone.now()
    connect = connector(connection.settings_dict)
    shared = None
    if shared_connection:
        connection.ensure_connection()
        shared = connection.connection
        drop_indexes = vacuum = False
    report: dict = {"rows": {}, "seconds": {}, "scale": n_docs}
    t_all = time.perf_counter()
    user_groups = User.groups.through
    register_types = Register.doc_types.through
    tables = {
        "agency": Agency._meta.db_table,
        "department": Department._meta.db_table,
        "user": User._meta.db_table,
        "group": Group._meta.db_table,
        "agencyrole": AgencyRole._meta.db_table,
        "user_groups": user_groups._meta.db_table,
        "register": Register._meta.db_table,
        "register_types": register_types._meta.db_table,
        "counter": RegisterCounter._meta.db_table,
        "incoming": IncomingDocument._meta.db_table,
        "outgoing": OutgoingDocument._meta.db_table,
        "assignment": Assignment._meta.db_table,
        "history": HistoryEntry._meta.db_table,
        "perm": IncomingDocumentUserObjectPermission._meta.db_table,
        "recipient": OutgoingRecipient._meta.db_table,
    }
    with connection.cursor() as cur:
        ids = _max_ids(cur, tables)

    # --- organisation ----------------------------------------------------------------------------
    started = time.perf_counter()
    org = build_org(n_agencies=n_agencies, n_users=n_users, seed=seed, ids=ids)
    password = make_password(PASSWORD)
    role_labels = {r.value: str(r.label) for r in Role}
    types = {t.name: (t.pk, t.abbreviation) for t in DocumentType.objects.filter(is_active=True)}
    qd = types.get("Quyết định", (None, ""))[0]

    def write_all(model, rows: list[dict]) -> None:
        t0 = time.perf_counter()
        sink = Sink(connect, model, now, shared)
        for r in rows:
            sink.write(r)
        sink.close()
        report["rows"][model._meta.db_table] = sink.count
        report["seconds"][model._meta.db_table] = round(time.perf_counter() - t0, 2)

    write_all(
        Agency,
        [
            {
                "id": a.id,
                "name": a.name,
                "parent_id": a.parent_id,
                "code": a.code,
                "abbreviation": a.abbr,
                "place_name": V.PLACE,
                "address": f"{V.PROVINCE}",
                "email": f"{a.slug}@{V.EMAIL_DOMAIN}",
                "created_at": now,
            }
            for a in org.agencies
        ],
    )
    write_all(
        Department,
        [
            {"id": d.id, "agency_id": d.agency_id, "name": d.name, "abbreviation": d.abbr, "order": d.order}
            for d in org.depts.values()
        ],
    )
    write_all(
        User,
        [
            {
                "id": p.id,
                "username": p.username,
                "password": password,
                "full_name": p.full_name,
                "email": f"{p.username}@{V.EMAIL_DOMAIN}",
                "agency_id": p.agency_id,
                "department_id": p.dept_id,
                "position": p.position,
                "search_name": fold(p.full_name),
                "is_active": True,
                "is_superuser": False,
                "is_staff": False,
                "date_joined": now,
            }
            for p in org.people.values()
        ],
    )
    groups, roles_rows, member_rows = [], [], []
    gid = ids["group"]
    group_of: dict[tuple[int, str], int] = {}
    rid = ids["agencyrole"]
    for a in org.agencies:
        for role in ("leader", "clerk", "department_head", "officer"):
            groups.append({"id": gid, "name": f"{a.code} · {role_labels[role]}"})
            roles_rows.append({"id": rid, "group_id": gid, "agency_id": a.id, "role": role})
            group_of[a.id, role] = gid
            gid += 1
            rid += 1
    mid = ids["user_groups"]
    for p in org.people.values():
        for role in p.roles:
            member_rows.append({"id": mid, "user_id": p.id, "group_id": group_of[p.agency_id, role]})
            mid += 1
    write_all(Group, groups)
    write_all(AgencyRole, roles_rows)
    write_all(user_groups, member_rows)
    regs, reg_types = [], []
    reg_id = ids["register"]
    for a in org.agencies:
        a.register_in, a.register_out = reg_id, reg_id + 1
        regs.append(
            {
                "id": reg_id,
                "agency_id": a.id,
                "kind": "incoming",
                "code": "CHUNG",
                "name": "Sổ đăng ký văn bản đến",
                "is_default": True,
            }
        )
        regs.append(
            {
                "id": reg_id + 1,
                "agency_id": a.id,
                "kind": "outgoing",
                "code": "CHUNG",
                "name": "Sổ đăng ký văn bản đi",
                "is_default": True,
            }
        )
        reg_id += 2
        if a.weight >= 9 and qd:
            a.register_out_qd = reg_id
            regs.append(
                {
                    "id": reg_id,
                    "agency_id": a.id,
                    "kind": "outgoing",
                    "code": "QD",
                    "name": "Sổ quyết định",
                    "is_default": False,
                }
            )
            reg_types.append(
                {"id": ids["register_types"] + len(reg_types), "register_id": reg_id, "documenttype_id": qd}
            )
            reg_id += 1
    write_all(Register, regs)
    write_all(register_types, reg_types)
    report["seconds"]["organisation"] = round(time.perf_counter() - started, 2)
    log(
        f"organisation: {len(org.agencies)} agencies, {len(org.depts)} units, {len(org.people)} staff "
        f"({report['seconds']['organisation']} s)"
    )

    # --- documents --------------------------------------------------------------------------------
    big_tables = [tables[k] for k in ("incoming", "outgoing", "assignment", "history", "perm", "recipient")]
    saved = []
    if drop_indexes:
        started = time.perf_counter()
        saved = drop_secondary(connect, big_tables)
        report["seconds"]["drop_indexes"] = round(time.perf_counter() - started, 2)
    rng = random.Random(f"{seed}-docs-{n_docs}")
    weights = dict(V.TYPE_WEIGHTS)
    type_names = [n for n in types if n in weights] or list(types)
    ctx = Ctx(
        clock=Clock(now),
        org=org,
        rng=rng,
        texts=Texts(random.Random(f"{seed}-text"), fold, now),
        fold=fold,
        types=types,
        type_names=type_names,
        type_cum=_cum([weights.get(n, 1.0) for n in type_names]),
        ct_incoming=ContentType.objects.get_for_model(IncomingDocument).pk,
        ct_outgoing=ContentType.objects.get_for_model(OutgoingDocument).pk,
        perm_view=Permission.objects.get(
            content_type__app_label="documents", codename="view_incomingdocument"
        ).pk,
        sinks={},
        later={"perm": [], "recipient": []},
        next_id=dict(ids),
        counters={},
        stats={},
    )
    started = time.perf_counter()
    ctx.sinks = {
        "incoming": Sink(connect, IncomingDocument, now, shared),
        "outgoing": Sink(connect, OutgoingDocument, now, shared),
        "assignment": Sink(connect, Assignment, now, shared),
        "history": Sink(connect, HistoryEntry, now, shared),
    }
    n_in = round(n_docs * 0.7)
    n_out = n_docs - n_in
    clock = ctx.clock
    t0 = clock.from_dt(now - timedelta(days=5 * 365))
    agency_cum = _cum([a.weight for a in org.agencies])
    in_times = _sample_times(rng, n_in, t0, clock.t_now)
    in_agencies = [_pick(rng, org.agencies, agency_cum) for _ in range(n_in)]
    # The persona's "typical document": the last document of the persona agency received 4+ working days ago.
    persona_agency = org.by_id[org.persona["agency"]]
    forced_i = -1
    for i in range(n_in - 1, -1, -1):
        if in_agencies[i] is persona_agency and in_times[i] <= clock.t_now - 4:
            forced_i = i
            break
    progress_every = max(n_in // 10, 1)
    for i, (t, agency) in enumerate(zip(in_times, in_agencies, strict=True)):
        gen_incoming(ctx, i, t, agency, forced=i == forced_i)
        if i % progress_every == progress_every - 1:
            log(f"  incoming {i + 1:,}/{n_in:,} ({time.perf_counter() - started:.0f} s)")
    report["seconds"]["incoming_stream"] = round(time.perf_counter() - started, 2)
    out_times = _sample_times(rng, n_out, t0, clock.t_now)
    for t in out_times:
        gen_outgoing(ctx, t, _pick(rng, org.agencies, agency_cum))
    report["seconds"]["outgoing_stream"] = round(
        time.perf_counter() - started - report["seconds"]["incoming_stream"], 2
    )
    for key, sink in ctx.sinks.items():
        t1 = time.perf_counter()
        sink.close()
        report["rows"][sink.table] = sink.count
        report["seconds"][f"close_{key}"] = round(time.perf_counter() - t1, 2)
    write_all(IncomingDocumentUserObjectPermission, ctx.later["perm"])
    write_all(OutgoingRecipient, ctx.later["recipient"])
    counters = [
        {"id": ids["counter"] + n, "register_id": reg, "year": year, "last_number": last}
        for n, ((reg, year), last) in enumerate(sorted(ctx.counters.items()))
    ]
    write_all(RegisterCounter, counters)
    report["seconds"]["documents"] = round(time.perf_counter() - started, 2)
    log(
        f"documents: {n_in:,} incoming, {n_out:,} outgoing, {ctx.sinks['assignment'].count:,} assignments, "
        f"{ctx.sinks['history'].count:,} history rows ({report['seconds']['documents']} s)"
    )

    # --- a year of meeting schedules (bench/meetings_data.py) ------------------------------------------
    from bench import meetings_data

    started = time.perf_counter()
    report["meetings"] = meetings_data.load(org=org, now=now, seed=seed, write_all=write_all, log=log)
    report["seconds"]["meetings"] = round(time.perf_counter() - started, 2)

    # --- a year of citizen reception, letters and cases (bench/complaints_data.py) ----------------------
    from bench import complaints_data

    started = time.perf_counter()
    report["complaints"] = complaints_data.load(org=org, now=now, seed=seed, write_all=write_all, log=log)
    report["seconds"]["complaints"] = round(time.perf_counter() - started, 2)

    # --- indexes, constraints, sequences, statistics ---------------------------------------------------
    if saved:
        started = time.perf_counter()
        report["index_seconds"] = restore_secondary(connect, saved)
        report["seconds"]["restore_indexes"] = round(time.perf_counter() - started, 2)
        log(f"indexes and constraints re-created ({report['seconds']['restore_indexes']} s)")
    started = time.perf_counter()
    sequences = [
        f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
        f'(SELECT coalesce(max(id), 0) + 1 FROM "{table}"), false)'
        for table in tables.values()
    ]
    if shared is not None:
        with connection.cursor() as cur:
            for sql in sequences:
                cur.execute(sql)
            for table in tables.values():
                cur.execute(f'ANALYZE "{table}"')
    else:
        with connect() as conn:
            conn.autocommit = True
            for sql in sequences:
                conn.execute(sql)
            if vacuum:
                for table in big_tables:
                    conn.execute(f'VACUUM (ANALYZE) "{table}"')
            conn.execute("ANALYZE")
    report["seconds"]["analyze"] = round(time.perf_counter() - started, 2)
    report["seconds"]["total"] = round(time.perf_counter() - t_all, 2)
    report["stats"] = dict(sorted(ctx.stats.items()))
    report["persona"] = {**org.persona, "detail_document": ctx.persona_detail}
    report["org"] = {"agencies": len(org.agencies), "departments": len(org.depts), "staff": len(org.people)}
    log(f"sequences, VACUUM ANALYZE ({report['seconds']['analyze']} s); total {report['seconds']['total']} s")
    return report


# --------------------------------------------------------------------------------------------------
# Personas
# --------------------------------------------------------------------------------------------------


def choose_personas(report: dict) -> dict:
    """The benchmark personas (none a superuser) with what they hold; stored in ``bench_meta``."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from documents.models import IncomingDocument
    from eoffice.models import User

    p = report["persona"]
    ct = ContentType.objects.get_for_model(IncomingDocument).pk
    users = {u.pk: u for u in User.objects.filter(pk__in=[p["officer"], p["head"], p["leader"], p["clerk"]])}
    assert not any(u.is_superuser for u in users.values()), "a persona must not be a superuser"
    with connection.cursor() as cur:
        cur.execute(
            "SELECT count(*) FILTER (WHERE status = 'open' AND role <> 'inform'), "
            "count(*) FILTER (WHERE status = 'done' AND role <> 'inform') FROM workflow_assignment a "
            "WHERE a.assignee_id = %s AND a.content_type_id = %s AND NOT EXISTS ("
            "SELECT 1 FROM workflow_assignment c WHERE c.parent_id = a.id AND c.status = 'open')",
            [p["officer"], ct],
        )
        open_items, done_items = cur.fetchone()
        cur.execute(
            "SELECT count(*) FROM documents_incomingdocument WHERE agency_id = %s AND state = 'received' "
            "AND recalled_at IS NULL",
            [p["agency"]],
        )
        awaiting_direction = cur.fetchone()[0]
        detail = p.get("detail_document") or 0
        cur.execute(
            "SELECT (SELECT count(*) FROM workflow_historyentry"
            " WHERE content_type_id = %s AND object_id = %s), "
            "(SELECT count(*) FROM workflow_assignment WHERE content_type_id = %s AND object_id = %s)",
            [ct, detail, ct, detail],
        )
        history_rows, assignment_rows = cur.fetchone()
        cur.execute(
            "SELECT id FROM documents_register WHERE agency_id = %s AND kind = 'incoming' AND is_default",
            [p["agency"]],
        )
        register = cur.fetchone()[0]
    personas = {
        "agency": p["agency"],
        "officer": {
            "id": p["officer"],
            "username": users[p["officer"]].username,
            "open_items": open_items,
            "done_items": done_items,
        },
        "head": {"id": p["head"], "username": users[p["head"]].username},
        "leader": {
            "id": p["leader"],
            "username": users[p["leader"]].username,
            "awaiting_direction": awaiting_direction,
        },
        "clerk": {"id": p["clerk"], "username": users[p["clerk"]].username},
        "detail_document": {"id": detail, "history_rows": history_rows, "assignments": assignment_rows},
        "incoming_register": register,
    }
    with connection.cursor() as cur:
        cur.execute("CREATE TABLE IF NOT EXISTS bench_meta (key text PRIMARY KEY, value jsonb NOT NULL)")
        cur.execute(
            "INSERT INTO bench_meta (key, value) VALUES ('personas', %s) "
            "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
            [json.dumps(personas)],
        )
    return personas


def write_persona_files(personas: dict) -> list[str]:
    """The files the persona pages may open: the detail document's PDF (a short letter by WeasyPrint)."""
    from django.core.files.base import ContentFile

    from documents.demo import letter_pdf
    from documents.models import IncomingDocument

    written = []
    doc = IncomingDocument.objects.filter(pk=personas["detail_document"]["id"]).first()
    if doc is None:
        return written
    storage = doc.file.storage
    if not storage.exists(doc.file.name):
        pdf = letter_pdf(
            {
                "issuer": doc.issuer_name,
                "parent": "",
                "issuer_short": doc.issuer_name,
                "unit": "",
                "number_symbol": doc.number_symbol,
                "is_letter": not doc.doc_type.abbreviation,
                "summary": doc.summary,
                "summary_short": doc.summary,
                "type_name": doc.doc_type.name,
                "issued": doc.issued_date,
                "urgency": "",
                "secret": "",
                "paragraphs": [doc.text_content or doc.summary],
                "signer_title": "",
                "signer": doc.signer_name,
            }
        )
        storage.save(doc.file.name, ContentFile(pdf))
        written.append(doc.file.name)
    return written


# --------------------------------------------------------------------------------------------------
# Command line
# --------------------------------------------------------------------------------------------------


def scale_label(n_docs: int) -> str:
    if n_docs >= 1_000_000 and n_docs % 1_000_000 == 0:
        return f"{n_docs // 1_000_000}m"
    if n_docs >= 1000 and n_docs % 1000 == 0:
        return f"{n_docs // 1000}k"
    return str(n_docs)


def machine_info() -> dict:
    from django.db import connection

    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    ram = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split("\n")[0].split()[1])
        ram = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    with connection.cursor() as cur:
        cur.execute("SELECT version()")
        pg = cur.fetchone()[0].split(",")[0]
        cur.execute("SHOW shared_buffers")
        shared_buffers = cur.fetchone()[0]
        cur.execute("SHOW work_mem")
        work_mem = cur.fetchone()[0]
    return {
        "cpus": os.cpu_count(),
        "cpu_model": cpu,
        "ram": ram,
        "postgres": pg,
        "shared_buffers": shared_buffers,
        "work_mem": work_mem,
        "python": platform.python_version(),
        "machine": platform.machine(),
        "load_average": [round(x, 2) for x in os.getloadavg()],  # other work on the machine at the time
    }


def _reset_database(settings_dict: dict) -> None:
    import psycopg

    name = settings_dict["NAME"]
    params = {
        "dbname": "postgres",
        "user": settings_dict.get("USER") or None,
        "password": settings_dict.get("PASSWORD") or None,
        "host": settings_dict.get("HOST") or None,
        "port": settings_dict.get("PORT") or None,
    }
    with psycopg.connect(**{k: v for k, v in params.items() if v}, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--docs", type=int, default=1_000_000, help="documents (70 %% incoming, 30 %% outgoing)"
    )
    parser.add_argument("--agencies", type=int, default=300)
    parser.add_argument("--users", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--reset", action="store_true", help="drop and re-create the database first")
    parser.add_argument("--keep-indexes", action="store_true", help="load with the indexes in place")
    args = parser.parse_args()

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    db = connection.settings_dict["NAME"]
    if db in {"eoffice", "eo_lead"} or db.startswith("test_"):
        sys.exit(f"refusing to load into {db!r}: use a separate database (e.g. eo_bench_1m)")
    if args.reset:
        connection.close()
        _reset_database(connection.settings_dict)
        print(f"database {db} dropped and re-created")
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    migrate_seconds = round(time.perf_counter() - started, 1)
    from documents.models import IncomingDocument, OutgoingDocument
    from eoffice.models import Agency

    if IncomingDocument.objects.exists() or OutgoingDocument.objects.exists() or Agency.objects.exists():
        sys.exit(f"{db} already has agencies or documents: run again with --reset to replace them")
    report = load(
        n_docs=args.docs,
        n_agencies=args.agencies,
        n_users=args.users,
        seed=args.seed,
        drop_indexes=not args.keep_indexes,
    )
    report["seconds"]["migrate"] = migrate_seconds
    personas = choose_personas(report)
    files = write_persona_files(personas)
    report.update(
        {
            "database": db,
            "docs": args.docs,
            "seed": args.seed,
            "drop_indexes": not args.keep_indexes,
            "personas": personas,
            "files_written": files,
            "machine": machine_info(),
            "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        }
    )
    with connection.cursor() as cur:
        cur.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        report["database_size"] = cur.fetchone()[0]
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"province-{scale_label(args.docs)}.json"
    out.write_text(json.dumps(report, ensure_ascii=False, indent=2, default=str) + "\n")
    print(
        json.dumps(
            {"personas": personas, "seconds": report["seconds"], "size": report["database_size"]},
            ensure_ascii=False,
            indent=2,
        )
    )
    print(f"written {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
