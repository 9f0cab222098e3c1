"""Every page of the one-stop admin loads for the superuser and an agency admin; an agency admin sees nothing
of another agency; officers stay out; the list pages do not query per row."""

from __future__ import annotations

import pytest
from django.urls import reverse

from onestop import selectors
from onestop.models import Dossier, OnestopConfig
from tests.onestop.admin.conftest import count_queries, procedure_form
from tests.onestop.conftest import make_procedure, receive

pytestmark = pytest.mark.django_db


# ---- pages -----------------------------------------------------------------------------------------


def _pages(procedure, dossier):
    selectors.config_for(procedure.agency)
    config = OnestopConfig.objects.get(agency=procedure.agency)
    return [
        reverse("admin:app_list", args=["onestop"]),
        reverse("admin:onestop_procedure_changelist"),
        reverse("admin:onestop_procedure_add"),
        reverse("admin:onestop_procedure_change", args=[procedure.pk]),
        reverse("admin:onestop_procedure_import"),
        reverse("admin:onestop_procedurefield_changelist"),
        reverse("admin:onestop_procedurefield_add"),
        reverse("admin:onestop_onestopconfig_changelist"),
        reverse("admin:onestop_onestopconfig_change", args=[config.pk]),
        reverse("admin:onestop_dossier_changelist"),
        reverse("admin:onestop_dossier_change", args=[dossier.pk]),
    ]


@pytest.mark.parametrize("who", ["superuser", "admin_a"])
def test_every_page_loads(who, request, login, procedure, dossier):
    client = login(request.getfixturevalue(who))
    for url in _pages(procedure, dossier):
        response = client.get(url)
        assert response.status_code == 200, url
    body = client.get(reverse("admin:onestop_procedure_changelist")).content.decode()
    assert procedure.code in body and "Nhập từ Excel" in body
    detail = client.get(reverse("admin:onestop_dossier_change", args=[dossier.pk])).content.decode()
    assert dossier.code in detail and "Phiếu kiểm soát quá trình".upper() in detail.upper()


def test_an_agency_admin_sees_nothing_of_another_agency(login, admin_b, procedure, dossier):
    client = login(admin_b)
    selectors.config_for(procedure.agency)
    for name in ("procedure", "dossier", "onestopconfig"):
        body = client.get(reverse(f"admin:onestop_{name}_changelist")).content.decode()
        assert procedure.agency.name not in body, name
    body = client.get(reverse("admin:onestop_procedure_changelist")).content.decode()
    assert procedure.code not in body and procedure.name not in body
    assert dossier.code not in client.get(reverse("admin:onestop_dossier_changelist")).content.decode()
    for url in (
        reverse("admin:onestop_procedure_change", args=[procedure.pk]),
        reverse("admin:onestop_dossier_change", args=[dossier.pk]),
        reverse("admin:onestop_onestopconfig_change", args=[OnestopConfig.objects.get().pk]),
    ):
        assert client.get(url).status_code == 302, url  # "does not exist", back to the index
    client.post(
        reverse("admin:onestop_procedure_change", args=[procedure.pk]),
        procedure_form(procedure.agency, _people_of(procedure), name="Đã bị sửa", code=procedure.code),
    )
    procedure.refresh_from_db()
    assert procedure.name != "Đã bị sửa"
    # The export action only sees the agency's own rows.
    response = client.post(
        reverse("admin:onestop_procedure_changelist"),
        {"action": "export_xlsx", "_selected_action": [procedure.pk]},
    )
    assert response.status_code == 302 and "spreadsheetml" not in response.get("Content-Type", "")


def _people_of(procedure):
    unit = procedure.handling_department
    return {"unit": unit}


def test_an_officer_cannot_enter_the_admin(login, people, procedure):
    client = login(people["onestop"])
    assert client.get(reverse("admin:onestop_procedure_changelist")).status_code == 302


def test_list_pages_do_not_query_per_row(login, admin_a, agency_a, people, procedure):
    client = login(admin_a)
    receive(procedure, people)
    procedures_url = reverse("admin:onestop_procedure_changelist")
    dossiers_url = reverse("admin:onestop_dossier_changelist")
    few = count_queries(client, procedures_url), count_queries(client, dossiers_url)
    for n in range(6):
        make_procedure(agency_a, unit=people["unit"], code=f"2.00{n}")
        receive(procedure, people)
    assert Dossier.objects.count() == 7
    assert (count_queries(client, procedures_url), count_queries(client, dossiers_url)) == few
