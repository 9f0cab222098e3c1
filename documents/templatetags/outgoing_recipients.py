"""``{% recipients_reconciliation doc %}``: the printed "Nơi nhận" beside the sending list, on an outgoing
document's page while it is a draft or waits to be issued (the clerk sees it above the issue form), so the
detail page only includes one line."""

from __future__ import annotations

from django import template

register = template.Library()


@register.inclusion_tag("documents/outgoing/recipients/_reconciliation.html", takes_context=True)
def recipients_reconciliation(context, doc):
    from documents.outgoing import recipients_check
    from eoffice.models import Role
    from workflow.models import WorkflowState

    user = context["request"].user
    show = user.agency_id == doc.agency_id and doc.state in recipients_check.CHECKED_STATES
    if not show:
        return {"show": False}
    result = recipients_check.reconcile(document=doc)
    may_drop = doc.state == WorkflowState.SIGNED and user.has_role(Role.CLERK)
    lines = [
        {
            "text": line,
            "entry": result.matched.get(line),
            "status": "sent" if line in result.sent else "add" if line in result.not_delivered else "print",
        }
        for line in result.printed
    ]
    return {
        "show": True,
        "doc": doc,
        "result": result,
        "lines": lines,
        "may_drop": may_drop,
        "csrf_token": context.get("csrf_token"),
    }
