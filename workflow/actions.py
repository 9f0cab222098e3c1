"""The actions of a work item's page (``eoffice.actions``): what the page offers, what a post does.

``WORK_ITEM_ACTIONS`` are the item's own: the workflow's plain buttons (``workflow/_actions.html``), the
progress report and the giver's extension; they post to ``workflow:workitem_<key>`` with the item's id.
``PART_ACTIONS`` are those on one of the user's parts (assignments) of the item: a coordinator reports the
part done, the head of an assigned unit hands it on to someone of the unit. They post to
``workflow:assignment_<key>`` with the part's id (the URLs the page always had), so the record of that set is
the part, loaded through ``selectors.assignment_access``, and a post returns to the part's record. Each
action calls one service and returns its message; the forms keep the prefixes the page always had (none for
the item's, the part's id for a part's). The services are the authority on who may do what: ``when`` only
decides what the page offers.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from eoffice.actions import Action, ActionSet, Page
from eoffice.models import Role, User
from workflow import forms, selectors, services
from workflow.models import Assignment, WorkflowState, WorkItem

TEMPLATE = "workflow/actions/_form.html"  # the page's own body: the fields and a small button


@dataclass(frozen=True)
class State:
    """What the page computes once: the workflow buttons open to the user, and the user's open parts."""

    buttons: tuple  # the available actions without a form of their own
    parts: tuple[Assignment, ...]


def page_state(item: WorkItem, user: User) -> State:
    return State(
        buttons=tuple(item.button_actions(user)),
        parts=tuple(selectors.my_assignments_on(record=item, user=user)),
    )


# --- the item's actions: one service each, its message ------------------------------------------------


def _transition(item, user, form):
    services.work_item_transition(
        item=item,
        action=form.cleaned_data["action"],
        by=user,
        comment=form.cleaned_data["comment"],
        expected_state=form.cleaned_data["expected_state"] or None,
    )
    return _("Đã cập nhật công việc.")


def _progress(item, user, form):
    services.work_item_report_progress(item=item, by=user, **form.cleaned_data)
    return _("Đã gửi báo cáo tiến độ.")


def _extend(item, user, form):
    services.work_item_extend(item=item, by=user, **form.cleaned_data)
    return _("Đã gia hạn công việc.")


def _reports_progress(item, user, state: State) -> bool:
    return bool(state.parts) and item.state in (WorkflowState.ASSIGNED, WorkflowState.PROCESSING)


WORK_ITEM_ACTIONS = ActionSet(
    access=selectors.work_item_access,
    state=page_state,
    url=lambda item, action, **kw: reverse(f"workflow:workitem_{action.key}", args=[item.pk]),
    actions=[
        Action(
            "action", run=_transition, form=forms.ActionForm, prefix="", when=lambda i, u, s: bool(s.buttons)
        ),
        Action(
            "progress",
            run=_progress,
            form=forms.ProgressForm,
            prefix="",
            multipart=True,
            when=_reports_progress,
            title=gettext_lazy("Báo cáo tiến độ"),
            button=gettext_lazy("Gửi báo cáo"),
            template=TEMPLATE,
        ),
        Action(
            "extend",
            run=_extend,
            form=forms.ExtendForm,
            prefix="",
            when=lambda i, u, s: i.created_by_id == u.pk and i.is_open,
            title=gettext_lazy("Gia hạn"),
            tone="secondary",
            template=TEMPLATE,
        ),
    ],
)


# --- a part's actions ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PartAction(Action):
    """An action on one part: its form's prefix ends with the part's id (``complete-12``, ``fw12``), on the
    page and on the post alike, so that the forms of several parts on one page share no id."""

    def make_form(self, record: Assignment, user: User, **kwargs):
        return Action.make_form(replace(self, prefix=f"{self.prefix}{record.pk}"), record, user, **kwargs)


def _complete(part, user, form):
    services.assignment_complete(assignment=part, by=user, note=form.cleaned_data["note"])
    return _("Đã báo cáo hoàn thành phần việc.")


def _forward(part, user, form):
    services.assignment_forward(assignment=part, by=user, **form.cleaned_data)
    return _("Đã chuyển giao phần việc.")


def _unit_people(part, user):
    people = selectors.department_people(department_id=part.department_id, agency_id=part.agency_id)
    return {"people": people.exclude(pk=user.pk)}


PART_ACTIONS = ActionSet(
    access=selectors.assignment_access,
    url=lambda part, action, **kw: reverse(f"workflow:assignment_{action.key}", args=[part.pk]),
    redirect_to=lambda part: part.record,
    actions=[
        PartAction(
            "complete",
            run=_complete,
            form=forms.CompleteForm,
            prefix="complete-",
            when=lambda p, u, s: p.role == Assignment.Kind.COORDINATE,
            title=gettext_lazy("Hoàn thành phần phối hợp"),
            tone="secondary",
            template=TEMPLATE,
        ),
        PartAction(
            "forward",
            run=_forward,
            form=forms.ForwardForm,
            form_kwargs=_unit_people,
            prefix="fw",
            when=lambda p, u, s: bool(p.department_id) and u.has_role(Role.DEPARTMENT_HEAD),
            title=gettext_lazy("Chuyển giao"),
            tone="secondary",
            template=TEMPLATE,
        ),
    ],
)


def work_item_page(item: WorkItem, user: User) -> dict:
    """The actions of the item's page: the item's own (``actions``, with the workflow ``buttons``), and for
    each of the user's parts its report of completion (``complete``, shown in the progress card) and its
    hand-on (``forward``: the part and its action, one card each)."""
    state = page_state(item, user)
    parts: list[tuple[Assignment, Page]] = [(part, PART_ACTIONS.page(part, user)) for part in state.parts]
    return {
        "actions": WORK_ITEM_ACTIONS.page(item, user, state=state),
        "buttons": state.buttons,
        "complete": [page.by_key["complete"] for _part, page in parts if "complete" in page],
        "forward": [(part, page.by_key["forward"]) for part, page in parts if "forward" in page],
    }
