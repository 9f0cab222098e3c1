"""What the pages show around the data: queue titles and tabs, the detail page's forms and actions."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from documents.incoming import forms, selectors
from documents.incoming.models import IncomingDocument
from documents.outgoing.models import OutgoingRecipient
from documents.records import forms as records_forms
from eoffice.models import Role
from workflow.models import Assignment, WorkflowState

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


# Every form of the detail page has its own prefix, so that no two elements of the page share an id (a
# label that focuses another form's field, screen readers reading the wrong label). The views post with
# the same prefix (``views.post_action``); the forms repeated per assignment add its id (``part_prefix``).
FORM_PREFIXES = {
    forms.DirectForm: "direct",
    forms.DelegateForm: "delegate",
    forms.ProgressForm: "progress",
    forms.RequestInputForm: "request",
    forms.ProposeForm: "propose",
    forms.LinkReplyForm: "reply-link",
    forms.FinishForm: "finish",
    forms.AttachmentsForm: "attachments",
    forms.GrantForm: "grant",
    records_forms.AddToCaseFileForm: "case-file",
}


def part_prefix(kind: str, assignment_pk: int) -> str:
    """The prefix of a form repeated for each of the user's parts (forward, coordinate reply)."""
    return f"{kind}-{assignment_pk}"


def _form(form_class, **kwargs):
    return form_class(prefix=FORM_PREFIXES[form_class], **kwargs)


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
    user = request.user
    recalled = document.recalled_at is not None
    actions = [] if recalled else document.available_actions(user)
    names = {a.name for a in actions}
    is_clerk = user.agency_id == document.agency_id and user.has_role(Role.CLERK)
    # A secret document that arrived without its named leader: the clerk names one when registering.
    needs_leader = "register_number" in names and document.is_secret and not document.directing_leader_id
    buttons = [a for a in actions if not a.form and not (needs_leader and a.name == "register_number")]
    parts = selectors.my_parts(document=document, user=user) if document.is_open and not recalled else []
    lead_parts = [p for p in parts if p.role == Assignment.Kind.LEAD]
    forwardable = [
        p
        for p in parts
        if not p.assignee_id and p.department_id == user.department_id and user.has_role(Role.DEPARTMENT_HEAD)
    ]
    holds_lead = "finish" in names
    people = (
        selectors.people_of(document.agency_id).filter(department_id=user.department_id).exclude(pk=user.pk)
    )
    agency_id = document.agency_id
    context = {
        "doc": document,
        "assignments": list(selectors.assignments_for(document=document)),
        "attachments": list(document.attachments.all()),
        "case_files": list(document.case_files.all()),
        "parts": parts,
        "can_direct": "assign" in names,
        "direct_form": _form(forms.DirectForm, agency_id=agency_id, secret=document.is_secret)
        if "assign" in names
        else None,
        "delegate_form": _form(forms.DelegateForm, agency_id=agency_id, exclude=user.pk)
        if "assign" in names
        else None,
        "forward_forms": [
            (p, forms.ForwardForm(people=people, prefix=part_prefix("forward", p.pk))) for p in forwardable
        ],
        "progress_form": _form(forms.ProgressForm) if parts else None,
        "is_lead": holds_lead,
        "lead_parts": lead_parts,
        "reply_forms": [
            (p, forms.ReplyForm(prefix=part_prefix("reply", p.pk)))
            for p in parts
            if p.role == Assignment.Kind.COORDINATE
        ],
        "request_form": _form(forms.RequestInputForm, agency_id=agency_id) if holds_lead else None,
        "propose_form": _form(forms.ProposeForm, initial={"proposal": document.proposal})
        if holds_lead
        else None,
        "link_form": _form(forms.LinkReplyForm, initial={"reply_number_symbol": document.reply_number_symbol})
        if holds_lead
        else None,
        "finish_form": _form(forms.FinishForm) if holds_lead else None,
        "outgoing_url": outgoing_reply_url(document) if holds_lead else "",
        "is_clerk": is_clerk,
        "grant_form": _form(forms.GrantForm, agency_id=agency_id)
        if document.is_secret and user.has_role(Role.LEADER, Role.CLERK) and not recalled
        else None,
        "attachments_form": _form(forms.AttachmentsForm)
        if user.has_role(Role.CLERK) and document.state != WorkflowState.RETURNED and not recalled
        else None,
        "case_file_form": _form(records_forms.AddToCaseFileForm, user=user),
        "signature_report": document.signature_report or {},
        "actions": buttons,
        "register_leaders": list(selectors.leaders_of(agency_id)) if needs_leader else [],
        "source": source_context(document),
        "recalled": recalled,
        "can_confirm_recall": recalled and is_clerk and document.recall_confirmed_at is None,
    }
    return context
