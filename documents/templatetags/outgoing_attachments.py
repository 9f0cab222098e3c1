"""Template tags of appendices and attached files: the block on the outgoing document's page, and the
signature status of an attached file on the incoming side (kept in the document's signature report when
an internal delivery verified it)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html

from documents.common import SignatureStatus
from documents.outgoing import rules
from documents.outgoing.attachments import selectors

register = template.Library()


@register.simple_tag(takes_context=True)
def outgoing_attachments(context, document) -> dict:
    """Appendices, attached files and whether the person may change them now, for the document's page."""
    user = context["request"].user
    return {
        "appendices": list(selectors.appendices_of(document)),
        "attachments": list(selectors.attachments_of(document)),
        "editable": rules.can_edit(document, user),
    }


@register.filter
def attachment_signature(report, sha256: str) -> str:
    """ "valid", "invalid", "unsigned" … for the attached file of this SHA-256, "" when never checked."""
    if not isinstance(report, dict):
        return ""
    for row in report.get("attachments") or ():
        if isinstance(row, dict) and row.get("sha256") == sha256:
            return str(row.get("status") or "")
    return ""


@register.simple_tag
def attachment_signature_pill(report, sha256: str) -> str:
    """The status as a pill ("Chữ ký số hợp lệ" in green), nothing when the file was never checked."""
    status = attachment_signature(report, sha256)
    if status not in SignatureStatus.values:
        return ""
    css = {"valid": "pill-done", "invalid": "pill-overdue"}.get(status, "pill-muted")
    return format_html(
        '<span class="pill {}" data-testid="attachment-signature">{}</span>',
        css,
        SignatureStatus(status).label,
    )
