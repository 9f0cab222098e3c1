"""What the document's page shows of the format check: the reviewer's checklist beside the PDF and its
decision form (while it waits for them), and every check made so far (history)."""

from __future__ import annotations

from documents.outgoing.actions import OUTGOING_ACTIONS
from documents.outgoing.format import selectors
from documents.outgoing.format.services import checklist_for
from workflow.models import WorkflowState


def format_context(*, document, user, state) -> dict:
    checking = "format_approve" in state.names and document.current_version_id is not None
    form = OUTGOING_ACTIONS.bind("format_approve", document, user).form if checking else None
    checklist = checklist_for(document) if checking else []
    return {
        "format_checking": checking,
        "format_form": form,
        "format_checklist": checklist,
        "format_failed": sum(1 for row in checklist if row["auto"] and row["ok"] is False),
        "format_checks": list(selectors.checks_of(document)),
        "format_waiting": document.state == WorkflowState.FORMAT_CHECK,
    }
