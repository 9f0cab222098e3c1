"""Custom metadata fields (III.7c): the agency admin's page (add, rename, reorder, deactivate), the values on
the record page (typed, one transaction), shown in the metadata block and searchable."""

from __future__ import annotations

import pytest
from django.urls import reverse

from documents.records.models import CustomField, CustomFieldValue
from tests.documents.conftest import receive
from tests.documents.search.conftest import find_page

pytestmark = pytest.mark.django_db
PAGE = "/documents/records/custom-fields/"


def _create(client, kind="incoming", label="Mã dự án", field_type="text"):
    return client.post(PAGE, {"op": "create", "kind": kind, "label": label, "field_type": field_type})


def test_admin_manages_fields_through_the_page(admin_a, login):
    client = login(admin_a)
    page = client.get(PAGE)
    assert page.status_code == 200 and 'data-testid="custom-field-create"' in page.content.decode()
    assert _create(client).status_code == 302
    assert _create(client, label="Tổng mức đầu tư", field_type="number").status_code == 302
    first, second = CustomField.objects.filter(agency=admin_a.agency).order_by("position")
    assert (first.label, second.label, second.position) == ("Mã dự án", "Tổng mức đầu tư", 2)
    # duplicate label: a Vietnamese message, nothing added
    response = client.post(
        PAGE, {"op": "create", "kind": "incoming", "label": "mã dự án", "field_type": "text"}, follow=True
    )
    assert CustomField.objects.count() == 2
    assert "Đã có trường “mã dự án”" in response.content.decode()
    client.post(PAGE, {"op": "rename", "pk": first.pk, "label": "Mã số dự án"})
    client.post(PAGE, {"op": "down", "pk": first.pk})
    first.refresh_from_db(), second.refresh_from_db()
    assert first.label == "Mã số dự án" and (first.position, second.position) == (2, 1)
    client.post(PAGE, {"op": "deactivate", "pk": first.pk})
    first.refresh_from_db()
    assert not first.is_active
    html = client.get(PAGE).content.decode()
    assert "Ngừng dùng" in html and "Dùng lại" in html


def test_only_the_agency_admin(people, admin_a, login):
    for user in (people["clerk"], people["leader"], people["officer"]):
        assert login(user).get(PAGE).status_code == 403
        assert _create(login(user)).status_code == 403
    assert not CustomField.objects.exists()


def test_other_agency_field_is_404(admin_a, agency_b, login):
    from eoffice.models import Role
    from tests.factories import make_user

    field = CustomField.objects.create(agency=agency_b, kind="incoming", label="Khác")
    client = login(admin_a)
    client.post(PAGE, {"op": "rename", "pk": field.pk, "label": "Đổi"})
    field.refresh_from_db()
    assert field.label == "Khác"
    other_admin = make_user(agency=agency_b, roles=[Role.AGENCY_ADMIN])
    html = login(other_admin).get(PAGE).content.decode()
    assert "Khác" in html


def test_values_on_the_record_page_typed_and_atomic(people, admin_a, login):
    code = CustomField.objects.create(agency=admin_a.agency, kind="incoming", label="Mã dự án", position=1)
    amount = CustomField.objects.create(
        agency=admin_a.agency, kind="incoming", label="Tổng mức đầu tư", field_type="number", position=2
    )
    signed = CustomField.objects.create(
        agency=admin_a.agency, kind="incoming", label="Ngày ký hợp đồng", field_type="date", position=3
    )
    doc = receive(people["clerk"], summary="Về dự án đường ven biển")
    client = login(people["clerk"])
    detail = reverse("documents:incoming_detail", args=[doc.pk])
    html = client.get(detail).content.decode()
    assert 'data-testid="metadata-form"' in html and f'name="cf_{amount.pk}"' in html
    url = reverse("documents:metadata_values", args=["incoming", doc.pk])
    # a wrong number: nothing saved, not even the good text value
    response = client.post(url, {f"cf_{code.pk}": "DA-01", f"cf_{amount.pk}": "mười tỷ"}, follow=True)
    assert "“Tổng mức đầu tư” phải là một số." in response.content.decode()
    assert not CustomFieldValue.objects.exists()
    response = client.post(
        url, {f"cf_{code.pk}": "DA-01", f"cf_{amount.pk}": "12,5", f"cf_{signed.pk}": "05/03/2026"}
    )
    assert response.status_code == 302
    stored = dict(CustomFieldValue.objects.values_list("field__label", "value"))
    assert stored == {"Mã dự án": "DA-01", "Tổng mức đầu tư": "12.5", "Ngày ký hợp đồng": "2026-03-05"}
    html = client.get(detail).content.decode()
    assert f'data-field="cf{code.pk}"' in html and "DA-01" in html and "05/03/2026" in html
    # searchable by value
    html = find_page(client, cf=str(code.pk), cf_value="da-01")
    assert "Tìm thấy 1 văn bản" in html
    assert "Tìm thấy 0 văn bản" in find_page(client, cf=str(code.pk), cf_value="DA-02")
    # a deactivated field is hidden from the block and the form
    code.is_active = False
    code.save()
    assert f'data-field="cf{code.pk}"' not in client.get(detail).content.decode()


def test_values_need_the_right_to_edit(people, admin_a, people_b, login):
    field = CustomField.objects.create(agency=admin_a.agency, kind="incoming", label="Mã dự án")
    doc = receive(people["clerk"])
    url = reverse("documents:metadata_values", args=["incoming", doc.pk])
    assert login(people["officer"]).post(url, {f"cf_{field.pk}": "X"}).status_code in (403, 404)
    assert login(people_b["clerk"]).post(url, {f"cf_{field.pk}": "X"}).status_code == 404
    assert not CustomFieldValue.objects.exists()
