"""What the pages show around the data: queue titles and tabs, the detail page's forms and actions."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from documents.incoming import selectors
from documents.incoming.actions import INCOMING_ACTIONS, coordinate_parts, forwardable_parts, page_state
from documents.incoming.models import IncomingDocument
from documents.outgoing.models import OutgoingRecipient
from documents.records.metadata.selectors import metadata_context
from documents.records.selectors import file_this_context
from documents.registers import secrecy
from eoffice.models import Role
from workflow.models import Assignment

QUEUE_TITLES = {
    "all": gettext_lazy("Văn bản đến"),
    "register": gettext_lazy("Văn bản chờ vào sổ"),
    "direction": gettext_lazy("Văn bản chờ chỉ đạo"),
    "todo": gettext_lazy("Văn bản cần xử lý"),
    "progress": gettext_lazy("Văn bản đang xử lý"),
    "done": gettext_lazy("Văn bản đã hoàn thành"),
    "overdue": gettext_lazy("Văn bản quá hạn"),
    "info": gettext_lazy("Văn bản để biết"),
    "recalled": gettext_lazy("Văn bản đã bị nơi gửi thu hồi"),
}

TAB_LABELS = {
    "all": gettext_lazy("Tất cả"),
    "register": gettext_lazy("Chờ vào sổ"),
    "direction": gettext_lazy("Chờ chỉ đạo"),
    "todo": gettext_lazy("Cần xử lý"),
    "progress": gettext_lazy("Đang xử lý"),
    "overdue": gettext_lazy("Quá hạn"),
    "info": gettext_lazy("Để biết"),
    "done": gettext_lazy("Đã hoàn thành"),
    "recalled": gettext_lazy("Đã bị thu hồi"),
}


def queue_tabs(user, current: str) -> list[dict]:
    keys = ["all"]
    if user.has_role(Role.CLERK):
        keys.append("register")
    if user.has_role(Role.LEADER):
        keys.append("direction")
    keys += ["todo", "progress", "overdue", "info", "done", "recalled"]
    tabs = []
    for key in keys:
        url = (
            reverse("documents:incoming_list")
            if key == "all"
            else reverse("documents:incoming_queue", kwargs={"queue": key})
        )
        tabs.append({"key": key, "label": TAB_LABELS[key], "url": url, "active": key == current})
    return tabs


def received_message(document: IncomingDocument) -> str:
    if document.number:
        return _("Đã vào sổ văn bản đến, số đến %(number)s.") % {"number": document.number_display}
    return _("Đã tiếp nhận văn bản (chưa vào sổ).")


def outgoing_reply_url(document: IncomingDocument) -> str:
    """The outgoing module's "draft a reply" page, once it exists (no page is faked meanwhile)."""
    try:
        return reverse("documents:outgoing_create") + f"?reply_to={document.pk}"
    except NoReverseMatch:
        return ""


def source_context(document: IncomingDocument) -> dict | None:
    """A document delivered by an outgoing document of this installation (no person received it): what
    the recipient may know of it (the sender's name, the recall's reason); nothing links to the sender."""
    if document.received_by_id is not None:
        return None
    source = (
        OutgoingRecipient.objects.filter(incoming_id=document.pk)
        .values("document__recall_reason", "document__recalled_at")
        .first()
    ) or {}
    return {
        "sender": document.issuer_name,
        "recall_reason": source.get("document__recall_reason", ""),
        "recalled_at": document.recalled_at or source.get("document__recalled_at"),
    }


def detail_context(request, document: IncomingDocument) -> dict:
    """The detail page: the document, its parts and files, and the actions this user may take now
    (``documents.incoming.actions.INCOMING_ACTIONS``), each form with the prefix the page always had."""
    user = request.user
    state = page_state(document, user)
    page = INCOMING_ACTIONS.page(document, user, state=state)
    offered = page.by_key

    def form(key: str):
        return offered[key].form if key in offered else None

    is_clerk = user.agency_id == document.agency_id and user.has_role(Role.CLERK)
    metadata_only = secrecy.held_without_file(document)
    return {
        "doc": document,
        "assignments": list(selectors.assignments_for(document=document)),
        "attachments": list(document.attachments.all()),
        "file_this": file_this_context(user=user, kind="incoming", record=document),
        **metadata_context(kind="incoming", record=document, user=user),
        "parts": list(state.parts),
        "can_direct": "direct" in offered,
        "direct_form": form("direct"),
        "delegate_form": form("delegate"),
        "forward_forms": [
            (p, INCOMING_ACTIONS.bind("forward", document, user, assignment_pk=p.pk).form)
            for p in forwardable_parts(state, user)
        ],
        "progress_form": form("progress"),
        "is_lead": state.holds_lead,
        "lead_parts": [p for p in state.parts if p.role == Assignment.Kind.LEAD],
        "reply_forms": [
            (p, INCOMING_ACTIONS.bind("reply", document, user, assignment_pk=p.pk).form)
            for p in coordinate_parts(state)
        ],
        "request_form": form("request_input"),
        "propose_form": form("propose"),
        "link_form": form("link_reply"),
        "finish_form": form("finish"),
        "outgoing_url": outgoing_reply_url(document) if state.holds_lead else "",
        "is_clerk": is_clerk,
        "grant_form": form("grant"),
        "attachments_form": None if metadata_only else form("attachments"),
        "metadata_only": metadata_only,
        "signature_report": document.signature_report or {},
        "actions": list(state.buttons),
        "register_leaders": list(form("register").fields["directing_leader"].queryset)
        if "register" in offered
        else [],
        "source": source_context(document),
        "recalled": state.recalled,
        "can_confirm_recall": "confirm_recall" in offered,
    }
