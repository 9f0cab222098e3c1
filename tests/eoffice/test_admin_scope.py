"""Admin scope (issue 14): an agency admin is offered, in every choice list of every admin form they may
open (inlines included), only rows of their own agency — never a department, person, agency, register or
procedure of another. The test walks ``admin.site._registry`` so that a new admin is covered too."""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.forms import ModelChoiceField
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse

from documents.models import Register
from eoffice.models import Role
from onestop.models import OnestopConfig
from tests.factories import make_agency, make_department, make_user
from tests.onestop.conftest import make_procedure

pytestmark = pytest.mark.django_db

MARK = "ZZB"  # in the name of every row of agency B


@pytest.fixture
def world(agency_a, dept_a):
    agency_b = make_agency(name=f"Sở {MARK} Khác", abbreviation=MARK, code="000.00.77.H26")
    dept_b = make_department(agency=agency_b, name=f"Phòng {MARK}", abbreviation=f"{MARK}P")
    b_rows = [
        agency_b,
        dept_b,
        make_user(agency=agency_b, department=dept_b, full_name=f"Cán bộ {MARK}"),
        Register.objects.create(agency=agency_b, kind=Register.Kind.OUTGOING, code=MARK, name=f"Sổ {MARK}"),
        OnestopConfig.objects.create(agency=agency_b, counter_name=f"Bộ phận {MARK}"),
    ]
    procedure_b = make_procedure(agency_b, unit=dept_b, code="9.999")
    procedure_b.name = f"Thủ tục {MARK}"
    procedure_b.save()
    b_rows.append(procedure_b)
    # Agency A: its admin and a row of each kind, so that change pages open too.
    unit_a = make_department(agency=agency_a, name="Phòng Đăng ký kinh doanh", abbreviation="DKKD")
    make_procedure(agency_a, unit=unit_a)
    Register.objects.create(agency=agency_a, kind=Register.Kind.OUTGOING, code="VBĐ", name="Sổ văn bản đi")
    OnestopConfig.objects.create(agency=agency_a, counter_name="Bộ phận Một cửa")
    officer = make_user(agency=agency_a, department=unit_a, full_name="Phan Minh Đức")
    admin_a = make_user(agency=agency_a, roles=[Role.AGENCY_ADMIN], full_name="Quản trị A", is_staff=True)
    return {"admin": admin_a, "officer": officer, "b_rows": b_rows}


def _pages(model, model_admin, request):
    """The add page and the change page of one of the admin's own rows, where the admin may open them."""
    opts = model._meta
    try:
        if model_admin.has_add_permission(request):
            yield None, reverse(f"admin:{opts.app_label}_{opts.model_name}_add")
        obj = model_admin.get_queryset(request).first()
        if obj is not None and model_admin.has_view_or_change_permission(request, obj):
            yield obj, reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return


def _choice_fields(model_admin, request, obj):
    form = model_admin.get_form(request, obj)
    for name, field in form.base_fields.items():
        yield name, field
    for formset, inline in model_admin.get_formsets_with_inlines(request, obj):
        for name, field in formset.form.base_fields.items():
            yield f"{type(inline).__name__}.{name}", field


def test_no_admin_form_offers_rows_of_another_agency(world, login):
    admin_a, b_rows = world["admin"], world["b_rows"]
    client = login(admin_a)
    request = RequestFactory().get("/admin/")
    request.user = admin_a
    opened, leaks = [], []
    for model, model_admin in admin.site._registry.items():
        for obj, url in _pages(model, model_admin, request):
            response = client.get(url)
            if response.status_code != 200:
                continue
            opened.append(url)
            if MARK in response.content.decode():
                leaks.append(f"{url}: the page names a row of agency B")
            for name, field in _choice_fields(model_admin, request, obj):
                if not isinstance(field, ModelChoiceField):
                    continue
                for row in b_rows:
                    if field.queryset.model is type(row) and field.queryset.filter(pk=row.pk).exists():
                        leaks.append(f"{url}: {name} offers {type(row).__name__} “{row}”")
    assert leaks == []
    # The walk reached the forms that have choices of agency rows.
    for name in (
        "eoffice_user_add",
        "eoffice_department_add",
        "onestop_procedure_add",
        "documents_register_add",
        "signing_credential_add",
    ):
        assert reverse(f"admin:{name}") in opened, name
    assert any("/onestop/procedure/" in url and url.endswith("/change/") for url in opened)


def test_a_superuser_is_offered_every_agency(world, login):
    """The rows of agency B are there to be offered: the check above is not empty."""
    superuser = make_user(agency=None, roles=(), is_staff=True, is_superuser=True)
    html = login(superuser).get(reverse("admin:onestop_procedure_add")).content.decode()
    assert f"Phòng {MARK}" in html and f"Sở {MARK} Khác" in html
