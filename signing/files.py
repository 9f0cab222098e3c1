"""Reading a stored file of the signing app."""

from __future__ import annotations


def read_field_file(field_file) -> bytes | None:
    if not field_file:
        return None
    try:
        with field_file.open("rb") as handle:
            return handle.read()
    except (FileNotFoundError, ValueError):
        return None
