"""The case page's actions (``eoffice.actions``): what this user may do now, each a form posting to one
service. Each area declares its own list; the set is their concatenation, in page order (a later action of
the same key replaces an earlier one in its place: ``followup``'s ``keep`` asks for the follow-up date)."""

from __future__ import annotations

from django.urls import reverse

from complaints import selectors
from complaints.actions import files, followup, intake, resolution
from eoffice.actions import ActionSet


def _state(case, user):
    """Computed once per page and handed to every ``when``: the FSM transitions this user may run."""
    return {t.name for t in case.get_available_user_state_transitions(user)}


CASE_ACTIONS = ActionSet(
    access=selectors.case_access,
    actions=[*intake.ACTIONS, *resolution.ACTIONS, *files.ACTIONS, *followup.ACTIONS],
    url=lambda record, action, **kw: reverse(
        "complaints:act_part" if kw else "complaints:act", args=[record.pk, action.key, *kw.values()]
    ),
    state=_state,
)
