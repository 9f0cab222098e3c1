"""The agency's policy: who must enrol, the agency admin's page, the reset of a lost phone, Django admin."""

import pytest
from django.contrib.admin.models import LogEntry
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from eoffice.models import Notification, Role
from tests.eoffice.twofactor.conftest import code_of

pytestmark = pytest.mark.django_db


def _policy(agency, value):
    agency.two_factor = value
    agency.save(update_fields=["two_factor"])


def test_required_person_without_device_is_sent_to_enrolment(staff_a, agency_a, password, client):
    _policy(agency_a, "leaders")
    leader = staff_a[Role.LEADER]
    response = client.post(reverse("login"), {"username": leader.username, "password": password})
    assert response.status_code == 302
    for url in (reverse("dashboard"), reverse("directory"), "/admin/"):
        assert client.get(url)["Location"] == reverse("twofactor_security"), url
    page = client.get(reverse("twofactor_security")).content.decode()
    assert "Cơ quan yêu cầu" in page
    # htmx requests are redirected by header
    response = client.get(reverse("notification_bell"), HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"] == reverse("twofactor_security")
    # enrolling frees the session
    client.post(reverse("twofactor_enrol"))
    device = TOTPDevice.objects.get(user=leader)
    client.post(reverse("twofactor_confirm"), {"code": code_of(device)})
    assert client.get(reverse("dashboard")).status_code == 200


def test_leaders_policy_leaves_officers_free_and_all_does_not(staff_a, agency_a, login):
    _policy(agency_a, "leaders")
    officer = staff_a[Role.OFFICER]
    client = login(officer)
    assert client.get(reverse("dashboard")).status_code == 200
    for role in (Role.CLERK, Role.AGENCY_ADMIN):
        assert login(staff_a[role]).get(reverse("dashboard"))["Location"] == reverse("twofactor_security")
    _policy(agency_a, "all")
    assert login(officer).get(reverse("dashboard"))["Location"] == reverse("twofactor_security")


def test_required_session_with_a_device_must_verify(staff_a, agency_a, login, enrolled):
    _policy(agency_a, "leaders")
    clerk = staff_a[Role.CLERK]
    device, _codes = enrolled(clerk)
    client = login(clerk)  # a session opened without the code
    assert client.get(reverse("dashboard"))["Location"] == reverse("twofactor_verify")
    response = client.post(reverse("twofactor_verify"), {"code": code_of(device)})
    assert response["Location"] == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200


def test_django_admin_needs_a_verified_session_for_staff(staff_a, agency_a, login, enrolled):
    admin_user = staff_a[Role.AGENCY_ADMIN]
    admin_user.is_staff = True
    admin_user.save(update_fields=["is_staff"])
    client = login(admin_user)
    assert client.get("/admin/").status_code == 200  # optional policy
    _policy(agency_a, "leaders")
    assert client.get("/admin/")["Location"] == reverse("twofactor_security")


def test_agency_admin_sets_the_policy(staff_a, agency_a, login):
    admin_user = staff_a[Role.AGENCY_ADMIN]
    client = login(admin_user)
    page = client.get(reverse("twofactor_agency")).content.decode()
    assert "Chính sách của cơ quan" in page and staff_a[Role.OFFICER].full_name in page
    response = client.post(reverse("twofactor_agency"), {"two_factor": "bogus"})
    assert response.status_code == 200 and "Hãy chọn" in response.content.decode()
    client.post(reverse("twofactor_agency"), {"two_factor": "all"})
    agency_a.refresh_from_db()
    assert agency_a.two_factor == "all"
    assert LogEntry.objects.filter(
        object_id=str(agency_a.pk), change_message__contains="Bắt buộc với mọi người"
    ).exists()


def test_only_the_agency_admin_opens_the_page(staff_a, login):
    for role in (Role.LEADER, Role.OFFICER):
        assert login(staff_a[role]).get(reverse("twofactor_agency")).status_code == 403


def test_agency_admin_resets_a_lost_phone(staff_a, login, enrolled, password):
    admin_user = staff_a[Role.AGENCY_ADMIN]
    person = staff_a[Role.LEADER]
    enrolled(person)
    client = login(admin_user)
    page = client.get(reverse("twofactor_agency")).content.decode()
    assert f'data-testid="twofactor-reset-{person.pk}"' in page
    response = client.post(reverse("twofactor_reset", args=[person.pk]), follow=True)
    assert "Đã đặt lại xác thực hai lớp" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=person).exists()
    entry = LogEntry.objects.get(object_id=str(person.pk), change_message__contains="đặt lại")
    assert entry.user_id == admin_user.pk
    assert Notification.objects.filter(recipient=person, kind="twofactor_reset").exists()
    assert "đặt lại thiết bị" in client.get(reverse("twofactor_agency")).content.decode()  # the history
    # the person signs in with the password alone again
    other = login(person).__class__()
    response = other.post(reverse("login"), {"username": person.username, "password": password})
    assert response["Location"] == reverse("dashboard")


def test_other_agency_admin_cannot_reset(staff_a, staff_b, login, enrolled):
    person = staff_a[Role.LEADER]
    enrolled(person)
    client = login(staff_b[Role.AGENCY_ADMIN])
    assert client.post(reverse("twofactor_reset", args=[person.pk])).status_code == 404
    assert TOTPDevice.objects.filter(user=person).exists()
    assert str(person.full_name) not in client.get(reverse("twofactor_agency")).content.decode()
    # and a colleague without the role neither
    assert login(staff_a[Role.LEADER]).post(reverse("twofactor_reset", args=[person.pk])).status_code == 403


def test_agency_page_reads_in_a_few_queries(
    staff_a, agency_a, login, enrolled, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests.factories import make_user

    client = login(staff_a[Role.AGENCY_ADMIN])
    client.get(reverse("twofactor_agency"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("twofactor_agency"))
    for i in range(6):
        enrolled(make_user(agency=agency_a, roles=[Role.LEADER], username=f"extra{i}"))
    with django_assert_max_num_queries(len(few)):  # the shell's menu and badges, then 2 of the page
        page = client.get(reverse("twofactor_agency")).content.decode()
    assert page.count('data-testid="twofactor-reset-') == 6


def test_verified_session_survives_and_reset_unverifies(staff_a, agency_a, login, enrolled):
    _policy(agency_a, "leaders")
    leader = staff_a[Role.LEADER]
    device, _codes = enrolled(leader)
    client = login(leader)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    assert client.get(reverse("dashboard")).status_code == 200
    admin = Client()  # the agency admin resets the lost phone from their own (verified) session
    admin.force_login(staff_a[Role.AGENCY_ADMIN])
    admin_session = admin.session
    admin_session[DEVICE_ID_SESSION_KEY] = enrolled(staff_a[Role.AGENCY_ADMIN])[0].persistent_id
    admin_session.save()
    admin.post(reverse("twofactor_reset", args=[leader.pk]))
    assert not TOTPDevice.objects.filter(user=leader).exists()
    assert client.get(reverse("dashboard"))["Location"] == reverse("twofactor_security")
    assert client.session["_auth_user_id"] == str(leader.pk)  # still the leader's session, held now
    assert DEVICE_ID_SESSION_KEY not in client.session


def test_menu_entry_for_the_agency_admin_only(staff_a, login):
    url = reverse("twofactor_agency")
    assert f'href="{url}"' in login(staff_a[Role.AGENCY_ADMIN]).get(reverse("dashboard")).content.decode()
    assert f'href="{url}"' not in login(staff_a[Role.LEADER]).get(reverse("dashboard")).content.decode()
