"""Documents drafted from a case: a notice, a decision, a conclusion, a Phiếu chuyển đơn, an answer. Each
is an outgoing document (``documents.outgoing`` services), reviewed, signed, numbered, issued and delivered
there like any other: this module has no signing or numbering path of its own. When it is issued
(``document_issued``), ``case_document_issued`` records it on the case and hands it to the step that was
waiting for it (``ISSUED_HANDLERS``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from complaints import render, rules, selectors
from complaints.models import Case, CaseDocument, CaseStep, FormCode
from complaints.services.common import case_history
from eoffice.models import Agency, User

__all__ = ["ISSUED_HANDLERS", "case_document_draft", "case_document_issued", "form_context"]

# form → handler(case_document, by), called inside the issuing transaction once the document is issued.
# The resolution and intake modules register theirs at import time.
ISSUED_HANDLERS: dict[str, Callable[[CaseDocument, User], None]] = {}


def form_context(case: Case, **extra) -> dict:
    """What a form's template may use: the case, its letter, its agency, today; never a protected identity
    (``people`` holds display labels only)."""
    from complaints.services.identity import identity_label

    letter = case.letter
    people = [identity_label(p) for p in letter.people.all()]
    return {
        "case": case,
        "letter": letter,
        "agency": case.agency,
        "people": people,
        "protected": case.protected,
        "today": timezone.localdate(),
        **extra,
    }


def case_document_draft(
    *,
    case: Case,
    form: str,
    by: User,
    context: dict | None = None,
    step: CaseStep | None = None,
    recipient_agencies: Sequence[Agency] = (),
    external_recipients: str = "",
    signer: User | None = None,
    summary: str = "",
) -> CaseDocument:
    """Draft ``form`` for ``case`` as an outgoing document of ``by``'s (body from the form version in force on
    the letter's received day); it then goes through the outgoing pages. One transaction, the case locked."""
    from documents.models import Confidentiality, DocumentType
    from documents.outgoing import services as outgoing
    from documents.outgoing.services import DraftFields

    with transaction.atomic():
        locked = selectors.case_access(user=by, pk=case.pk, lock=True)
        if not (rules.can_resolve(by, locked) or rules.can_intake(by, locked)):
            raise PermissionDenied(_("Bạn không có quyền soạn văn bản cho vụ việc này."))
        parts = render.form_parts(
            form, on=locked.letter.received_on, context=form_context(locked, **(context or {}))
        )
        legal_form, body = parts.form, parts.body
        doc_type = DocumentType.objects.filter(abbreviation=legal_form.doc_type, is_active=True).first()
        if doc_type is None:
            raise ValidationError(
                _("Chưa có loại văn bản “%(abbr)s” trong danh mục loại văn bản.")
                % {"abbr": legal_form.doc_type}
            )
        fields = DraftFields(
            doc_type=doc_type,
            summary=summary or f"{legal_form.title} ({locked.code})",
            body=body,
            legal_bases=parts.legal_bases,
            addressees=parts.addressees,
            signer=signer or locked.decider or rules.default_decider(locked.agency_id),
            confidentiality=Confidentiality.NORMAL,
            recipient_agencies=list(recipient_agencies),
            external_recipients=external_recipients,
        )
        document = outgoing.draft_create(by=by, fields=fields)
        row = CaseDocument.objects.create(case=locked, form=form, document=document, step=step, created_by=by)
        case_history(
            case=locked,
            by=by,
            action="document_draft",
            comment=str(FormCode(form).label),
            data={"form": form, "document": document.pk},
        )
    return row


def case_document_issued(*, document, by) -> None:
    """``document`` was issued (inside the issuing transaction): when it was drafted from a case, record it
    and run the handler of its form. One indexed query when it was not."""
    row = (
        CaseDocument.objects.select_related("case")
        .filter(document_id=document.pk, issued_at__isnull=True)
        .first()
    )
    if row is None:
        return
    row.issued_at = timezone.now()
    row.save(update_fields=["issued_at"])
    case_history(
        case=row.case,
        by=by,
        action="document_issued",
        comment=_("%(form)s số %(number)s")
        % {"form": row.get_form_display(), "number": document.number_symbol or ""},
        data={"form": row.form, "document": document.pk},
    )
    handler = ISSUED_HANDLERS.get(row.form)
    if handler is not None:
        handler(row, by)
