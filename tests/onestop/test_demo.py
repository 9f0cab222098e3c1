"""The one-stop demo data: a catalogue whose steps add up, dossiers in every state over three months, written
through the services with backdated times, no mail, and nothing more on a second run."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from eoffice import demo
from eoffice.models import Agency, Notification
from onestop import catalogue
from onestop.demo import seed_onestop
from onestop.models import (
    Dossier,
    DossierState,
    DossierStep,
    OnestopConfig,
    Procedure,
    SupplementRequest,
    Timing,
)
from workflow.models import HistoryEntry


def _counts() -> dict:
    return {
        "procedures": Procedure.objects.count(),
        "dossiers": Dossier.objects.count(),
        "steps": DossierStep.objects.count(),
        "supplements": SupplementRequest.objects.count(),
        "history": HistoryEntry.objects.count(),
        "notifications": Notification.objects.count(),
        "configs": OnestopConfig.objects.count(),
    }


@pytest.mark.slow  # about half a minute: the core demo data, then eighty dossiers through the services
@pytest.mark.django_db
def test_the_onestop_demo(settings, monkeypatch, django_capture_on_commit_callbacks):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    monkeypatch.setattr(demo, "SEEDERS", [seed_onestop])
    out = io.StringIO()
    # What would run at commit runs here (with eager Celery: any email would reach the outbox).
    with django_capture_on_commit_callbacks(execute=True):
        demo.seed(stdout=out)
    assert "hồ sơ một cửa mẫu" in out.getvalue()

    agency = Agency.objects.get(code=demo.SKHDT)
    now = timezone.now()

    # The catalogue: realistic procedures whose internal steps add up to the legal time.
    procedures = list(Procedure.objects.filter(agency=agency).select_related("handling_department"))
    assert len(procedures) >= 15
    assert "2.001610" in {p.code for p in procedures}
    assert {p.handling_department.abbreviation for p in procedures} == {"ĐKKD", "TH"}
    assert {int(p.time_value) for p in procedures} >= {3, 5, 15}
    for p in procedures:
        steps = [(s.kind, s.department, s.hours) for s in p.steps.select_related("department")]
        assert catalogue.steps_problems(p, steps) == [], p.code
        assert p.papers.filter(mandatory=True).exists() and p.legal_basis and p.result_name
    with_review = {p.code for p in procedures if p.steps.filter(kind="review").exists()}
    assert 0 < len(with_review) < len(procedures)
    assert OnestopConfig.objects.filter(agency=agency).exists()

    # Dossiers in every state, over about three months, with every kind of outcome.
    dossiers = list(Dossier.objects.filter(agency=agency))
    assert len(dossiers) >= 70
    assert {d.state for d in dossiers} == set(DossierState.values)
    assert min(d.submitted_at for d in dossiers) < now - timedelta(days=60)
    assert max(d.submitted_at for d in dossiers) <= now
    assert {d.timing for d in dossiers} >= {Timing.EARLY, Timing.ON_TIME, Timing.LATE}
    assert any(d.is_overdue for d in dossiers)
    assert any(d.extended and d.state == DossierState.RETURNED for d in dossiers)
    assert any(d.extended and d.state in (DossierState.PROCESSING,) for d in dossiers)
    assert all(d.paused_at for d in dossiers if d.state == DossierState.SUPPLEMENT)
    assert sum(1 for d in dossiers if d.rating) >= 10
    assert {d.channel for d in dossiers} == {"counter", "post", "online"}
    assert any(d.applicant_kind == "organisation" for d in dossiers)
    emails = [d.applicant_email for d in dossiers if d.applicant_email]
    assert emails and all(e.endswith(("@example.com", "@example.org")) for e in emails)
    assert all(d.code.startswith(demo.SKHDT + "-") for d in dossiers if d.code)
    # Codes follow the reception day, history and hand-offs carry the backdated times.
    for d in dossiers:
        if d.code and d.received_at:
            assert d.code.split("-")[1] == timezone.localtime(d.received_at).strftime("%y%m%d")
    assert HistoryEntry.objects.filter(created_at__lt=now - timedelta(days=45)).exists()
    assert not DossierStep.objects.filter(started_at__gt=now).exists()
    assert DossierStep.objects.filter(timing=Timing.LATE).exists()
    assert DossierStep.objects.filter(timing=Timing.EARLY).exists()

    # Past events mailed nobody.
    assert mail.outbox == []

    # A second run writes nothing.
    before = _counts()
    out = io.StringIO()
    demo.seed(stdout=out)
    assert _counts() == before
    assert "hồ sơ một cửa mẫu" not in out.getvalue()


def test_the_demo_pdfs_keep_their_text_and_layout_through_the_output_layer():
    """The scan the demo uploads, written by eoffice.output.pdf: each line where (and as large as) it was when
    the demo called WeasyPrint itself, in the shipped Liberation Serif."""
    import pypdf

    from onestop.demo import Files

    reader = pypdf.PdfReader(Files().scan())
    (page,) = reader.pages
    lines = []

    def visit(text, _cm, tm, _font, size):
        if text.strip():
            lines.append((text.strip(), round(tm[4], 1), round(tm[5], 1), round(size, 1)))

    page.extract_text(visitor_text=visit)
    assert lines == [
        ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", 236.2, 108.4, 17.3),
        ("Độc lập - Tự do - Hạnh phúc", 309.8, 127.6, 17.3),
        ("BẢN CHỤP GIẤY TỜ", 325.8, 193.3, 18.7),
        ("Giấy tờ trong hồ sơ nộp trực tuyến (dữ liệu dùng thử).", 121.4, 230.1, 17.3),
    ]
    fonts = page["/Resources"]["/Font"].values()
    fonts = sorted(str(f.get_object()["/BaseFont"]).split("+")[-1] for f in fonts)
    assert fonts == ["Liberation-Serif", "Liberation-Serif-Bold"]
    assert [round(float(v), 1) for v in page.mediabox] == [0, 0, 595.3, 841.9]  # A4
