"""A PDF carrying two real PAdES signatures (a leader's with a timestamp, then the agency seal's), made with
the signing app's engine and test authority, for the print-mark tests."""

from __future__ import annotations

from signing import backends, engine
from tests.signing import samples
from tests.signing.factories import PIN


def signed_pdf(*, leader_credential, seal_credential) -> bytes:
    data = samples.sample_pdf(pages=2)
    with backends.signer_for(leader_credential, PIN) as signer:
        data = engine.sign_pdf(data, signer=signer, options=engine.SignOptions(kind="leader", level="B-T"))
    with backends.signer_for(seal_credential, PIN) as signer:
        data = engine.sign_pdf(data, signer=signer, options=engine.SignOptions(kind="seal", level="B-B"))
    return data


def valid_signatures(data: bytes, tmp_path) -> list[bool]:
    return [row["valid"] for row in samples.pdfsig_signatures(samples.pdfsig(data, tmp_path))]
