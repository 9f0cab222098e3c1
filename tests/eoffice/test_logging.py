"""What the processes print (`make run`): no fontTools subsetting report, no "Exception ignored" from
WeasyPrint's font configurations at exit, a refused request on one line."""

from __future__ import annotations

import io
import json
import logging
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import include, path

from eoffice.logs import OneLineClientErrors

BASE_DIR = Path(__file__).resolve().parents[2]


def refused(request):
    raise PermissionDenied("Văn bản không thuộc cơ quan của bạn")


def broken(request):
    raise RuntimeError("lỗi thật")


urlpatterns = [path("refused/", refused), path("broken/", broken), path("", include("eoffice.urls"))]


@pytest.fixture
def console():
    """The output of the configured console handler (settings.LOGGING)."""
    (handler,) = [h for h in logging.getLogger().handlers if h.get_name() == "console"]
    stream = io.StringIO()
    previous = handler.setStream(stream)
    yield stream
    handler.setStream(previous)


@pytest.mark.urls(__name__)
def test_a_refused_request_is_logged_on_one_line(client, console):
    assert client.get("/refused/").status_code == 403
    lines = console.getvalue().splitlines()
    assert len(lines) == 1, lines
    assert "WARNING django.request: Forbidden (Permission denied): /refused/" in lines[0]
    assert "Văn bản không thuộc cơ quan của bạn" in lines[0]


@pytest.mark.urls(__name__)
def test_a_server_error_keeps_its_traceback(console):
    from django.test import Client

    assert Client(raise_request_exception=False).get("/broken/").status_code == 500
    output = console.getvalue()
    assert "Traceback" in output and "RuntimeError: lỗi thật" in output


def test_the_filter_keeps_records_without_a_status():
    record = logging.LogRecord(
        "x", logging.ERROR, __file__, 1, "boom %s", ("a",), (ValueError, ValueError(), None)
    )
    assert OneLineClientErrors().filter(record) and record.exc_info is not None


SCRIPT = textwrap.dedent(
    """
    import gc, json, os
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "eoffice.settings")
    django.setup()
    import weasyprint.pdf.fonts

    # the fontTools path, as on machines without HarfBuzz-Subset (thousands of INFO lines per start)
    weasyprint.pdf.fonts.harfbuzz_subset = None
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    from documents.outgoing.render import stylesheets
    from eoffice.output.pdf import fetcher, fonts
    from signing.appearance import _render

    for n in range(3):
        assert _render(f"<p>Chữ ký số {n}</p>", width=120, height=60).startswith(b"%PDF")
        faces, font_config = fonts()
        html = HTML(string=f"<p>Văn bản {n}</p>", url_fetcher=fetcher())
        pdf = html.write_pdf(stylesheets=[faces, *stylesheets()], font_config=font_config)
        assert pdf.startswith(b"%PDF")
    folders = [str(o._folder) for o in gc.get_objects() if isinstance(o, FontConfiguration) and o._folder]
    print("FOLDERS " + json.dumps(folders), flush=True)
    """
)


def test_pdf_rendering_prints_no_subsetting_and_exits_cleanly():
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT],
        cwd=BASE_DIR,
        env={**os.environ, "PYTHONPATH": str(BASE_DIR)},
        capture_output=True,
        text=True,
        timeout=180,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "INFO fontTools" not in output and "fontTools.subset" not in output, output[:2000]
    assert "Exception ignored" not in output and "Traceback" not in output, output
    # WeasyPrint's warning about the fallback is shown once per font and process, not once per document
    fallback = [line for line in output.splitlines() if "Using fontTools instead of HarfBuzz-Subset" in line]
    assert len(fallback) == len({line.split(" for font ")[1] for line in fallback}) <= 2, fallback
    (line,) = [line for line in result.stdout.splitlines() if line.startswith("FOLDERS ")]
    folders = json.loads(line.removeprefix("FOLDERS "))
    assert folders and not any(Path(folder).exists() for folder in folders)  # removed at exit
