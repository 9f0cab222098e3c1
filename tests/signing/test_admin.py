"""Django admin: an installation or agency admin uploads a PKCS#12 for a person, checked, never keeping the
password; agency admins only for their own agency."""

import datetime as dt
import logging

import pytest
from cryptography.hazmat.primitives.serialization import pkcs12
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from eoffice.models import Role
from signing import backends, pki, services
from signing.models import Credential
from tests.signing import samples

pytestmark = pytest.mark.django_db
FILE_PASSWORD = "Mat-khau-tep-2026"


def make_p12(authority, *, name="Nguyễn Văn An", password=FILE_PASSWORD, days=365, not_before=None):
    key = pki.new_key()
    cert = pki.issue(
        ca_cert=authority.cert,
        ca_key=authority.key,
        public_key=key.public_key(),
        common_name=name,
        organisation="Sở Kế hoạch và Đầu tư",
        days=days,
        not_before=not_before,
    )
    from cryptography.hazmat.primitives.serialization import BestAvailableEncryption

    # A CA's file as it comes: legacy-looking encryption, chain included.
    return pkcs12.serialize_key_and_certificates(
        b"cert", key, cert, [authority.cert], BestAvailableEncryption(password.encode())
    )


@pytest.fixture
def agency_admin(staff_a):
    admin = staff_a[Role.AGENCY_ADMIN]
    admin.is_staff = True
    admin.save()
    return admin


@pytest.fixture
def superuser(db):
    from tests.factories import make_user

    return make_user(agency=None, roles=(), username="root", is_staff=True, is_superuser=True)


def _post(client, *, agency, owner, data, password=FILE_PASSWORD, label=""):
    return client.post(
        reverse("admin:signing_credential_add"),
        {
            "agency": agency.pk,
            "owner": owner.pk if owner else "",
            "label": label,
            "password": password,
            "pkcs12_file": SimpleUploadedFile("chung-thu.p12", data, content_type="application/x-pkcs12"),
        },
    )


def test_agency_admin_uploads_a_pkcs12_for_a_person_and_it_signs(
    login, agency_admin, agency_a, leader_a, authority, sample, tmp_path, caplog
):
    caplog.set_level(logging.DEBUG)
    client = login(agency_admin)
    assert client.get(reverse("admin:signing_credential_add")).status_code == 200
    response = _post(client, agency=agency_a, owner=leader_a, data=make_p12(authority))
    assert response.status_code == 302, response.content.decode()[:3000]
    credential = Credential.objects.get(owner=leader_a)
    assert credential.kind == "person" and credential.backend == "pkcs12" and credential.agency == agency_a
    assert "Nguyễn Văn An" in credential.label and "Nguyễn Văn An" in credential.subject
    blob = bytes(credential.pkcs12_data)
    assert FILE_PASSWORD.encode() not in blob
    # Re-encrypted at rest with the file's password, which is now the PIN.
    assert pkcs12.load_key_and_certificates(blob, FILE_PASSWORD.encode())[0] is not None
    # Nothing anywhere holds the password in clear: no column, no admin log entry, no log line.
    from django.contrib.admin.models import LogEntry

    assert all(
        FILE_PASSWORD not in str(v)
        for v in Credential.objects.filter(pk=credential.pk).values().get().values()
    )
    assert all(FILE_PASSWORD not in (e.change_message + e.object_repr) for e in LogEntry.objects.all())
    assert FILE_PASSWORD not in caplog.text
    result = services.sign_pdf_bytes(
        data=sample,
        credential=credential,
        pin=FILE_PASSWORD,
        by=leader_a,
        kind="leader",
        box=samples.SIGNER_BOX,
    )
    assert samples.pdfsig_signatures(samples.pdfsig(result.data, tmp_path))[0]["valid"]
    backends.clear_key_cache()


@pytest.mark.parametrize(
    ("kwargs", "password", "message"),
    [
        ({}, "sai-mat-khau", "sai mật khẩu"),
        (
            {"days": 1, "not_before": dt.datetime.now(dt.UTC) - dt.timedelta(days=3)},
            FILE_PASSWORD,
            "đã hết hạn",
        ),
    ],
)
def test_bad_uploads_are_refused_with_a_vietnamese_reason(
    login, agency_admin, agency_a, leader_a, authority, kwargs, password, message
):
    response = _post(
        login(agency_admin),
        agency=agency_a,
        owner=leader_a,
        data=make_p12(authority, **kwargs),
        password=password,
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Credential.objects.exists()
    assert password not in response.content.decode()  # the password field is not sent back


def test_key_must_match_the_certificate(monkeypatch, authority):
    """cryptography and OpenSSL refuse to write such a file, but one can come from elsewhere."""
    from django.core.exceptions import ValidationError

    real = pkcs12.load_key_and_certificates

    def swapped(data, password):
        key, cert, extra = real(data, password)
        return pki.new_key(), cert, extra

    monkeypatch.setattr(pkcs12, "load_key_and_certificates", swapped)
    with pytest.raises(ValidationError, match="không khớp"):
        services.pkcs12_parse(data=make_p12(authority), password=FILE_PASSWORD)


def test_not_a_pkcs12(login, agency_admin, agency_a, leader_a):
    response = _post(login(agency_admin), agency=agency_a, owner=leader_a, data=b"%PDF-1.7 not a key")
    assert response.status_code == 200 and "không đúng định dạng" in response.content.decode()


def test_agency_admin_only_for_own_agency(
    login, agency_admin, agency_b, staff_b, staff_a, authority, leader_a
):
    client = login(agency_admin)
    other = staff_b[Role.LEADER]
    response = _post(client, agency=agency_b, owner=other, data=make_p12(authority))
    assert response.status_code == 200 and not Credential.objects.exists()
    # the owner list offers only the admin's own agency
    page = client.get(reverse("admin:signing_credential_add")).content.decode()
    assert leader_a.username in page or leader_a.full_name in page
    assert other.full_name not in page
    # nor can an agency admin open another agency's credential
    from tests.signing.factories import make_credential

    theirs = make_credential(authority=authority, agency=agency_b, owner=other)
    assert client.get(reverse("admin:signing_credential_change", args=[theirs.pk])).status_code in (302, 404)
    listing = client.get(reverse("admin:signing_credential_changelist")).content.decode()
    assert theirs.label not in listing


def test_owner_must_be_of_the_agency(login, superuser, agency_a, staff_b, authority):
    response = _post(login(superuser), agency=agency_a, owner=staff_b[Role.LEADER], data=make_p12(authority))
    assert response.status_code == 200 and "phải thuộc cơ quan" in response.content.decode()


def test_installation_admin_uploads_for_any_agency(login, superuser, agency_b, staff_b, authority):
    response = _post(login(superuser), agency=agency_b, owner=staff_b[Role.LEADER], data=make_p12(authority))
    assert response.status_code == 302
    assert Credential.objects.get().agency == agency_b


def test_plain_staff_cannot_add(login, staff_a, authority, agency_a, leader_a):
    officer = staff_a[Role.OFFICER]
    officer.is_staff = True
    officer.save()
    response = _post(login(officer), agency=agency_a, owner=leader_a, data=make_p12(authority))
    assert response.status_code in (302, 403) and not Credential.objects.exists()


def test_service_refuses_other_agency_admins(agency_admin, agency_b, staff_b, authority):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.credential_import_pkcs12(
            by=agency_admin,
            agency=agency_b,
            owner=staff_b[Role.LEADER],
            label="",
            data=make_p12(authority),
            password=FILE_PASSWORD,
        )


def test_admin_can_unlock_a_locked_credential(login, agency_admin, leader_credential):
    from django.utils import timezone

    Credential.objects.filter(pk=leader_credential.pk).update(
        pin_locked_until=timezone.now() + dt.timedelta(minutes=10)
    )
    client = login(agency_admin)
    url = reverse("admin:signing_credential_change", args=[leader_credential.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "label": leader_credential.label,
            "is_active": "on",
            "is_test": "on",
            "pin_locked_until_0": "",
            "pin_locked_until_1": "",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert not Credential.objects.get(pk=leader_credential.pk).is_pin_locked


def test_signed_files_cannot_be_replaced_in_the_admin(client, django_user_model):
    """A superuser may look at signature requests and public verifications, but not swap their files: the
    kept SHA-256 would no longer match (issue 14 review)."""
    from django.contrib import admin
    from django.test import RequestFactory

    from signing.admin import PublicVerificationAdmin, SignatureRequestAdmin
    from signing.models import PublicVerification, SignatureRequest

    superuser = django_user_model.objects.create_superuser("root14", "root14@example.com", "x")
    request = RequestFactory().get("/admin/")
    request.user = superuser
    requests_admin = admin.site._registry[SignatureRequest]
    assert isinstance(requests_admin, SignatureRequestAdmin)
    assert not requests_admin.has_change_permission(request) and not requests_admin.has_add_permission(
        request
    )
    assert requests_admin.has_view_permission(request)
    verification_admin = admin.site._registry[PublicVerification]
    assert isinstance(verification_admin, PublicVerificationAdmin)
    assert "file" in verification_admin.get_readonly_fields(request)
