"""The forms of the module, rendered from the ``LegalForm`` version in force on the letter's received day.

- ``form_body(code, on=..., context=...)`` → (LegalForm, body): the body as the outgoing flow's rich text (the
  allowed HTML subset), everything the form's template says.
- ``form_parts(code, on=..., context=...)`` → ``FormParts``: the same, split the way the outgoing document's
  fields take it (Decree 30 prints them in their own places): ``addressees`` (a first paragraph
  "Kính gửi: …"), ``legal_bases`` (for a Quyết định, the paragraphs opening with "Căn cứ", "Xét" or
  "Theo đề nghị" before "Điều 1.", one per line) and the rest as ``body``. Drafted documents (notices,
  decisions, conclusions, the Phiếu chuyển đơn) should be drafted with these three fields.
- ``form_pdf(code, on=..., context=...)`` → PDF bytes of a printed form (RECEIPT, VISIT_RESULT,
  VISIT_FORWARD, INTAKE_PROPOSAL, GUIDANCE, KEEP): the Decree-30 frame (agency and its parent upper left,
  Quốc hiệu and Tiêu ngữ upper right, place and date, the title bold and centred, the signatures) around the
  form's body, through ``eoffice.output.pdf`` as the one-stop forms are printed.

``context`` never holds a protected identity: ``services.drafting.form_context(case, **extra)`` gives
``case``, ``letter``, ``agency``, ``people`` (display labels: the protected label for a protected person),
``protected`` and ``today``; the callers add what their form uses. A form with an extra missing prints "…"
where it goes (the officer completes the draft in the outgoing editor).

Extras each form reads (all optional):

- RECEIPT (printed; give ``agency`` and ``visit`` or ``letter``): ``papers`` (list of str; default the
  visit's ``papers`` lines), ``received_at`` (datetime; default the visit's time or the letter's
  registration), ``officer`` (User who received; default the visit's officer or letter.received_by),
  ``place``, ``content`` (default the visit's content or the letter's summary), ``people_count``.
- VISIT_RESULT (printed; ``agency``, ``visit``): ``result`` (default ``visit.result``, then its
  ``outcome_note``), ``received_at``, ``content``, ``signer`` (User; default the visit's officer).
- VISIT_FORWARD (printed; ``agency``, ``visit``): ``forwarded_to`` (default ``visit.forwarded_to``),
  ``guidance`` (default ``visit.outcome_note``), ``received_at``, ``content``, ``place``, ``signer``.
- INTAKE_PROPOSAL (printed; form_context of the case): ``decider_title`` (default the case decider's
  position, else "Thủ trưởng cơ quan"), ``note``, ``officer`` (the proposer; default case.handler).
- GUIDANCE (printed; form_context): ``forwarded_to`` (the competent body; default case.competent_body),
  ``guidance`` (free text), ``officer`` (default case.handler).
- KEEP (printed; form_context): ``reason`` (default case.outcome_reason), ``follow_up_on`` (date),
  ``officer`` (the proposer; default case.handler), ``decider_title``.
- FORWARD: ``forwarded_to`` (the body's name; default case.competent_body), ``reason``.
- ACCEPT_NOTICE: ``deadline`` (text: the resolution deadline and its legal label).
- REFUSE_NOTICE: ``reason`` (default case.outcome_reason, then the not-processable reason).
- VERIFICATION_ORDER: ``verifier`` (name and position), or ``verifiers`` (list of names) with ``lead``, or
  ``team`` (text); ``period``, ``proposer``,
  ``department`` (who executes, default "Chánh Thanh tra").
- DIALOGUE_MINUTES: ``held_at`` (datetime) or ``held_on`` (date), ``place``, ``chair``, ``respondent``,
  ``others``, ``minutes``, ``outcome``.
- COMPLAINT_DECISION: ``findings``, ``previous`` (the 1st-instance result, at the 2nd), ``dialogue``,
  ``conclusion`` (or ``result``: "Khiếu nại đúng một phần"), ``decision`` (default case.result_summary),
  ``department``.
- SUSPENSION / STOP: ``reason`` (or ``ground``), ``proposer``. CONTINUE: ``suspension`` (the suspension
  decision's number), ``ground``, ``deadline``, ``proposer``.
- DENUNCIATION_ACCEPT_NOTICE: ``accept_decision`` (number and date of the acceptance decision), ``deadline``
  (the resolution deadline and its legal label). Addressed to "Người tố cáo": never a name.
- DENUNCIATION_ACCEPT: ``accused`` (the person or body denounced), ``verifier``, ``proposer``.
- EXTENSION: ``accept_decision`` (number and date), ``ground`` (default case.complexity_ground),
  ``extension`` or ``n`` (which one, default case.extension_count), ``days`` (default 30), ``deadline``.
- DENUNCIATION_CONCLUSION: ``accepted_on`` (text), ``accused``, ``findings``, ``conclusion`` (or ``result``;
  default case.result_summary), ``handling``.
- DENOUNCER_NOTICE: ``conclusion_ref`` (number of the conclusion), ``result`` (default case.result_summary).
  Addressed to "Người tố cáo": never a name.
- PETITION_ANSWER: ``answer`` (default case.result_summary).
"""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re
import unicodedata
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.template import Context, Engine
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from complaints.models import FormCode, LegalForm

__all__ = ["PRINTED", "FormParts", "Signer", "form_body", "form_in_force", "form_parts", "form_pdf"]

# A plain engine: no loaders, no custom tags beyond Django's built-ins; the template text is the admin's.
_ENGINE = Engine(debug=False, autoescape=True, libraries={}, builtins=["django.template.defaultfilters"])

PRINTED = (
    FormCode.RECEIPT,
    FormCode.VISIT_RESULT,
    FormCode.VISIT_FORWARD,
    FormCode.INTAKE_PROPOSAL,
    FormCode.GUIDANCE,
    FormCode.KEEP,
)
# The internal proposals: signed by the officer who proposes and approved by the head.
PROPOSALS = (FormCode.INTAKE_PROPOSAL, FormCode.KEEP)
TEMPLATE = "complaints/forms/printed.html"
STYLESHEET = "complaints/forms/printed.css"
BLANK_NUMBER = " " * 8


def form_in_force(code: str, *, on: dt.date) -> LegalForm:
    found = LegalForm.objects.in_force(code, on=on)
    if found is None:
        raise ValidationError(
            _("Chưa có mẫu “%(form)s” có hiệu lực vào ngày %(day)s.")
            % {"form": FormCode(code).label, "day": on.strftime("%d/%m/%Y")}
        )
    return found


# The extras the forms read (module docstring): present as "" when the caller gives none, so that a
# form's ``{{ a|default:b }}`` never fails on a missing ``b`` (Django resolves filter arguments strictly).
EXTRAS = (
    "accept_decision", "accepted_on", "accused", "answer", "chair", "conclusion", "conclusion_ref", "content",
    "date", "days", "deadline", "decider_title", "decision", "department", "dialogue", "extension",
    "findings", "follow_up_on", "forwarded_to", "ground", "guidance", "handling", "held_at", "held_on",
    "lead", "minutes", "n", "note", "officer_name", "officer_position", "others", "outcome", "papers",
    "people_count", "people_count_text", "period", "place", "previous", "proposer", "reason", "received_at",
    "respondent", "result", "suspension", "team", "verifier", "verifiers",
)  # fmt: skip


def _render(form: LegalForm, context: dict) -> str:
    from django.template import TemplateSyntaxError

    context = {**dict.fromkeys(EXTRAS, ""), **context}

    try:
        template = _ENGINE.from_string(form.body)
    except TemplateSyntaxError as error:
        raise ValidationError(
            _("Mẫu “%(form)s” (hiệu lực từ %(day)s) có lỗi cú pháp: %(error)s")
            % {"form": form.title, "day": form.effective_from.strftime("%d/%m/%Y"), "error": error}
        ) from error
    return template.render(Context(context, autoescape=True))


def form_body(code: str, *, on: dt.date, context: dict) -> tuple[LegalForm, str]:
    """The form version in force on ``on`` and its body rendered with ``context``."""
    from documents.outgoing.richtext import sanitize

    form = form_in_force(code, on=on)
    return form, sanitize(_render(form, context))


# ---- the parts of a drafted document ----


@dataclass(frozen=True)
class FormParts:
    form: LegalForm
    body: str  # sanitized rich text, without the addressee and the legal bases
    legal_bases: str = ""  # one per line (DraftFields.legal_bases)
    addressees: str = ""  # one per line (DraftFields.addressees)


_FIRST_P = re.compile(r"^\s*<p>(.*?)</p>", re.DOTALL)
_TO = re.compile(r"^Kính gửi\s*:\s*", re.IGNORECASE)
_BASIS = re.compile(r"^(Căn cứ|Xét|Theo đề nghị)\b")


def _text(fragment: str) -> str:
    text = re.sub(r"<br\s*/?>", " ", fragment)
    text = html_lib.unescape(re.sub(r"<[^>]+>", "", text))
    return " ".join(unicodedata.normalize("NFC", text).split())


def form_parts(code: str, *, on: dt.date, context: dict) -> FormParts:
    """``form_body`` split into the outgoing document's addressees, legal bases and body (see the module
    docstring): Decree 30 prints "Kính gửi:" under the title and the bases of a Quyết định above
    "QUYẾT ĐỊNH:", which the body follows."""
    form, body = form_body(code, on=on, context=context)
    addressees: list[str] = []
    bases: list[str] = []
    match = _FIRST_P.match(body)
    if match and _TO.match(_text(match[1])):
        addressees = [part.strip() for part in _TO.sub("", _text(match[1])).split(";") if part.strip()]
        body = body[match.end() :]
    if form.doc_type == "QĐ":
        while (match := _FIRST_P.match(body)) and _BASIS.match(_text(match[1])):
            bases.append(_text(match[1]))
            body = body[match.end() :]
    return FormParts(
        form=form, body=body.strip(), legal_bases="\n".join(bases), addressees="\n".join(addressees)
    )


# ---- the printed forms ----


@dataclass
class Signer:
    titles: list[str]
    name: str = ""
    hint: str = "(Ký, ghi rõ họ tên)"
    note: list[str] = field(default_factory=list)


def _nfc(text) -> str:
    return unicodedata.normalize("NFC", str(text or "")).strip()


def _lines(text: str) -> list[str]:
    out = []
    for line in _nfc(text).splitlines():
        line = re.sub(r"^\s*(?:[-–—•+*]|\d{1,2}[.)])\s*", "", line).strip()
        if line:
            out.append(line)
    return out


def _date_line(place: str, day: dt.date) -> str:
    """ "An Hòa, ngày 05 tháng 3 năm 2026" (Decree 30: day below 10 and months 1–2 with a leading zero)."""
    month = f"{day.month:02d}" if day.month <= 2 else str(day.month)
    return f"{_nfc(place)}, ngày {day.day:02d} tháng {month} năm {day.year}"


def _position(user, fallback: str) -> str:
    return _nfc(getattr(user, "position", "")) or fallback


def _name(user) -> str:
    return _nfc(getattr(user, "full_name", "") or (str(user) if user else ""))


def _printed_context(code: str, context: dict) -> dict:
    """What the printed forms' templates read, completed from the visit, the letter or the case."""
    ctx = dict(context)
    visit, letter, case = ctx.get("visit"), ctx.get("letter"), ctx.get("case")
    if letter is None and case is not None:
        letter = ctx["letter"] = case.letter
    agency = ctx.get("agency") or (case.agency if case else None) or (visit.agency if visit else None)
    if agency is None:
        agency = letter.agency
    ctx["agency"] = agency
    if visit is not None:
        ctx.setdefault("received_at", visit.received_at)
        ctx.setdefault("officer", visit.officer)
        ctx.setdefault("content", visit.content)
        ctx.setdefault("people_count", visit.people_count)
        ctx.setdefault("papers", _lines(visit.papers))
        ctx.setdefault("result", _nfc(visit.result) or _nfc(visit.outcome_note))
        if code == FormCode.VISIT_FORWARD:
            ctx.setdefault("forwarded_to", _nfc(visit.forwarded_to))
            ctx.setdefault("guidance", _nfc(visit.outcome_note))
        ctx.setdefault("protected", visit.protected)
        if "people" not in ctx:
            from complaints.services.identity import identity_label

            ctx["people"] = [identity_label(p) for p in visit.people.all()]
    if letter is not None:
        ctx.setdefault("received_at", letter.registered_at)
        ctx.setdefault("officer", letter.received_by)
        ctx.setdefault("content", letter.summary)
        ctx.setdefault("people_count", letter.signer_count)
        ctx.setdefault("protected", letter.protected)
    if case is not None:
        ctx.setdefault("protected", case.protected)
        ctx["officer"] = (
            ctx.get("officer")
            if code not in (*PROPOSALS, FormCode.GUIDANCE)
            else (context.get("officer") or case.handler)
        )
        decider = case.decider
        ctx.setdefault(
            "decider_title", _position(decider, "Thủ trưởng cơ quan") if decider else "Thủ trưởng cơ quan"
        )
    ctx.setdefault("people", [])
    ctx.setdefault("papers", [])
    ctx.setdefault("people_count", 1)
    ctx.setdefault("today", timezone.localdate())
    officer = ctx.get("officer")
    ctx.setdefault("officer_name", _name(officer))
    ctx.setdefault("officer_position", _position(officer, ""))
    count = ctx.get("people_count") or 1
    ctx.setdefault("people_count_text", f"đoàn {count} người, đại diện là " if count >= 5 else "")
    return ctx


def _signers(code: str, ctx: dict) -> list[Signer]:
    officer = ctx.get("officer")
    if code == FormCode.RECEIPT:
        person = "" if ctx.get("protected") else (ctx["people"][0] if len(ctx["people"]) == 1 else "")
        return [
            Signer(titles=["NGƯỜI NỘP THÔNG TIN, TÀI LIỆU"], name=person),
            Signer(titles=["NGƯỜI TIẾP NHẬN"], name=_name(officer)),
        ]
    if code in PROPOSALS:
        decider = ctx.get("case").decider if ctx.get("case") else None
        return [
            Signer(titles=["NGƯỜI ĐỀ XUẤT"], name=_name(officer)),
            Signer(
                titles=["Ý KIẾN PHÊ DUYỆT", _nfc(ctx.get("decider_title")).upper()],
                name=_name(decider),
                hint="(Ký, ghi rõ họ tên)",
            ),
        ]
    signer = ctx.get("signer") or officer
    receiving = code in (FormCode.VISIT_RESULT, FormCode.VISIT_FORWARD)
    title = _position(signer, "Người tiếp công dân" if receiving else "Người hướng dẫn")
    return [Signer(titles=[title.upper()], name=_name(signer))]


def form_pdf(code: str, *, on: dt.date, context: dict) -> bytes:
    """The printed form ``code`` (the version in force on ``on``) as PDF bytes; see the module docstring for
    the context each form reads. ValidationError when ``code`` is not a printed form or none is in force."""
    from documents.outgoing.richtext import sanitize
    from eoffice.output import pdf as output_pdf
    from eoffice.output.header import parent_line

    if code not in PRINTED:
        raise ValidationError(_("Mẫu “%(form)s” không phải mẫu in.") % {"form": FormCode(code).label})
    form = form_in_force(code, on=on)
    ctx = _printed_context(code, context)
    agency = ctx["agency"]
    body = sanitize(_render(form, ctx))
    to = ""
    match = _FIRST_P.match(body)
    if match and _TO.match(_text(match[1])):
        to, body = _TO.sub("", _text(match[1])), body[match.end() :]
    day = ctx.get("date") or timezone.localdate()
    abbr = _nfc(agency.abbreviation)
    symbol = f"{form.doc_type}-{abbr}" if form.doc_type else abbr
    page = {
        "form": form,
        "code": code,
        "title": _nfc(form.title).upper(),
        "parent": parent_line(agency.parent_name) if agency.parent_id else "",
        "agency_upper": _nfc(agency.name).upper(),
        "number_line": f"Số:{BLANK_NUMBER}/{symbol}",
        "date_line": _date_line(agency.place_name, day),
        "to": to,
        "case_code": ctx["case"].code if ctx.get("case") else "",
        "body_html": mark_safe(body),  # noqa: S308 - sanitized above
        "signers": _signers(code, ctx),
        "source": form.source,
    }
    return output_pdf.write(
        render_to_string(TEMPLATE, page),
        stylesheets=[
            output_pdf.header_stylesheet(),
            output_pdf.stylesheet(output_pdf.template_file(STYLESHEET)),
        ],
    )
