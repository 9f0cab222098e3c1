"""The actions of an incoming document's page (``eoffice.actions``): what the page offers, what a post does.

Each action calls one service and returns its message. The forms keep the prefixes the page always had (no
two elements of the page share an id); the forward and the coordinate reply are repeated per part of the
user (their prefix and URL carry the part's id) and are bound by the page for each part, never offered on
their own. The services are the authority on who may do what: ``when`` only decides what the page offers.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from documents.forms import end_of_office_day
from documents.incoming import forms, selectors, services
from documents.incoming.models import IncomingDocument
from eoffice.actions import Action, ActionSet
from eoffice.models import Role, User
from workflow.models import Assignment, WorkflowState


@dataclass(frozen=True)
class State:
    """What the page computes once: the transitions open to the user, and the user's open parts."""

    names: frozenset[str]
    buttons: tuple  # the workflow buttons without a form of their own (``workflow/_actions.html``)
    parts: tuple[Assignment, ...]
    needs_leader: bool  # a secret document arrived without its named leader: the clerk names one
    recalled: bool

    @property
    def holds_lead(self) -> bool:
        return "finish" in self.names


def page_state(document: IncomingDocument, user: User) -> State:
    recalled = document.recalled_at is not None
    actions = [] if recalled else document.available_actions(user)
    names = frozenset(a.name for a in actions)
    needs_leader = "register_number" in names and document.is_secret and not document.directing_leader_id
    buttons = tuple(a for a in actions if not a.form and not (needs_leader and a.name == "register_number"))
    parts = selectors.my_parts(document=document, user=user) if document.is_open and not recalled else []
    return State(
        names=names, buttons=buttons, parts=tuple(parts), needs_leader=needs_leader, recalled=recalled
    )


def forwardable_parts(state: State, user: User) -> list[Assignment]:
    """The parts a unit head may hand on to a person of the unit (one forward form each)."""
    if not user.has_role(Role.DEPARTMENT_HEAD):
        return []
    return [p for p in state.parts if not p.assignee_id and p.department_id == user.department_id]


def coordinate_parts(state: State) -> list[Assignment]:
    """The user's coordinating parts (one reply form each)."""
    return [p for p in state.parts if p.role == Assignment.Kind.COORDINATE]


# --- what each action does: one service, its message ----------------------------------------------------


def _action(doc, user, form):
    services.incoming_action(document=doc, by=user, **form.cleaned_data)
    return _("Đã cập nhật văn bản.")


def _register(doc, user, form):
    services.incoming_register(document=doc, by=user, directing_leader=form.cleaned_data["directing_leader"])
    return _("Đã vào sổ văn bản đến.")


def _confirm_recall(doc, user, form):
    services.incoming_confirm_recall(document=doc, by=user)
    return _("Đã xác nhận thu hồi văn bản.")


def _direct(doc, user, form):
    services.incoming_direct(document=doc, by=user, **form.service_kwargs())
    return _("Đã chỉ đạo, giao xử lý văn bản.")


def _delegate(doc, user, form):
    services.incoming_delegate(document=doc, by=user, **form.cleaned_data)
    return _("Đã chuyển lãnh đạo khác chỉ đạo.")


def _forward(doc, user, form, *, assignment_pk: int):
    services.incoming_forward(
        document=doc,
        assignment=selectors.assignment_on(document=doc, pk=assignment_pk),
        by=user,
        to_user=form.cleaned_data["to_user"],
        instruction=form.cleaned_data["instruction"],
        due_at=end_of_office_day(form.cleaned_data.get("due_date")),
    )
    return _("Đã giao chuyên viên xử lý.")


def _progress(doc, user, form):
    services.incoming_progress(document=doc, by=user, **form.cleaned_data)
    return _("Đã cập nhật tiến độ.")


def _request_input(doc, user, form):
    services.incoming_request_input(document=doc, by=user, **form.service_kwargs())
    return _("Đã gửi xin ý kiến phối hợp.")


def _reply(doc, user, form, *, assignment_pk: int):
    services.incoming_coordinate_reply(
        document=doc,
        assignment=selectors.assignment_on(document=doc, pk=assignment_pk),
        by=user,
        **form.cleaned_data,
    )
    return _("Đã gửi ý kiến phối hợp.")


def _propose(doc, user, form):
    services.incoming_propose(document=doc, by=user, **form.cleaned_data)
    return _("Đã ghi đề xuất giải quyết.")


def _link_reply(doc, user, form):
    services.incoming_link_reply(document=doc, by=user, **form.cleaned_data)
    return _("Đã cập nhật văn bản trả lời.")


def _finish(doc, user, form):
    services.incoming_finish(document=doc, by=user, **form.cleaned_data)
    return _("Đã hoàn thành xử lý văn bản.")


def _attachments(doc, user, form):
    services.incoming_add_attachments(document=doc, by=user, files=form.cleaned_data["files"])
    return _("Đã thêm tệp đính kèm.")


def _grant(doc, user, form):
    # III.3c: the grant waits for a leader's or the agency admin's confirmation (documents.records.metadata).
    from documents.records.metadata.services import access_grant_request

    access_grant_request(document=doc, by=user, users=list(form.cleaned_data["users"]))
    return _("Đã gửi đề nghị cấp quyền xem; quyền có hiệu lực khi lãnh đạo xác nhận.")


def _url(document: IncomingDocument, action: Action, **url_kwargs) -> str:
    return reverse(f"documents:incoming_{action.key}", kwargs={"pk": document.pk, **url_kwargs})


def _lead(doc, user, state: State) -> bool:
    return state.holds_lead


def _per_part(doc, user, state) -> bool:
    """Bound by the page for each part, never offered on its own."""
    return False


INCOMING_ACTIONS = ActionSet(
    access=selectors.incoming_access,
    state=page_state,
    url=_url,
    actions=[
        # The workflow's plain buttons (send back, start, reopen, register): ``workflow/_actions.html``.
        Action("action", run=_action, form=forms.ActionForm, prefix="", when=lambda d, u, s: bool(s.buttons)),
        Action(
            "register",
            run=_register,
            form=forms.RegisterLeaderForm,
            form_kwargs=lambda d, u: {"agency_id": d.agency_id},
            prefix="",
            when=lambda d, u, s: s.needs_leader,
        ),
        Action(
            "confirm_recall",
            run=_confirm_recall,
            when=lambda d, u, s: (
                s.recalled
                and d.recall_confirmed_at is None
                and u.agency_id == d.agency_id
                and u.has_role(Role.CLERK)
            ),
        ),
        Action(
            "direct",
            run=_direct,
            form=forms.DirectForm,
            form_kwargs=lambda d, u: {"agency_id": d.agency_id, "secret": d.is_secret},
            when=lambda d, u, s: "assign" in s.names,
        ),
        Action(
            "delegate",
            run=_delegate,
            form=forms.DelegateForm,
            form_kwargs=lambda d, u: {"agency_id": d.agency_id, "exclude": u.pk},
            when=lambda d, u, s: "assign" in s.names,
        ),
        Action(
            "forward",
            run=_forward,
            form=forms.ForwardForm,
            form_kwargs=lambda d, u, **kw: {
                "people": selectors.people_of(d.agency_id)
                .filter(department_id=u.department_id)
                .exclude(pk=u.pk)
            },
            when=_per_part,
        ),
        Action(
            "progress",
            run=_progress,
            form=forms.ProgressForm,
            multipart=True,
            when=lambda d, u, s: bool(s.parts),
        ),
        Action(
            "request_input",
            run=_request_input,
            form=forms.RequestInputForm,
            form_kwargs=lambda d, u: {"agency_id": d.agency_id},
            prefix="request",
            when=_lead,
        ),
        Action("reply", run=_reply, form=forms.ReplyForm, multipart=True, when=_per_part),
        Action(
            "propose",
            run=_propose,
            form=forms.ProposeForm,
            initial=lambda d, u: {"proposal": d.proposal},
            when=_lead,
        ),
        Action(
            "link_reply",
            run=_link_reply,
            form=forms.LinkReplyForm,
            initial=lambda d, u: {"reply_number_symbol": d.reply_number_symbol},
            prefix="reply-link",
            when=_lead,
        ),
        Action("finish", run=_finish, form=forms.FinishForm, multipart=True, when=_lead),
        Action(
            "attachments",
            run=_attachments,
            form=forms.AttachmentsForm,
            multipart=True,
            when=lambda d, u, s: (
                u.has_role(Role.CLERK) and d.state != WorkflowState.RETURNED and not s.recalled
            ),
        ),
        Action(
            "grant",
            run=_grant,
            form=forms.GrantForm,
            form_kwargs=lambda d, u: {"agency_id": d.agency_id},
            when=lambda d, u, s: d.is_secret and u.has_role(Role.LEADER, Role.CLERK) and not s.recalled,
        ),
    ],
)
