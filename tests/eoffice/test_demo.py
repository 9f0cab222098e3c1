"""The demo data (`manage.py seed_demo`): idempotent, complete, with valid images, and as README.md says."""

import dataclasses
import io
import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import translation
from PIL import Image, ImageStat

from eoffice import demo
from eoffice.demo_images import seal_png, signature_png
from eoffice.models import Agency, AgencyRole, Department, Role, User
from eoffice.validators import validate_transparent_png

README = Path(__file__).resolve().parents[2] / "README.md"
SO_CODES = [agency.code for agency in demo.AGENCIES if agency.name.startswith("Sở ")]
APP_SEEDERS = list(demo.SEEDERS)  # registered by the apps' ready()


@pytest.fixture
def seed(settings, monkeypatch):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # These tests are about the core data and run the command a dozen times: without the apps' seeders
    # (documents and dossiers, tens of seconds each time). test_seeding_twice_changes_nothing runs them all.
    monkeypatch.setattr(demo, "SEEDERS", [])

    def _seed(*args: str) -> str:
        out = io.StringIO()
        call_command("seed_demo", *args, stdout=out)
        return out.getvalue()

    return _seed


@pytest.fixture
def seeded(db, seed):
    seed()


def _snapshot(media_root: str) -> dict:
    return {
        "agencies": list(Agency.objects.order_by("pk").values()),
        "departments": list(Department.objects.order_by("pk").values()),
        "users": list(User.objects.order_by("pk").values()),
        "groups": list(Group.objects.order_by("pk").values()),
        "roles": list(AgencyRole.objects.order_by("pk").values()),
        "memberships": list(User.groups.through.objects.order_by("pk").values()),
        "files": sorted(str(p) for p in Path(media_root).rglob("*") if p.is_file()),
    }


@pytest.mark.django_db
def test_seeding_twice_changes_nothing(seed, settings, monkeypatch):
    assert {seeder.__module__ for seeder in APP_SEEDERS} >= {"documents.demo", "onestop.demo"}
    monkeypatch.setattr(demo, "SEEDERS", APP_SEEDERS)  # the whole demo, every app's seeder included
    first_output = seed()
    assert "Đã tạo" in first_output
    before = _snapshot(settings.MEDIA_ROOT)
    second_output = seed()
    assert "không có gì thay đổi" in second_output
    assert _snapshot(settings.MEDIA_ROOT) == before
    assert len(before["agencies"]) == len(demo.AGENCIES)
    assert len(before["users"]) == len(demo.STAFF) + 1


def test_the_province_structure(seeded):
    ubnd = Agency.objects.get(abbreviation="UBND")
    assert ubnd.parent is None
    assert ubnd.name == "Ủy ban nhân dân tỉnh An Hòa"
    sos = Agency.objects.filter(parent=ubnd)
    assert {"SKHĐT", "STTTT"} <= set(sos.values_list("abbreviation", flat=True))
    for agency in Agency.objects.all():
        agency.full_clean()  # codes follow QCVN 102, names and place present
        assert agency.place_name == "An Hòa"
        assert agency.departments.exists()
    for department in Department.objects.all():
        department.full_clean()
    assert Department.objects.filter(parent__isnull=False, parent__parent__isnull=True).exists()
    assert Department.objects.get(agency__abbreviation="SKHĐT", abbreviation="ĐKKD").name == (
        "Phòng Đăng ký kinh doanh"
    )


def test_staff_cover_every_role_in_each_so(seeded):
    staff = User.objects.filter(agency__isnull=False)
    assert staff.count() >= 15
    for code in SO_CODES:
        agency = Agency.objects.get(code=code)
        held = set(
            AgencyRole.objects.filter(agency=agency, group__user__isnull=False).values_list("role", flat=True)
        )
        assert held == set(Role.values), agency.name
    for user in staff:
        user.full_clean()
        assert user.email.endswith("@anhoa.gov.vn")
        assert user.full_name != user.full_name.encode("ascii", "ignore").decode()  # has diacritics
        assert user.position and user.phone
        assert user.roles, user.username
        assert user.is_staff == user.has_role(Role.AGENCY_ADMIN)
        assert not user.is_superuser
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff and admin.agency is None


def test_every_staff_member_has_a_blue_signature_and_every_agency_a_red_seal(seeded):
    for user in User.objects.filter(agency__isnull=False):
        with user.signature_image.open("rb") as handle:
            validate_transparent_png(handle)
            r, g, b = _ink(Image.open(handle))
        assert b > 120 and b > r + 60 and b > g + 60, user.username
    for agency in Agency.objects.all():
        with agency.seal_image.open("rb") as handle:
            validate_transparent_png(handle)
            image = Image.open(handle)
            assert abs(image.width - 472) <= 2 and image.width == image.height
            r, g, b = _ink(image)
        assert r > 150 and g < 80 and b < 80, agency.name


def _ink(image: Image.Image) -> tuple[int, int, int]:
    """The mean colour of the opaque pixels, after checking that the background is see-through."""
    image = image.convert("RGBA")
    alpha = image.getchannel("A")
    assert alpha.getextrema()[0] == 0 and alpha.getextrema()[1] > 200
    assert alpha.getpixel((0, 0)) == 0
    opaque = alpha.point(lambda v: 255 if v > 200 else 0)
    return tuple(round(v) for v in ImageStat.Stat(image.convert("RGB"), mask=opaque).mean)


def test_images_are_deterministic_and_personal():
    assert signature_png("Phan Minh Đức") == signature_png("Phan Minh Đức")
    assert signature_png("Phan Minh Đức") != signature_png("Trịnh Thị Mai")
    assert seal_png("Sở Tư pháp tỉnh An Hòa", "An Hòa") == seal_png("Sở Tư pháp tỉnh An Hòa", "An Hòa")


@pytest.mark.django_db
def test_a_missing_image_is_drawn_again(seed):
    seed()
    agency = Agency.objects.get(abbreviation="STP")
    name = agency.seal_image.name
    agency.seal_image.storage.delete(name)
    assert "Đã vẽ 1 ảnh" in seed()
    agency.refresh_from_db()
    assert agency.seal_image.name == name
    assert agency.seal_image.storage.exists(name)


@pytest.mark.django_db
def test_passwords_are_kept_unless_reset_is_asked(seed):
    seed()
    user = User.objects.get(username="vanthu.skhdt")
    user.set_password("Mat-khau-rieng-2026")
    user.save()
    seed()
    user.refresh_from_db()
    assert user.check_password("Mat-khau-rieng-2026")
    assert "Đã đặt lại mật khẩu" in seed("--reset-passwords")
    user.refresh_from_db()
    assert user.check_password(demo.DEMO_PASSWORD)


@pytest.mark.django_db
def test_an_edited_field_is_put_back_and_roles_restored(seed):
    seed()
    user = User.objects.get(username="truongphong.skhdt")
    User.objects.filter(pk=user.pk).update(position="Khác")
    user.groups.clear()
    output = seed()
    assert "Đã cập nhật: 1 tài khoản" in output
    assert "Đã gán vai trò cho 1 tài khoản" in output
    user = User.objects.get(pk=user.pk)
    assert user.position == "Trưởng phòng Đăng ký kinh doanh"
    assert user.roles == {Role.DEPARTMENT_HEAD}


@pytest.mark.django_db
def test_registered_seeders_run_after_the_core_data(seed, monkeypatch):
    calls = []

    def seeder(stdout):
        calls.append(Agency.objects.filter(code=demo.UBND).exists())
        stdout.write("seeder chạy")

    monkeypatch.setattr(demo, "SEEDERS", [])
    demo.register_seeder(seeder)
    demo.register_seeder(seeder)
    assert "seeder chạy" in seed()
    assert calls == [True]


def test_every_demo_account_logs_in_through_the_login_page(seeded):
    for account in demo.demo_accounts():
        client = Client()
        response = client.post(
            reverse("login"), {"username": account["username"], "password": account["password"]}
        )
        assert response.status_code == 302, account["username"]
        assert response["Location"] == reverse("dashboard")
        assert client.session["_auth_user_id"] == str(User.objects.get(username=account["username"]).pk)


def test_demo_accounts_match_the_seeded_users(seeded):
    names = {a.code: a.name for a in Agency.objects.all()}
    for account in demo.demo_accounts():
        user = User.objects.get(username=account["username"])
        assert account["agency"] == (names[user.agency.code] if user.agency else "—")
        for code in user.roles:
            assert demo.ROLE_LABELS[code] in account["role_label"]


def test_role_labels_are_those_of_the_model():
    with translation.override("vi"):
        assert {code: str(label) for code, label in Role.choices} == demo.ROLE_LABELS


def test_readme_table_lists_exactly_the_demo_accounts():
    text = README.read_text(encoding="utf-8")
    block = re.search(r"<!-- demo-accounts:start -->\n(.*?)\n<!-- demo-accounts:end -->", text, re.S)
    assert block, "README.md lacks the demo-accounts markers"
    assert block.group(1).strip() == demo.demo_accounts_markdown(), (
        "README.md is out of date: paste the output of "
        "`python -c 'from eoffice.demo import demo_accounts_markdown as t; print(t())'`"
    )
    rows = [line for line in block.group(1).splitlines() if line.startswith("| `")]
    usernames = [re.match(r"\| `([^`]+)`", row).group(1) for row in rows]
    assert usernames == [a["username"] for a in demo.demo_accounts()]


def test_seed_refuses_invalid_data(seed, monkeypatch, db):
    bad = dataclasses.replace(demo.AGENCIES[0], code="H99")
    monkeypatch.setattr(demo, "AGENCIES", [bad])
    monkeypatch.setattr(demo, "STAFF", [])
    with pytest.raises(ValidationError):
        seed()
    assert not Agency.objects.exists() and not User.objects.exists()  # one transaction: nothing kept
