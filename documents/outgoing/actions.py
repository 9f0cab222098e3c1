"""The actions of an outgoing document's page (``eoffice.actions``): what the page offers, what a post does.

Each action calls one service. The forms keep the field names and ids the page always had (no prefix;
``auto_id`` where two forms of a page share a field name), so that the page's markup, its browser tests
and posted data stay the same. Actions repeated per part (an answer, a consultation round, a recipient)
are bound by the page with the part's key and are not offered on their own.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils.translation import gettext as _

from documents.outgoing import delivery, forms, rules, selectors, services
from documents.outgoing.format import forms as format_forms
from documents.outgoing.format import services as format_services
from documents.outgoing.models import OutgoingDocument
from eoffice.actions import Action, ActionSet
from eoffice.models import User
from workflow.models import WorkflowState

URL_NAMES = {
    "submit": "outgoing_submit",
    "approve": "outgoing_approve",
    "return": "outgoing_return",
    "cancel": "outgoing_cancel",
    "comment": "outgoing_comment",
    "sign": "outgoing_sign",
    "issue": "outgoing_issue",
    "recall": "outgoing_recall",
    "consult": "outgoing_consult",
    "answer": "outgoing_answer",
    "consult_close": "outgoing_consult_close",
    "recipient_sent": "recipient_sent",
    "recipient_resend": "recipient_resend",
    "format_approve": "outgoing_format_approve",
    "format_return": "outgoing_format_return",
}


@dataclass(frozen=True)
class State:
    """What the page computes once: the transitions open to the user, and whether they hold the draft."""

    names: frozenset[str]
    can_edit: bool


def page_state(document: OutgoingDocument, user: User) -> State:
    return State(
        names=frozenset(a.name for a in document.available_actions(user)),
        can_edit=rules.can_edit(document, user),
    )


def _url(document: OutgoingDocument, action: Action, **url_kwargs) -> str:
    return reverse(f"documents:{URL_NAMES[action.key]}", args=[document.pk, *url_kwargs.values()])


def _transition(name: str):
    return lambda doc, user, state: name in state.names


def _never(doc, user, state) -> bool:
    return False  # bound by the page per part


# ---- runs: one service each, the success message back ---------------------------------------------------


def _submit(doc, user, form) -> str:
    services.draft_submit(document=doc, by=user, **form.cleaned_data)
    return _("Đã trình dự thảo.")


def _approve(doc, user, form) -> str:
    services.draft_approve(document=doc, by=user, **form.cleaned_data)
    return _("Đã duyệt và trình ký.")


def _format_approve(doc, user, form) -> str:
    format_services.format_approve(
        document=doc, by=user, ticked=set(form.cleaned_data["ticked"]), comment=form.cleaned_data["comment"]
    )
    return _("Đã xác nhận đạt thể thức và trình ký.")


def _format_return(doc, user, form) -> str:
    format_services.format_return(
        document=doc, by=user, ticked=set(form.cleaned_data["ticked"]), comment=form.cleaned_data["comment"]
    )
    return _("Đã trả lại dự thảo để sửa thể thức.")


def _return(doc, user, form) -> str:
    services.draft_return(document=doc, by=user, comment=form.cleaned_data["comment"])
    return _("Đã trả lại dự thảo cho người soạn thảo.")


def _cancel(doc, user, form) -> str:
    services.draft_cancel(document=doc, by=user, comment=form.cleaned_data["comment"])
    return _("Đã hủy dự thảo.")


def _comment(doc, user, form) -> str:
    services.draft_comment(document=doc, by=user, text=form.cleaned_data["text"])
    return _("Đã gửi ý kiến.")


def _sign(doc, user, form) -> str:
    signed = services.document_sign(document=doc, by=user, pin=form.cleaned_data["pin"])
    return " ".join(
        [_("Đã ký số văn bản."), _("Văn bản đã được cấp số %(ns)s.") % {"ns": signed.number_symbol}]
    )


def _issue(doc, user, form) -> str:
    services.document_issue(document=doc, by=user, pin=form.cleaned_data["pin"])
    return _("Đã ký số cơ quan và phát hành văn bản.")


def _recall(doc, user, form) -> str:
    services.document_recall(document=doc, by=user, reason=form.cleaned_data["reason"])
    return _("Đã thu hồi văn bản; nơi nhận đã được thông báo.")


def _consult(doc, user, form) -> str:
    services.consultation_start(document=doc, by=user, **form.cleaned_data)
    return _("Đã gửi xin ý kiến.")


def _answer(doc, user, form, *, answer_pk: int) -> str:
    answer = selectors.my_answer(user=user, document=doc, pk=answer_pk)
    services.consultation_answer(
        answer=answer, by=user, value=form.cleaned_data["answer"], note=form.cleaned_data["note"]
    )
    return _("Đã gửi ý kiến góp ý.")


def _consult_close(doc, user, form, *, consultation_pk: int) -> str:
    consultation = selectors.consultation_of(document=doc, pk=consultation_pk)
    services.consultation_close(consultation=consultation, by=user, summary=form.cleaned_data["summary"])
    return _("Đã tổng hợp ý kiến.")


def _recipient_sent(doc, user, form, *, recipient_pk: int) -> str:
    delivery.recipient_mark_sent(recipient=selectors.recipient_of(document=doc, pk=recipient_pk), by=user)
    return _("Đã ghi nhận gửi bản giấy.")


def _recipient_resend(doc, user, form, *, recipient_pk: int) -> str:
    delivery.email_resend(recipient=selectors.recipient_of(document=doc, pk=recipient_pk), by=user)
    return _("Đã gửi lại thư điện tử.")


def _user(doc, user, **url_kwargs) -> dict:
    return {"user": user}


def _auto_id(text: str):
    return lambda doc, user, **url_kwargs: {"auto_id": text}


OUTGOING_ACTIONS = ActionSet(
    access=selectors.outgoing_access,
    state=page_state,
    url=_url,
    actions=[
        Action(
            "sign",
            run=_sign,
            form=forms.PinForm,
            prefix="",
            form_kwargs=_auto_id("sign_%s"),
            when=_transition("sign"),
        ),
        Action(
            "issue",
            run=_issue,
            form=forms.PinForm,
            prefix="",
            form_kwargs=_auto_id("iss_%s"),
            when=_transition("issue"),
        ),
        Action(
            "submit",
            run=_submit,
            form=forms.SubmitForm,
            prefix="",
            form_kwargs=_user,
            when=_transition("submit"),
        ),
        Action(
            "approve",
            run=_approve,
            form=format_forms.ApproveWithFormatForm,
            prefix="",
            form_kwargs=lambda doc, user, **kw: {"user": user, "document": doc},
            when=_transition("approve"),
        ),
        Action(
            "format_approve",
            run=_format_approve,
            form=format_forms.FormatDecisionForm,
            prefix="",
            form_kwargs=_auto_id("fmt_%s"),
            when=_transition("format_approve"),
        ),
        Action(
            "format_return",
            run=_format_return,
            form=format_forms.FormatDecisionForm,
            prefix="",
            form_kwargs=_auto_id("fmt_%s"),
            when=lambda doc, user, state: "format_approve" in state.names,
        ),
        Action(
            "return",
            run=_return,
            form=forms.ReturnForm,
            prefix="",
            form_kwargs=_auto_id("ret_%s"),
            # the format reviewer returns through the checklist (``format_return``)
            when=lambda doc, user, state: (
                "send_back" in state.names and doc.state != WorkflowState.FORMAT_CHECK
            ),
            more=True,
            tone="danger",
        ),
        Action(
            "recall",
            run=_recall,
            form=forms.RecallForm,
            prefix="",
            when=_transition("recall"),
            more=True,
            tone="danger",
        ),
        Action(
            "cancel",
            run=_cancel,
            form=forms.CancelForm,
            prefix="",
            form_kwargs=_auto_id("can_%s"),
            when=_transition("cancel"),
            more=True,
            tone="danger",
        ),
        Action(
            "comment",
            run=_comment,
            form=forms.CommentForm,
            prefix="",
            when=lambda doc, user, state: doc.is_editable,
        ),
        Action(
            "consult",
            run=_consult,
            form=forms.ConsultForm,
            prefix="",
            form_kwargs=_user,
            when=lambda doc, user, state: state.can_edit,
        ),
        Action(
            "answer",
            run=_answer,
            form=forms.AnswerForm,
            prefix="",
            when=_never,
            form_kwargs=lambda doc, user, *, answer_pk: {"auto_id": f"ans{answer_pk}_%s"},
        ),
        Action("consult_close", run=_consult_close, form=forms.CloseConsultForm, prefix="", when=_never),
        Action("recipient_sent", run=_recipient_sent, prefix="", when=_never),
        Action("recipient_resend", run=_recipient_resend, prefix="", when=_never),
    ],
)
