"""The rows of the dossier lists, rendered in Python: the same markup as the template's loop was (each row
cost the template engine more than the rest of the page), escaped the same way."""

from __future__ import annotations

from django.template.defaultfilters import truncatechars
from django.utils.html import conditional_escape, escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _


def _date(value, fmt: str) -> str:
    """``value|date:fmt`` for the two formats of the rows (strftime gives the same digits, faster)."""
    return template_localtime(value).strftime(STRFTIME[fmt]) if value is not None else ""


STRFTIME = {"d/m/Y": "%d/%m/%Y", "H:i d/m/Y": "%H:%M %d/%m/%Y"}


def _due(d) -> SafeString:
    """``onestop/_due.html``: the appointment, red when overdue, grey when paused."""
    if not d.due_at:
        return mark_safe('<span class="muted">—</span>')
    when = _date(d.due_at, "H:i d/m/Y")
    if d.is_paused:
        return format_html(
            '<span class="os-due os-due-paused" title="{}">{}</span> <span class="pill pill-muted">{}</span>',
            _("Thời hạn tạm dừng chờ bổ sung"),
            when,
            _("tạm dừng"),
        )
    if d.is_overdue:
        return format_html(
            '<span class="os-due os-due-late">{}</span> <span class="pill pill-overdue">{}</span>',
            when,
            _("quá hạn"),
        )
    extended = (
        format_html(
            ' <span class="pill pill-duesoon" title="{}">{}</span>', _("Đã hẹn lại ngày trả"), _("hẹn lại")
        )
        if d.extended
        else ""
    )
    return format_html('<span class="os-due">{}</span>{}', when, extended)


ROW = (
    '\n        <tr class="{overdue}">\n'
    '          <td class="os-code-cell"><a class="os-code" href="{url}">{code}</a>\n'
    '            <div class="muted small">{channel} · {when}</div></td>\n'
    '          <td class="col-applicant"><a class="os-applicant" href="{url}">{applicant}</a>\n'
    '            <div class="os-proc small">{procedure}</div></td>\n'
    '          <td class="col-due{due_empty}" data-label="{due_label}">{due}\n</td>\n'
    '          <td class="col-state"><span class="pill os-state os-state-{state}"'
    ' data-testid="dossier-state">{state_label}</span>\n</td>\n'
    '          <td class="col-holder{holder_empty}" data-label="{holder_label}">{holder}</td>\n'
    "        </tr>\n      "
)


def dossier_rows(dossiers) -> SafeString:
    """The ``<tr>`` of each dossier (``holder_label`` set by the view)."""
    due_label, holder_label = conditional_escape(_("Hẹn trả")), conditional_escape(_("Đang xử lý"))
    received, submitted = _("nhận"), _("nộp")
    rows = []
    for d in dossiers:
        if d.received_at:
            when = f"{received} {_date(d.received_at, 'd/m/Y')}"
        else:
            when = f"{submitted} {_date(d.submitted_at, 'd/m/Y')}"
        rows.append(
            ROW.format(
                overdue="is-overdue" if d.is_overdue else "",
                url=escape(d.get_absolute_url()),
                code=escape(d.public_code),
                channel=escape(d.get_channel_display()),
                when=escape(when),
                applicant=escape(d.applicant_name),
                procedure=escape(truncatechars(d.procedure.name, 120)),
                due_empty="" if d.due_at else " is-empty",
                due_label=due_label,
                due=_due(d),
                state=escape(d.state),
                state_label=escape(d.state_label),
                holder_empty="" if d.holder_label else " is-empty",
                holder_label=holder_label,
                holder=escape(d.holder_label or "—"),
            )
        )
    return mark_safe("".join(rows))  # noqa: S308 - every value of a row is escaped
