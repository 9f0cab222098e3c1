"""DOCX drafts converted to PDF by LibreOffice (headless, a private profile, a time limit)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from django.utils.translation import gettext as _

CONVERSION_TIMEOUT = 90  # seconds for LibreOffice to convert one DOCX


class ConversionUnavailable(Exception):
    """No LibreOffice on this server: DOCX drafts cannot be converted, a PDF must be uploaded."""


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def converter_available() -> bool:
    return _soffice() is not None


def docx_to_pdf(data: bytes) -> bytes:
    """DOCX to PDF by LibreOffice, headless, with a private temporary profile, in CONVERSION_TIMEOUT s."""
    executable = _soffice()
    if executable is None:
        raise ConversionUnavailable(
            _(
                "Máy chủ chưa cài LibreOffice nên không chuyển được tệp Word sang PDF. "
                "Vui lòng tải lên bản PDF của dự thảo."
            )
        )
    if not data or not data.startswith(b"PK"):
        raise ValueError(_("Tệp không phải là tài liệu Word (.docx) hợp lệ."))
    with tempfile.TemporaryDirectory(prefix="eoffice-docx-") as tmp:
        work = Path(tmp)
        source = work / "du-thao.docx"
        source.write_bytes(data)
        command = [
            executable,
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--headless",
            "--norestore",
            "--nologo",
            "--nolockcheck",
            "--convert-to",
            "pdf",
            "--outdir",
            str(work),
            str(source),
        ]
        env = {**os.environ, "HOME": str(work)}
        process = subprocess.Popen(
            command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True
        )
        try:
            process.communicate(timeout=CONVERSION_TIMEOUT)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)  # its own session: soffice.bin goes with it
            process.communicate()
            raise ValueError(
                _("Chuyển tệp Word sang PDF quá thời gian cho phép; vui lòng tải lên bản PDF của dự thảo.")
            ) from None
        result = work / "du-thao.pdf"
        if process.returncode != 0 or not result.exists() or result.stat().st_size == 0:
            raise ValueError(
                _(
                    "Không chuyển được tệp Word sang PDF; vui lòng kiểm tra tệp "
                    "hoặc tải lên bản PDF của dự thảo."
                )
            )
        return result.read_bytes()
