"""The office with signing credentials of the outgoing tests (the restore test issues a signed document)."""

from tests.documents.outgoing.helpers import office  # noqa: F401
from tests.signing.conftest import _signing_settings, authority, pki_dir  # noqa: F401
