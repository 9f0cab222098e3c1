"""One-stop dossiers as records a case file holds (kind "dossier", Phụ lục VI of Decree 30): registered in
``OnestopConfig.ready`` through ``register_all``.

- ``access``: the dossier page's own helper (``selectors.dossier_access``): the same 404 for missing and
  not the person's to see; only the people of the dossier's agency (a case file holds its own agency's
  records).
- ``visible_ids``: the subset the person may see, in one query (``selectors.visible``).
- ``snapshot``: Phần II as a dossier has it: type "Hồ sơ thủ tục hành chính", its code, the reception
  date, the agency, the procedure and the applicant (its subject), the pages of its stored files (the
  scans handed in and the result; the printed forms are rendered when read and not counted), dated by its
  reception.
- ``files``: in the order they were made: the papers handed in (their scans), the receipt (form 01), the
  supplement requests (02), the apology for lateness (04), the result (or the refusal 03, the stop notice
  05), and last the control slip (06) that records the whole handling.

``file_this`` is the context of the "file this" block of the dossier page: prominent once the dossier has
ended (result handed over, refused or stopped after reception) and no file holds it yet.
"""

from __future__ import annotations

import mimetypes
from collections.abc import Iterable
from datetime import datetime

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from documents.records import kinds
from eoffice.models import User

from . import selectors
from .models import CLOSED_STATES, Dossier, DossierState

KEY = "dossier"
TYPE_NAME = _("Hồ sơ thủ tục hành chính")
ENDED_STATES = CLOSED_STATES
"""A dossier with a code that reached one of these has ended: the result was handed over, or the
processing was refused or stopped."""


def access(user: User, pk: int) -> Dossier:
    dossier = selectors.dossier_access(user=user, pk=pk)
    if dossier.agency_id != user.agency_id:  # the visible set is already the agency's; kept explicit
        raise Http404
    return dossier


def visible_ids(user: User, ids: Iterable[int]) -> set[int]:
    return set(selectors.visible(user).filter(pk__in=list(ids)).values_list("pk", flat=True))


def _reader(field_file):
    def read() -> bytes:
        with field_file.open("rb") as handle:
            return handle.read()

    return read


def _pages(data: bytes, name: str) -> int | None:
    """The pages of a stored file: a PDF's page count, one for a picture, None when unreadable."""
    from documents.files import pdf_pages

    if data[:1024].lstrip().startswith(b"%PDF"):
        try:
            return pdf_pages(data)
        except ValidationError:
            return None
    kind = mimetypes.guess_type(name)[0] or ""
    return 1 if kind.startswith("image/") else None


def _extension(name: str, default: str = ".pdf") -> str:
    tail = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return f".{tail}" if tail.isalnum() and len(tail) <= 5 else default


def _safe_code(dossier: Dossier) -> str:
    return "".join(c if c.isalnum() or c in ".-" else "-" for c in dossier.public_code) or str(dossier.pk)


def _stored(dossier: Dossier) -> list[tuple[datetime, int, kinds.RecordFile, object]]:
    """The stored files (the papers' scans and the result) with the moment each was made."""
    rows = []
    for n, paper in enumerate(dossier.papers.exclude(file="").order_by("added_at", "id"), start=1):
        name = paper.file_name or paper.file.name
        rows.append(
            (
                paper.added_at,
                1,
                kinds.RecordFile(
                    name=f"{n:02d}-giay-to{_extension(name)}",
                    read=_reader(paper.file),
                    content_type=mimetypes.guess_type(name)[0] or "application/octet-stream",
                    caption=paper.name,
                    sha256=paper.sha256,
                ),
                paper.file,
            )
        )
    if dossier.result_file:
        name = dossier.result_file.name
        caption = dossier.procedure.result_name or gettext("Kết quả giải quyết")
        if dossier.result_number:
            caption = f"{caption} ({dossier.result_number})"
        rows.append(
            (
                dossier.resolved_at or dossier.returned_at or dossier.created_at,
                5,
                kinds.RecordFile(
                    name=f"ket-qua-{_safe_code(dossier)}{_extension(name)}",
                    read=_reader(dossier.result_file),
                    content_type=mimetypes.guess_type(name)[0] or "application/pdf",
                    caption=caption,
                    sha256=dossier.result_sha256,
                ),
                dossier.result_file,
            )
        )
    return rows


def _form_moment(dossier: Dossier, number: int, supplements: list) -> datetime:
    start = dossier.received_at or dossier.submitted_at
    end = dossier.resolved_at or dossier.returned_at
    if number == 1:
        return start
    if number == 2:
        return supplements[-1].requested_at if supplements else start
    if number == 4:
        return dossier.original_due_at or dossier.due_at or start
    if number == 3 and dossier.state == DossierState.REFUSED:
        return start
    return end or timezone.now()


def files(dossier: Dossier) -> list[kinds.RecordFile]:
    from . import letters, pdf

    rows = [(at, order, file) for at, order, file, _stored_file in _stored(dossier)]
    supplements = list(dossier.supplements.order_by("requested_at", "id"))
    code = _safe_code(dossier)
    slip = None
    for number, title in pdf.available_forms(dossier):
        record_file = kinds.RecordFile(
            name=f"mau-{number:02d}-{code}.pdf",
            read=lambda number=number: letters.form_bytes(dossier, number),  # 04/05: the issued letter
            caption=str(title),
        )
        if number == 6:
            slip = record_file  # the control slip records the whole handling: it closes the dossier
            continue
        order = {1: 2, 2: 3, 4: 4}.get(number, 6)
        rows.append((_form_moment(dossier, number, supplements), order, record_file))
    rows.sort(key=lambda row: (row[0], row[1]))
    ordered = [row[2] for row in rows]
    if slip is not None:
        ordered.append(slip)
    return ordered


def snapshot(dossier: Dossier) -> kinds.Snapshot:
    dated = dossier.received_at or dossier.submitted_at
    subject = f"{dossier.procedure.name} — {dossier.applicant_name}"
    pages = 0
    counted = False
    for _at, _order, record_file, stored in _stored(dossier):
        try:
            data = record_file.read()
        except (FileNotFoundError, OSError):
            continue
        found = _pages(data, stored.name)
        if found:
            pages += found
            counted = True
    notes = [str(dossier.state_labels.get(dossier.state, dossier.state))]
    if dossier.result_number:
        notes.append(gettext("Kết quả số %(number)s") % {"number": dossier.result_number})
    if dossier.returned_at:
        notes.append(
            gettext("trả kết quả ngày %(day)s")
            % {"day": f"{timezone.localtime(dossier.returned_at):%d/%m/%Y}"}
        )
    return kinds.Snapshot(
        sort_date=dated,
        subject=subject,
        type_name=str(TYPE_NAME),
        code_notation=dossier.public_code,
        issued_date=timezone.localtime(dated).date(),
        organ_name=dossier.agency.name,
        page_amount=pages if counted else None,
        description="; ".join(notes),
    )


def url(dossier: Dossier) -> str:
    return dossier.get_absolute_url()


def ended(dossier: Dossier) -> bool:
    return bool(dossier.code) and dossier.state in ENDED_STATES


def file_this(*, user: User, dossier: Dossier) -> dict:
    """The context of the "file this" block of the dossier page (``documents/records/_file_this.html``)."""
    from documents.records.selectors import file_this_context

    context = file_this_context(user=user, kind=KEY, record=dossier, prominent=False)
    context["prominent"] = ended(dossier) and not context["holders"]
    return context


def register_all() -> None:
    kinds.register(
        kinds.FileableKind(
            key=KEY,
            label=_("Hồ sơ một cửa"),
            model=Dossier,
            access=access,
            visible_ids=visible_ids,
            snapshot=snapshot,
            files=files,
            url=url,
            agency_id=lambda dossier: dossier.agency_id,
        )
    )
