"""PKCS#11 with SoftHSM, and remote signing against a fake CSC v2 server (sync and approve-later)."""

import base64
import json
import os
import shutil
import subprocess
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import Prehashed

from signing import pki, services
from signing.models import Backend, Credential, CredentialKind, SignatureRequest
from signing.verification import verify_pdf
from tests.signing import samples
from tests.signing.factories import PIN, cert_fields

SOFTHSM = "/usr/lib/softhsm/libsofthsm2.so"


@pytest.fixture
def softhsm_token(tmp_path, settings, monkeypatch):
    if not (shutil.which("softhsm2-util") and os.path.exists(SOFTHSM)):
        pytest.skip("softhsm2 not installed (apt-get install softhsm2)")
    tokens = tmp_path / "tokens"
    tokens.mkdir()
    conf = tmp_path / "softhsm2.conf"
    conf.write_text(f"directories.tokendir = {tokens}\nobjectstore.backend = file\n")
    monkeypatch.setenv("SOFTHSM2_CONF", str(conf))
    subprocess.run(
        [
            "softhsm2-util",
            "--init-token",
            "--free",
            "--label",
            "eoffice-test",
            "--pin",
            PIN,
            "--so-pin",
            "12345678",
        ],
        check=True,
        capture_output=True,
    )
    settings.SIGNING_PKCS11_MODULE = SOFTHSM
    return "eoffice-test"


def test_pkcs11_softhsm(softhsm_token, leader_a, authority, sample, tmp_path):
    import pkcs11
    from pkcs11 import Attribute, KeyType

    lib = pkcs11.lib(SOFTHSM)
    token = lib.get_token(token_label=softhsm_token)
    with token.open(rw=True, user_pin=PIN) as session:
        public, _private = session.generate_keypair(
            KeyType.RSA, 2048, label="leader-key", id=b"\x01", store=True
        )
        numbers = rsa.RSAPublicNumbers(
            int.from_bytes(public[Attribute.PUBLIC_EXPONENT], "big"),
            int.from_bytes(public[Attribute.MODULUS], "big"),
        )
    cert = pki.issue(
        ca_cert=authority.cert,
        ca_key=authority.key,
        public_key=numbers.public_key(),
        common_name=leader_a.full_name,
        organisation=leader_a.agency.name,
    )
    credential = Credential.objects.create(
        kind=CredentialKind.PERSON,
        backend=Backend.PKCS11,
        owner=leader_a,
        agency=leader_a.agency,
        label="Token",
        token_label=softhsm_token,
        key_label="leader-key",
        chain=authority.cert_pem,
        **cert_fields(cert),
    )
    result = services.sign_pdf_bytes(
        data=sample, credential=credential, pin=PIN, by=leader_a, kind="leader", box=samples.SIGNER_BOX
    )
    assert verify_pdf(result.data).all_ok
    assert samples.pdfsig_signatures(samples.pdfsig(result.data, tmp_path))[0]["valid"]
    from signing.backends import WrongPin

    with pytest.raises(WrongPin):
        services.sign_pdf_bytes(data=sample, credential=credential, pin="999999", by=leader_a, kind="leader")


class FakeCSC(BaseHTTPRequestHandler):
    """A tiny CSC v2 service holding one test key. ``asynchronous`` credentials wait for approve()."""

    key = None
    chain: list[bytes] = []
    pending: dict = {}
    approved: set = set()

    def log_message(self, *args):
        pass

    def _reply(self, status, data):
        body = json.dumps(data).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _sign(self, hashes_b64):
        return [
            base64.b64encode(
                self.key.sign(base64.b64decode(h), padding.PKCS1v15(), Prehashed(hashes.SHA256()))
            ).decode()
            for h in hashes_b64
        ]

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"{}")
        path = self.path.removeprefix("/csc/v2/")
        if path == "credentials/list":
            return self._reply(200, {"credentialIDs": ["cred-1"]})
        if path == "credentials/info":
            certs = [base64.b64encode(c).decode() for c in self.chain]
            return self._reply(
                200,
                {"cert": {"certificates": certs}, "key": {"algo": ["1.2.840.113549.1.1.11"]}, "multisign": 1},
            )
        if path == "credentials/authorize":
            if body.get("PIN") != PIN:
                return self._reply(400, {"error": "invalid_pin", "error_description": "Invalid PIN"})
            return self._reply(200, {"SAD": "sad-" + ",".join(body["hashes"])})
        if path == "signatures/signHash":
            assert body["hashAlgorithmOID"] == "2.16.840.1.101.3.4.2.1"
            if body.get("operationMode") == "A":
                rid = f"r{len(self.pending) + 1}"
                FakeCSC.pending[rid] = body["hashes"]
                return self._reply(202, {"responseID": rid})
            return self._reply(200, {"signatures": self._sign(body["hashes"])})
        if path == "signatures/signPolling":
            rid = body["responseID"]
            if rid not in self.approved:
                return self._reply(202, {})
            return self._reply(200, {"signatures": self._sign(self.pending[rid])})
        return self._reply(404, {"error": "not_found"})


@pytest.fixture
def csc_server(authority, leader_a):
    key = pki.new_key()
    cert = pki.issue(
        ca_cert=authority.cert,
        ca_key=authority.key,
        public_key=key.public_key(),
        common_name=leader_a.full_name,
        organisation=leader_a.agency.name,
    )
    FakeCSC.key = key
    FakeCSC.chain = [
        cert.public_bytes(serialization.Encoding.DER),
        authority.cert.public_bytes(serialization.Encoding.DER),
    ]
    FakeCSC.pending, FakeCSC.approved = {}, set()
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeCSC)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


def _remote_credential(url, leader_a, authority, *, asynchronous):
    from cryptography import x509

    from signing import csc

    cert_der, chain = csc.fetch_credential(csc.CSCClient(url), "cred-1")
    assert csc.CSCClient(url).credentials_list() == ["cred-1"]
    return Credential.objects.create(
        kind=CredentialKind.PERSON,
        backend=Backend.CSC,
        owner=leader_a,
        agency=leader_a.agency,
        label="Remote",
        service_url=url,
        remote_credential_id="cred-1",
        remote_async=asynchronous,
        chain=authority.cert_pem,
        **cert_fields(x509.load_der_x509_certificate(cert_der)),
    )


def test_csc_synchronous(csc_server, leader_a, authority, sample, tmp_path):
    credential = _remote_credential(csc_server, leader_a, authority, asynchronous=False)
    result = services.sign_pdf_bytes(
        data=sample, credential=credential, pin=PIN, by=leader_a, kind="leader", box=samples.SIGNER_BOX
    )
    assert verify_pdf(result.data).all_ok
    assert samples.pdfsig_signatures(samples.pdfsig(result.data, tmp_path))[0]["valid"]
    from signing.backends import WrongPin

    with pytest.raises(WrongPin):
        services.sign_pdf_bytes(data=sample, credential=credential, pin="1", by=leader_a, kind="leader")


def test_csc_approved_later_on_phone(csc_server, leader_a, staff_a, authority, sample, tmp_path):
    from eoffice.models import Role

    _remote_credential(csc_server, leader_a, authority, asynchronous=True)
    request = services.signature_request_create(
        pdf=sample,
        title="Chờ điện thoại",
        requested_by=staff_a[Role.OFFICER],
        kind="leader",
        signer=leader_a,
        box=samples.SIGNER_BOX,
    )
    request = services.signature_request_sign(request=request, pin=PIN, by=leader_a)
    assert request.status == SignatureRequest.Status.AWAITING_REMOTE
    assert services.signature_request_poll_remote(request=request).status == "awaiting_remote"
    FakeCSC.approved.add(request.remote_state["response_id"])
    request = services.signature_request_poll_remote(request=request)
    assert request.status == SignatureRequest.Status.SIGNED
    data = request.result.read()
    report = verify_pdf(data)
    assert report.all_ok and report.signatures[0].timestamp_valid
    assert samples.pdfsig_signatures(samples.pdfsig(data, tmp_path))[0]["valid"]
