"""The English catalogue is complete and its compiled form is up to date."""

import shutil
import subprocess
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

LOCALE = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES"


def _entries(po_text: str):
    """(flags, msgid, msgstrs) for each entry of a .po file (enough of the format for this check)."""
    for block in po_text.split("\n\n"):
        lines = [line for line in block.strip().splitlines() if not line.startswith("#~")]
        flags = " ".join(line for line in lines if line.startswith("#,"))
        msgid, msgstrs, current = [], [], None
        for line in lines:
            if line.startswith("msgid "):
                current = msgid
            elif line.startswith("msgid_plural"):
                current = None
            elif line.startswith("msgstr"):
                msgstrs.append([])
                current = msgstrs[-1]
            if current is not None and '"' in line:
                current.append(line[line.index('"') + 1 : line.rindex('"')])
        if msgid:
            yield flags, "".join(msgid), ["".join(parts) for parts in msgstrs]


def test_every_entry_is_translated_and_none_is_fuzzy():
    entries = [e for e in _entries((LOCALE / "django.po").read_text()) if e[1]]
    assert len(entries) > 500
    untranslated = [msgid for _flags, msgid, strs in entries if not all(strs)]
    fuzzy = [msgid for flags, msgid, _strs in entries if "fuzzy" in flags]
    assert untranslated == []
    assert fuzzy == []


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext is not installed")
def test_compiled_catalogue_matches_the_source(tmp_path):
    subprocess.run(["msgfmt", "-o", str(tmp_path / "django.mo"), str(LOCALE / "django.po")], check=True)
    assert (tmp_path / "django.mo").read_bytes() == (LOCALE / "django.mo").read_bytes(), "run `make messages`"


@pytest.mark.django_db
def test_english_interface_after_the_switch():
    client = Client()
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    page = client.get(reverse("login")).content.decode()
    assert "Log in" in page
    assert "Đăng nhập" not in page


VI_LOCALE = LOCALE.parents[1] / "vi" / "LC_MESSAGES"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext is not installed")
def test_compiled_vietnamese_overrides_match_the_source(tmp_path):
    subprocess.run(["msgfmt", "-o", str(tmp_path / "django.mo"), str(VI_LOCALE / "django.po")], check=True)
    compiled = (VI_LOCALE / "django.mo").read_bytes()
    assert (tmp_path / "django.mo").read_bytes() == compiled, "run `make messages`"


def test_django_messages_in_clear_vietnamese():
    """Django's own Vietnamese says "Nhập một số tổng thể." for a bad whole number, and the admin's
    "Please correct the error below." has no Vietnamese at all (a plural form the catalogue lacks)."""
    from django import forms
    from django.utils import translation
    from django.utils.translation import ngettext

    class Form(forms.Form):
        n = forms.IntegerField()

    with translation.override("vi"):
        errors = Form({"n": "²"}).errors["n"]
        assert errors == ["Nhập một số nguyên, chỉ gồm các chữ số 0–9."]
        admin_message = ngettext("Please correct the error below.", "Please correct the errors below.", 1)
        assert admin_message == "Vui lòng sửa các lỗi được đánh dấu bên dưới."
