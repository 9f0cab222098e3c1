"""HTTP: verification pages, public code page, local TSA over real HTTP, batch signing, certificates page."""

import io

import pytest
from django.urls import reverse

from signing import services
from signing.models import SignatureRequest
from tests.signing import samples
from tests.signing.factories import PIN


@pytest.fixture
def signed_pdf(sample, leader_a, leader_credential):
    return services.sign_pdf_bytes(
        data=sample, credential=leader_credential, pin=PIN, by=leader_a, kind="leader", box=samples.SIGNER_BOX
    ).data


def _upload(client, data, name="x.pdf"):
    f = io.BytesIO(data)
    f.name = name
    return client.post(reverse("signing:verify"), {"file": f})


def test_verify_page_shows_signatures(login, officer_a, signed_pdf, leader_a):
    client = login(officer_a)
    response = _upload(client, signed_pdf)
    body = response.content.decode()
    assert response.status_code == 200
    assert leader_a.full_name in body and "Tất cả chữ ký số hợp lệ." in body


@pytest.mark.parametrize(
    ("data", "message"),
    [(b"hello", "không phải là PDF"), (b"%PDF-1.7\n1 0 obj\n<<>>\ngarbage", "bị hỏng")],
)
def test_verify_page_rejects_bad_files_without_500(login, officer_a, data, message):
    response = _upload(login(officer_a), data)
    assert response.status_code == 200 and message in response.content.decode()


def test_verify_page_encrypted_pdf(login, officer_a, sample):
    from pyhanko.pdf_utils.crypt import StandardSecurityHandler
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.pdf_utils.writer import copy_into_new_writer

    writer = copy_into_new_writer(PdfFileReader(io.BytesIO(sample)))
    writer.encrypt = None
    writer._assign_security_handler(StandardSecurityHandler.build_from_pw("secret", "user"))
    out = io.BytesIO()
    writer.write(out)
    response = _upload(login(officer_a), out.getvalue())
    assert "mã hóa" in response.content.decode()


def test_verify_page_needs_login(client):
    assert client.get(reverse("signing:verify")).status_code == 302


def test_public_code_page(client, signed_pdf):
    code = services.register_public_verification(signed_pdf, "Quyết định 15/QĐ-SKHĐT")
    response = client.get(reverse("public_verify", args=[code]))
    body = response.content.decode()
    assert response.status_code == 200 and "Quyết định 15/QĐ-SKHĐT" in body
    from signing.engine import sha256

    assert sha256(signed_pdf) in body
    assert client.get(reverse("public_verify", args=[code]) + "?download=1").status_code == 404
    code2 = services.register_public_verification(signed_pdf, "Công khai", allow_download=True)
    assert client.get(reverse("public_verify", args=[code2]) + "?download=1").status_code == 200
    assert client.get(reverse("public_verify", args=["nope"])).status_code == 404


def test_local_tsa_over_http(live_server, settings, sample, leader_a, leader_credential, tmp_path):
    """Real RFC 3161 requests to /signing/tsa/ through pyHanko's HTTP client."""
    settings.SIGNING_TSA_IN_PROCESS = False
    settings.SIGNING_TSA_URL = live_server.url + reverse("signing:tsa")
    result = services.sign_pdf_bytes(
        data=sample, credential=leader_credential, pin=PIN, by=leader_a, kind="leader"
    )
    from signing.verification import verify_pdf

    report = verify_pdf(result.data)
    assert report.all_ok and report.signatures[0].timestamp_authority == "eoffice TEST TSA"
    assert samples.pdfsig_signatures(samples.pdfsig(result.data, tmp_path))[0]["valid"]


def test_tsa_view_rejects_garbage(client):
    url = reverse("signing:tsa")
    assert client.get(url).status_code == 405
    assert client.post(url, b"xx", content_type="application/timestamp-query").status_code == 400
    assert client.post(url, b"xx", content_type="text/plain").status_code == 415


def test_certificates_page_and_profile_include(login, leader_a, leader_credential):
    from django.template.loader import render_to_string

    response = login(leader_a).get(reverse("signing:certificates"))
    assert response.status_code == 200 and leader_credential.subject in response.content.decode()
    html = render_to_string("signing/_profile_certificates.html", {"user": leader_a})
    assert "Còn hiệu lực" in html and leader_credential.issuer in html


def test_expiry_warning(leader_a, authority):
    from django.template.loader import render_to_string

    from tests.signing.factories import make_credential

    make_credential(authority=authority, agency=leader_a.agency, owner=leader_a, days=10)
    html = render_to_string("signing/_profile_certificates.html", {"user": leader_a})
    assert "sẽ hết hạn sau" in html


def test_batch_signing_flow(
    login, leader_a, leader_credential, staff_a, sample, tmp_path, django_capture_on_commit_callbacks
):
    from eoffice.models import Role

    officer = staff_a[Role.OFFICER]
    reqs = [
        services.signature_request_create(
            pdf=sample,
            title=f"Văn bản {i}",
            requested_by=officer,
            kind="leader",
            signer=leader_a,
            box=samples.SIGNER_BOX,
            callback="tests.signing.test_views.record_callback",
        )
        for i in range(3)
    ]
    broken = reqs[1]
    broken.pdf.storage.delete(broken.pdf.name)
    broken.pdf.save("broken.pdf", io.BytesIO(b"%PDF-1.7 broken"), save=True)
    client = login(leader_a)
    page = client.get(reverse("signing:pending"))
    assert page.status_code == 200 and "Văn bản 0" in page.content.decode()
    wrong = client.post(reverse("signing:pending"), {"requests": [r.pk for r in reqs], "pin": "999999"})
    assert "Mã PIN không đúng." in wrong.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("signing:pending"), {"requests": [r.pk for r in reqs], "pin": PIN})
    assert response.status_code == 302
    statuses = {r.title: r.status for r in SignatureRequest.objects.all()}
    assert statuses == {"Văn bản 0": "signed", "Văn bản 1": "failed", "Văn bản 2": "signed"}
    assert {reqs[0].pk, reqs[2].pk} == CALLED
    progress = client.get(response.url + "progress/")
    assert "3/3" in progress.content.decode() and "hx-trigger" not in progress.content.decode()
    signed = SignatureRequest.objects.get(pk=reqs[0].pk)
    assert samples.pdfsig_signatures(samples.pdfsig(signed.result.read(), tmp_path))[0]["valid"]
    assert client.get(reverse("signing:request_file", args=[signed.pk]) + "?signed=1").status_code == 200
    assert (
        login(staff_a[Role.CLERK]).get(reverse("signing:request_file", args=[signed.pk])).status_code == 404
    )


CALLED: set[int] = set()


def record_callback(request):
    CALLED.add(request.pk)


def test_pin_is_not_stored_in_clear(settings):
    from django.core.cache import cache

    token = services.stash_pin("123456")
    raw = cache.get(f"signing:pin:{token}")
    assert b"123456" not in raw
    assert services.take_pin(token) == "123456"
    assert services.take_pin(token) is None
