"""Benchmark: one PAdES B-T signature with a visible leader stamp, per document, on one core.

Timestamps come from the local test TSA called IN-PROCESS (SIGNING_TSA_IN_PROCESS): a real RFC 3161 token
is built and signed for every signature, but no HTTP round trip is counted. The PKCS#12 key is unlocked
once (warm-up) and then served from the in-process key cache, as in a Celery worker.

    DATABASE_URL=... REDIS_URL=... .venv/bin/python bench/signing.py [N]
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eoffice.settings")
os.environ.setdefault("SIGNING_PKI_DIR", tempfile.mkdtemp(prefix="bench-pki-"))
os.environ["SIGNING_TSA_IN_PROCESS"] = "1"
if hasattr(os, "sched_setaffinity"):
    os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})  # one core

import django  # noqa: E402

django.setup()

from django.utils import timezone  # noqa: E402

from signing import appearance, backends, engine, pki  # noqa: E402
from tests.signing import samples  # noqa: E402


class _Credential:  # the backend only needs pk and the encrypted PKCS#12 (no database in the loop)
    pk = 1

    def __init__(self, blob):
        self.pkcs12_data = blob


def main(n: int = 200) -> dict:
    authority = pki.ensure_test_authority(Path(os.environ["SIGNING_PKI_DIR"]))
    key = pki.new_key()
    cert = pki.issue(
        ca_cert=authority.cert,
        ca_key=authority.key,
        public_key=key.public_key(),
        common_name="Nguyễn Văn An",
        organisation="Sở Kế hoạch và Đầu tư",
    )
    credential = _Credential(
        pki.to_pkcs12(key=key, cert=cert, chain=[authority.cert], pin="123456", friendly_name="b")
    )
    pdf, signature = samples.sample_pdf(), samples.signature_png()
    box = samples.SIGNER_BOX

    def one() -> bytes:
        signer = backends.pkcs12_signer(credential, "123456")  # cached after the first call (PIN-checked key)
        stamp = appearance.leader_stamp(
            box=box, signature_png=signature, signer_name="Nguyễn Văn An", when=timezone.now()
        )
        return engine.sign_pdf(
            pdf, signer=signer, options=engine.SignOptions(kind="leader", box=box, stamp_pdf=stamp)
        )

    for _ in range(10):  # warm-up: key unlock, fonts, imports
        one()
    times = []
    for _ in range(n):
        start = time.perf_counter()
        one()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    result = {
        "benchmark": "signing: PAdES B-T, visible leader stamp (WeasyPrint), local TSA in-process",
        "signatures": n,
        "cores": 1,
        "ms_mean": round(statistics.mean(times), 1),
        "ms_median": round(statistics.median(times), 1),
        "ms_p95": round(times[int(n * 0.95) - 1], 1),
        "ms_min": round(times[0], 1),
        "target_ms": 60,
        "pdf_bytes": len(pdf),
        "python": sys.version.split()[0],
    }
    out = ROOT / "bench" / "results" / "signing.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(json.dumps(result, indent=2, ensure_ascii=False))
    return result


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 200)
