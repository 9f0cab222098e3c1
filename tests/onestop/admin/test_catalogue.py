"""The catalogue's admin: the procedure form (scoped to the agency, steps adding up to the legal time), Excel
export and import, fields."""

from __future__ import annotations

import io

import pytest
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from onestop import catalogue
from onestop.models import Procedure, ProcedureField
from tests.factories import make_department
from tests.onestop.admin.conftest import HOURS, procedure_form
from tests.onestop.conftest import make_procedure

pytestmark = pytest.mark.django_db


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
