"""Wrong PINs: counted per credential, locked after SIGNING_PIN_MAX_FAILURES in a row, reset by a success,
every failure in SignatureLog."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from signing import services
from signing.models import Credential, SignatureLog, SignatureRequest
from tests.signing import samples
from tests.signing.factories import PIN

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _limits(settings):
    settings.SIGNING_PIN_MAX_FAILURES = 3
    settings.SIGNING_PIN_LOCK_MINUTES = 15


def _sign(sample, credential, user, pin):
    return services.sign_pdf_bytes(
        data=sample, credential=credential, pin=pin, by=user, kind="leader", title="Quyết định"
    )


def _failures(credential) -> int:
    return Credential.objects.get(pk=credential.pk).pin_failures


def test_defaults():
    from django.conf import settings as real

    assert real.SIGNING_PIN_MAX_FAILURES >= 1 and real.SIGNING_PIN_LOCK_MINUTES >= 1


def test_wrong_pins_lock_the_credential_even_for_the_right_pin(sample, leader_a, leader_credential):
    with pytest.raises(services.PinError, match="Còn 2 lần thử"):
        _sign(sample, leader_credential, leader_a, "000000")
    with pytest.raises(services.PinError, match="Còn 1 lần thử"):
        _sign(sample, leader_credential, leader_a, "000001")
    with pytest.raises(services.PinError, match="đang tạm khóa do nhập sai mã PIN 3 lần liên tiếp"):
        _sign(sample, leader_credential, leader_a, "000002")
    credential = Credential.objects.get(pk=leader_credential.pk)
    assert credential.is_pin_locked
    assert dt.timedelta(minutes=14) < credential.pin_locked_until - timezone.now() <= dt.timedelta(minutes=15)
    with pytest.raises(services.PinError, match="Vui lòng thử lại sau"):
        _sign(sample, leader_credential, leader_a, PIN)  # the right PIN is refused while locked
    errors = list(SignatureLog.objects.filter(credential=leader_credential).values_list("error", flat=True))
    assert sorted(errors) == sorted(
        ["wrong PIN", "wrong PIN", "wrong PIN (locked)", "credential locked after wrong PINs"]
    )
    assert set(SignatureLog.objects.values_list("result", flat=True)) == {"failed"}
    assert PIN not in " ".join(errors)


def test_lock_expires(sample, leader_a, leader_credential):
    for pin in ("1", "2", "3"):
        with pytest.raises(services.PinError):
            _sign(sample, leader_credential, leader_a, pin)
    Credential.objects.filter(pk=leader_credential.pk).update(
        pin_locked_until=timezone.now() - dt.timedelta(seconds=1)
    )
    assert _sign(sample, leader_credential, leader_a, PIN).log.result == "ok"
    credential = Credential.objects.get(pk=leader_credential.pk)
    assert credential.pin_failures == 0 and credential.pin_locked_until is None


def test_success_resets_the_count(sample, leader_a, leader_credential):
    for pin in ("1", "2"):
        with pytest.raises(services.PinError):
            _sign(sample, leader_credential, leader_a, pin)
    assert _failures(leader_credential) == 2
    _sign(sample, leader_credential, leader_a, PIN)
    assert _failures(leader_credential) == 0
    for pin in ("1", "2"):
        with pytest.raises(services.PinError):
            _sign(sample, leader_credential, leader_a, pin)
    assert not Credential.objects.get(pk=leader_credential.pk).is_pin_locked


def test_counts_are_per_credential(sample, leader_a, leader_credential, clerk_a, seal_credential):
    for pin in ("1", "2", "3"):
        with pytest.raises(services.PinError):
            _sign(sample, leader_credential, leader_a, pin)
    assert not Credential.objects.get(pk=seal_credential.pk).is_pin_locked
    services.sign_pdf_bytes(data=sample, credential=seal_credential, pin=PIN, by=clerk_a, kind="seal")


def _request(sample, leader_a, staff_a):
    from eoffice.models import Role

    return services.signature_request_create(
        pdf=sample,
        title="Công văn 12/SKHĐT-VP",
        requested_by=staff_a[Role.OFFICER],
        kind="leader",
        signer=leader_a,
        box=samples.SIGNER_BOX,
    )


def test_batch_wrong_pins_are_counted_logged_and_lock(login, sample, leader_a, leader_credential, staff_a):
    item = _request(sample, leader_a, staff_a)
    client = login(leader_a)
    url = reverse("signing:pending")
    first = client.post(url, {"requests": [item.pk], "pin": "999999"}).content.decode()
    assert "Mã PIN không đúng. Còn 2 lần thử" in first
    assert SignatureLog.objects.filter(credential=leader_credential, error="wrong PIN").count() == 1
    client.post(url, {"requests": [item.pk], "pin": "999998"})
    third = client.post(url, {"requests": [item.pk], "pin": "999997"}).content.decode()
    assert "đang tạm khóa" in third
    locked = client.post(url, {"requests": [item.pk], "pin": PIN})
    assert locked.status_code == 200 and "đang tạm khóa" in locked.content.decode()
    assert SignatureRequest.objects.get(pk=item.pk).status == SignatureRequest.Status.PENDING
    assert SignatureLog.objects.filter(credential=leader_credential, result="failed").count() == 4
    page = client.get(url).content.decode()
    assert "đang tạm khóa do nhập sai mã PIN nhiều lần" in page
    certificates = client.get(reverse("signing:certificates")).content.decode()
    assert "Sai mã PIN" in certificates and "Chứng thư số đang tạm khóa" in certificates


def test_batch_success_resets(
    login, sample, leader_a, leader_credential, staff_a, django_capture_on_commit_callbacks
):
    item = _request(sample, leader_a, staff_a)
    client = login(leader_a)
    client.post(reverse("signing:pending"), {"requests": [item.pk], "pin": "999999"})
    assert _failures(leader_credential) == 1
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("signing:pending"), {"requests": [item.pk], "pin": PIN})
    assert response.status_code == 302
    assert _failures(leader_credential) == 0
    assert SignatureRequest.objects.get(pk=item.pk).status == SignatureRequest.Status.SIGNED


def test_request_sign_records_a_wrong_pin_on_the_request(sample, leader_a, leader_credential, staff_a):
    item = _request(sample, leader_a, staff_a)
    result = services.signature_request_sign(request=item, pin="111111", by=leader_a)
    assert result.status == SignatureRequest.Status.FAILED and "Mã PIN không đúng" in result.error
    assert _failures(leader_credential) == 1
