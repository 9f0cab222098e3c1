"""Fixtures of the outgoing tests: the office (an agency with signing credentials) and what it needs."""

from tests.documents.outgoing.helpers import office  # noqa: F401
from tests.signing.conftest import authority, pki_dir  # noqa: F401
