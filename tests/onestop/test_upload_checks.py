"""Hostile one-stop scans, posted through the real counter screen and the public online submission: a
20000 × 20000 PNG (a decompression bomb) and a truncated 100-byte PDF. Each is refused with a Vietnamese
message, and no dossier, paper or stored file is left."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.urls import reverse

from onestop.models import Dossier, DossierPaper
from tests.bombs import png_bomb, truncated_pdf
from tests.onestop.public.test_views import applicant_data, submit_url, verify_email
from tests.onestop.test_views import _counter_data

pytestmark = pytest.mark.django_db

BAD = [
    (lambda: png_bomb("cccd.png"), "cccd.png", "tối đa 40 triệu điểm ảnh"),
    (lambda: truncated_pdf("de-nghi.pdf"), "de-nghi.pdf", "Tệp PDF bị hỏng, không đọc được"),
]


def _nothing_saved(settings) -> None:
    assert not Dossier.objects.exists() and not DossierPaper.objects.exists()
    assert not [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


@pytest.mark.parametrize("bad,name,message", BAD)
def test_counter_scan_is_checked_by_content(client, people, procedure, settings, bad, name, message):
    client.force_login(people["onestop"], backend="django.contrib.auth.backends.ModelBackend")
    paper = procedure.papers.first()
    response = client.post(
        reverse("onestop:receive"), _counter_data(procedure, **{f"paper-{paper.pk}-file": bad()})
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    _nothing_saved(settings)


@pytest.mark.parametrize("bad,name,message", BAD)
def test_online_scan_is_checked_by_content(
    client, procedure, mailoutbox, django_capture_on_commit_callbacks, settings, bad, name, message
):
    verify_email(client, procedure, mailoutbox, django_capture_on_commit_callbacks)
    first = procedure.papers.order_by("order").first()
    response = client.post(submit_url(procedure), applicant_data(procedure, **{f"paper_{first.pk}": bad()}))
    html = response.content.decode()
    assert response.status_code == 200
    assert f"Tệp “{name}”" in html and message in html
    _nothing_saved(settings)

    response = client.post(submit_url(procedure), applicant_data(procedure, extra=[bad()]))
    assert message in response.content.decode()
    _nothing_saved(settings)
