"""The applicant's emails: one per event of their dossier, with the tracking link and, when the event has
one, the printed form as a PDF attachment (``EVENT_FORMS``). Forms 04 and 05 are official letters
(``onestop.letters``): only the issued, signed letter is attached, by its own e-mail sent when it is issued
(``letter_04``, ``letter_05``); the e-mail of the event itself carries no unsigned draft."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from eoffice.notifications import send_email, subject_line

from .models import ApplicantKind, Dossier
from .pdf import filename, render_form, tracking_url, when_text

__all__ = ["EVENT_FORMS", "applicant_send", "build", "subject_and_body", "tracking_url"]

logger = logging.getLogger(__name__)

# The form each event sends (TT 03/2025/TT-VPCP, Phụ lục I); a supplement asked during processing is sent
# as form 02 with the latest request.
EVENT_FORMS = {
    "received": 1,
    "incomplete": 2,
    "refused_reception": 3,
    "supplement": 2,
    "extended": 4,
    "stopped": 5,
    "refused": 3,
    "letter_04": 4,
    "letter_05": 5,
}


def _items(text: str) -> str:
    rows = [line.strip() for line in (text or "").splitlines() if line.strip()]
    return "\n".join(f"  - {line.lstrip('-–•* ').strip()}" for line in rows)


def subject_and_body(dossier: Dossier, event: str) -> tuple[str, str]:
    code = dossier.public_code
    lines = {
        "submitted": _(
            "%(agency)s đã nhận hồ sơ “%(name)s” %(you)s gửi trực tuyến. Mã tham chiếu: %(code)s.\n"
            "Bộ phận Tiếp nhận và Trả kết quả sẽ kiểm tra hồ sơ và thông báo kết quả tiếp nhận qua thư này."
        ),
        "received": _(
            "Hồ sơ “%(name)s” của %(you)s đã được tiếp nhận.\n"
            "Mã hồ sơ: %(code)s\n"
            "Ngày hẹn trả kết quả: %(due)s.\n\n"
            "Giấy tiếp nhận hồ sơ và hẹn trả kết quả được gửi kèm thư này."
        ),
        "incomplete": _(
            "Hồ sơ “%(name)s” của %(you)s chưa đầy đủ, chưa hợp lệ. "
            "Đề nghị %(you)s bổ sung, hoàn thiện các nội dung sau:\n%(missing)s\n\n"
            "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ được gửi kèm thư này."
        ),
        "refused_reception": _(
            "Hồ sơ “%(name)s” của %(you)s không được tiếp nhận giải quyết. Lý do:\n%(reason)s\n\n"
            "Phiếu từ chối tiếp nhận giải quyết hồ sơ được gửi kèm thư này."
        ),
        "supplement": _(
            "Trong quá trình giải quyết hồ sơ %(code)s (“%(name)s”), %(agency)s đề nghị %(you)s bổ sung, "
            "hoàn thiện các nội dung sau:\n%(supplement)s\n\n"
            "Thời gian giải quyết hồ sơ tạm dừng cho đến khi %(you)s nộp đủ nội dung bổ sung. "
            "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ được gửi kèm thư này."
        ),
        "extended": _(
            "Hồ sơ %(code)s (“%(name)s”) chưa thể trả kết quả đúng hẹn. Lý do:\n%(extension)s\n\n"
            "%(agency)s xin lỗi %(you)s vì sự chậm trễ này. Ngày hẹn mới: %(due)s.\n\n"
            "Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết sẽ được gửi tới %(you)s "
            "khi được ký ban hành."
        ),
        "resolved": _(
            "Hồ sơ %(code)s (“%(name)s”) đã có kết quả giải quyết. "
            "Mời %(you)s đến Bộ phận Tiếp nhận và Trả kết quả để nhận kết quả; khi đến vui lòng mang theo "
            "Giấy tiếp nhận hồ sơ và hẹn trả kết quả."
        ),
        "refused": _(
            "Hồ sơ %(code)s (“%(name)s”) không được giải quyết. Lý do:\n%(reason)s\n\n"
            "Mời %(you)s đến Bộ phận Tiếp nhận và Trả kết quả để nhận lại hồ sơ. "
            "Phiếu nêu rõ lý do được gửi kèm thư này."
        ),
        "stopped": _(
            "%(agency)s đã dừng giải quyết hồ sơ %(code)s (“%(name)s”). Lý do:\n%(stop)s\n\n"
            "Thông báo dừng giải quyết hồ sơ sẽ được gửi tới %(you)s khi được ký ban hành."
        ),
        "letter_04": _(
            "%(agency)s gửi %(you)s Văn bản xin lỗi và đề nghị gia hạn thời gian giải quyết hồ sơ %(code)s "
            "(“%(name)s”), số %(letter)s, kèm theo thư này. Ngày hẹn mới: %(due)s."
        ),
        "letter_05": _(
            "%(agency)s gửi %(you)s Thông báo dừng giải quyết hồ sơ %(code)s (“%(name)s”), số %(letter)s, "
            "kèm theo thư này."
        ),
    }
    if event not in lines:
        raise ValueError(event)
    supplement = dossier.supplements.order_by("-requested_at", "-id").first()
    person = dossier.applicant_kind == ApplicantKind.PERSON
    body = lines[event] % {
        "agency": dossier.agency.name,
        "name": dossier.procedure.name,
        "code": code,
        "you": _("Ông/Bà") if person else _("Quý tổ chức"),
        "due": when_text(dossier.due_at),
        "missing": _items(dossier.missing_papers),
        "reason": _items(dossier.refusal_reason),
        "supplement": _items(supplement.content) if supplement else "",
        "extension": _items(dossier.extension_reason),
        "stop": _items(dossier.stop_reason),
        "letter": _letter_number(dossier, event),
    }
    subject = subject_line(_("[%(agency)s] Hồ sơ %(code)s") % {"agency": dossier.agency.name, "code": code})
    link = _("Tra cứu tình trạng hồ sơ: %(url)s") % {"url": tracking_url(dossier)}
    signature = _("Bộ phận Tiếp nhận và Trả kết quả - %(agency)s") % {"agency": dossier.agency.name}
    addressee = _("Ông/Bà %(name)s") % {"name": dossier.applicant_name} if person else dossier.applicant_name
    greeting = _("Kính gửi %(name)s,") % {"name": addressee}
    note = _("Thư này được gửi tự động, vui lòng không trả lời.")
    return subject, f"{greeting}\n\n{body}\n\n{link}\n\n{signature}\n{note}\n"


def _letter_number(dossier: Dossier, event: str) -> str:
    if not event.startswith("letter_"):
        return ""
    from .letters import issued_letter

    letter = issued_letter(dossier, event.removeprefix("letter_"))
    return letter.outgoing.number_symbol if letter else ""


def attachment(dossier: Dossier, event: str) -> tuple[str, bytes] | None:
    """The form of ``event`` as (file name, PDF), or None when the event has none or it does not apply.
    Forms 04 and 05: the issued letter's signed PDF only (never the unsigned draft)."""
    number = EVENT_FORMS.get(event)
    if number is None:
        return None
    if number in (4, 5):
        from .letters import issued_file

        signed = issued_file(dossier, number)
        if signed is None:
            return None
        with signed.open("rb") as handle:
            return filename(dossier, number), handle.read()
    try:
        return filename(dossier, number), render_form(dossier, number)
    except Http404:
        return None


def build(dossier_id: int, event: str) -> EmailMessage | None:
    dossier = Dossier.objects.select_related("procedure", "agency").filter(pk=dossier_id).first()
    if dossier is None or not dossier.applicant_email:
        return None
    subject, body = subject_and_body(dossier, event)
    message = EmailMessage(subject=subject, body=body, to=[dossier.applicant_email])
    try:
        form = attachment(dossier, event)
    except Exception:  # the email still goes, without the form, rather than not at all
        logger.exception("onestop: form of %s for dossier %s not rendered", event, dossier_id)
        form = None
    if form is not None:
        message.attach(form[0], form[1], "application/pdf")
    return message


def applicant_send(*, dossier_id: int, event: str) -> bool:
    """Send the applicant's email of ``event`` (run by ``onestop.tasks.send_applicant_email``)."""
    with translation.override(settings.LANGUAGE_CODE):
        message = build(dossier_id, event)
        if message is None:
            return False
        sent = send_email(message, source=f"onestop.{event}")
    if sent:
        logger.info("onestop: applicant email %s sent for dossier %s", event, dossier_id)
    return sent
