"""A raw ``pg_dump`` of the database (plain SQL) reveals no protected identity: the denouncer's name, ID
number, address, phone and e-mail are nowhere in it — not in the identity rows (encrypted), the letters, the
cases, the history, the reads log, the notifications — while an unprotected complainant's display name and
the case codes are there (the dump is real)."""

from __future__ import annotations

import contextlib
import os
import subprocess
from pathlib import Path

import pytest
from django.db import connection, transaction

from complaints import services
from complaints.models import CaseKind, Identity
from eoffice.search import fold
from tests.complaints.conftest import COMPLAINANT, DENOUNCER, make_case
from tests.complaints.redaction_helpers import NAME_BOX, protected_letter


def pg_dump_binary(host: str) -> str:
    """The server's own pg_dump for the embedded server (a socket directory: pgserver's PostgreSQL, whose
    version the system's pg_dump may not match), else the one on the PATH."""
    if host.startswith("/"):
        with contextlib.suppress(ImportError):
            import pgserver

            bundled = Path(pgserver.__file__).parent / "pginstall" / "bin" / "pg_dump"
            if bundled.exists():
                return str(bundled)
    return "pg_dump"


def pg_dump() -> str:
    s = connection.settings_dict
    command = [pg_dump_binary(s.get("HOST") or ""), "--no-owner", "--format=plain", "-d", s["NAME"]]
    if s.get("HOST"):
        command += ["-h", s["HOST"]]
    if s.get("PORT"):
        command += ["-p", str(s["PORT"])]
    if s.get("USER"):
        command += ["-U", s["USER"]]
    env = {**os.environ, **({"PGPASSWORD": s["PASSWORD"]} if s.get("PASSWORD") else {})}
    result = subprocess.run(command, capture_output=True, env=env, check=True, timeout=300)
    return result.stdout.decode("utf-8", "replace")


@pytest.mark.django_db(transaction=True)
def test_a_database_dump_does_not_reveal_the_denouncer(org):
    letter, scan = protected_letter(org)
    services.letter_redact(source=scan, boxes=[NAME_BOX], by=org["reception"])
    services.identity_reveal(
        identity=letter.people.get(), user=org["reception"], purpose="kiểm tra", address="10.0.0.1"
    )
    with transaction.atomic():  # make_case numbers under a row lock (this test commits for real)
        make_case(org, kind=CaseKind.DENUNCIATION, people=[DENOUNCER])
        plain = make_case(org, people=[COMPLAINANT])

    dump = pg_dump()

    assert COMPLAINANT.name in dump and plain.code in dump  # the rows are in the dump
    assert Identity.objects.filter(protected=True).count() == 2
    for label, value in {
        "name": DENOUNCER.name,
        "ID number": DENOUNCER.id_number,
        "address": DENOUNCER.address,
        "phone": DENOUNCER.phone,
        "e-mail": DENOUNCER.email,
    }.items():
        assert value not in dump, f"pg_dump shows the protected {label}"
    assert fold(DENOUNCER.name) not in fold(dump)
