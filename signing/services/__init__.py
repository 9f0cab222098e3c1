"""Writes of the signing app, by sub-domain. Keyword-only, one transaction each, the right checked here.

Rights: only a credential's owner signs with a personal credential; an agency's seal credential is used only
by that agency's clerks (Role.CLERK). Every attempt is written to SignatureLog, success or failure.

- ``credentials``: register a credential, open and import a PKCS#12;
- ``pins``: wrong PINs counted and locking, the one-time PIN hand-over of a batch;
- ``signing``: ``sign_pdf_bytes`` (a PDF signed with a credential and the appearance of a kind);
- ``requests``: signature requests (queue, sign, remote signatures);
- ``batches``: batch signing in a Celery task, run again after a killed worker (``batches_resume``);
- ``public``: public verification codes;
- ``logs``: the signature log.

The predicates and formatters (``can_use_credential``, ``stamp_box_for``, ``verification_url``,
``verification_qr_svg``) live in ``signing.rules``. Callers: ``from signing import services as signing;
signing.sign_pdf_bytes(...)``.
"""

from signing.services.batches import batch_run, batch_run_queued, batch_start, batches_resume
from signing.services.credentials import (
    PKCS12_MAX_BYTES,
    Pkcs12Contents,
    credential_add,
    credential_import_pkcs12,
    demo_credential_create,
    pkcs12_parse,
)
from signing.services.pins import (
    CredentialLocked,
    PinError,
    check_credential_pin,
    drop_pin,
    read_pin,
    stash_pin,
    take_pin,
)
from signing.services.public import register_public_verification
from signing.services.requests import (
    remote_signatures_poll,
    signature_request_create,
    signature_request_poll_remote,
    signature_request_sign,
)
from signing.services.signing import SignResult, sign_pdf_bytes

__all__ = [
    "PKCS12_MAX_BYTES",
    "CredentialLocked",
    "PinError",
    "Pkcs12Contents",
    "SignResult",
    "batch_run",
    "batch_run_queued",
    "batch_start",
    "batches_resume",
    "check_credential_pin",
    "drop_pin",
    "credential_add",
    "credential_import_pkcs12",
    "pkcs12_parse",
    "register_public_verification",
    "remote_signatures_poll",
    "signature_request_create",
    "signature_request_poll_remote",
    "signature_request_sign",
    "sign_pdf_bytes",
    "read_pin",
    "stash_pin",
    "take_pin",
    "demo_credential_create",
]
