"""Information levels an administrator defines (Phụ lục VI IV.1.a): a file given a level is read only by its
owner and the level's members (people, units, groups); the archivist once it is archived; another agency's
administrator cannot touch them; the pages work through HTTP and the history says who set a level and why."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from documents.records import access
from documents.records.levels import services
from documents.records.levels.models import InformationLevel
from documents.records.models import CaseFile
from eoffice.models import Role
from tests.documents.records.test_services import open_file
from tests.factories import make_user
from workflow.models import HistoryEntry

pytestmark = pytest.mark.django_db


def _sees(user, case_file) -> bool:
    return access.visible_case_files(user).filter(pk=case_file.pk).exists()


@pytest.fixture
def admin(people):
    return make_user(agency=people["clerk"].agency, roles=[Role.AGENCY_ADMIN])


def test_a_level_narrows_who_reads_the_file(people, admin):
    case_file = open_file(people["officer"], code="01.NS")
    level = services.level_save(by=admin, name="Hồ sơ nhân sự", rank=2, users=[people["officer2"]])
    assert _sees(people["head"], case_file) and _sees(people["leader"], case_file)
    services.casefile_set_level(
        by=people["leader"], case_file_pk=case_file.pk, level_pk=level.pk, reason="Nhân sự"
    )
    assert _sees(people["officer"], case_file)  # the owner
    assert _sees(people["officer2"], case_file)  # a named member
    for user in (people["head"], people["leader"], people["clerk"], admin):
        assert not _sees(user, case_file), user
    entry = HistoryEntry.objects.for_record(case_file).get(action="casefile_level")
    assert "Hồ sơ nhân sự" in entry.comment and "Nhân sự" in entry.comment
    assert entry.actor == people["leader"]


def test_members_by_unit_and_by_group(people, admin):
    case_file = open_file(people["officer"], code="02.NS")
    group = Group.objects.create(name="Tổ thanh tra")
    people["leader"].groups.add(group)
    level = services.level_save(
        by=admin, name="Thanh tra", rank=3, departments=[people["head"].department], groups=[group]
    )
    CaseFile.objects.filter(pk=case_file.pk).update(info_level=level)
    assert _sees(people["head"], case_file)  # the unit
    assert _sees(people["leader"], case_file)  # the group
    assert not _sees(people["other_officer"], case_file)
    assert not _sees(people["clerk"], case_file)


def test_archivist_reads_it_once_archived(people, admin):
    archivist = make_user(agency=people["clerk"].agency, roles=[Role.ARCHIVIST])
    case_file = open_file(people["officer"], code="03.NS")
    level = services.level_save(by=admin, name="Mật nội bộ", rank=1)
    CaseFile.objects.filter(pk=case_file.pk).update(info_level=level)
    assert not _sees(archivist, case_file)
    CaseFile.objects.filter(pk=case_file.pk).update(status=CaseFile.Status.ARCHIVED)
    assert _sees(archivist, case_file)


def test_who_may_define_and_set(people, people_b, admin):
    with pytest.raises(PermissionDenied):
        services.level_save(by=people["leader"], name="X", rank=1)
    level = services.level_save(by=admin, name="X", rank=1)
    with pytest.raises(ValidationError):
        services.level_save(by=admin, name="X", rank=2)  # same name
    with pytest.raises(ValidationError):
        services.level_save(by=admin, name="Y", rank=1, users=[people_b["clerk"]])  # another agency's person
    case_file = open_file(people["officer"], code="04.NS")
    for user in (people["officer"], people["clerk"], people["head"], people_b["leader"]):
        with pytest.raises(PermissionDenied):
            services.casefile_set_level(by=user, case_file_pk=case_file.pk, level_pk=level.pk, reason="r")
    with pytest.raises(ValidationError):
        services.casefile_set_level(
            by=people["leader"], case_file_pk=case_file.pk, level_pk=level.pk, reason=" "
        )
    other = InformationLevel.objects.create(agency=people_b["clerk"].agency, name="B", rank=1)
    with pytest.raises(ValidationError):
        services.casefile_set_level(
            by=people["leader"], case_file_pk=case_file.pk, level_pk=other.pk, reason="r"
        )
    assert CaseFile.objects.get(pk=case_file.pk).info_level_id is None


def test_pages_through_http(client, people, admin):
    client.force_login(admin)
    url = reverse("documents:info_levels")
    response = client.post(
        url, {"name": "Hồ sơ nhân sự", "rank": "2", "users": [people["officer2"].pk], "is_active": "on"}
    )
    assert response.status_code == 302
    level = InformationLevel.objects.get(name="Hồ sơ nhân sự")
    assert list(level.users.all()) == [people["officer2"]]
    page = client.get(url)
    assert "Hồ sơ nhân sự" in page.content.decode()
    bad = client.post(url, {"name": "", "rank": "abc"})
    assert bad.status_code == 200 and "Tên cấp độ" in bad.content.decode()
    client.force_login(people["officer"])
    assert client.get(url).status_code == 403

    case_file = open_file(people["officer"], code="05.NS")
    client.force_login(people["leader"])
    detail = client.get(case_file.get_absolute_url())
    assert 'data-testid="level-set-form"' in detail.content.decode()
    response = client.post(
        reverse("documents:casefile_level", args=[case_file.pk]), {"level": level.pk, "reason": "Nhân sự"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("documents:casefile_list")  # not a 404: the leader is no member
    assert CaseFile.objects.get(pk=case_file.pk).info_level_id == level.pk
    assert client.get(case_file.get_absolute_url()).status_code == 404  # the leader is not a member
    client.force_login(people["officer2"])
    page = client.get(case_file.get_absolute_url()).content.decode()
    assert "Cấp độ thông tin" in page and 'data-testid="level-set-form"' not in page


def test_levels_page_counts_members_and_files(client, people, admin):
    group = Group.objects.create(name="Tổ nhân sự")
    level = services.level_save(
        by=admin,
        name="Nhân sự",
        rank=2,
        users=[people["officer"], people["officer2"]],
        departments=[people["head"].department],
        groups=[group],
    )
    services.level_save(by=admin, name="Trống", rank=3)
    files = [open_file(people["officer"], code=f"0{i}.NS") for i in (7, 8, 9)]
    CaseFile.objects.filter(pk__in=[f.pk for f in files]).update(info_level=level)
    client.force_login(admin)
    levels = {x.name: x for x in client.get(reverse("documents:info_levels")).context["levels"]}
    counted = levels["Nhân sự"]
    assert (counted.n_users, counted.n_departments, counted.n_groups, counted.n_files) == (2, 1, 1, 3)
    empty = levels["Trống"]
    assert (empty.n_users, empty.n_departments, empty.n_groups, empty.n_files) == (0, 0, 0, 0)
