"""What the outgoing pages show around the data: queue tabs, type cards, the detail page's forms."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy

from documents.models import DocumentType
from documents.outgoing import forms, rules, selectors
from documents.outgoing.actions import OUTGOING_ACTIONS, page_state
from documents.outgoing.format.pages import format_context
from documents.outgoing.models import OutgoingRecipient
from documents.outgoing.starters import MAIN_TYPES, starter_for
from documents.records.metadata.selectors import metadata_context
from documents.records.selectors import file_this_context
from eoffice.models import Role
from workflow.models import WorkflowState

QUEUE_TITLES = {
    "all": gettext_lazy("Văn bản đi"),
    "mine": gettext_lazy("Dự thảo của tôi"),
    "review": gettext_lazy("Dự thảo chờ duyệt"),
    "format": gettext_lazy("Chờ kiểm tra thể thức"),
    "consult": gettext_lazy("Dự thảo xin ý kiến"),
    "sign": gettext_lazy("Văn bản chờ ký"),
    "issue": gettext_lazy("Văn bản chờ phát hành"),
    "issued": gettext_lazy("Văn bản đã phát hành"),
    "recalled": gettext_lazy("Văn bản đã thu hồi"),
}
TAB_LABELS = {
    "all": gettext_lazy("Tất cả"),
    "mine": gettext_lazy("Của tôi"),
    "review": gettext_lazy("Chờ duyệt"),
    "format": gettext_lazy("Kiểm tra thể thức"),
    "consult": gettext_lazy("Xin ý kiến"),
    "sign": gettext_lazy("Chờ ký"),
    "issue": gettext_lazy("Chờ phát hành"),
    "issued": gettext_lazy("Đã phát hành"),
    "recalled": gettext_lazy("Đã thu hồi"),
}


def queue_url(key: str) -> str:
    if key == "all":
        return reverse("documents:outgoing_list")
    return reverse("documents:outgoing_queue", kwargs={"queue": key})


def queue_tabs(user, current: str) -> list[dict]:
    return [
        {"key": key, "label": TAB_LABELS[key], "url": queue_url(key), "active": key == current}
        for key in selectors.queues_for(user)
    ]


def type_cards() -> list[DocumentType]:
    """The main types first (Phụ lục III order of use), then the others."""
    types = list(DocumentType.objects.filter(is_active=True))
    rank = {abbr: i for i, abbr in enumerate(MAIN_TYPES)}
    main = sorted((t for t in types if t.abbreviation in rank), key=lambda t: rank[t.abbreviation])
    others = [t for t in types if t.abbreviation not in rank and t.abbreviation not in ("SY", "SL", "TrS")]
    return [*main, *others]


def initial_for(*, user, doc_type, reply_to=None, related=None) -> dict:
    if related is not None:
        return forms.initial_from(related)
    initial = {"signer_title": ""}
    if doc_type is not None:
        starter = starter_for(doc_type.abbreviation)
        initial.update(
            doc_type=doc_type.pk,
            body=starter.body,
            legal_bases=starter.legal_bases,
            addressees=starter.addressees,
            distribution=starter.distribution,
        )
    if reply_to is not None:
        initial["summary"] = f"Trả lời văn bản số {reply_to.number_symbol} của {reply_to.issuer_name}"
        if reply_to.issuer_agency_id:
            initial["recipient_agencies"] = [reply_to.issuer_agency_id]
            initial["addressees"] = reply_to.issuer_agency.name
        else:
            initial["addressees"] = reply_to.issuer_name
    return initial


def detail_context(request, document) -> dict:
    """The detail page: the document, its versions, comments, consultations and recipients, and the
    actions this user may take now (``OUTGOING_ACTIONS``), under the names the template has always used."""
    user = request.user
    state = page_state(document, user)
    page = OUTGOING_ACTIONS.page(document, user, state=state)
    forms_of = {b.key: b.form for b in [*page.main, *page.more]}
    recipients = list(selectors.recipients_of(document))
    answers = selectors.my_pending_answers(user=user, document=document)
    is_issued = document.state in (WorkflowState.ISSUED, WorkflowState.RECALLED)
    return {
        "doc": document,
        "actions": page,
        "version": document.current_version,
        "versions": list(selectors.versions_of(document)),
        "comments": list(selectors.comments_of(document)),
        "consultations": list(selectors.consultations_of(document)),
        "my_answers": [
            (a, OUTGOING_ACTIONS.bind("answer", document, user, answer_pk=a.pk).form)
            for a in answers
            if a.consultation.is_open
        ],
        "recipients": recipients,
        "internal_count": sum(1 for r in recipients if r.channel == OutgoingRecipient.Channel.INTERNAL),
        "can_edit": state.can_edit,
        "submit_form": forms_of.get("submit"),
        "approve_form": forms_of.get("approve"),
        "approve_is_own": "approve" in state.names and document.state != WorkflowState.SUBMITTED,
        "return_form": forms_of.get("return"),
        "cancel_form": forms_of.get("cancel"),
        "sign_form": forms_of.get("sign"),
        "issue_form": forms_of.get("issue"),
        "recall_form": forms_of.get("recall"),
        "comment_form": forms_of.get("comment"),
        "consult_form": forms_of.get("consult"),
        "close_form": OUTGOING_ACTIONS["consult_close"].make_form(document, user),
        "can_succeed": document.state == WorkflowState.ISSUED and user.agency_id == document.agency_id,
        "is_issued": is_issued,
        "is_clerk": user.agency_id == document.agency_id and user.has_role(Role.CLERK),
        "public_url": rules.public_url(document),
        "file_this": file_this_context(user=user, kind="outgoing", record=document) if is_issued else None,
        **metadata_context(kind="outgoing", record=document, user=user),
        **format_context(document=document, user=user, state=state),
    }
