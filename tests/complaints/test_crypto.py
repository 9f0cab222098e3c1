"""complaints.crypto: Fernet through MultiFernet, keys from the environment or from a key file created with
mode 0600 on first use; the first key encrypts, all decrypt; a missing key is a clear error, never the
token; the identities are stored as tokens, never as text."""

from __future__ import annotations

import os
import stat

import pytest
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured

from complaints import crypto, services
from complaints.models import Identity
from tests.complaints.conftest import DENOUNCER, make_case


@pytest.fixture
def key_file(settings, tmp_path):
    settings.COMPLAINTS_IDENTITY_KEYS = []
    settings.COMPLAINTS_IDENTITY_KEY_FILE = tmp_path / "keys" / "identity.keys"
    crypto.reset()
    yield settings.COMPLAINTS_IDENTITY_KEY_FILE
    crypto.reset()


def test_the_key_file_is_created_private_on_first_use(key_file):
    assert not key_file.exists()
    token = crypto.encrypt("Hoàng Thị Bí Mật")
    assert key_file.exists()
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    assert len(crypto.keys()) == 1
    assert token != "Hoàng Thị Bí Mật" and "Bí Mật" not in token
    assert crypto.decrypt(token) == "Hoàng Thị Bí Mật"


def test_empty_values_stay_empty(key_file):
    assert crypto.encrypt("") == "" and crypto.decrypt("") == ""
    assert crypto.rotate_token("") == ""


def test_each_encryption_differs_and_bytes_round_trip(key_file):
    assert crypto.encrypt("a") != crypto.encrypt("a")
    data = b"%PDF-1.7 letter"
    sealed = crypto.encrypt_bytes(data)
    assert data not in sealed and crypto.decrypt_bytes(sealed) == data


def test_the_first_key_encrypts_and_all_decrypt(settings, key_file):
    old, new = Fernet.generate_key(), Fernet.generate_key()
    settings.COMPLAINTS_IDENTITY_KEYS = [old.decode()]
    crypto.reset()
    token = crypto.encrypt("001190012345")
    settings.COMPLAINTS_IDENTITY_KEYS = [new.decode(), old.decode()]
    crypto.reset()
    assert crypto.decrypt(token) == "001190012345"
    rotated = crypto.rotate_token(token)
    Fernet(new).decrypt(rotated.encode())  # now under the new key
    assert crypto.decrypt(rotated) == "001190012345"


def test_a_missing_key_is_a_clear_error_without_the_token(settings, key_file):
    settings.COMPLAINTS_IDENTITY_KEYS = [Fernet.generate_key().decode()]
    crypto.reset()
    token = crypto.encrypt("secret")
    sealed = crypto.encrypt_bytes(b"secret file")
    settings.COMPLAINTS_IDENTITY_KEYS = [Fernet.generate_key().decode()]
    crypto.reset()
    with pytest.raises(ImproperlyConfigured) as error:
        crypto.decrypt(token)
    assert token not in str(error.value) and "secret" not in str(error.value)
    with pytest.raises(ImproperlyConfigured):
        crypto.decrypt_bytes(sealed)


def test_an_empty_key_file_is_refused(key_file):
    key_file.parent.mkdir(parents=True)
    key_file.write_text("\n")
    with pytest.raises(ImproperlyConfigured):
        crypto.keys()


@pytest.mark.django_db
def test_identities_are_stored_as_tokens(org):
    case = make_case(org, kind="denunciation", people=[DENOUNCER])
    row = Identity.objects.get(letter=case.letter)
    assert row.protected and row.display_name == ""
    raw = " ".join(getattr(row, f"{f}_enc") for f in ("name", "id_number", "address", "phone", "email"))
    for value in (DENOUNCER.name, DENOUNCER.id_number, DENOUNCER.address, DENOUNCER.phone, DENOUNCER.email):
        assert value not in raw
    assert services.identity_label(row) == str(services.PROTECTED_LABEL)
    assert crypto.decrypt(row.name_enc) == DENOUNCER.name
