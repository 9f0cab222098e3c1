"""PKCS#12 signing, appearances, sequential signatures, PAdES levels — checked with pyHanko and pdfsig."""

import pytest
from django.core.exceptions import PermissionDenied

from eoffice.models import Role
from signing import backends, rules, services
from signing.models import SignatureLog
from signing.verification import verify_pdf
from tests.signing import samples
from tests.signing.factories import PIN


def _leader_then_seal(sample, leader_a, clerk_a, leader_credential, seal_credential):
    first = services.sign_pdf_bytes(
        data=sample,
        credential=leader_credential,
        pin=PIN,
        by=leader_a,
        kind="leader",
        box=samples.SIGNER_BOX,
        title="QĐ thử",
    )
    seal_box = rules.stamp_box_for(kind="seal", box=samples.SIGNER_BOX, pdf=first.data, agency=clerk_a.agency)
    second = services.sign_pdf_bytes(
        data=first.data,
        credential=seal_credential,
        pin=PIN,
        by=clerk_a,
        kind="seal",
        box=seal_box,
        title="QĐ thử",
    )
    return first, second


def test_leader_then_seal_both_valid(sample, leader_a, clerk_a, leader_credential, seal_credential, tmp_path):
    first, second = _leader_then_seal(sample, leader_a, clerk_a, leader_credential, seal_credential)
    assert second.data.startswith(first.data)  # incremental update: the first revision is untouched

    rows = samples.pdfsig_signatures(samples.pdfsig(second.data, tmp_path))
    assert len(rows) == 2
    assert all(r["valid"] for r in rows)
    assert not rows[0]["total"] and rows[1]["total"]

    report = verify_pdf(second.data)
    assert report.all_ok, report
    leader_sig, seal_sig = report.signatures
    assert leader_sig.signer == leader_a.full_name and leader_sig.organisation == leader_a.agency.name
    assert leader_sig.coverage == "entire_revision" and leader_sig.modified_after
    assert seal_sig.coverage == "entire_file" and not seal_sig.modified_after
    assert leader_sig.timestamp_time and leader_sig.timestamp_valid
    assert leader_sig.signing_time.endswith("+07:00")

    logs = list(SignatureLog.objects.order_by("pk"))
    assert [log.result for log in logs] == ["ok", "ok"]
    assert logs[0].sha256_after == logs[1].sha256_before == first.sha256


def test_signed_sample_png_has_stamps(
    sample, leader_a, clerk_a, leader_credential, seal_credential, tmp_path
):
    """Render page 1 and check pixels: blue signature in the leader box, red seal over its left third."""
    import subprocess

    from PIL import Image

    _first, second = _leader_then_seal(sample, leader_a, clerk_a, leader_credential, seal_credential)
    (tmp_path / "s.pdf").write_bytes(second.data)
    subprocess.run(
        ["pdftoppm", "-r", "72", "-png", "-f", "1", "-l", "1", str(tmp_path / "s.pdf"), str(tmp_path / "p")],
        check=True,
    )
    image = Image.open(next(tmp_path.glob("p*.png"))).convert("RGB")
    height = image.height
    box = samples.SIGNER_BOX

    def count(color_test, x1, x2):
        return sum(
            1
            for x in range(int(x1), int(x2))
            for y in range(int(height - box.y2), int(height - box.y1))
            if color_test(image.getpixel((x, y)))
        )

    def is_blue(p):
        return p[2] > 120 and p[0] < 100

    def is_red(p):
        return p[0] > 150 and p[1] < 90 and p[2] < 90

    third = box.x1 + box.width / 3
    assert count(is_blue, box.x1 + box.width / 2, box.x2) > 50
    assert count(is_red, box.x1 - 40, third) > 50
    assert count(is_red, third + 5, box.x2) == 0  # the seal covers only the left third


def test_attachment_stamp_top_right(sample, clerk_a, seal_credential, tmp_path):
    box = rules.stamp_box_for(kind="attachment", box=None, pdf=sample, agency=clerk_a.agency)
    assert box.x2 > 500 and box.y2 > 800
    result = services.sign_pdf_bytes(
        data=sample,
        credential=seal_credential,
        pin=PIN,
        by=clerk_a,
        kind="attachment",
        box=box,
        stamp_text="15/QĐ-SKHĐT",
    )
    rows = samples.pdfsig_signatures(samples.pdfsig(result.data, tmp_path))
    assert rows[0]["valid"] and rows[0]["total"]
    import subprocess

    (tmp_path / "a.pdf").write_bytes(result.data)
    text = subprocess.run(
        ["pdftotext", "-f", "1", "-l", "1", str(tmp_path / "a.pdf"), "-"], capture_output=True, text=True
    ).stdout
    assert "15/QĐ-SKHĐT; 20" in text and "+07:00" in text


@pytest.mark.parametrize("level", ["B-LT", "B-LTA"])
def test_long_term_levels(level, sample, leader_a, leader_credential, tmp_path):
    result = services.sign_pdf_bytes(
        data=sample,
        credential=leader_credential,
        pin=PIN,
        by=leader_a,
        kind="leader",
        box=samples.SIGNER_BOX,
        level=level,
    )
    assert b"/DSS" in result.data
    report = verify_pdf(result.data)
    assert report.all_ok
    if level == "B-LTA":
        assert report.signatures[-1].is_document_timestamp
    rows = samples.pdfsig_signatures(samples.pdfsig(result.data, tmp_path))
    # poppler cannot validate document timestamps ("Signature Type: unknown"): check the signature itself
    assert rows[0]["valid"]


def test_only_owner_signs_and_seal_only_by_clerks(
    sample, staff_a, leader_a, leader_credential, seal_credential
):
    with pytest.raises(PermissionDenied):
        services.sign_pdf_bytes(
            data=sample, credential=leader_credential, pin=PIN, by=staff_a[Role.OFFICER], kind="leader"
        )
    with pytest.raises(PermissionDenied):
        services.sign_pdf_bytes(data=sample, credential=seal_credential, pin=PIN, by=leader_a, kind="seal")
    assert SignatureLog.objects.filter(result="failed").count() == 2


def test_other_agency_clerk_cannot_use_seal(sample, staff_b, seal_credential):
    with pytest.raises(PermissionDenied):
        services.sign_pdf_bytes(
            data=sample, credential=seal_credential, pin=PIN, by=staff_b[Role.CLERK], kind="seal"
        )


def test_wrong_pin_is_refused_even_after_a_cached_success(sample, leader_a, leader_credential):
    services.sign_pdf_bytes(data=sample, credential=leader_credential, pin=PIN, by=leader_a, kind="leader")
    with pytest.raises(backends.WrongPin):
        services.sign_pdf_bytes(
            data=sample, credential=leader_credential, pin="000000", by=leader_a, kind="leader"
        )
    log = SignatureLog.objects.order_by("-pk").first()
    assert log.result == "failed" and "000000" not in log.error


def test_key_is_cached(leader_credential):
    first = backends.pkcs12_signer(leader_credential, PIN)
    assert backends.pkcs12_signer(leader_credential, PIN) is first


def test_signature_log_is_append_only(sample, leader_a, leader_credential):
    result = services.sign_pdf_bytes(
        data=sample, credential=leader_credential, pin=PIN, by=leader_a, kind="leader"
    )
    with pytest.raises(PermissionError):
        result.log.save()
    with pytest.raises(PermissionError):
        SignatureLog.objects.all().delete()
    with pytest.raises(PermissionError):
        SignatureLog.objects.update(result="failed")


def test_damaged_pdf_gives_clear_error(leader_a, leader_credential):
    from signing.engine import SigningError

    with pytest.raises(SigningError, match="PDF"):
        services.sign_pdf_bytes(
            data=b"%PDF-1.7\ngarbage", credential=leader_credential, pin=PIN, by=leader_a, kind="leader"
        )


def test_demo_credentials_command_is_idempotent(staff_a, agency_a, agency_b, settings):
    from django.core.management import call_command

    from signing.models import Credential

    call_command("signing_demo_credentials")
    count = Credential.objects.count()
    assert Credential.objects.filter(owner=staff_a[Role.LEADER]).exists()
    assert Credential.objects.filter(agency=agency_b, kind="seal").exists()
    call_command("signing_demo_credentials")
    assert Credential.objects.count() == count
    cred = Credential.objects.get(owner=staff_a[Role.LEADER])
    backends.pkcs12_signer(cred, settings.SIGNING_DEMO_PIN)
