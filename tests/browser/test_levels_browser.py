"""Information levels in a real browser (Phụ lục VI IV.1.a): the agency admin defines a level naming one
officer, the leader gives it to a case file on the file's page, then the named officer still opens the file
and a colleague of the same unit gets the "not found" page; at desktop and phone width."""

from __future__ import annotations

import pytest
from django.urls import reverse

from documents.records.levels.models import InformationLevel
from documents.records.models import CaseFile
from eoffice.models import Role
from tests.browser.fixtures import DESKTOP, PHONE
from tests.documents.records.test_services import open_file
from tests.factories import make_agency, make_department, make_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _person(open_page, viewport, name, user):
    page = open_page(viewport, name)
    page.login(user)
    return page


def _submit(page, locator) -> None:
    with page.page.expect_navigation():
        locator.click()
    page.page.wait_for_load_state("networkidle")


def test_admin_defines_leader_sets_members_read(open_page, transactional_db):
    agency = make_agency(name="Sở Kế hoạch và Đầu tư", abbreviation="SKHĐT")
    unit = make_department(agency=agency, name="Phòng Tổ chức cán bộ", abbreviation="TCCB")
    admin = make_user(agency=agency, roles=[Role.AGENCY_ADMIN], full_name="Hồ Quang Minh")
    leader = make_user(agency=agency, roles=[Role.LEADER], full_name="Vũ Đức Thắng")
    owner = make_user(agency=agency, department=unit, roles=[Role.OFFICER], full_name="Nguyễn Thị Lan")
    member = make_user(agency=agency, department=unit, roles=[Role.OFFICER], full_name="Trần Văn Bình")
    colleague = make_user(agency=agency, department=unit, roles=[Role.OFFICER], full_name="Lê Thị Hoa")
    case_file = open_file(owner, code="01.TCCB", title="Hồ sơ nâng lương năm 2026")

    page = _person(open_page, DESKTOP, "admin", admin)
    page.goto(reverse("documents:info_levels"))
    form = page.page.locator('[data-testid="level-form"]')
    form.locator('input[name="name"]').fill("Hồ sơ nhân sự")
    form.locator('input[name="rank"]').fill("2")
    form.locator('select[name="users"]').select_option(label=f"{member.full_name} ({member.username})")
    _submit(page, form.locator('button[type="submit"]'))
    assert page.page.locator('[data-testid="level-row"]').count() == 1
    assert "Hồ sơ nhân sự" in page.page.locator('[data-testid="levels-table"]').inner_text()
    page.shot("levels-admin")
    assert not page.errors, page.errors
    level = InformationLevel.objects.get(agency=agency)
    assert list(level.users.all()) == [member]

    page = _person(open_page, PHONE, "leader", leader)
    page.goto(case_file.get_absolute_url())
    panel = page.page.locator('[data-testid="casefile-level"]')
    panel.locator("summary").click()
    panel.locator('select[name="level"]').select_option(label="Hồ sơ nhân sự")
    panel.locator('input[name="reason"]').fill("Hồ sơ cá nhân của cán bộ")
    _submit(page, panel.locator('button[type="submit"]'))
    assert CaseFile.objects.get(pk=case_file.pk).info_level_id == level.pk
    # the leader is not a member: the file is out of sight now
    assert page.page.locator("h1").first.inner_text() != case_file.title
    assert page.no_horizontal_overflow()

    page = _person(open_page, PHONE, "member", member)
    page.goto(case_file.get_absolute_url())
    assert "Hồ sơ nâng lương năm 2026" in page.page.content()
    assert (
        "Cấp độ thông tin: Hồ sơ nhân sự" in page.page.locator('[data-testid="casefile-level"]').inner_text()
    )
    page.shot("levels-member")
    assert page.no_horizontal_overflow()
    assert not page.errors, page.errors

    page = _person(open_page, DESKTOP, "colleague", colleague)
    response = page.page.goto(page.base_url + case_file.get_absolute_url())
    assert response.status == 404
    page.goto(reverse("documents:casefile_list"))
    assert "Hồ sơ nâng lương năm 2026" not in page.page.content()
