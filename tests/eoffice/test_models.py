import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from eoffice import services
from eoffice.models import Agency, Department, Role
from eoffice.search import fold
from eoffice.validators import agency_code_validator, validate_transparent_png
from tests.factories import make_department, make_user, png_upload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("code", ["000.00.31.H26", "000.00.00.G22", "123.45.67.A01"])
def test_valid_agency_codes(code):
    agency_code_validator(code)


@pytest.mark.parametrize("code", ["000.00.31.H2", "000.00.31.h26", "00.000.31.H26", "000-00-31-H26", ""])
def test_invalid_agency_codes(code):
    with pytest.raises(ValidationError):
        agency_code_validator(code)


def test_agency_full_clean_refuses_bad_code():
    agency = Agency(name="X", code="ABC", abbreviation="X", place_name="Hà Nội")
    with pytest.raises(ValidationError) as err:
        agency.full_clean()
    assert "code" in err.value.message_dict


def test_departments_nest_one_level_only(agency_a):
    top = make_department(agency=agency_a, abbreviation="TOP")
    child = make_department(agency=agency_a, abbreviation="CHILD", parent=top)
    grandchild = Department(agency=agency_a, name="Cháu", abbreviation="GC", parent=child)
    with pytest.raises(ValidationError):
        grandchild.full_clean()


def test_department_parent_must_be_same_agency(agency_a, agency_b):
    other = make_department(agency=agency_b, abbreviation="OTH")
    dept = Department(agency=agency_a, name="Phòng", abbreviation="P1", parent=other)
    with pytest.raises(ValidationError):
        dept.full_clean()


def test_department_abbreviation_unique_per_agency(agency_a, agency_b):
    make_department(agency=agency_a, abbreviation="VP")
    make_department(agency=agency_b, abbreviation="VP")
    with pytest.raises(IntegrityError), transaction.atomic():
        make_department(agency=agency_a, abbreviation="VP")


def test_png_validator_accepts_transparent_png_only():
    validate_transparent_png(png_upload())
    with pytest.raises(ValidationError):
        validate_transparent_png(png_upload(transparent=False))
    from django.core.files.uploadedfile import SimpleUploadedFile

    with pytest.raises(ValidationError):
        validate_transparent_png(SimpleUploadedFile("fake.png", b"%PDF-1.7 not an image"))


def test_roles_are_groups_scoped_by_agency(agency_a, agency_b):
    person = make_user(agency=agency_a, roles=[Role.CLERK, Role.LEADER])
    assert person.roles == {Role.CLERK, Role.LEADER}
    group_agencies = set(person.groups.values_list("agency_role__agency", flat=True))
    assert group_agencies == {agency_a.pk}
    # Roles only count in the person's own agency.
    person.agency = agency_b
    person.save()
    person.__dict__.pop("roles", None)
    assert person.roles == frozenset()
    services.staff_set_roles(user=person, roles=[Role.OFFICER], by=make_superuser())
    assert person.roles == {Role.OFFICER}
    assert set(person.groups.values_list("agency_role__agency", flat=True)) == {agency_b.pk}


def test_only_agency_admin_of_the_same_agency_sets_roles(agency_a, agency_b):
    from django.core.exceptions import PermissionDenied

    admin_b = make_user(agency=agency_b, roles=[Role.AGENCY_ADMIN])
    person = make_user(agency=agency_a, roles=[Role.OFFICER])
    with pytest.raises(PermissionDenied):
        services.staff_set_roles(user=person, roles=[Role.LEADER], by=admin_b)
    assert person.roles == {Role.OFFICER}


def test_fold_vietnamese():
    assert fold("Đặng Thị Hồng Nhung") == "dang thi hong nhung"
    assert fold("NGUYỄN VĂN ĐỨC") == "nguyen van duc"


def test_search_name_kept_in_sync(agency_a):
    person = make_user(agency=agency_a, full_name="Lê Thị Ánh")
    assert person.search_name == "le thi anh"


def make_superuser():
    from eoffice.models import User

    return User(is_superuser=True)
