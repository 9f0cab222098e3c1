"""The meeting page's actions (``eoffice.actions``): what this user may do now, each a form posting to one
service. Each area declares its own list; the set is their concatenation, in page order."""

from __future__ import annotations

from django.urls import reverse

from eoffice.actions import ActionSet
from meetings import selectors
from meetings.actions import booking, invitations, minutes, paperless


def _state(meeting, user):
    """Computed once per page and handed to every ``when``: the FSM transitions this user may run."""
    return {t.name for t in meeting.get_available_user_state_transitions(user)}


MEETING_ACTIONS = ActionSet(
    access=selectors.meeting_access,
    actions=[*booking.ACTIONS, *invitations.ACTIONS, *paperless.ACTIONS, *minutes.ACTIONS],
    url=lambda record, action, **kw: reverse(
        "meetings:act_part" if kw else "meetings:act", args=[record.pk, action.key, *kw.values()]
    ),
    state=_state,
)
