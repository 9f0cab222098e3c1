"""The one-stop module's printed forms (Phụ lục I of TT 03/2025/TT-VPCP, which replaced TT 01/2018/TT-VPCP).

01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả · 02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ · 03 Phiếu từ chối
tiếp nhận giải quyết hồ sơ · 04 Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết · 05 Thông báo dừng
giải quyết hồ sơ · 06 Phiếu kiểm soát quá trình giải quyết hồ sơ. (07, the register, lives elsewhere.)

Each form is an HTML template under ``templates/onestop/pdf/`` laid out with the Decree-30 header (agency and
its parent upper left, Quốc hiệu and Tiêu ngữ upper right, place and date in italics, title bold and
centred: the shared block of ``eoffice/output``) and rendered through ``eoffice.output.pdf`` (WeasyPrint, the
Liberation Serif the project ships, a fetcher that keeps a document off the network).

When a form applies (``available_forms``):
- 01 and 06 once the dossier has a code;
- 02 when it was found incomplete at reception (``missing_papers``) or, during processing, once a supplement
  was asked for (``SupplementRequest``): the form then prints the latest request. It stays printable after
  the answer, as the record of what was asked;
- 03 when refused at reception, or refused during processing (outcome refused: the reasons of the handling
  unit);
- 04 once the appointment was moved (``extended``): the old and the new date and the reason;
- 05 when processing was stopped.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from eoffice.models import Role

from .models import ApplicantKind, Dossier, DossierState, OnestopConfig, Outcome, Timing

FORMS: dict[int, str] = {
    1: _("Giấy tiếp nhận hồ sơ và hẹn trả kết quả"),
    2: _("Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"),
    3: _("Phiếu từ chối tiếp nhận giải quyết hồ sơ"),
    4: _("Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết"),
    5: _("Thông báo dừng giải quyết hồ sơ"),
    6: _("Phiếu kiểm soát quá trình giải quyết hồ sơ"),
}

TEMPLATES = "onestop/pdf/"
STYLESHEET = Path(settings.BASE_DIR) / "static" / "css" / "onestop-pdf.css"


# ---- public helpers --------------------------------------------------------------------------------------


def tracking_url(dossier: Dossier) -> str:
    """The public tracking page of the dossier (its code, or its reference before receipt)."""
    return f"{settings.EOFFICE_BASE_URL}{reverse('onestop_public:track')}?code={dossier.public_code}"


def qr_svg(text: str) -> str:
    """An inline SVG QR code (error correction M, quiet zone of 2 modules) of ``text``; sized by CSS."""
    import segno

    code = segno.make(text, error="m", micro=False)
    return code.svg_inline(
        omitsize=True, border=2, svgclass="qr", lineclass="qr-dark", dark="#000", light="#fff"
    )


def applies(dossier: Dossier, number: int) -> bool:
    """Whether form ``number`` applies to the dossier now."""
    if number in (1, 6):
        return bool(dossier.code)
    if number == 2:
        return dossier.state == DossierState.INCOMPLETE or dossier.supplements.exists()
    if number == 3:
        return dossier.state == DossierState.REFUSED or dossier.outcome == Outcome.REFUSED
    if number == 4:
        return dossier.extended
    if number == 5:
        return dossier.state == DossierState.STOPPED
    return False


def available_forms(dossier: Dossier) -> list[tuple[int, str]]:
    """The forms that apply to the dossier now, as (number, title), in number order."""
    return [(number, title) for number, title in FORMS.items() if applies(dossier, number)]


def filename(dossier: Dossier, number: int) -> str:
    """ "mau-01-000.00.05.H99-251121-0001.pdf" (ASCII, safe in a Content-Disposition header)."""
    code = re.sub(r"[^A-Za-z0-9.\-]", "", dossier.public_code) or str(dossier.pk)
    return f"mau-{number:02d}-{code}.pdf"


def render_form(dossier: Dossier, number: int) -> bytes:
    """Form ``number`` of the dossier as PDF; Http404 when the form does not apply to it."""
    if number not in FORMS or not applies(dossier, number):
        raise Http404("form does not apply")
    dossier = (
        Dossier.objects.select_related(
            "agency", "agency__parent", "procedure", "received_by__department", "leader", "department"
        )
        .filter(pk=dossier.pk)
        .get()
    )
    context = letter_context(dossier, number)
    # 04 and 05 are official letters (``onestop.letters``): printed here they are the unsigned draft.
    context["draft"] = number in (4, 5)
    return _write(TEMPLATES + f"form_{number:02d}.html", context)


def letter_context(dossier: Dossier, number: int) -> dict:
    """What form ``number``'s template uses (the common header and the form's own content)."""
    context = _common(dossier, number)
    context.update(BUILDERS[number](dossier))
    return context


def head_signer_user(dossier: Dossier, number: int):
    """The leader who signs the dossier's letter (04, 05) as ``_head_signer`` picks: the one who moved the
    appointment (04) or stopped it (05), else the dossier's leader; None when neither is a leader."""
    entry = _history(dossier, "extend" if number == 4 else "stop")
    for user in (entry.actor if entry else None, dossier.leader):
        if user is not None and user.has_role(Role.LEADER) and user.agency_id == dossier.agency_id:
            return user
    return None


# ---- text --------------------------------------------------------------------------------------------------


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text or "").strip()


def _local(value: datetime | None) -> datetime | None:
    return timezone.localtime(value) if value else None


def date_words(value: datetime | None) -> str:
    """ "05 tháng 3 năm 2026" (Decree 30: day below 10 and months 1–2 with a leading zero)."""
    value = _local(value)
    if value is None:
        return ""
    month = f"{value.month:02d}" if value.month <= 2 else str(value.month)
    return f"{value.day:02d} tháng {month} năm {value.year}"


def day_text(value: datetime | None) -> str:
    """ "ngày 05 tháng 3 năm 2026"."""
    return f"ngày {date_words(value)}" if value else ""


def when_text(value: datetime | None) -> str:
    """ "17 giờ 00 phút, ngày 26 tháng 11 năm 2025"."""
    local = _local(value)
    if local is None:
        return ""
    return f"{local.hour:02d} giờ {local.minute:02d} phút, {day_text(local)}"


def lines(text: str) -> list[str]:
    """The non-empty lines of a free text, without the bullets or numbers people type in front."""
    out = []
    for line in _nfc(text).splitlines():
        line = re.sub(r"^\s*(?:[-–—•+*]|\d{1,2}[.)])\s*", "", line).strip()
        if line:
            out.append(line)
    return out


# ---- contexts ----------------------------------------------------------------------------------------------


@dataclass
class Signer:
    titles: list[str]
    name: str
    hint: str = ""


def _history(dossier: Dossier, *actions: str):
    """The latest history row of one of ``actions`` (when the form's event happened, and who did it)."""
    from django.contrib.contenttypes.models import ContentType

    from workflow.models import HistoryEntry

    return (
        HistoryEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(Dossier), object_id=dossier.pk, action__in=actions
        )
        .select_related("actor")
        .order_by("-created_at", "-id")
        .first()
    )


SIGN_HINT = "(Ký và ghi rõ họ tên)"


def _person(user, title: str) -> Signer:
    return Signer(titles=[title], name=str(user) if user else "", hint=SIGN_HINT)


def _head_signer(*candidates) -> Signer:
    """The agency's leader who signs a letter (04, 05): ``KT. GIÁM ĐỐC / PHÓ GIÁM ĐỐC`` for a deputy;
    without a leader on the dossier, the title alone and room for the name."""
    for user in candidates:
        if user is None or not user.has_role(Role.LEADER):
            continue
        position = _nfc(user.position) or "Thủ trưởng cơ quan"
        if position.lower().startswith("phó "):
            chief = position[4:]
            return Signer(titles=[f"KT. {chief.upper()}", position.upper()], name=str(user))
        return Signer(titles=[position.upper()], name=str(user))
    return Signer(titles=["THỦ TRƯỞNG CƠ QUAN"], name="", hint="(Ký, ghi rõ họ tên và đóng dấu)")


def _parent_line(agency) -> str:
    from eoffice.output.header import parent_line

    return parent_line(agency.parent_name) if agency.parent_id else ""


def _config(agency) -> OnestopConfig:
    """The agency's counter settings, read only (an agency without them prints the defaults)."""
    config = OnestopConfig.objects.filter(agency=agency).first()
    return config or OnestopConfig(agency=agency, counter_address=agency.address, counter_phone=agency.phone)


def _common(dossier: Dossier, number: int) -> dict:
    agency = dossier.agency
    config = _config(agency)
    person = dossier.applicant_kind == ApplicantKind.PERSON
    counter = _nfc(config.counter_name) or "Bộ phận Tiếp nhận và Trả kết quả"
    return {
        "number": number,
        "title": str(FORMS[number]),
        "d": dossier,
        "code": dossier.public_code,
        "code_label": "Mã hồ sơ" if dossier.code else "Mã tham chiếu",
        "parent": _parent_line(agency),
        "agency_upper": _nfc(agency.name).upper(),
        "agency_name": _nfc(agency.name),
        "counter": counter,
        "counter_full": f"{counter} - {_nfc(agency.name)}",
        "counter_address": _nfc(config.counter_address) or _nfc(agency.address),
        "counter_phone": _nfc(config.counter_phone) or _nfc(agency.phone),
        "supplement_days": config.supplement_days,
        # "Ông/Bà" never split at the slash at the end of a line.
        "you": mark_safe(f'<span class="nowrap">{"Ông/Bà" if person else "Quý tổ chức"}</span>'),  # noqa: S308
        "addressee": dossier.applicant_name if not person else f"Ông/Bà {dossier.applicant_name}",
        "procedure_name": _nfc(dossier.procedure.name),
        "request": _nfc(dossier.summary) or _nfc(dossier.procedure.name),
    }


def _date_line(place: str, value: datetime | None) -> str:
    return f"{place}, {day_text(value or timezone.now())}"


def _form_01(dossier: Dossier) -> dict:
    url = tracking_url(dossier)
    person = dossier.applicant_kind == ApplicantKind.PERSON
    papers = [
        {"name": p.name, "kind": p.get_kind_display(), "quantity": p.quantity}
        for p in dossier.papers.filter(received=True, supplement__isnull=True).order_by("id")
    ]
    return {
        "date_line": _date_line(_nfc(dossier.agency.place_name), dossier.received_at),
        "papers": papers,
        "time_label": dossier.procedure.time_label,
        "fee": dossier.procedure.fee_amount,
        "fee_text": f"{dossier.procedure.fee_amount:,}".replace(",", ".") + " đồng",
        "fee_note": _nfc(dossier.procedure.fee_note),
        "received_text": when_text(dossier.received_at),
        "due_text": when_text(dossier.original_due_at or dossier.due_at),
        "result_name": _nfc(dossier.procedure.result_name),
        "tracking_url": url,
        "qr": mark_safe(qr_svg(url)),  # noqa: S308 - segno's SVG of our own URL
        "signers": [
            # An organisation's representative writes their own name.
            Signer(titles=["NGƯỜI NỘP HỒ SƠ"], name=dossier.applicant_name if person else "", hint=SIGN_HINT),
            _person(dossier.received_by, "NGƯỜI TIẾP NHẬN HỒ SƠ"),
        ],
    }


def _form_02(dossier: Dossier) -> dict:
    request = (
        dossier.supplements.select_related("requested_by__department")
        .order_by("-requested_at", "-id")
        .first()
    )
    if dossier.state == DossierState.INCOMPLETE or request is None:
        entry = _history(dossier, "ask_complete")
        at = entry.created_at if entry else dossier.submitted_at
        by = dossier.received_by or (entry.actor if entry else None)
        items, paused_at = lines(dossier.missing_papers), None
    else:
        at, by, items = request.requested_at, request.requested_by, lines(request.content)
        paused_at = request.requested_at
    return {
        "date_line": _date_line(_nfc(dossier.agency.place_name), at),
        "items": items,
        "during_processing": paused_at is not None,
        "paused_text": when_text(paused_at),
        "received_text": when_text(dossier.received_at),
        "answered": bool(request and request.answered_at and paused_at),
        "answered_text": when_text(request.answered_at) if request and request.answered_at else "",
        "signers": [_person(by, "NGƯỜI HƯỚNG DẪN")],
        "guide_name": str(by) if by else "",
        "guide_unit": by.department.name if by and by.department_id else "",
        "guide_phone": _nfc(by.phone) if by else "",
    }


def _form_03(dossier: Dossier) -> dict:
    at_reception = dossier.state == DossierState.REFUSED
    entry = _history(dossier, "refuse_reception" if at_reception else "refuse")
    at = entry.created_at if entry else (dossier.resolved_at or dossier.submitted_at)
    if at_reception:
        signer = _person(dossier.received_by or (entry.actor if entry else None), "NGƯỜI TIẾP NHẬN")
    else:
        actor = entry.actor if entry else None
        title = (_nfc(actor.position) if actor else "") or "Người xử lý hồ sơ"
        signer = _person(actor, title.upper())
    return {
        "date_line": _date_line(_nfc(dossier.agency.place_name), at),
        "at_reception": at_reception,
        "reasons": lines(dossier.refusal_reason),
        "received_text": when_text(dossier.received_at),
        "signers": [signer],
    }


def _form_04(dossier: Dossier) -> dict:
    entry = _history(dossier, "extend")
    at = entry.created_at if entry else timezone.now()
    old = None
    if entry and entry.data.get("old"):
        old = datetime.fromisoformat(entry.data["old"])
    new = datetime.fromisoformat(entry.data["new"]) if entry and entry.data.get("new") else dossier.due_at
    return {
        "date_line": _date_line(_nfc(dossier.agency.place_name), at),
        "number_line": f"Số:        /{_nfc(dossier.agency.abbreviation)}",
        "subject": "V/v xin lỗi và đề nghị gia hạn thời gian giải quyết hồ sơ",
        "received_day": date_words(dossier.received_at),
        "old_text": when_text(old or dossier.original_due_at),
        "new_text": when_text(new),
        "reasons": lines(dossier.extension_reason),
        "signer": _head_signer(entry.actor if entry else None, dossier.leader),
    }


def _form_05(dossier: Dossier) -> dict:
    entry = _history(dossier, "stop")
    at = entry.created_at if entry else timezone.now()
    return {
        "date_line": _date_line(_nfc(dossier.agency.place_name), at),
        "number_line": f"Số:        /TB-{_nfc(dossier.agency.abbreviation)}",
        "received_day": date_words(dossier.received_at),
        "due_text": when_text(dossier.due_at),
        "stopped_day": day_text(at),
        "reasons": lines(dossier.stop_reason),
        "signer": _head_signer(entry.actor if entry else None, dossier.leader),
    }


def _side(user, name: str, department) -> tuple[str, str]:
    """(person, unit) of one side of a hand-off."""
    person = str(user) if user else _nfc(name)
    unit = ""
    if department is not None:
        unit = department.name
    elif user is not None and user.department_id:
        unit = user.department.name
    return person, unit


def _form_06(dossier: Dossier) -> dict:
    steps = list(
        dossier.steps.select_related(
            "giver", "giver__department", "receiver", "receiver__department", "receiver_department"
        ).order_by("started_at", "id")
    )
    rows = []
    for index, step in enumerate(steps):
        giver, giver_unit = _side(step.giver, step.giver_name, None)
        if index == 0 and step.giver_id is None:
            giver_unit = "Tổ chức, cá nhân nộp hồ sơ"
        receiver, receiver_unit = _side(step.receiver, "", step.receiver_department)
        previous = steps[index - 1] if index else None
        notes = [step.name]
        if step.note:
            notes.append(_nfc(step.note))
        rows.append(
            {
                "giver": giver,
                "giver_unit": giver_unit,
                "receiver": receiver,
                "receiver_unit": receiver_unit,
                "at": when_text(step.started_at),
                # The result of a hand-off is how the giver's own step ended (the one finishing now).
                "timing": previous.get_timing_display() if previous and previous.timing else "",
                "late": bool(previous and previous.timing == Timing.LATE),
                "notes": notes,
            }
        )
    if dossier.returned_at:
        last = steps[-1] if steps else None
        unit = last.receiver_department.name if last and last.receiver_department_id else ""
        entry = _history(dossier, "hand_over")
        rows.append(
            {
                "giver": str(entry.actor) if entry and entry.actor else "",
                "giver_unit": unit or "Bộ phận Tiếp nhận và Trả kết quả",
                "receiver": _nfc(dossier.returned_to),
                "receiver_unit": "Tổ chức, cá nhân nộp hồ sơ",
                "at": when_text(dossier.returned_at),
                "timing": dossier.get_timing_display() if dossier.timing else "",
                "late": dossier.timing == Timing.LATE,
                "notes": ["Trả kết quả giải quyết hồ sơ"],
            }
        )
    closing = []
    if dossier.resolved_at:
        timing = f" ({dossier.get_timing_display().lower()})" if dossier.timing else ""
        closing.append(f"Hồ sơ có kết quả giải quyết lúc {when_text(dossier.resolved_at)}{timing}.")
    if dossier.state == DossierState.STOPPED:
        entry = _history(dossier, "stop")
        closing.append(f"Dừng giải quyết hồ sơ lúc {when_text(entry.created_at if entry else None)}.")
    return {
        "date_line": _date_line(_nfc(dossier.agency.place_name), dossier.received_at),
        "rows": rows,
        "closing": closing,
        "handling_unit": dossier.department.name if dossier.department_id else "",
        "received_text": when_text(dossier.received_at),
        "due_text": when_text(dossier.due_at),
    }


BUILDERS = {1: _form_01, 2: _form_02, 3: _form_03, 4: _form_04, 5: _form_05, 6: _form_06}


# ---- rendering ---------------------------------------------------------------------------------------------


def _write(template: str, context: dict) -> bytes:
    from eoffice.output import pdf as output_pdf

    return output_pdf.write(
        render_to_string(template, context),
        stylesheets=[output_pdf.header_stylesheet(), output_pdf.stylesheet(STYLESHEET)],
    )
