"""Admin of the one-stop module: the catalogue (scoped to the agency, steps adding up to the legal time, Excel
export and import), the counter settings, and dossiers that can only be read."""

from __future__ import annotations

import io

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from eoffice.models import Role
from onestop import catalogue, services
from onestop.models import Dossier, OnestopConfig, Procedure, ProcedureField
from tests.factories import make_department, make_user
from tests.onestop.conftest import make_procedure, receive

pytestmark = pytest.mark.django_db

HOURS = {"receive": 2, "assign": 2, "process": 12, "review": 4, "approve": 2, "return": 2}


@pytest.fixture
def admin_a(agency_a, people):
    return make_user(agency=agency_a, roles=[Role.AGENCY_ADMIN], is_staff=True, username="quantri.a")


@pytest.fixture
def admin_b(agency_b):
    return make_user(agency=agency_b, roles=[Role.AGENCY_ADMIN], is_staff=True, username="quantri.b")


@pytest.fixture
def superuser(db):
    return make_user(agency=None, roles=(), is_staff=True, is_superuser=True, username="root")


@pytest.fixture
def dossier(procedure, people):
    return receive(procedure, people)


def procedure_form(agency, people, hours=HOURS, *, unit=None, code="2.002039", **changes) -> dict:
    field, _created = ProcedureField.objects.get_or_create(code="DN", defaults={"name": "Doanh nghiệp"})
    unit = unit or people["unit"]
    data = {
        "agency": agency.pk,
        "code": code,
        "name": "Đăng ký thành lập công ty trách nhiệm hữu hạn một thành viên",
        "field": field.pk,
        "online_level": "full",
        "is_active": "on",
        "time_value": "3",
        "time_unit": "days",
        "fee_amount": "50000",
        "fee_note": "",
        "result_name": "Giấy chứng nhận đăng ký doanh nghiệp",
        "handling_department": people["unit"].pk,
        "legal_basis": "Luật Doanh nghiệp năm 2020.",
        "papers-TOTAL_FORMS": "1",
        "papers-INITIAL_FORMS": "0",
        "papers-MIN_NUM_FORMS": "0",
        "papers-MAX_NUM_FORMS": "1000",
        "papers-0-order": "1",
        "papers-0-name": "Giấy đề nghị đăng ký doanh nghiệp",
        "papers-0-kind": "original",
        "papers-0-quantity": "1",
        "papers-0-mandatory": "on",
        "steps-TOTAL_FORMS": str(len(hours)),
        "steps-INITIAL_FORMS": "0",
        "steps-MIN_NUM_FORMS": "0",
        "steps-MAX_NUM_FORMS": "1000",
        "_save": "Lưu lại",
    }
    for i, (kind, value) in enumerate(hours.items()):
        data[f"steps-{i}-kind"] = kind
        data[f"steps-{i}-hours"] = str(value)
        data[f"steps-{i}-department"] = "" if kind == "approve" else unit.pk
    data.update(changes)
    return data


# ---- pages -----------------------------------------------------------------------------------------


def _pages(procedure, dossier):
    services.config_for(procedure.agency)
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
    services.config_for(procedure.agency)
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


# ---- the procedure form ----------------------------------------------------------------------------


def test_agency_admin_adds_a_procedure_with_its_steps(login, admin_a, agency_a, people):
    response = login(admin_a).post(reverse("admin:onestop_procedure_add"), procedure_form(agency_a, people))
    assert response.status_code == 302, response.content.decode()[:3000]
    procedure = Procedure.objects.get(code="2.002039")
    assert procedure.agency == agency_a
    assert sorted(procedure.steps.values_list("kind", flat=True)) == sorted(HOURS)
    assert procedure.papers.count() == 1


def test_the_add_form_lists_every_step_to_fill_in(login, admin_a):
    body = login(admin_a).get(reverse("admin:onestop_procedure_add")).content.decode()
    for kind in HOURS:
        assert f'<option value="{kind}" selected>' in body


def test_steps_that_do_not_add_up_to_the_legal_time_are_refused(login, admin_a, agency_a, people):
    hours = {**HOURS, "process": 10}
    response = login(admin_a).post(
        reverse("admin:onestop_procedure_add"), procedure_form(agency_a, people, hours)
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Tổng thời gian các bước (22 giờ) phải bằng thời hạn giải quyết (24 giờ)." in body
    assert not Procedure.objects.exists()


def test_changing_the_legal_time_alone_is_checked_against_the_steps(login, admin_a, agency_a, people):
    procedure = make_procedure(agency_a, unit=people["unit"])
    client = login(admin_a)
    page = client.get(reverse("admin:onestop_procedure_change", args=[procedure.pk]))
    data = _form_data(page)
    data["time_value"] = "5"
    response = client.post(reverse("admin:onestop_procedure_change", args=[procedure.pk]), data)
    assert response.status_code == 200
    assert "phải bằng thời hạn giải quyết (40 giờ)" in response.content.decode()
    procedure.refresh_from_db()
    assert procedure.time_value == 3


def test_a_missing_step_and_a_unit_of_another_agency_are_refused(
    login, superuser, agency_a, agency_b, people
):
    foreign = make_department(agency=agency_b, name="Phòng của Sở khác", abbreviation="PK")
    hours = {k: v for k, v in HOURS.items() if k != "assign"}
    hours["process"] += 2
    data = procedure_form(agency_a, people, hours, unit=foreign)
    response = login(superuser).post(reverse("admin:onestop_procedure_add"), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert "Quy trình còn thiếu bước: Phân công thụ lý." in body
    assert "Đơn vị thực hiện phải thuộc cơ quan ban hành thủ tục: Phòng của Sở khác." in body
    data = procedure_form(agency_a, people, handling_department=foreign.pk)
    body = login(superuser).post(reverse("admin:onestop_procedure_add"), data).content.decode()
    assert "Đơn vị giải quyết phải thuộc cơ quan ban hành thủ tục." in body
    assert not Procedure.objects.exists()


def test_an_agency_admin_cannot_put_a_procedure_in_another_agency(login, admin_a, agency_b, people):
    response = login(admin_a).post(reverse("admin:onestop_procedure_add"), procedure_form(agency_b, people))
    assert response.status_code == 200
    assert not Procedure.objects.exists()


def _form_data(response) -> dict:
    """The values of a rendered admin change form (inputs, selects, textareas), as a browser posts them."""
    import re
    from html import unescape

    html = response.content.decode()
    data = {}
    for tag in re.findall(r"<input[^>]*>", html):
        name = re.search(r'name="([^"]+)"', tag)
        if not name or 'type="submit"' in tag or 'type="file"' in tag:
            continue
        if 'type="checkbox"' in tag and "checked" not in tag:
            continue
        value = re.search(r'value="([^"]*)"', tag)
        data[name.group(1)] = unescape(value.group(1)) if value else ("on" if "checkbox" in tag else "")
    for name, body in re.findall(r'<select name="([^"]+)"[^>]*>(.*?)</select>', html, re.S):
        chosen = re.search(r'<option value="([^"]*)" selected', body)
        data[name] = unescape(chosen.group(1)) if chosen else ""
    for name, body in re.findall(r'<textarea name="([^"]+)"[^>]*>(.*?)</textarea>', html, re.S):
        data[name] = unescape(body).lstrip("\n")
    data["_save"] = "Lưu lại"
    return {k: v for k, v in data.items() if "__prefix__" not in k}


def test_saving_the_change_form_unchanged_keeps_everything(login, admin_a, agency_a, people):
    procedure = make_procedure(agency_a, unit=people["unit"])
    client = login(admin_a)
    url = reverse("admin:onestop_procedure_change", args=[procedure.pk])
    response = client.post(url, _form_data(client.get(url)))
    assert response.status_code == 302, response.content.decode()[:2000]
    assert procedure.steps.count() == 6 and procedure.papers.count() == 3


# ---- Excel in the admin ----------------------------------------------------------------------------


def test_export_action_gives_the_workbook_of_the_selection(login, admin_a, agency_a, people):
    first = make_procedure(agency_a, unit=people["unit"])
    make_procedure(agency_a, unit=people["unit"], code="2.002039")
    response = login(admin_a).post(
        reverse("admin:onestop_procedure_changelist"),
        {"action": "export_xlsx", "_selected_action": [first.pk]},
    )
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert "attachment" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    rows = list(load_workbook(io.BytesIO(response.content))["Thủ tục"].iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [first.code]


def test_export_refuses_two_agencies_at_once(login, superuser, agency_a, agency_b, people):
    a = make_procedure(agency_a, unit=people["unit"])
    b = make_procedure(agency_b, code="2.001610")
    response = login(superuser).post(
        reverse("admin:onestop_procedure_changelist"),
        {"action": "export_xlsx", "_selected_action": [a.pk, b.pk]},
        follow=True,
    )
    assert "Chỉ xuất được thủ tục của một cơ quan mỗi lần" in response.content.decode()


def test_import_page_imports_a_good_workbook(login, admin_a, agency_a, people):
    make_procedure(agency_a, unit=people["unit"])
    data = catalogue.export_workbook(Procedure.objects.all())
    Procedure.objects.all().delete()
    client = login(admin_a)
    upload = SimpleUploadedFile("danh-muc.xlsx", data)
    response = client.post(reverse("admin:onestop_procedure_import"), {"workbook": upload}, follow=True)
    body = response.content.decode()
    assert "Đã nhập 1 thủ tục của Sở Kế hoạch và Đầu tư: thêm mới 1, cập nhật 0." in body
    procedure = Procedure.objects.get()
    assert procedure.agency == agency_a and procedure.steps.count() == 6
    assert LogEntry.objects.filter(object_id=str(procedure.pk)).exists()


def test_import_page_lists_the_errors_and_saves_nothing(login, admin_a, agency_a, people):
    make_procedure(agency_a, unit=people["unit"])
    from openpyxl import load_workbook as load

    wb = load(io.BytesIO(catalogue.export_workbook(Procedure.objects.all())))
    wb["Thủ tục"]["F2"] = "ba"
    wb["Quy trình"]["E3"] = 7
    out = io.BytesIO()
    wb.save(out)
    Procedure.objects.all().delete()
    response = login(admin_a).post(
        reverse("admin:onestop_procedure_import"), {"workbook": SimpleUploadedFile("a.xlsx", out.getvalue())}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "chưa có dữ liệu nào được lưu" in body
    assert "Sheet “Thủ tục”, dòng 2, cột “Thời hạn giải quyết”: phải là một số." in body
    assert not Procedure.objects.exists()


def test_import_page_refuses_a_file_that_is_not_excel(login, admin_a):
    upload = SimpleUploadedFile("danh-muc.xlsx", b"%PDF-1.4\n%fake")
    response = login(admin_a).post(reverse("admin:onestop_procedure_import"), {"workbook": upload})
    assert "Tệp tải lên không phải là tệp Excel (.xlsx)." in response.content.decode()


def test_the_superuser_chooses_the_agency_to_import_into(login, superuser, agency_a, people):
    make_procedure(agency_a, unit=people["unit"])
    data = catalogue.export_workbook(Procedure.objects.all())
    Procedure.objects.all().delete()
    client = login(superuser)
    response = client.post(
        reverse("admin:onestop_procedure_import"), {"workbook": SimpleUploadedFile("a.xlsx", data)}
    )
    assert response.status_code == 200 and not Procedure.objects.exists()
    client.post(
        reverse("admin:onestop_procedure_import"),
        {"workbook": SimpleUploadedFile("a.xlsx", data), "agency": agency_a.pk},
    )
    assert Procedure.objects.get().agency == agency_a


def test_the_blank_template_downloads(login, admin_a):
    response = login(admin_a).get(reverse("admin:onestop_procedure_template"))
    wb = load_workbook(io.BytesIO(response.content))
    assert wb.sheetnames[:3] == ["Thủ tục", "Thành phần hồ sơ", "Quy trình"]
    assert wb["Thủ tục"].max_row == 1


def test_import_needs_an_admin(login, people):
    client = login(people["onestop"])
    assert client.get(reverse("admin:onestop_procedure_import")).status_code == 302


# ---- dossiers, settings and fields -----------------------------------------------------------------


def test_dossiers_are_read_only(login, admin_a, dossier):
    client = login(admin_a)
    assert client.get(reverse("admin:onestop_dossier_add")).status_code == 403
    assert client.get(reverse("admin:onestop_dossier_delete", args=[dossier.pk])).status_code == 403
    url = reverse("admin:onestop_dossier_change", args=[dossier.pk])
    body = client.get(url).content.decode()
    assert 'name="state"' not in body and 'name="applicant_name"' not in body
    assert "Đã tiếp nhận" in body
    assert client.post(url, {"state": "returned", "applicant_name": "X"}).status_code == 403
    dossier.refresh_from_db()
    assert dossier.state == "received" and dossier.applicant_name != "X"
    # The scan and result files are never linked from the admin (the media URL is not served).
    assert "/media/" not in body


def test_one_config_per_agency(login, admin_a, agency_a):
    client = login(admin_a)
    assert client.get(reverse("admin:onestop_onestopconfig_add")).status_code == 200
    services.config_for(agency_a)
    assert client.get(reverse("admin:onestop_onestopconfig_add")).status_code == 403


def test_fields_are_added_by_agency_admins_and_edited_by_the_superuser(login, admin_a, superuser):
    field = ProcedureField.objects.create(code="DN", name="Doanh nghiệp")
    client = login(admin_a)
    response = client.post(reverse("admin:onestop_procedurefield_add"), {"code": "ĐT", "name": "Đầu tư"})
    assert response.status_code == 302 and ProcedureField.objects.filter(code="ĐT").exists()
    url = reverse("admin:onestop_procedurefield_change", args=[field.pk])
    assert client.post(url, {"code": "DN", "name": "Đổi tên"}).status_code == 403
    response = login(superuser).post(url, {"code": "DN", "name": "Đổi tên"})
    assert response.status_code == 302
    field.refresh_from_db()
    assert field.name == "Đổi tên"


# ---- list pages stay cheap -------------------------------------------------------------------------


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_list_pages_do_not_query_per_row(login, admin_a, agency_a, people, procedure):
    client = login(admin_a)
    receive(procedure, people)
    procedures_url = reverse("admin:onestop_procedure_changelist")
    dossiers_url = reverse("admin:onestop_dossier_changelist")
    few = _queries(client, procedures_url), _queries(client, dossiers_url)
    for n in range(6):
        make_procedure(agency_a, unit=people["unit"], code=f"2.00{n}")
        receive(procedure, people)
    assert Dossier.objects.count() == 7
    assert (_queries(client, procedures_url), _queries(client, dossiers_url)) == few


def test_dossier_page_queries_do_not_grow_with_its_steps(login, admin_a, people, dossier):
    from tests.onestop.conftest import advance

    client = login(admin_a)
    url = reverse("admin:onestop_dossier_change", args=[dossier.pk])
    advance(dossier, "unit", people)
    few = _queries(client, url)
    advance(Dossier.objects.get(pk=dossier.pk), "returned", people)
    assert _queries(client, url) == few  # 2 steps, then 6 steps, a supplement-free dossier returned
