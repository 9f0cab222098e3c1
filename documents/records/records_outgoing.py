"""Outgoing documents as records a case file holds (kind "outgoing"): its drafts in order, then the issued
signed PDF. Registered in ``DocumentsConfig.ready``."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from documents.outgoing.models import OutgoingDocument, OutgoingVersion
from documents.outgoing.selectors import outgoing_access, visible_outgoing
from documents.records import kinds
from documents.records.records_incoming import split_number_symbol

KEY = "outgoing"
DRAFT_KINDS = (OutgoingVersion.Kind.RENDERED, OutgoingVersion.Kind.UPLOADED, OutgoingVersion.Kind.CONVERTED)
FINAL_KINDS = (OutgoingVersion.Kind.SEALED, OutgoingVersion.Kind.SIGNED)


def _access(user, pk: int) -> OutgoingDocument:
    return outgoing_access(user=user, pk=pk)


def _visible_ids(user, ids: Iterable[int]) -> set[int]:
    return set(visible_outgoing(user).filter(pk__in=list(ids)).values_list("pk", flat=True))


def _final(versions: list[OutgoingVersion]) -> OutgoingVersion | None:
    """The issued PDF: the last sealed version, else the last signed one."""
    for kind in FINAL_KINDS:
        found = [v for v in versions if v.kind == kind]
        if found:
            return found[-1]
    return None


def _snapshot(doc: OutgoingDocument) -> kinds.Snapshot:
    number, notation = split_number_symbol(doc.number_symbol)
    if doc.number and not number:
        number = str(doc.number)
    versions = list(doc.versions.order_by("number"))
    final = _final(versions) or (versions[-1] if versions else None)
    issued = timezone.localtime(doc.issued_at).date() if doc.issued_at else None
    signer = doc.signer.full_name if doc.signer_id else ""
    return kinds.Snapshot(
        sort_date=doc.issued_at or doc.created_at,
        subject=doc.summary,
        type_name=doc.doc_type.name if doc.doc_type_id else "",
        code_number=number,
        code_notation=notation,
        issued_date=issued,
        organ_name=doc.agency.name,
        page_amount=final.pages if final else None,
        signer_position=doc.signer_title,
        signer_name=signer,
        priority=doc.urgency or 0,
    )


def _reader(field_file):
    def read() -> bytes:
        with field_file.open("rb") as handle:
            return handle.read()

    return read


def _files(doc: OutgoingDocument) -> list[kinds.RecordFile]:
    versions = list(doc.versions.order_by("number"))
    files = []
    drafts = [v for v in versions if v.kind in DRAFT_KINDS]
    for n, version in enumerate(drafts, start=1):
        files.append(
            kinds.RecordFile(
                name=f"du-thao-lan-{n}.pdf",
                read=_reader(version.file),
                caption=str(_("Dự thảo lần %(n)d")) % {"n": n},
                sha256=version.sha256,
            )
        )
    final = _final(versions)
    if final is not None:
        files.append(
            kinds.RecordFile(
                name=f"{doc.number_symbol or 'van-ban'}.pdf".replace("/", "-"),
                read=_reader(final.file),
                caption=str(_("Văn bản phát hành")),
                sha256=final.sha256,
            )
        )
    return files


def register() -> None:
    kinds.register(
        kinds.FileableKind(
            key=KEY,
            label=_("Văn bản đi"),
            model=OutgoingDocument,
            access=_access,
            visible_ids=_visible_ids,
            snapshot=_snapshot,
            files=_files,
            url=lambda doc: doc.get_absolute_url(),
        )
    )
