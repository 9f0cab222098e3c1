"""manage.py identity_keys: status, rotate (a new key first in the key file, every identity field and every
encrypted letter file re-encrypted in batches, resumable; refused with the steps when the keys come from the
environment), retire (only once nothing uses the old keys). Keys are never printed."""

from __future__ import annotations

from io import StringIO

import pytest
from cryptography.fernet import Fernet, InvalidToken
from django.core.management import call_command
from django.core.management.base import CommandError

from complaints import crypto, services
from complaints.management.commands import identity_keys
from complaints.models import ENCRYPTED_FIELDS, Identity, LetterFile
from tests.complaints.conftest import COMPLAINANT, DENOUNCER, make_case
from tests.complaints.redaction_helpers import protected_letter

pytestmark = pytest.mark.django_db


@pytest.fixture
def key_file(settings, tmp_path):
    settings.COMPLAINTS_IDENTITY_KEYS = []
    settings.COMPLAINTS_IDENTITY_KEY_FILE = tmp_path / "identity.keys"
    crypto.reset()
    yield settings.COMPLAINTS_IDENTITY_KEY_FILE
    crypto.reset()


def run(*args) -> str:
    out = StringIO()
    call_command("identity_keys", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def _data(org):
    letter, scan = protected_letter(org)
    make_case(org, people=[COMPLAINANT])
    return letter, scan


def _under_only(key: bytes) -> bool:
    """Every identity token and every encrypted file decrypts with ``key`` alone."""
    f = Fernet(key)
    try:
        for row in Identity.objects.all():
            for field in ENCRYPTED_FIELDS:
                token = getattr(row, f"{field}_enc")
                if token:
                    f.decrypt(token.encode())
        for row in LetterFile.objects.filter(encrypted=True):
            f.decrypt(row.file.open("rb").read())
    except InvalidToken:
        return False
    return True


def test_rotate_then_retire(org, key_file):
    letter, scan = _data(org)
    old = crypto.keys()[0]
    assert _under_only(old)
    before = run("status")
    assert "Keys: 1" in before and old.decode() not in before

    out = run("rotate", "--batch", "1")  # one row per transaction
    keys = [line.strip().encode() for line in key_file.read_text().splitlines() if line.strip()]
    assert len(keys) == 2 and keys[1] == old and keys[0] != old
    assert all(k.decode() not in out for k in keys)
    assert _under_only(keys[0]) and not _under_only(old)
    # Everything still reads, with the keys reloaded.
    crypto.reset()
    person = letter.people.get()
    assert (
        services.identity_reveal(identity=person, user=org["reception"], purpose="test")["name"]
        == DENOUNCER.name
    )
    assert services.file_bytes(LetterFile.objects.get(pk=scan.pk)).startswith(b"%PDF")
    assert "Under an older key: 0 identity field(s), 0 file(s)." in run("status")

    out = run("retire")
    assert "Retired 1" in out
    crypto.reset()
    assert crypto.keys() == [keys[0]]
    assert services.identity_reveal(identity=person, user=org["reception"], purpose="test")["id_number"] == (
        DENOUNCER.id_number
    )
    assert services.file_bytes(LetterFile.objects.get(pk=scan.pk)).startswith(b"%PDF")


def test_an_interrupted_rotation_resumes(org, key_file, monkeypatch):
    _data(org)
    original = identity_keys.Command._rotate_files

    def crash(self, batch):
        raise RuntimeError("power cut")

    monkeypatch.setattr(identity_keys.Command, "_rotate_files", crash)
    with pytest.raises(RuntimeError):
        run("rotate")
    keys = crypto.keys()
    assert len(keys) == 2
    status = run("status")
    assert "0 identity field(s), 1 file(s)" in status and "--resume" in status
    with pytest.raises(CommandError):
        run("retire")  # the old key is still needed

    monkeypatch.setattr(identity_keys.Command, "_rotate_files", original)
    out = run("rotate", "--resume")
    assert "Re-encrypted 0 identity field(s) and 1 file(s)" in out
    assert len(crypto.keys()) == 2  # --resume adds no key
    assert _under_only(keys[0])
    assert "Re-encrypted 0 identity field(s) and 0 file(s)" in run("rotate", "--resume")  # idempotent


def test_keys_from_the_environment_are_not_rotated_here(org, key_file, settings):
    old = Fernet.generate_key()
    settings.COMPLAINTS_IDENTITY_KEYS = [old.decode()]
    crypto.reset()
    _data(org)
    with pytest.raises(CommandError) as error:
        run("rotate")
    text = str(error.value)
    assert "EOFFICE_IDENTITY_KEYS" in text and "rotate --resume" in text and old.decode() not in text
    assert not key_file.exists()

    new = Fernet.generate_key()
    settings.COMPLAINTS_IDENTITY_KEYS = [new.decode(), old.decode()]
    crypto.reset()
    out = run("rotate", "--resume")
    assert "file(s)" in out and _under_only(new)
    with pytest.raises(CommandError) as error:
        run("retire")
    assert "keep only the first key" in str(error.value)


def test_retire_with_one_key_does_nothing(org, key_file):
    _data(org)
    assert "nothing to retire" in run("retire")


def test_a_bad_batch_is_refused(key_file):
    with pytest.raises(CommandError):
        run("rotate", "--batch", "0")
