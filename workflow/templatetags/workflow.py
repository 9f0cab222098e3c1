"""Template helpers other modules use on their record pages.

{% load workflow %}
{% workflow_actions record as actions %}
{% include "workflow/_actions.html" with record=record actions=actions action_url=... %}
{% workflow_history record as entries %}
{% include "workflow/_timeline.html" with entries=entries %}
"""

from __future__ import annotations

from django import template

from workflow import selectors
from workflow.models import DEADLINE_PILL, DeadlineStatus

register = template.Library()


@register.simple_tag(takes_context=True)
def workflow_actions(context, record):
    """The buttons of the record page: the actions the user may take now, less those done through
    their own form on the page (``custom={"form": True}``)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return record.button_actions(user) if user is not None else []


@register.simple_tag
def workflow_history(record):
    """The record's history, newest first; states named in the record kind's words (``state_labels``).

    Every row is of the same record: its model class is resolved once, not per row.
    """
    entries = list(selectors.history_for(record=record))
    model = type(record)
    for entry in entries:
        entry.record_model = model
    return entries


@register.filter
def deadline_pill(status: str) -> str:
    return DEADLINE_PILL.get(status, "pill-muted")


@register.filter
def deadline_label(status: str) -> str:
    return DeadlineStatus(status).label if status in DeadlineStatus.values else ""
