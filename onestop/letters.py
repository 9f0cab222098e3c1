"""The official letters of a dossier: form 04 (the apology asking for more time) and form 05 (the notice of
stopping) of TT 03/2025/TT-VPCP, Phụ lục I. Each is an outgoing document of the agency, drafted here from the
form's own text (``templates/onestop/pdf/_body_0N.html``) and then numbered, signed, registered and issued
through the outgoing flow like any other; ``DossierLetter`` links it to the dossier.

- ``letter_draft``: the person handling the dossier starts the letter (one per form per dossier unless the
  previous one was cancelled or recalled); one transaction, the dossier locked.
- ``panel``: what the dossier page shows (each letter, and the forms a letter may be drafted for).
- ``issued_file``: the signed PDF of the issued letter, which the printed form 04/05 serves once issued.
- ``on_document_issued``: when a letter is issued, the applicant is e-mailed the issued letter.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from eoffice.models import Role, User
from workflow import services as wf
from workflow.models import HistoryEntry, WorkflowState

from . import pdf, selectors
from .models import ApplicantKind, Dossier
from .models.letters import DossierLetter
from .services.core import email_applicant

__all__ = [
    "DOC_TYPES",
    "LetterPanel",
    "current_letter",
    "form_bytes",
    "issued_file",
    "issued_letter",
    "letter_draft",
    "may_draft",
    "on_document_issued",
    "panel",
]

# form → (document type name, its abbreviation) in the agency's DocumentType table.
DOC_TYPES = {"04": ("Công văn", ""), "05": ("Thông báo", "TB")}
NUMBERS = {"04": 4, "05": 5}
EMAIL_EVENT = {"04": "letter_04", "05": "letter_05"}
# A letter cancelled before issue or recalled after it no longer stands: a new one may be drafted.
DEAD_STATES = (WorkflowState.CANCELLED, WorkflowState.RECALLED)
ISSUED_STATES = (WorkflowState.ISSUED, WorkflowState.ARCHIVED)


def _number(form: str) -> int:
    if form not in NUMBERS:
        raise ValidationError(_("Mẫu văn bản không hợp lệ."))
    return NUMBERS[form]


# ---- reads --------------------------------------------------------------------------------------------


def applies(dossier: Dossier, form: str) -> bool:
    """Whether the form applies to the dossier now (04 once the appointment was moved, 05 once stopped)."""
    return form in NUMBERS and pdf.applies(dossier, NUMBERS[form])


def may_draft(user: User, dossier: Dossier) -> bool:
    """The people handling the dossier: the agency's leaders and one-stop officers, the officer holding it,
    the head of the handling unit, and the one who moved the appointment or stopped it."""
    if not user.is_active or user.agency_id != dossier.agency_id:
        return False
    if user.has_role(Role.LEADER, Role.ONESTOP_OFFICER) or dossier.holder_id == user.pk:
        return True
    if user.has_role(Role.DEPARTMENT_HEAD) and user.department_id == dossier.department_id:
        return True
    from django.contrib.contenttypes.models import ContentType

    return HistoryEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(Dossier),
        object_id=dossier.pk,
        action__in=("extend", "stop"),
        actor=user,
    ).exists()


def _letters(dossier: Dossier):
    return DossierLetter.objects.filter(dossier=dossier).select_related(
        "outgoing", "outgoing__current_version"
    )


def current_letter(dossier: Dossier, form: str) -> DossierLetter | None:
    """The dossier's letter of ``form`` that still stands (not cancelled nor recalled), or None."""
    return (
        _letters(dossier)
        .filter(form=form)
        .exclude(outgoing__state__in=DEAD_STATES)
        .order_by("-created_at", "-id")
        .first()
    )


def issued_letter(dossier: Dossier, form: str) -> DossierLetter | None:
    return (
        _letters(dossier)
        .filter(form=form, outgoing__state__in=ISSUED_STATES)
        .order_by("-created_at", "-id")
        .first()
    )


def issued_file(dossier: Dossier, number: int):
    """The signed PDF (FieldFile) of the issued letter of form ``number`` (4 or 5), or None."""
    form = f"{number:02d}"
    if form not in NUMBERS:
        return None
    letter = issued_letter(dossier, form)
    if letter is None or letter.outgoing.current_version is None:
        return None
    return letter.outgoing.current_version.file


def form_bytes(dossier: Dossier, number: int) -> bytes:
    """Form ``number`` as PDF: for 04/05 the issued signed letter when there is one, else the printed form
    (a draft for 04/05)."""
    signed = issued_file(dossier, number)
    if signed is None:
        return pdf.render_form(dossier, number)
    with signed.open("rb") as handle:
        return handle.read()


@dataclass
class LetterPanel:
    letters: list[DossierLetter]
    can_draft: list[tuple[str, str]]  # (form, label) a new letter may be drafted for


def panel(dossier: Dossier, user: User) -> LetterPanel:
    """The dossier page's letters: every letter (number and symbol, state, link) and the forms this person
    may draft a letter for now. Two queries."""
    letters = list(_letters(dossier).order_by("created_at", "id"))
    live = {row.form for row in letters if row.outgoing.state not in DEAD_STATES}
    offer = []
    wanted = [(form, label) for form, label in DossierLetter.Form.choices if form not in live]
    if wanted and may_draft(user, dossier):
        offer = [(form, label) for form, label in wanted if applies(dossier, form)]
    return LetterPanel(letters=letters, can_draft=offer)


# ---- the draft ----------------------------------------------------------------------------------------


def _doc_type(form: str):
    from documents.models import DocumentType

    name, abbreviation = DOC_TYPES[form]
    types = DocumentType.objects.filter(is_active=True)
    found = types.filter(name__iexact=name).first() or (
        types.filter(abbreviation=abbreviation).first() if abbreviation else None
    )
    if found is None:
        raise ValidationError(
            _("Chưa có loại văn bản “%(name)s” trong danh mục loại văn bản.") % {"name": name}
        )
    return found


def _signer(dossier: Dossier, number: int) -> User | None:
    """The leader ``_head_signer`` prints (who moved the appointment or stopped it, else the dossier's
    leader), else the agency's head; None leaves the choice to the draft's reviewer."""
    from documents.outgoing import signers

    chosen = pdf.head_signer_user(dossier, number)
    if chosen is not None:
        return chosen
    return signers.allowed_signers(document_or_agency=dossier.agency_id, authority="").order_by("id").first()


def _fields(dossier: Dossier, form: str):
    from documents.models import Confidentiality
    from documents.outgoing.services import DraftFields

    number = _number(form)
    context = pdf.letter_context(dossier, number)
    person = dossier.applicant_kind == ApplicantKind.PERSON
    context["you"] = "Ông/Bà" if person else "Quý tổ chức"
    body = render_to_string(f"onestop/pdf/_body_{form}.html", context)
    if form == "04":
        summary = _("Xin lỗi và đề nghị gia hạn thời gian giải quyết hồ sơ %(code)s") % {
            "code": context["code"]
        }
    else:
        summary = _("Dừng giải quyết hồ sơ %(code)s") % {"code": context["code"]}
    return DraftFields(
        doc_type=_doc_type(form),
        summary=summary,
        body=body,
        addressees=context["addressee"],
        distribution="\n".join(["Như trên", context["counter"]]),
        archive_note="VT, hồ sơ",
        signer=_signer(dossier, number),
        confidentiality=Confidentiality.NORMAL,
    )


def letter_draft(*, dossier: Dossier, form: str, by: User) -> DossierLetter:
    """Start form ``form``'s letter of the dossier as an outgoing draft of ``by``'s agency (Kính gửi the
    applicant, the form's text, the leader who signs for the agency) and link it; one transaction."""
    from documents.outgoing import services as outgoing

    _number(form)
    with transaction.atomic():
        locked = selectors.dossier_access(user=by, pk=dossier.pk, lock=True)
        if not may_draft(by, locked):
            raise PermissionDenied(_("Bạn không có quyền soạn văn bản cho hồ sơ này."))
        if not applies(locked, form):
            raise ValidationError(_("Mẫu %(form)s không áp dụng cho hồ sơ ở bước này.") % {"form": form})
        existing = current_letter(locked, form)
        if existing is not None:
            raise ValidationError(
                _("Hồ sơ đã có văn bản mẫu %(form)s (%(doc)s); chỉ soạn lại khi văn bản đó đã bị hủy.")
                % {"form": form, "doc": existing.outgoing.number_symbol or _("dự thảo")}
            )
        document = outgoing.draft_create(by=by, fields=_fields(locked, form))
        row = DossierLetter.objects.create(dossier=locked, form=form, outgoing=document, created_by=by)
        wf.history_add(
            record=locked,
            event=HistoryEntry.Event.COMMENT,
            actor=by,
            action="letter_draft",
            comment=str(DossierLetter.Form(form).label),
            data={"form": form, "outgoing": document.pk},
        )
    return row


# ---- issue --------------------------------------------------------------------------------------------


def on_document_issued(sender, *, document, by, **kwargs) -> None:
    """An outgoing document was issued (inside the issuing transaction): when it is a dossier's letter, the
    applicant gets it by e-mail once the issue commits. One indexed query when it is not."""
    row = DossierLetter.objects.select_related("dossier").filter(outgoing_id=document.pk).first()
    if row is None:
        return
    email_applicant(row.dossier, EMAIL_EVENT[row.form])


def connect() -> None:
    from documents.outgoing.signals import document_issued

    document_issued.connect(on_document_issued, dispatch_uid="onestop.letters.on_document_issued")
