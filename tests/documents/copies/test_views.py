import io

from django.urls import reverse
from pypdf import PdfReader

from documents.copies import services
from documents.copies.models import DocumentCopy
from documents.models import IncomingDocument
from tests.documents.copies.conftest import PIN, fields


def _post(office, agency_b, **extra):
    data = {
        "form": "SY",
        "signer": office["leader"].pk,
        "signer_authority": "TL.",
        "authority_title": "Giám đốc",
        "signer_title": "Chánh Văn phòng",
        "recipient_agencies": [agency_b.pk],
        "other_recipients": "Công ty Minh Phát",
        "pin": PIN,
    }
    data.update(extra)
    return data


def test_clerk_copies_from_the_incoming_page(office, incoming, agency_b, login):
    client = login(office["clerk"])
    page = client.get(incoming.get_absolute_url())
    url = reverse("documents:copy_create", args=["incoming", incoming.pk])
    assert url in page.content.decode()
    assert client.get(url).status_code == 200
    response = client.post(url, _post(office, agency_b))
    copy = DocumentCopy.objects.get()
    assert response.status_code == 302 and response["Location"] == copy.get_absolute_url()
    assert IncomingDocument.objects.filter(agency=agency_b, number_symbol=copy.number_symbol).exists()
    detail = client.get(copy.get_absolute_url()).content.decode()
    assert "01/SY-SKHĐT" in detail and agency_b.name in detail and "Công ty Minh Phát" in detail
    served = client.get(reverse("documents:copy_file", args=[copy.pk]) + "?download=1")
    assert served.status_code == 200 and served["Content-Disposition"].startswith("attachment")
    body = b"".join(served.streaming_content) if served.streaming else served.content
    assert len(PdfReader(io.BytesIO(body)).pages) == copy.page_count
    assert len(body) > copy.file.size  # the print mark added after the signed bytes


def test_bad_pages_and_missing_pin_are_messages(office, incoming, agency_b, login):
    client = login(office["clerk"])
    url = reverse("documents:copy_create", args=["incoming", incoming.pk])
    response = client.post(url, _post(office, agency_b, form="TS", pages="9-2"))
    assert response.status_code == 200 and "không hợp lệ" in response.content.decode()
    response = client.post(url, _post(office, agency_b, pin=""))
    assert response.status_code == 200 and "Vui lòng nhập mã PIN" in response.content.decode()
    response = client.post(url, _post(office, agency_b, pin="000000"))
    assert response.status_code == 200
    assert not DocumentCopy.objects.exists()


def test_officer_cannot_copy_other_agency_sees_nothing(office, incoming, agency_b, login, staff_b):
    from eoffice.models import Role

    url = reverse("documents:copy_create", args=["incoming", incoming.pk])
    client = login(office["officer"])
    assert client.get(url).status_code in (403, 404)
    assert client.post(url, _post(office, agency_b)).status_code in (403, 404)
    copy = services.copy_issue(source=incoming, fields=fields(office), by=office["clerk"], pin=PIN)
    other = login(staff_b[Role.CLERK])
    assert other.get(url).status_code == 404
    assert other.get(copy.get_absolute_url()).status_code == 404
    assert other.get(reverse("documents:copy_file", args=[copy.pk])).status_code == 404
    assert not DocumentCopy.objects.exclude(pk=copy.pk).exists()


def test_register_lists_copies_and_prints(office, incoming, login, django_assert_max_num_queries):
    for form, pages in (("SY", ""), ("TS", "1")):
        services.copy_issue(
            source=incoming, fields=fields(office, form=form, pages=pages), by=office["clerk"], pin=PIN
        )
    client = login(office["clerk"])
    assert reverse("documents:copy_list") in client.get(reverse("documents:registers")).content.decode()
    with django_assert_max_num_queries(20):
        page = client.get(reverse("documents:copy_list")).content.decode()
    assert "01/SY-SKHĐT" in page and "02/TrS-SKHĐT" in page and incoming.number_symbol in page
    only_ts = client.get(reverse("documents:copy_list"), {"form": "TS"}).content.decode()
    assert "02/TrS-SKHĐT" in only_ts and "01/SY-SKHĐT" not in only_ts
    pdf = client.get(reverse("documents:copy_list"), {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    assert "SỔ ĐĂNG KÝ BẢN SAO VĂN BẢN" in text and "01/SY-SKHĐT" in text
    bad = client.get(reverse("documents:copy_list"), {"date_from": "2026-05-01", "date_to": "2026-01-01"})
    assert bad.status_code == 200 and "Ngày bắt đầu phải trước ngày kết thúc." in bad.content.decode()
    assert login(office["officer"]).get(reverse("documents:copy_list")).status_code == 403
