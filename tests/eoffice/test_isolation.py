"""A user of agency A never sees agency B: 404 on B's object pages, nothing of B in A's lists."""

import pytest
from django.urls import reverse

from eoffice import services
from eoffice.models import Role
from tests.factories import make_user, png_upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def b_objects(agency_b, dept_b, staff_b):
    person = staff_b[Role.OFFICER]
    person.signature_image = png_upload()
    person.save()
    (note,) = services.notify(recipients=[person], kind="test", title="Thông báo của B", url="/")
    return {"department": dept_b, "person": person, "notification": note}


def b_object_urls(b):
    return [
        reverse("department_detail", args=[b["department"].pk]),
        reverse("staff_detail", args=[b["person"].pk]),
        reverse("staff_signature", args=[b["person"].pk]),
    ]


@pytest.mark.parametrize("role", Role.values)
def test_every_role_of_a_gets_404_on_b_object_pages(role, staff_a, b_objects, login):
    client = login(staff_a[role])
    for url in b_object_urls(b_objects):
        assert client.get(url).status_code == 404, url
    response = client.post(reverse("notification_open", args=[b_objects["notification"].pk]))
    assert response.status_code == 404
    b_objects["notification"].refresh_from_db()
    assert b_objects["notification"].read_at is None


@pytest.mark.parametrize("role", Role.values)
def test_lists_of_a_never_show_b(role, staff_a, b_objects, login):
    client = login(staff_a[role])
    b_person = b_objects["person"]
    directory = client.get(reverse("directory")).content.decode()
    assert staff_a[Role.OFFICER].full_name in directory
    assert b_person.full_name not in directory
    assert b_person.username not in directory
    search = client.get(reverse("directory"), {"q": b_person.full_name}).content.decode()
    assert b_person.email not in search
    notifications = client.get(reverse("notifications")).content.decode()
    assert "Thông báo của B" not in notifications
    bell = client.get(reverse("notification_bell"), HTTP_HX_REQUEST="true").content.decode()
    assert "Thông báo của B" not in bell


def test_same_agency_object_pages_are_visible(staff_a, dept_a, login):
    client = login(staff_a[Role.CLERK])
    assert client.get(reverse("department_detail", args=[dept_a.pk])).status_code == 200
    assert client.get(reverse("staff_detail", args=[staff_a[Role.LEADER].pk])).status_code == 200


def test_seal_is_served_only_for_own_agency(agency_a, agency_b, staff_a, staff_b, login):
    agency_b.seal_image = png_upload("seal.png", color=(200, 20, 30))
    agency_b.save()
    assert login(staff_a[Role.CLERK]).get(reverse("agency_seal")).status_code == 404
    response = login(staff_b[Role.CLERK]).get(reverse("agency_seal"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "no-store" in response["Cache-Control"]


def test_user_without_agency_sees_no_one(agency_a, staff_a, login):
    loner = make_user(agency=None, roles=[], username="loner")
    client = login(loner)
    body = client.get(reverse("directory")).content.decode()
    assert staff_a[Role.OFFICER].full_name not in body
    assert client.get(reverse("staff_detail", args=[staff_a[Role.OFFICER].pk])).status_code == 404


def test_anonymous_is_sent_to_login(staff_a, dept_a, client):
    for url in [reverse("dashboard"), reverse("directory"), reverse("department_detail", args=[dept_a.pk])]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
