"""The full text of a document's PDFs, for search: extracted by a Celery task after the file is set.

``queue_extraction`` is called by the services where a file is set or replaced (inside their transaction:
the task runs after commit); the task (``documents.tasks.extract_text``) calls ``extract_document``, which
stores ``text_content`` (NFC, at most ``MAX_CHARS``), ``text_folded`` and ``text_status`` with one
``UPDATE`` (no ``save()``: no history, no ``updated_at``). A PDF whose pages give (almost) no text is a scan
without a text layer (``SCANNED``); an unreadable file is ``FAILED``. ``extract_pending`` backfills
(``manage.py extract_texts``, and the demo data).
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata
from collections.abc import Callable, Iterable

from django.apps import apps
from django.db.models.fields.files import FieldFile

from documents.models import TextStatus
from eoffice.search import fold

logger = logging.getLogger(__name__)

MAX_CHARS = 200_000
MAX_PAGES = 500
# Fewer letters and digits than this per page: the page is an image (a scan without OCR).
MIN_ALNUM_PER_PAGE = 16
QUEUE = "pdf"

_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


# Which files of a record hold its text: (record) -> [(field file, is main file)]. Registered per model.
FileGetter = Callable[[object], list[tuple[FieldFile, bool]]]
_FILES: dict[str, FileGetter] = {}


def register_files(model_label: str, getter: FileGetter) -> None:
    _FILES[model_label.lower()] = getter


def registered_models() -> list[str]:
    return list(_FILES)


def _label(model) -> str:
    return model._meta.label_lower


def clean_text(text: str) -> str:
    text = unicodedata.normalize("NFC", text.replace("\x00", ""))
    lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
    return _BLANK_LINES.sub("\n\n", "\n".join(lines)).strip()


def pdf_text(data: bytes) -> tuple[str, str]:
    """(text, status) of a PDF: TEXT, SCANNED (no text layer) or FAILED (not a readable PDF)."""
    from pypdf import PdfReader

    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted:
            reader.decrypt("")
        parts: list[str] = []
        total = pages = 0
        for page in reader.pages[:MAX_PAGES]:
            pages += 1
            text = page.extract_text() or ""
            parts.append(text)
            total += len(text)
            if total > MAX_CHARS:
                break
    except Exception as exc:  # noqa: BLE001 - any damaged or strange PDF: FAILED, never a crashed task
        logger.info("PDF text extraction failed: %s", exc)
        return "", TextStatus.FAILED
    text = clean_text("\n\n".join(parts))[:MAX_CHARS]
    alnum = sum(1 for ch in text if ch.isalnum())
    if alnum < MIN_ALNUM_PER_PAGE * max(pages, 1) and alnum < 200:
        return text, TextStatus.SCANNED
    return text, TextStatus.TEXT


def _read(field_file: FieldFile) -> bytes:
    with field_file.storage.open(field_file.name, "rb") as handle:
        return handle.read()


def extract_document(*, model_label: str, pk: int) -> str:
    """Extract and store the text of one record; returns the status (or "missing")."""
    getter = _FILES.get(model_label.lower())
    if getter is None:
        raise ValueError(f"No full-text files registered for {model_label}")
    model = apps.get_model(model_label)
    record = model.objects.filter(pk=pk).first()
    if record is None:
        return "missing"
    files = [(f, main) for f, main in getter(record) if f and f.name]
    if not files:
        model.objects.filter(pk=pk).update(text_content="", text_folded="", text_status=TextStatus.NONE)
        return TextStatus.NONE
    texts: list[str] = []
    status = TextStatus.NONE
    for field_file, main in files:
        try:
            data = _read(field_file)
        except OSError as exc:
            logger.warning("Cannot read %s of %s %s: %s", field_file.name, model_label, pk, exc)
            text, file_status = "", TextStatus.FAILED
        else:
            text, file_status = pdf_text(data)
        if text and file_status == TextStatus.TEXT:
            texts.append(text)
        if main:
            status = file_status  # the badge speaks of the document itself, not its attachments
    if status == TextStatus.NONE:
        status = TextStatus.TEXT if texts else TextStatus.SCANNED
    content = "\n\n".join(texts)[:MAX_CHARS]
    model.objects.filter(pk=pk).update(text_content=content, text_folded=fold(content), text_status=status)
    return status


def queue_extraction(model, pks: Iterable[int]) -> None:
    """After the surrounding transaction commits, one extraction task per record (on the "pdf" queue).
    The tasks go through the outbox (eoffice.outbox): a broker that cannot be reached delays them, it neither
    loses them nor fails the caller."""
    ids = [pk for pk in pks if pk]
    if not ids:
        return
    label = model if isinstance(model, str) else _label(model)

    from documents.tasks import extract_text
    from eoffice.outbox import enqueue

    for pk in ids:
        enqueue(extract_text, args=(label, pk), queue=QUEUE)


def mark_and_queue(model, pks: Iterable[int]) -> None:
    """Set the records PENDING (one UPDATE, in the caller's transaction) and queue their extraction."""
    ids = [pk for pk in pks if pk]
    if ids:
        model.objects.filter(pk__in=ids).update(text_status=TextStatus.PENDING)
        queue_extraction(model, ids)


def queue_delivered(document) -> None:
    """The incoming documents an issued outgoing document has just been delivered as (same PDF)."""
    from documents.models import IncomingDocument

    ids = list(
        document.recipients.filter(incoming__isnull=False, incoming__text_status=TextStatus.NONE).values_list(
            "incoming_id", flat=True
        )
    )
    mark_and_queue(IncomingDocument, ids)


def extract_pending(
    *, everything: bool = False, models=None, log: Callable[[str], None] | None = None
) -> int:
    """Extract now (not through the queue) the records not done yet — or all with ``everything``."""
    done = 0
    for label in models or list(_FILES):
        model = apps.get_model(label)
        qs = model.objects.all()
        if not everything:
            qs = qs.exclude(text_status__in=[TextStatus.TEXT, TextStatus.SCANNED])
        for pk in qs.order_by("pk").values_list("pk", flat=True).iterator():
            extract_document(model_label=label, pk=pk)
            done += 1
            if log and done % 100 == 0:
                log(f"{done}…")
    return done


# --- the files of incoming and outgoing documents ---------------------------------------------------------


def _incoming_files(document) -> list[tuple[FieldFile, bool]]:
    files = [(document.file, True)]
    for attachment in document.attachments.all():
        if attachment.name.lower().endswith(".pdf"):
            files.append((attachment.file, False))
    return files


def _outgoing_files(document) -> list[tuple[FieldFile, bool]]:
    version = document.current_version if document.current_version_id else None
    return [(version.file, True)] if version is not None else []


def register_documents() -> None:
    register_files("documents.IncomingDocument", _incoming_files)
    register_files("documents.OutgoingDocument", _outgoing_files)
