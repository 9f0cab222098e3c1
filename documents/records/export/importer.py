"""Import of a case file package (Phụ lục VI III.5.e: files and their metadata can be migrated): the zip that
``package.file_package`` makes (docs/records-xml.md), from this system or another that writes the format.

``read_package(upload)`` checks everything before anything is written and returns the parsed package, or
raises ``ValidationError`` listing every problem found (in Vietnamese):

- the zip itself: its size, the number of members, their unpacked sizes and compression ratios (a zip bomb
  is refused from its listing, before anything is unpacked), encrypted members, links, names (no absolute
  path, no ``..``, nothing outside ``metadata.xml``, ``metadata.xsd`` and ``files/``);
- ``metadata.xml`` against this system's own schema (the package's ``metadata.xsd`` is not trusted), no
  DTD or entity (``<!DOCTYPE`` refused), the version;
- every computer file (and PDF/A rendition) named in it: present, its size and SHA-256 as declared, its
  kind read from its content (``eoffice.uploads.check_upload``: PDF, images, Word, Excel, each checked)
  and agreeing with the declared content type; no member in ``files/`` that the metadata does not name.

``import_package(upload=..., by=...)`` then creates, in one transaction, a case file of the importer's
agency (year, code, title, retention, usage rights, language from the metadata; the code must be free in
that year) holding every computer file as an item of kind "paper" in the package's order, with the
document's snapshot from the XML. A document with several files (an incoming letter and its attachments)
becomes one item per file, the later ones noted "Tệp k/n của văn bản số …" (a paper item holds one file: the
models are frozen). A document whose files were not exported is kept as an item without a file. Renditions
are checked but not stored: they can be made again from the originals. The file's note and a history row say
that it was imported and from which package. On any error nothing is saved and the stored copies are
deleted.
"""

from __future__ import annotations

import hashlib
import re
import stat
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from documents.records import kinds
from documents.records.models import CaseFile, CaseFileItem, Retention, UsageRights
from documents.records.services import files as file_services
from eoffice import uploads
from eoffice.models import Role, User
from workflow import services as wf
from workflow.models import HistoryEntry

from . import contents, package

MB = 1024 * 1024
MAX_PACKAGE_BYTES = 200 * MB
MAX_UNPACKED_BYTES = 600 * MB
MAX_MEMBERS = 3000
MAX_METADATA_BYTES = 20 * MB
MAX_RATIO = 200  # unpacked / packed, for a member larger than RATIO_FROM
RATIO_FROM = 5 * MB
IMPORT_ACTION = "casefile_import"
NS = {"p": package.NAMESPACE}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "png": "image/png",
    "jpeg": "image/jpeg",
    "gif": "image/gif",
    "webp": "image/webp",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
MEMBER_NAME = re.compile(r"files/[0-9]{3}-[0-9]+-[a-z0-9.\-]+")


def can_import(user: User) -> bool:
    """The agency archive (archivist) or the office (clerk) imports packages."""
    return bool(user.is_authenticated and user.agency_id and user.has_role(Role.ARCHIVIST, Role.CLERK))


@dataclass
class PackageFile:
    name: str
    path: str
    data: bytes
    caption: str = ""
    kind: str = ""


@dataclass
class PackageDocument:
    ordinal: int
    snapshot: kinds.Snapshot
    files: list[PackageFile] = field(default_factory=list)
    renditions: int = 0


@dataclass
class Package:
    organ_id: str
    year: int
    code: str
    title: str
    retention: str
    rights: str
    language: str
    description: str
    created: str
    documents: list[PackageDocument]

    @property
    def source_code(self) -> str:
        return f"{self.organ_id}.{self.year}.{self.code}" if self.organ_id else f"{self.year}.{self.code}"

    @property
    def file_count(self) -> int:
        return sum(len(d.files) for d in self.documents)


class Problems(list):
    def add(self, message: str) -> None:
        if message not in self:
            self.append(message)

    def raise_if_any(self) -> None:
        if self:
            raise ValidationError([ValidationError(m) for m in self[:30]])


# ---- the zip ---------------------------------------------------------------------------------------


def _open_zip(upload) -> zipfile.ZipFile:
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_PACKAGE_BYTES:
        raise ValidationError(
            _("Gói hồ sơ không được lớn hơn %(mb)d MB.") % {"mb": MAX_PACKAGE_BYTES // MB}, code="too_large"
        )
    if not size:
        raise ValidationError(_("Tệp gói hồ sơ rỗng."), code="empty")
    try:
        upload.seek(0)
        return zipfile.ZipFile(upload)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ValidationError(
            _("Tệp tải lên không phải gói hồ sơ (.zip) hợp lệ hoặc đã bị hỏng."), code="not_zip"
        ) from exc


def _check_listing(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
    """The members by name, after the checks that need no unpacking."""
    infos = archive.infolist()
    bomb = ValidationError(
        _(
            "Gói hồ sơ khi giải nén quá lớn (tối đa %(mb)d MB, %(n)d tệp) hoặc có tỷ lệ nén bất thường; "
            "gói không được nhận."
        )
        % {"mb": MAX_UNPACKED_BYTES // MB, "n": MAX_MEMBERS},
        code="zip_bomb",
    )
    if len(infos) > MAX_MEMBERS or sum(i.file_size for i in infos) > MAX_UNPACKED_BYTES:
        raise bomb
    problems = Problems()
    members: dict[str, zipfile.ZipInfo] = {}
    for info in infos:
        name = info.filename
        if info.file_size > RATIO_FROM and info.file_size > MAX_RATIO * max(info.compress_size, 1):
            raise bomb
        if info.is_dir():
            if name not in ("files/",):
                problems.add(_("Gói có thư mục không hợp lệ: %(name)s") % {"name": name[:200]})
            continue
        if (
            name.startswith(("/", "\\"))
            or "\\" in name
            or ".." in name.split("/")
            or ":" in name
            or "\x00" in name
        ):
            problems.add(_("Gói có đường dẫn không an toàn: %(name)s") % {"name": name[:200]})
            continue
        if stat.S_ISLNK(info.external_attr >> 16):
            problems.add(_("Gói có liên kết (symlink), không được nhận: %(name)s") % {"name": name[:200]})
            continue
        if info.flag_bits & 0x1:
            problems.add(_("Tệp trong gói được đặt mật khẩu: %(name)s") % {"name": name[:200]})
            continue
        if name not in (package.METADATA_NAME, package.SCHEMA_NAME) and not MEMBER_NAME.fullmatch(name):
            problems.add(_("Gói có tệp không thuộc định dạng gói hồ sơ: %(name)s") % {"name": name[:200]})
            continue
        if name in members:
            problems.add(_("Gói có hai tệp cùng tên: %(name)s") % {"name": name[:200]})
            continue
        members[name] = info
    if package.METADATA_NAME not in members:
        problems.add(_("Gói không có tệp metadata.xml."))
    problems.raise_if_any()
    return members


def _read(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """The member's bytes (its declared size was checked; the CRC is checked on reading)."""
    try:
        with archive.open(info) as member:
            data = member.read(info.file_size + 1)
    except Exception as exc:  # BadZipFile (CRC), zlib.error, NotImplementedError (compression)...
        raise ValidationError(
            _("Tệp %(name)s trong gói bị hỏng, không đọc được.") % {"name": info.filename[:200]}
        ) from exc
    if len(data) != info.file_size:
        raise ValidationError(
            _("Tệp %(name)s trong gói bị hỏng, không đọc được.") % {"name": info.filename[:200]}
        )
    return data


# ---- metadata.xml -----------------------------------------------------------------------------------


def _schema() -> etree.XMLSchema:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.XMLSchema(etree.fromstring(package.schema_bytes(), parser))


def _parse_metadata(data: bytes) -> etree._Element:
    invalid = _("Tệp metadata.xml không đúng định dạng XML: %(error)s")
    if len(data) > MAX_METADATA_BYTES:
        raise ValidationError(_("Tệp metadata.xml quá lớn."))
    if b"<!DOCTYPE" in data or b"<!ENTITY" in data:
        raise ValidationError(_("Tệp metadata.xml có khai báo DOCTYPE/ENTITY, không được nhận."))
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, remove_comments=True
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as exc:
        raise ValidationError(invalid % {"error": str(exc)[:300]}) from exc
    schema = _schema()
    if not schema.validate(root):
        problems = Problems()
        for error in list(schema.error_log)[:10]:
            message = re.sub(r"\{urn:eoffice:records:package:1\}", "", error.message)
            problems.add(
                _("metadata.xml không đúng lược đồ (dòng %(line)d): %(error)s")
                % {"line": error.line, "error": message[:300]}
            )
        problems.raise_if_any()
    if root.get("version") != package.VERSION:
        raise ValidationError(
            _("Phiên bản gói hồ sơ “%(v)s” không được hỗ trợ (hệ thống đọc phiên bản %(ours)s).")
            % {"v": (root.get("version") or "")[:20], "ours": package.VERSION}
        )
    return root


def _text(element, path: str) -> str:
    return contents.nfc(element.findtext(path, default="", namespaces=NS))


def _date(element, path: str) -> date | None:
    value = _text(element, path)
    return date.fromisoformat(value[:10]) if value else None  # the schema checked xs:date


def _choice(value: str, choices, label: str, problems: Problems) -> str:
    """A choice's value from its label ("20 năm") or its value ("20")."""
    folded = value.casefold()
    for key, text in choices.choices:
        if folded in (key.casefold(), str(text).casefold()):
            return key
    problems.add(_("%(field)s “%(value)s” không hợp lệ.") % {"field": label, "value": value[:100]})
    return ""


def _snapshot(doc) -> kinds.Snapshot:
    issued = _date(doc, "p:IssuedDate")
    if issued:
        sort_date = timezone.make_aware(datetime.combine(issued, datetime.min.time()))
    else:
        sort_date = timezone.now()
    page_amount = _text(doc, "p:PageAmount")
    return kinds.Snapshot(
        sort_date=sort_date,
        subject=_text(doc, "p:Subject"),
        type_name=_text(doc, "p:TypeName"),
        code_number=_text(doc, "p:CodeNumber"),
        code_notation=_text(doc, "p:CodeNotation"),
        issued_date=issued,
        organ_name=_text(doc, "p:OrganName"),
        page_amount=int(page_amount) if page_amount else None,
        language=_text(doc, "p:Language") or "Tiếng Việt",
        description=_text(doc, "p:Description"),
        signer_position=_text(doc, "p:SignerInfo/p:Position"),
        signer_name=_text(doc, "p:SignerInfo/p:FullName"),
        arrival_number=_text(doc, "p:ArrivalNumber"),
        arrival_date=_date(doc, "p:ArrivalDate"),
        priority=int(_text(doc, "p:Priority") or 0),
    )


def _check_file(archive, members, element, used: set[str], problems: Problems) -> bytes | None:
    """The bytes at the element's Path when they are there with the declared size and SHA-256."""
    path = _text(element, "p:Path")
    info = members.get(path)
    if info is None:
        problems.add(_("Gói thiếu tệp %(path)s được khai báo trong metadata.xml.") % {"path": path})
        return None
    if path in used:
        problems.add(_("Tệp %(path)s được khai báo hai lần trong metadata.xml.") % {"path": path})
        return None
    used.add(path)
    try:
        data = _read(archive, info)
    except ValidationError as exc:
        problems.extend(m for m in exc.messages if m not in problems)
        return None
    if str(len(data)) != _text(element, "p:Size"):
        problems.add(_("Tệp %(path)s có kích thước khác với metadata.xml.") % {"path": path})
    if hashlib.sha256(data).hexdigest() != _text(element, "p:Sha256"):
        problems.add(
            _("Tệp %(path)s có mã SHA-256 khác với metadata.xml (tệp đã bị thay đổi).") % {"path": path}
        )
        return None
    return data


def _content_kind(data: bytes, name: str, path: str, declared: str, problems: Problems) -> str:
    """The file's kind by its content, checked, agreeing with the declared content type."""
    try:
        kind = uploads.check_upload(
            ContentFile(data, name=name or path),
            kinds=uploads.ATTACHMENT_KINDS,
            match_name=False,
            max_bytes=MAX_PACKAGE_BYTES,
        )
    except ValidationError as exc:
        problems.add(_("Tệp %(path)s: %(error)s") % {"path": path, "error": " ".join(exc.messages)})
        return ""
    if declared.split(";")[0].strip().lower() != CONTENT_TYPES[kind]:
        problems.add(
            _("Tệp %(path)s có nội dung %(kind)s nhưng metadata.xml khai báo kiểu “%(declared)s”.")
            % {"path": path, "kind": kind.upper(), "declared": declared[:100]}
        )
    return kind


def read_package(upload) -> Package:
    """The package, checked whole; ``ValidationError`` listing what is wrong otherwise."""
    with _open_zip(upload) as archive:
        members = _check_listing(archive)
        root = _parse_metadata(_read(archive, members[package.METADATA_NAME]))
        problems = Problems()
        record = root.find("p:File", NS)
        year = int(_text(record, "p:FileCode/p:FileCatalog"))
        code = _text(record, "p:FileCode/p:FileNotation")
        title = _text(record, "p:Title")
        if not code:
            problems.add(_("metadata.xml thiếu số và ký hiệu hồ sơ (FileNotation)."))
        elif len(code) > CaseFile._meta.get_field("code").max_length:
            problems.add(_("Số và ký hiệu hồ sơ “%(code)s” dài quá 50 ký tự.") % {"code": code[:60]})
        if not title:
            problems.add(_("metadata.xml thiếu tiêu đề hồ sơ (Title)."))
        retention = _choice(_text(record, "p:Maintenance"), Retention, _("Thời hạn bảo quản"), problems)
        rights = _choice(_text(record, "p:Rights"), UsageRights, _("Chế độ sử dụng"), problems)
        used: set[str] = set()
        documents = []
        for doc in root.iterfind("p:Documents/p:Document", NS):
            ordinal = int(_text(doc, "p:DocOrdinal"))
            snapshot = _snapshot(doc)
            if not snapshot.subject:
                problems.add(_("Văn bản số %(n)d thiếu trích yếu nội dung (Subject).") % {"n": ordinal})
            entry = PackageDocument(ordinal=ordinal, snapshot=snapshot)
            for element in doc.iterfind("p:Files/p:ComputerFile", NS):
                path, name = _text(element, "p:Path"), _text(element, "p:Name")
                data = _check_file(archive, members, element, used, problems)
                if data is None:
                    continue
                kind = _content_kind(data, name, path, _text(element, "p:ContentType"), problems)
                entry.files.append(
                    PackageFile(
                        name=name or path.rsplit("/", 1)[-1],
                        path=path,
                        data=data,
                        caption=_text(element, "p:Caption"),
                        kind=kind,
                    )
                )
                for rendition in element.iterfind("p:Rendition", NS):
                    rendered = _check_file(archive, members, rendition, used, problems)
                    if rendered is not None and uploads.kind_of_head(rendered[:1024]) != "pdf":
                        problems.add(
                            _("Bản chuyển đổi %(path)s không phải tệp PDF.")
                            % {"path": _text(rendition, "p:Path")}
                        )
                    entry.renditions += 1
            documents.append(entry)
        extra = sorted(n for n in members if n.startswith("files/") and n not in used)
        if extra:
            problems.add(
                _("Gói có tệp không được khai báo trong metadata.xml: %(names)s")
                % {"names": ", ".join(extra[:10])}
            )
        problems.raise_if_any()
        return Package(
            organ_id=_text(record, "p:FileCode/p:OrganId"),
            year=year,
            code=code,
            title=title,
            retention=retention,
            rights=rights,
            language=_text(record, "p:Language") or "Tiếng Việt",
            description=_text(record, "p:Description"),
            created=root.get("created", ""),
            documents=documents,
        )


# ---- the import -------------------------------------------------------------------------------------


def _pages(item_file: PackageFile) -> int | None:
    if item_file.kind == "pdf":
        return uploads.pdf_pages(item_file.data)
    return 1 if item_file.kind in uploads.IMAGE_KINDS else None


def _items(case_file: CaseFile, parsed: Package, by: User, stored: list[str]) -> None:
    """Write the items of the imported file in the package's order (each stored file's name in ``stored``)."""
    ordinal = 0
    for document in parsed.documents:
        fields = document.snapshot.as_fields()
        parts = document.files or [None]
        for index, item_file in enumerate(parts, start=1):
            ordinal += 1
            values = dict(fields)
            if len(parts) > 1:
                note = _("Tệp %(k)d/%(n)d của văn bản số %(doc)d") % {
                    "k": index,
                    "n": len(parts),
                    "doc": document.ordinal,
                }
                if item_file.caption:
                    note += f": {item_file.caption}"
                values["description"] = "; ".join(filter(None, [fields["description"], note]))[:500]
                values["page_amount"] = _pages(item_file)
            item = CaseFileItem(case_file=case_file, kind=kinds.PAPER, ordinal=ordinal, added_by=by, **values)
            if item_file is not None:
                item.file_name = item_file.name[:255]
                item.file_sha256 = hashlib.sha256(item_file.data).hexdigest()
                item.file.save(contents.safe_name(item_file.name), ContentFile(item_file.data), save=False)
                stored.append(item.file.name)
            item.save()


def import_package(*, upload, by: User, file_name: str = "") -> CaseFile:
    """Create a case file of ``by``'s agency from the package ``upload`` (see the module's text)."""
    if not can_import(by):
        raise PermissionDenied(_("Chỉ văn thư hoặc lưu trữ cơ quan được nhập gói hồ sơ."))
    parsed = read_package(upload)
    stamp = timezone.localtime()
    source = (file_name or getattr(upload, "name", "") or "").rsplit("/", 1)[-1][:120]
    note = _("Nhập từ gói hồ sơ %(code)s (tệp %(file)s) ngày %(day)s") % {
        "code": parsed.source_code,
        "file": source or "zip",
        "day": f"{stamp:%d/%m/%Y}",
    }
    description = "; ".join(filter(None, [parsed.description, note]))
    if len(description) > 500:
        description = f"{parsed.description[: 497 - len(note)]}…; {note}"
    stored: list[str] = []
    try:
        with transaction.atomic():
            case_file = file_services.case_file_open(
                by=by,
                title=parsed.title,
                retention=parsed.retention,
                year=parsed.year,
                code=parsed.code,
                rights=parsed.rights,
                description=description,
            )
            if parsed.language and parsed.language != case_file.language:
                case_file.language = parsed.language[:50]
                case_file.save(update_fields=["language"])
            _items(case_file, parsed, by, stored)
            case_file.doc_total, case_file.page_total = file_services.file_totals(case_file)  # the one rule
            case_file.save(update_fields=["doc_total", "page_total"])
            wf.history_add(
                record=case_file,
                event=HistoryEntry.Event.UPDATED,
                actor=by,
                action=IMPORT_ACTION,
                comment=_(
                    "Nhập từ gói hồ sơ %(code)s: %(docs)d văn bản, %(files)d tệp, mã SHA-256 đã kiểm tra"
                )
                % {"code": parsed.source_code, "docs": len(parsed.documents), "files": parsed.file_count},
                data={
                    "package": source,
                    "source_code": parsed.source_code,
                    "created": parsed.created,
                    "documents": len(parsed.documents),
                    "files": parsed.file_count,
                    "renditions": sum(d.renditions for d in parsed.documents),
                },
            )
    except BaseException:
        storage = CaseFileItem._meta.get_field("file").storage
        for name in stored:  # the rows were not written: their stored copies go too
            storage.delete(name)
        raise
    return case_file
