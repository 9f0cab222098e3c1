"""Django admin: an agency admin manages only their own agency's people."""

import pytest
from django.urls import reverse

from eoffice.models import Role, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def agency_admin(staff_a):
    admin = staff_a[Role.AGENCY_ADMIN]
    admin.is_staff = True
    admin.save()
    return admin


def test_agency_admin_lists_only_own_staff(agency_admin, staff_b, login):
    client = login(agency_admin)
    body = client.get(reverse("admin:eoffice_user_changelist")).content.decode()
    assert agency_admin.username in body
    for person in staff_b.values():
        assert person.username not in body


def test_agency_admin_cannot_open_or_change_other_agency_rows(agency_admin, staff_b, dept_b, agency_b, login):
    client = login(agency_admin)
    other = staff_b[Role.OFFICER]
    for url in [
        reverse("admin:eoffice_user_change", args=[other.pk]),
        reverse("admin:eoffice_department_change", args=[dept_b.pk]),
        reverse("admin:eoffice_agency_change", args=[agency_b.pk]),
    ]:
        response = client.get(url)
        assert response.status_code in (302, 404), url
        assert response.status_code != 200
    response = client.post(
        reverse("admin:eoffice_user_change", args=[other.pk]), {"full_name": "Đã bị sửa", "username": "x"}
    )
    other.refresh_from_db()
    assert other.full_name != "Đã bị sửa"


def _new_staff(agency, department):
    return {
        "username": "moi.vanthu",
        "full_name": "Trần Thị Mới",
        "email": "moi@example.gov.vn",
        "agency": agency.pk,
        "department": department.pk,
        "position": "Văn thư",
        "roles": [Role.CLERK],
        "password1": "Rat-kho-doan-2026",
        "password2": "Rat-kho-doan-2026",
    }


def test_agency_admin_creates_staff_in_own_agency_with_roles(agency_admin, agency_a, dept_a, login):
    response = login(agency_admin).post(reverse("admin:eoffice_user_add"), _new_staff(agency_a, dept_a))
    assert response.status_code == 302
    created = User.objects.get(username="moi.vanthu")
    assert created.agency_id == agency_a.pk
    assert created.roles == {Role.CLERK}


def test_agency_admin_cannot_create_staff_in_another_agency(agency_admin, agency_b, dept_b, login):
    response = login(agency_admin).post(reverse("admin:eoffice_user_add"), _new_staff(agency_b, dept_b))
    assert response.status_code == 200  # the form is shown again with errors
    assert not User.objects.filter(username="moi.vanthu").exists()


def test_agency_admin_cannot_grant_superuser(agency_admin, staff_a, login):
    client = login(agency_admin)
    page = client.get(reverse("admin:eoffice_user_change", args=[staff_a[Role.OFFICER].pk])).content.decode()
    assert 'name="is_superuser"' not in page
    assert 'name="user_permissions"' not in page


def test_officer_cannot_enter_admin(staff_a, login):
    officer = staff_a[Role.OFFICER]
    response = login(officer).get(reverse("admin:index"))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_superuser_sees_every_agency(staff_a, staff_b, login):
    root = User.objects.create_superuser(
        "root", "root@example.gov.vn", "x-Strong-pass-1", full_name="Quản trị"
    )
    body = login(root).get(reverse("admin:eoffice_user_changelist")).content.decode()
    assert staff_a[Role.OFFICER].username in body and staff_b[Role.OFFICER].username in body


def test_admin_never_links_to_the_unserved_media_url(agency_admin, staff_a, login):
    from tests.factories import png_upload

    person = staff_a[Role.OFFICER]
    person.signature_image = png_upload()
    person.save()
    page = login(agency_admin).get(reverse("admin:eoffice_user_change", args=[person.pk])).content.decode()
    assert "_media-not-public" not in page
    assert "đã có tệp" in page
