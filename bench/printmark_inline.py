"""Cost of the print mark on the copy viewed in the page (III.6k): a real 10-page PDF (WeasyPrint, the
Decree-30 sample document with its text on every page) marked with ``eoffice.output.printmark.mark_pdf`` as
``eoffice.files.serve_field_file(mark_for=…)`` does, timed cold (first call of the process: fonts loaded)
and warm (median of the following calls). Run: ``.venv/bin/python bench/printmark_inline.py``."""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eoffice.settings")

import django  # noqa: E402

django.setup()

from types import SimpleNamespace  # noqa: E402

from eoffice.output.printmark import mark_pdf  # noqa: E402
from tests.signing.samples import sample_pdf  # noqa: E402

RUNS = 15


def main() -> None:
    data = sample_pdf(pages=10)
    user = SimpleNamespace(full_name="Nguyễn Văn Thử", get_username=lambda: "thu")
    start = time.perf_counter()
    mark_pdf(data, user=user)
    cold = time.perf_counter() - start
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        mark_pdf(data, user=user)
        times.append(time.perf_counter() - start)
    print(
        f"10-page PDF of {len(data) / 1024:.0f} KiB: cold {cold * 1000:.0f} ms, "
        f"warm median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms ({RUNS} runs)"
    )


if __name__ == "__main__":
    main()
