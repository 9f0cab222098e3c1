"""``{% copy_panel doc %}``: the "Bản sao" card of an outgoing or incoming document's page (the copies made
of it that the user may see, and "Sao văn bản" for the clerk), so each detail page only includes one line."""

from __future__ import annotations

from django import template

register = template.Library()


@register.inclusion_tag("documents/copies/_panel.html", takes_context=True)
def copy_panel(context, doc):
    from documents.copies import rules, selectors
    from documents.outgoing.models import OutgoingDocument

    user = context["request"].user
    kind = "outgoing" if isinstance(doc, OutgoingDocument) else "incoming"
    copyable = selectors.copyable(doc)
    can_copy = copyable and rules.can_copy(user) and doc.agency_id == user.agency_id
    copies = (
        list(selectors.copies_of(user=user, document=doc)[:20]) if doc.agency_id == user.agency_id else []
    )
    return {"doc": doc, "kind": kind, "can_copy": can_copy, "copies": copies, "show": can_copy or copies}
