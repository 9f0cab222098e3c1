"""The keys of the protected identities (``complaints.crypto``).

``status``  where the keys come from, how many, and how many values are still under an older key;
``rotate``  put a new key first in the key file and re-encrypt every identity field and every encrypted
            letter file with it, in batches (each batch one transaction, rows locked); with keys from the
            environment it refuses and prints the steps; ``--resume`` re-encrypts only (after an interruption,
            or after the new key was put first in EOFFICE_IDENTITY_KEYS): what is already under the current
            key is skipped, so running it again is safe;
``retire``  drop the old keys from the key file once nothing is encrypted with them;
``rematch``  recompute every identity's match key (the keyed hash that finds a person's earlier letters)
            after SECRET_KEY changed.
Keys are never printed."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from complaints import crypto
from complaints.models import ENCRYPTED_FIELDS, Identity, LetterFile

ENC_COLUMNS = [f"{f}_enc" for f in ENCRYPTED_FIELDS]
GENERATE = "python -c 'from cryptography.fernet import Fernet; print(Fernet.generate_key().decode())'"


def _from_env() -> bool:
    return any(k for k in settings.COMPLAINTS_IDENTITY_KEYS)


def _current() -> Fernet:
    return Fernet(crypto.keys()[0])


def _is_current(current: Fernet, token: bytes) -> bool:
    try:
        current.decrypt(token)
    except InvalidToken:
        return False
    return True


def _write_keys(path: Path, keys: list[bytes]) -> None:
    """Replace the key file atomically (mode 0600)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".identity-keys-")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write("".join(k.decode() + "\n" for k in keys))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    crypto.reset()


def _read_file_bytes(row: LetterFile) -> bytes:
    with row.file.open("rb") as handle:
        return handle.read()


def _write_file_bytes(row: LetterFile, data: bytes) -> None:
    """Overwrite the stored file in place (a temporary file then a rename on a local storage)."""
    try:
        target = Path(row.file.path)
    except NotImplementedError:
        storage, name = row.file.storage, row.file.name
        storage.delete(name)
        saved = storage.save(name, ContentFile(data))
        if saved != name:
            LetterFile.objects.filter(pk=row.pk).update(file=saved)
        return
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".rotate-")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, target)


class Command(BaseCommand):
    help = "Status, rotation and retirement of the keys that encrypt protected identities."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["status", "rotate", "retire", "rematch"])
        parser.add_argument("--resume", action="store_true", help="rotate: re-encrypt only, add no new key")
        parser.add_argument("--batch", type=int, default=200, help="rows per transaction (default 200)")

    def handle(self, *args, action: str, resume: bool, batch: int, **options):
        if batch < 1:
            raise CommandError("--batch must be at least 1.")
        getattr(self, f"do_{action}")(resume=resume, batch=batch)

    # ---- counting --------------------------------------------------------------------------------------

    def _stale(self) -> tuple[int, int, int]:
        """(identity fields not under the current key, encrypted files not under it, unreadable values)."""
        current = _current()
        fields = files = unreadable = 0
        fernet = crypto.fernet()
        for values in Identity.objects.values_list(*ENC_COLUMNS).iterator(chunk_size=1000):
            for token in values:
                if token and not _is_current(current, token.encode()):
                    fields += 1
                    try:
                        fernet.decrypt(token.encode())
                    except InvalidToken:
                        unreadable += 1
        for row in LetterFile.objects.filter(encrypted=True).iterator(chunk_size=200):
            try:
                data = _read_file_bytes(row)
            except FileNotFoundError:
                self.stderr.write(f"letter file {row.pk}: stored file missing")
                continue
            if not _is_current(current, data):
                files += 1
                try:
                    fernet.decrypt(data)
                except InvalidToken:
                    unreadable += 1
        return fields, files, unreadable

    def do_status(self, **_):
        keys = crypto.keys()
        source = "environment (EOFFICE_IDENTITY_KEYS)" if _from_env() else f"key file {crypto.key_file()}"
        self.stdout.write(f"Keys: {len(keys)} from the {source}; the first encrypts.")
        fields, files, unreadable = self._stale()
        self.stdout.write(
            f"Identities: {Identity.objects.count()}; encrypted letter files: "
            f"{LetterFile.objects.filter(encrypted=True).count()}."
        )
        self.stdout.write(f"Under an older key: {fields} identity field(s), {files} file(s).")
        if unreadable:
            self.stdout.write(self.style.ERROR(f"Unreadable with the configured keys: {unreadable}."))
        elif fields or files:
            self.stdout.write("Run `manage.py identity_keys rotate --resume` to finish the rotation.")
        elif len(keys) > 1:
            self.stdout.write("Nothing uses the older keys: `manage.py identity_keys retire` drops them.")

    # ---- rotation --------------------------------------------------------------------------------------

    def do_rotate(self, *, resume: bool, batch: int, **_):
        if not resume:
            if _from_env():
                raise CommandError(
                    "The keys come from the environment (EOFFICE_IDENTITY_KEYS); this command cannot change "
                    "them. To rotate:\n"
                    f"  1. generate a key: {GENERATE}\n"
                    "  2. put it FIRST in EOFFICE_IDENTITY_KEYS, keeping the current keys after it "
                    "(comma-separated), and restart every process (web, workers);\n"
                    "  3. run: manage.py identity_keys rotate --resume\n"
                    "  4. when `identity_keys status` shows nothing under an older key, remove the old keys "
                    "from EOFFICE_IDENTITY_KEYS and restart."
                )
            path = crypto.key_file()
            _write_keys(path, [Fernet.generate_key(), *crypto.keys()])
            self.stdout.write(f"A new key is first in {path}; restart the other processes so they load it.")
        crypto.reset()
        fields, files = self._rotate_identities(batch), self._rotate_files(batch)
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted {fields} identity field(s) and {files} file(s)."))
        self.stdout.write("When nothing uses the old keys, run `manage.py identity_keys retire`.")

    def _rotate_identities(self, batch: int) -> int:
        current = _current()
        done = 0
        last = 0
        while True:
            with transaction.atomic():
                rows = list(
                    Identity.objects.select_for_update()
                    .filter(pk__gt=last)
                    .order_by("pk")
                    .only("pk", *ENC_COLUMNS)[:batch]
                )
                if not rows:
                    return done
                for row in rows:
                    changed = []
                    for column in ENC_COLUMNS:
                        token = getattr(row, column)
                        if token and not _is_current(current, token.encode()):
                            setattr(row, column, crypto.rotate_token(token))
                            changed.append(column)
                    if changed:
                        row.save(update_fields=changed)
                        done += len(changed)
                last = rows[-1].pk

    def _rotate_files(self, batch: int) -> int:
        current = _current()
        done = 0
        last = 0
        while True:
            with transaction.atomic():
                rows = list(
                    LetterFile.objects.select_for_update()
                    .filter(encrypted=True, pk__gt=last)
                    .order_by("pk")[:batch]
                )
                if not rows:
                    return done
                for row in rows:
                    try:
                        data = _read_file_bytes(row)
                    except FileNotFoundError:
                        self.stderr.write(f"letter file {row.pk}: stored file missing, skipped")
                        continue
                    if _is_current(current, data):
                        continue
                    _write_file_bytes(row, crypto.rotate_bytes(data))
                    done += 1
                last = rows[-1].pk

    # ---- retirement ------------------------------------------------------------------------------------

    def do_retire(self, **_):
        keys = crypto.keys()
        if len(keys) == 1:
            self.stdout.write("Only one key: nothing to retire.")
            return
        fields, files, unreadable = self._stale()
        if fields or files or unreadable:
            raise CommandError(
                f"Still under an older key: {fields} identity field(s), {files} file(s)"
                + (f", {unreadable} unreadable" if unreadable else "")
                + ". Run `manage.py identity_keys rotate --resume` first."
            )
        if _from_env():
            raise CommandError(
                "Nothing uses the older keys. The keys come from the environment: keep only the first key in "
                "EOFFICE_IDENTITY_KEYS and restart every process."
            )
        _write_keys(crypto.key_file(), keys[:1])
        self.stdout.write(self.style.SUCCESS(f"Retired {len(keys) - 1} old key(s); one key remains."))

    def do_rematch(self, *, batch: int, **_):
        from complaints.services.identity import match_key

        done = 0
        ids = list(Identity.objects.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), batch):
            with transaction.atomic():
                rows = Identity.objects.select_for_update().filter(pk__in=ids[start : start + batch])
                for row in rows:
                    key = match_key(crypto.decrypt(row.name_enc), crypto.decrypt(row.id_number_enc))
                    if key != row.match_key:
                        row.match_key = key
                        row.save(update_fields=["match_key"])
                        done += 1
        self.stdout.write(f"Match keys recomputed: {done} of {len(ids)} identities changed.")
