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


def scanned_pdf(pages: int = 10) -> bytes:
    """A scan-like PDF: one 150-dpi greyscale A4 image of noise per page (a large file)."""
    import io

    from PIL import Image

    images = [Image.effect_noise((1240, 1754), 60).convert("L") for _ in range(pages)]
    out = io.BytesIO()
    images[0].save(out, "PDF", resolution=150, save_all=True, append_images=images[1:])
    return out.getvalue()


def measure(name: str, data: bytes, user) -> None:
    start = time.perf_counter()
    mark_pdf(data, user=user)
    cold = time.perf_counter() - start
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        mark_pdf(data, user=user)
        times.append(time.perf_counter() - start)
    print(
        f"{name}, {len(data) / 1024:.0f} KiB: first call {cold * 1000:.0f} ms, "
        f"then median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms ({RUNS} runs)"
    )


def main() -> None:
    user = SimpleNamespace(full_name="Nguyễn Văn Thử", get_username=lambda: "thu")
    measure("10-page text PDF (WeasyPrint)", sample_pdf(pages=10), user)
    measure("10-page scanned PDF (images)", scanned_pdf(10), user)


if __name__ == "__main__":
    main()
