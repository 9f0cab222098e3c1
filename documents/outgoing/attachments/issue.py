"""The agency's signature on attached files at issuance (Phụ lục I, Phần I, Mục III.1.d): page 1, top right,
"number and symbol; signing time" (ISO 8601, Vietnam time zone) in Times 10 pt, no image, signed with the
agency's certificate. Called by ``services.issuance.document_issue`` inside its transaction."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.outgoing.models import OutgoingAttachment, OutgoingDocument
from documents.outgoing.services.versions import read_bytes
from eoffice.models import User
from signing import services as signing
from signing.appearance import attachment_box
from signing.models import Credential, SignatureRequest


def attachments_issue(
    *, document: OutgoingDocument, credential: Credential, pin: str, by: User, stored: list[str]
) -> list[OutgoingAttachment]:
    """Stamp and sign every attached PDF of ``document`` (locked by the caller, numbered) with the agency's
    certificate; the stamp's time is the signing time. Runs inside the issuance's transaction; the names of
    the files stored are appended to ``stored`` (deleted by the caller if the transaction fails)."""
    if not document.number_symbol:
        raise ValidationError(_("Văn bản chưa có số, không ký số tệp kèm theo được."))
    done = []
    for attachment in (
        OutgoingAttachment.objects.select_for_update().filter(document=document).order_by("position", "id")
    ):
        if attachment.issued_file:
            done.append(attachment)
            continue
        data = read_bytes(attachment.file)
        when = timezone.now().replace(microsecond=0)
        try:
            result = signing.sign_pdf_bytes(
                data=data,
                credential=credential,
                pin=pin,
                by=by,
                kind=SignatureRequest.Kind.ATTACHMENT,
                box=attachment_box(data),
                stamp_text=document.number_symbol,
                title=f"{document.number_symbol} · {attachment.title}"[:255],
                when=when,
            )
        except (ValidationError, PermissionDenied):
            raise
        except Exception as exc:  # a damaged PDF, a signer error: said, and nothing is issued
            raise ValidationError(
                _("Không ký số được tệp kèm theo “%(title)s”: %(error)s")
                % {"title": attachment.title, "error": exc}
            ) from exc
        attachment.issued_file.save("issued.pdf", ContentFile(result.data), save=False)
        stored.append(attachment.issued_file.name)
        attachment.issued_sha256 = result.sha256
        attachment.signed_at = when
        attachment.save(update_fields=["issued_file", "issued_sha256", "signed_at"])
        done.append(attachment)
    return done
