"""Remote signing over the Cloud Signature Consortium API v2 (credentials/list, credentials/info,
credentials/authorize, signatures/signHash, and signatures/signPolling for the asynchronous mode where the
person approves the signature later on their phone).

pyHanko's own ``CSCSigner`` speaks the v1 request shapes (``hash``/``hashAlgo``); v2 renamed them
(``hashes``/``hashAlgorithmOID``), so the few calls are made here. The asynchronous flow uses pyHanko's
interrupted signing: digest now, finish when the signature value comes back.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import io
import json
import urllib.error
import urllib.request
from dataclasses import dataclass

from asn1crypto import algos, cms
from asn1crypto import x509 as asn1_x509
from django.conf import settings
from pyhanko.sign import signers
from pyhanko.sign.signers.pdf_byterange import PreparedByteRangeDigest
from pyhanko.sign.signers.pdf_signer import PdfTBSDocument
from pyhanko_certvalidator.registry import SimpleCertificateStore

from signing import engine, sync
from signing.engine import SigningError

SHA256_OID = algos.DigestAlgorithmId("sha256").dotted
RSA_SHA256_OID = algos.SignedDigestAlgorithmId("sha256_rsa").dotted


class CSCClient:
    def __init__(self, base_url: str, token: str = "", timeout: float = 30):
        if not base_url.startswith(("https://", "http://")):
            raise SigningError("Địa chỉ dịch vụ ký từ xa không hợp lệ.")
        self.base_url = base_url.rstrip("/")
        self.token = token
        self.timeout = timeout

    def call(self, endpoint: str, body: dict) -> tuple[int, dict]:
        request = urllib.request.Request(  # noqa: S310  (scheme checked in __init__)
            f"{self.base_url}/csc/v2/{endpoint}",
            data=json.dumps(body).encode(),
            headers={
                "Content-Type": "application/json",
                **({"Authorization": f"Bearer {self.token}"} if self.token else {}),
            },
            method="POST",
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                return response.status, json.loads(response.read() or b"{}")
        except urllib.error.HTTPError as exc:
            try:
                detail = json.loads(exc.read() or b"{}")
            except ValueError:
                detail = {}
            message = detail.get("error_description") or detail.get("error") or str(exc.code)
            if detail.get("error") == "invalid_pin" or "PIN" in str(message):
                from signing.backends import WrongPin

                raise WrongPin("Mã PIN không đúng.") from exc
            raise SigningError(f"Dịch vụ ký từ xa báo lỗi: {message}") from exc
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise SigningError("Không kết nối được dịch vụ ký từ xa.") from exc

    def credentials_list(self) -> list[str]:
        return list(self.call("credentials/list", {})[1].get("credentialIDs", []))

    def credentials_info(self, credential_id: str) -> dict:
        return self.call("credentials/info", {"credentialID": credential_id, "certificates": "chain"})[1]

    def authorize(self, credential_id: str, hashes: list[str], pin: str) -> str:
        body = {"credentialID": credential_id, "numSignatures": len(hashes), "hashes": hashes, "PIN": pin}
        return str(self.call("credentials/authorize", body)[1]["SAD"])

    def sign_hash(self, credential_id: str, sad: str, hashes: list[str], *, asynchronous: bool = False):
        body = {
            "credentialID": credential_id,
            "SAD": sad,
            "hashes": hashes,
            "hashAlgorithmOID": SHA256_OID,
            "signAlgo": RSA_SHA256_OID,
            "operationMode": "A" if asynchronous else "S",
        }
        status, data = self.call("signatures/signHash", body)
        if asynchronous and "responseID" in data:
            return data["responseID"]
        return [base64.b64decode(s) for s in data["signatures"]]

    def sign_polling(self, response_id: str) -> list[bytes] | None:
        status, data = self.call("signatures/signPolling", {"responseID": response_id})
        if status == 202 or not data.get("signatures"):
            return None
        return [base64.b64decode(s) for s in data["signatures"]]


def client_for(credential) -> CSCClient:
    return CSCClient(credential.service_url, settings.SIGNING_CSC_TOKEN)


def _b64_sha256(data: bytes) -> str:
    return base64.b64encode(hashlib.sha256(data).digest()).decode()


def _cert_and_registry(credential) -> tuple[asn1_x509.Certificate, SimpleCertificateStore]:
    from signing.backends import credential_chain

    cert = asn1_x509.Certificate.load(bytes(credential.certificate))
    return cert, SimpleCertificateStore.from_certs([cert, *credential_chain(credential)])


class CSCv2Signer(signers.Signer):
    """Synchronous remote signing: authorize with the PIN, then signHash, for each signature."""

    def __init__(self, *, client: CSCClient, credential, pin: str):
        self.client, self.credential_id, self.pin = client, credential.remote_credential_id, pin
        cert, registry = _cert_and_registry(credential)
        super().__init__(signing_cert=cert, cert_registry=registry, embed_roots=True)

    async def async_sign_raw(self, data: bytes, digest_algorithm: str, dry_run=False) -> bytes:
        if dry_run:
            return bytes(512)
        if digest_algorithm != "sha256":
            raise SigningError("Dịch vụ ký từ xa chỉ dùng SHA-256.")
        digest = _b64_sha256(data)
        sad = self.client.authorize(self.credential_id, [digest], self.pin)
        return self.client.sign_hash(self.credential_id, sad, [digest])[0]


def fetch_credential(client: CSCClient, credential_id: str) -> tuple[bytes, list[bytes]]:
    """The DER certificate and chain of a remote credential (credentials/info)."""
    info = client.credentials_info(credential_id)
    try:
        certs = [base64.b64decode(c) for c in info["cert"]["certificates"]]
    except (KeyError, TypeError, ValueError) as exc:
        raise SigningError("Dịch vụ ký từ xa trả về chứng thư không hợp lệ.") from exc
    return certs[0], certs[1:]


# ---- interrupted signing (approval on the phone) -------------------------------------------------


@dataclass
class PendingRemote:
    """What must be kept between the digest and the signature value (serialisable)."""

    response_id: str
    prepared: dict  # PreparedByteRangeDigest fields
    signed_attrs: str  # base64 DER
    partial_pdf: bytes  # the output with the placeholder, kept in the request's result file

    def state(self) -> dict:
        return {"response_id": self.response_id, "prepared": self.prepared, "signed_attrs": self.signed_attrs}


async def _digest(data: bytes, *, credential, options: engine.SignOptions):
    cert, registry = _cert_and_registry(credential)
    writer = engine.open_for_signing(data)
    field_name = engine.next_field_name(writer, options.kind)
    external = signers.ExternalSigner(signing_cert=cert, cert_registry=registry, signature_value=256)
    pdf_signer = signers.PdfSigner(
        engine.signature_metadata(options, field_name),
        signer=external,
        stamp_style=engine.stamp_style(options.stamp_pdf) if options.stamp_pdf and options.box else None,
        new_field_spec=engine.field_spec(options, field_name),
    )
    prepared, _tbs, output = await pdf_signer.async_digest_doc_for_signing(
        writer, bytes_reserved=engine.SIGNATURE_BYTES_RESERVED
    )
    signed_attrs = await external.signed_attrs(prepared.document_digest, "sha256", use_pades=True)
    output.seek(0)
    return prepared, signed_attrs, output.read()


def begin_remote(data: bytes, *, credential, pin: str, options: engine.SignOptions) -> PendingRemote:
    """Digest the document now and ask the service for an asynchronous signature (approved on the phone)."""
    digesting = _digest(data, credential=credential, options=options)
    prepared, signed_attrs, partial = sync.call(asyncio.run, digesting)
    client = client_for(credential)
    digest = _b64_sha256(signed_attrs.dump())
    sad = client.authorize(credential.remote_credential_id, [digest], pin)
    response_id = client.sign_hash(credential.remote_credential_id, sad, [digest], asynchronous=True)
    if not isinstance(response_id, str):
        # the service answered at once: finish now
        return finish_remote_now(partial, prepared, signed_attrs, response_id[0], credential)
    return PendingRemote(
        response_id=response_id,
        prepared={
            "document_digest": base64.b64encode(prepared.document_digest).decode(),
            "reserved_region_start": prepared.reserved_region_start,
            "reserved_region_end": prepared.reserved_region_end,
        },
        signed_attrs=base64.b64encode(signed_attrs.dump()).decode(),
        partial_pdf=partial,
    )


def finish_remote_now(partial, prepared, signed_attrs, signature: bytes, credential) -> bytes:
    return sync.call(asyncio.run, _finish(partial, prepared, signed_attrs, signature, credential))


async def _finish(partial: bytes, prepared, signed_attrs, signature: bytes, credential) -> bytes:
    cert, registry = _cert_and_registry(credential)
    external = signers.ExternalSigner(signing_cert=cert, cert_registry=registry, signature_value=signature)
    sig_cms = await external.async_sign_prescribed_attributes(
        "sha256", signed_attrs=signed_attrs, timestamper=engine.timestamper()
    )
    output = io.BytesIO(partial)
    await PdfTBSDocument.async_finish_signing(output, prepared, sig_cms)
    return output.getvalue()


def poll_remote(*, credential, state: dict, partial: bytes) -> bytes | None:
    """The signed PDF once the person approved on their phone, else None (still waiting)."""
    signatures = client_for(credential).sign_polling(state["response_id"])
    if not signatures:
        return None
    p = state["prepared"]
    prepared = PreparedByteRangeDigest(
        document_digest=base64.b64decode(p["document_digest"]),
        reserved_region_start=int(p["reserved_region_start"]),
        reserved_region_end=int(p["reserved_region_end"]),
    )
    signed_attrs = cms.CMSAttributes.load(base64.b64decode(state["signed_attrs"]))
    return finish_remote_now(partial, prepared, signed_attrs, signatures[0], credential)
