"""Phiếu giải quyết văn bản đến (the direction slip): the form Vietnamese offices clip to an incoming
document — the agency, the incoming number and date, the document, the leader's direction, the units and
people with their deadlines, and how it was handled — as a PDF through ``eoffice.output.pdf`` (WeasyPrint,
``templates/documents/incoming/slip/slip.html`` and ``slip.css`` beside it).

Anyone who may see the document may print its slip (the caller has passed ``incoming_access``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from documents.incoming import selectors
from documents.incoming.models import IncomingDocument
from documents.registers import numbering
from eoffice.output import header
from eoffice.output import pdf as output_pdf
from workflow import selectors as workflow_selectors
from workflow.models import Assignment, HistoryEntry

TEMPLATE = "documents/incoming/slip/slip.html"
STYLESHEET = "documents/incoming/slip/slip.css"


@dataclass(frozen=True)
class Part:
    role: str
    holder: str
    assigned: str
    due: str
    status: str
    note: str


@dataclass(frozen=True)
class Step:
    when: str
    actor: str
    action: str
    comment: str


def _dt(value: datetime | None, fmt: str = "%H:%M %d/%m/%Y") -> str:
    return timezone.localtime(value).strftime(fmt) if value else ""


def _holder(part: Assignment) -> str:
    names = [
        part.department.name if part.department_id else "",
        part.assignee.full_name if part.assignee_id else "",
    ]
    return " – ".join(n for n in names if n)


def _status(part: Assignment) -> str:
    if part.status == Assignment.Status.DONE:
        return _("Hoàn thành %(date)s") % {"date": _dt(part.completed_at, "%d/%m/%Y")}
    if part.status == Assignment.Status.CANCELLED:
        return str(part.get_status_display())
    if part.role == Assignment.Kind.INFORM:
        return _("Đã xem") if part.read_at else _("Chưa xem")
    return _("Đang xử lý · %(p)s%%") % {"p": part.progress}


def parts(document: IncomingDocument) -> list[Part]:
    rows = []
    for part in selectors.assignments_for(document=document):
        if part.status == Assignment.Status.CANCELLED or part.superseded:
            continue
        rows.append(
            Part(
                role=str(part.get_role_display()),
                holder=_holder(part),
                assigned=_dt(part.assigned_at, "%d/%m/%Y"),
                due=_dt(part.due_at, "%d/%m/%Y"),
                status=_status(part),
                note=(part.progress_note or "").strip(),
            )
        )
    order = {str(k.label): i for i, k in enumerate(Assignment.Kind)}
    return sorted(rows, key=lambda p: order.get(p.role, 9))


def steps(document: IncomingDocument) -> list[Step]:
    """The handling history, oldest first (views and other access records are not steps)."""
    entries = list(
        workflow_selectors.history_for(record=document).exclude(
            event__in=[HistoryEntry.Event.VIEW, HistoryEntry.Event.READ]
        )
    )
    entries.reverse()
    rows = []
    for entry in entries:
        if entry.event == HistoryEntry.Event.CREATED:
            action = _("Tiếp nhận")
        elif entry.action == "register_number":
            action = _("Vào sổ, cấp số đến %(n)s") % {
                "n": numbering.display((entry.data or {}).get("number"))
            }
        else:
            action = str(entry.action_label)
        rows.append(
            Step(
                when=_dt(entry.created_at),
                actor=entry.actor.full_name if entry.actor_id and entry.actor else _("Hệ thống"),
                action=action,
                comment=(entry.comment or "").strip(),
            )
        )
    return rows


def context(document: IncomingDocument) -> dict:
    agency = document.agency
    parent = agency.parent.name if agency.parent_id else ""
    return {
        "doc": document,
        "parent": header.parent_line(parent),
        "agency": agency.name.upper(),
        "received": _dt(document.received_at),
        "issued": document.issued_date.strftime("%d/%m/%Y") if document.issued_date else "",
        "directed_at": _dt(document.directed_at),
        "due": _dt(document.due_at, "%d/%m/%Y"),
        "completed": _dt(document.completed_at, "%d/%m/%Y"),
        "parts": parts(document),
        "steps": steps(document),
        "printed": _dt(timezone.now()),
    }


def render(document: IncomingDocument) -> bytes:
    html = render_to_string(TEMPLATE, context(document))
    return output_pdf.write(
        html,
        stylesheets=[
            output_pdf.header_stylesheet(),
            output_pdf.stylesheet(output_pdf.template_file(STYLESHEET)),
        ],
    )


def filename(document: IncomingDocument) -> str:
    number = document.number_display or str(document.pk)
    return f"phieu-giai-quyet-so-den-{number}-{document.year or ''}.pdf".replace("--", "-")
