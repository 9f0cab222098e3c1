"""Import of a case file package (III.5.e): a round trip from one agency to another keeps the documents'
order, metadata and bytes; every unsafe or inconsistent package is refused with a Vietnamese list of what is
wrong, nothing saved and no file left on disk."""

from __future__ import annotations

import hashlib
import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from lxml import etree

from documents.records.export import importer, package
from documents.records.models import CaseFile, CaseFileItem
from eoffice.models import Role
from tests.factories import make_user
from workflow.models import HistoryEntry

pytestmark = pytest.mark.django_db
NS = {"p": package.NAMESPACE}
URL = "/documents/case-files/import/"
SNAPSHOT_FIELDS = (
    "type_name",
    "code_number",
    "code_notation",
    "issued_date",
    "organ_name",
    "subject",
    "language",
    "signer_position",
    "signer_name",
    "arrival_number",
    "arrival_date",
    "priority",
)


def _login(client, user):
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


@pytest.fixture
def exportable(case_file):
    """The outputs' case file without its .txt note (papers are PDF, images, Word or Excel)."""
    CaseFileItem.objects.filter(case_file=case_file, ordinal=4).delete()
    return case_file


@pytest.fixture
def zip_bytes(exportable):
    return package.file_package(case_file=exportable)


@pytest.fixture
def archivist_b(agency_b):
    return make_user(agency=agency_b, roles=[Role.ARCHIVIST], full_name="Lê Thị Lưu")


def _upload(data: bytes, name: str = "ho-so-2026-05-dkkd.zip") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/zip")


def _rezip(data: bytes, *, change=None, drop=(), add=None) -> bytes:
    """The package with members changed (name: new bytes, or a callable of the old ones), dropped, added."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename in drop:
                continue
            body = source.read(info)
            if change and info.filename in change:
                new = change[info.filename]
                body = new(body) if callable(new) else new
            archive.writestr(info.filename, body)
        for name, body in (add or {}).items():
            archive.writestr(name, body)
    return out.getvalue()


def _media_files() -> set[str]:
    root = Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()} if root.exists() else set()


def _refused(client, user, data: bytes) -> list[str]:
    """POST the package; assert nothing was saved; return the problems listed on the page."""
    before_files, before_media = CaseFile.objects.count(), _media_files()
    response = _login(client, user).post(URL, {"package": _upload(data)})
    assert response.status_code == 200
    assert CaseFile.objects.count() == before_files
    assert _media_files() == before_media
    problems = response.context["problems"]
    assert problems and "Gói hồ sơ chưa được nhập" in response.content.decode()
    return problems


def test_round_trip_into_another_agency(exportable, zip_bytes, archivist_b, client):
    before = _media_files()
    response = _login(client, archivist_b).post(URL, {"package": _upload(zip_bytes)})
    imported = CaseFile.objects.get(agency=archivist_b.agency)
    assert response.status_code == 302 and response["Location"] == imported.get_absolute_url()
    assert (imported.year, imported.code, imported.title) == (2026, "05.ĐKKD", exportable.title)
    assert (imported.retention, imported.rights) == (exportable.retention, exportable.rights)
    assert imported.owner == archivist_b and imported.status == CaseFile.Status.OPEN
    assert imported.description.startswith("Hồ sơ điện tử; Nhập từ gói hồ sơ 000.00.31.H26.2026.05.ĐKKD")
    history = HistoryEntry.objects.get(object_id=imported.pk, action=importer.IMPORT_ACTION)
    assert "3 văn bản, 4 tệp" in history.comment and history.actor == archivist_b
    assert history.data["source_code"] == "000.00.31.H26.2026.05.ĐKKD"

    # the incoming document (a PDF and its PNG attachment) became two papers, the others one each
    items = list(CaseFileItem.objects.filter(case_file=imported).order_by("ordinal"))
    assert [i.kind for i in items] == ["paper"] * 4
    assert [i.ordinal for i in items] == [1, 2, 3, 4]
    assert imported.doc_total == 4 and imported.page_total == 3 + 1 + 2 + 1
    assert "Tệp 2/2 của văn bản số 1" in items[1].description
    originals = list(CaseFileItem.objects.filter(case_file=exportable).order_by("ordinal"))
    pairs = [
        (originals[0], items[0]),
        (originals[0], items[1]),
        (originals[1], items[2]),
        (originals[2], items[3]),
    ]
    for original, copy in pairs:
        for name in SNAPSHOT_FIELDS:
            assert getattr(copy, name) == getattr(original, name), name
    assert len(_media_files() - before) == 4

    # exported again, the same bytes in the same order, with the same checksums and metadata
    again = zipfile.ZipFile(io.BytesIO(package.file_package(case_file=imported)))
    first = zipfile.ZipFile(io.BytesIO(zip_bytes))
    first_files = [first.read(n) for n in first.namelist() if n.startswith("files/")]
    again_files = [again.read(n) for n in again.namelist() if n.startswith("files/")]
    assert again_files == first_files
    first_xml = etree.fromstring(first.read("metadata.xml"))
    again_xml = etree.fromstring(again.read("metadata.xml"))
    sums = lambda doc: [e.text for e in doc.iterfind(".//p:Sha256", NS)]  # noqa: E731
    assert sums(again_xml) == sums(first_xml) == [hashlib.sha256(b).hexdigest() for b in first_files]
    names = lambda doc: [e.text for e in doc.iterfind(".//p:ComputerFile/p:Name", NS)]  # noqa: E731
    assert names(again_xml) == names(first_xml)
    for tag in (
        "p:Title",
        "p:Maintenance",
        "p:Rights",
        "p:FileCode/p:FileNotation",
        "p:FileCode/p:FileCatalog",
    ):
        assert again_xml.findtext(f"p:File/{tag}", namespaces=NS) == first_xml.findtext(
            f"p:File/{tag}", namespaces=NS
        )
    etree.XMLSchema(etree.fromstring(package.schema_bytes())).assertValid(again_xml)


def test_a_package_with_pdfa_renditions_imports_its_originals(exportable, archivist_b, client):
    from eoffice.output import pdfa

    if not pdfa.available():
        pytest.skip("Ghostscript is not installed")
    data = package.file_package(case_file=exportable, with_pdfa=True)
    _login(client, archivist_b).post(URL, {"package": _upload(data)})
    imported = CaseFile.objects.get(agency=archivist_b.agency)
    assert imported.doc_total == 4  # renditions checked, not stored
    history = HistoryEntry.objects.get(object_id=imported.pk, action=importer.IMPORT_ACTION)
    assert history.data["renditions"] == 2


def test_code_already_used_that_year_is_refused(exportable, zip_bytes, people, client):
    problems = _refused(client, people["clerk"], zip_bytes)
    assert any("05.ĐKKD" in p and "đã có trong năm 2026" in p for p in problems)


def test_changed_file_is_refused_by_its_checksum(zip_bytes, archivist_b, client):
    name = [n for n in zipfile.ZipFile(io.BytesIO(zip_bytes)).namelist() if n.endswith(".pdf")][0]
    tampered = _rezip(zip_bytes, change={name: lambda b: b.replace(b"%%EOF", b"%%EOF\n% changed\n", 1)})
    problems = _refused(client, archivist_b, tampered)
    assert any(name in p and "SHA-256" in p for p in problems)


def test_missing_and_undeclared_files_are_listed(zip_bytes, archivist_b, client):
    name = [n for n in zipfile.ZipFile(io.BytesIO(zip_bytes)).namelist() if n.endswith(".png")][0]
    data = _rezip(zip_bytes, drop={name}, add={"files/009-1-extra.pdf": b"%PDF-1.4"})
    problems = _refused(client, archivist_b, data)
    assert any("thiếu tệp" in p and name in p for p in problems)
    assert any("không được khai báo" in p and "files/009-1-extra.pdf" in p for p in problems)


@pytest.mark.parametrize("evil", ["../../etc/cron.d/x", "/tmp/x", "files/../../x", "files\\..\\x"])
def test_unsafe_paths_are_refused(zip_bytes, archivist_b, client, evil):
    problems = _refused(client, archivist_b, _rezip(zip_bytes, add={evil: b"x"}))
    assert any("đường dẫn không an toàn" in p or "không thuộc định dạng" in p for p in problems)


def test_zip_bomb_is_refused_from_its_listing(zip_bytes, archivist_b, client, monkeypatch):
    monkeypatch.setattr(importer, "RATIO_FROM", 1024)
    bomb = _rezip(zip_bytes, add={"files/009-1-zeros.pdf": b"\0" * 2_000_000})
    problems = _refused(client, archivist_b, bomb)
    assert any("tỷ lệ nén bất thường" in p for p in problems)


def test_not_a_zip_is_refused(archivist_b, client):
    problems = _refused(client, archivist_b, b"%PDF-1.4 not a zip at all")
    assert any("không phải gói hồ sơ (.zip) hợp lệ" in p for p in problems)


def test_metadata_against_the_schema(zip_bytes, archivist_b, client):
    def no_title(xml: bytes) -> bytes:
        root = etree.fromstring(xml)
        title = root.find("p:File/p:Title", NS)
        title.getparent().remove(title)
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8")

    problems = _refused(client, archivist_b, _rezip(zip_bytes, change={"metadata.xml": no_title}))
    assert any("không đúng lược đồ" in p and "Maintenance" in p for p in problems)


def test_entities_are_refused(zip_bytes, archivist_b, client):
    def entity(xml: bytes) -> bytes:
        head = b'<?xml version="1.0" encoding="UTF-8"?>\n'
        doctype = b'<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n'
        return head + doctype + xml[len(head) :].replace(b"<Description>H", b"<Description>&x;H", 1)

    problems = _refused(client, archivist_b, _rezip(zip_bytes, change={"metadata.xml": entity}))
    assert any("DOCTYPE" in p for p in problems)


def test_content_type_is_read_from_the_bytes(zip_bytes, archivist_b, client):
    archive = zipfile.ZipFile(io.BytesIO(zip_bytes))
    png = [n for n in archive.namelist() if n.endswith(".png")][0]

    def declared(xml: bytes) -> bytes:
        root = etree.fromstring(xml)
        for element in root.iterfind(".//p:ComputerFile", NS):
            if element.findtext("p:Path", namespaces=NS) == png:
                element.find("p:ContentType", NS).text = "application/pdf"
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8")

    assert b"application/pdf" not in archive.read("metadata.xml").split(png.encode())[1][:80]
    problems = _refused(client, archivist_b, _rezip(zip_bytes, change={"metadata.xml": declared}))
    assert any(png in p and "PNG" in p and "application/pdf" in p for p in problems)


def test_a_failure_after_files_were_stored_leaves_no_file(zip_bytes, archivist_b, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(importer.wf, "history_add", broken)
    before = _media_files()
    with pytest.raises(RuntimeError):
        importer.import_package(upload=_upload(zip_bytes), by=archivist_b)
    assert CaseFile.objects.filter(agency=archivist_b.agency).count() == 0
    assert _media_files() == before


def test_who_may_import_and_where_the_page_is(people, archivist_b, client):
    _login(client, people["officer"])
    assert client.get(URL).status_code == 403
    assert URL not in client.get(reverse("documents:casefile_list")).content.decode()  # no button, no menu
    _login(client, people["clerk"])
    listing = client.get(reverse("documents:casefile_list")).content.decode()
    assert 'data-testid="casefile-import"' in listing
    assert listing.count(f'href="{URL}"') == 2  # the button and the menu entry
    page = client.get(URL)
    assert page.status_code == 200 and 'enctype="multipart/form-data"' in page.content.decode()
    assert "csrfmiddlewaretoken" in page.content.decode()
    _login(client, archivist_b)
    assert client.get(URL).status_code == 200
