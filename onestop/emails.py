"""The applicant's emails: one per event of their dossier, with the tracking link (and the form, when the
event has one)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from .models import Dossier


def tracking_url(dossier: Dossier) -> str:
    return f"{settings.EOFFICE_BASE_URL}{reverse('onestop_public:track')}?code={dossier.public_code}"


def _when(value) -> str:
    return timezone.localtime(value).strftime("%H giờ %M, ngày %d/%m/%Y") if value else ""


def subject_and_body(dossier: Dossier, event: str) -> tuple[str, str]:
    name = dossier.procedure.name
    code = dossier.public_code
    lines = {
        "submitted": _(
            "Hồ sơ “%(name)s” đã được gửi. Mã tham chiếu: %(code)s. "
            "Bộ phận một cửa sẽ kiểm tra và báo kết quả tiếp nhận."
        ),
        "received": _(
            "Hồ sơ “%(name)s” đã được tiếp nhận. Mã hồ sơ: %(code)s. Ngày hẹn trả kết quả: %(due)s."
        ),
        "incomplete": _("Hồ sơ “%(name)s” chưa đầy đủ. Vui lòng bổ sung, hoàn thiện: %(missing)s"),
        "refused_reception": _("Hồ sơ “%(name)s” không đủ điều kiện tiếp nhận. Lý do: %(reason)s"),
        "supplement": _(
            "Hồ sơ %(code)s cần bổ sung: %(supplement)s. "
            "Thời gian giải quyết tạm dừng cho đến khi bạn bổ sung."
        ),
        "extended": _(
            "Hồ sơ %(code)s chậm so với ngày hẹn. Lý do: %(extension)s. Ngày hẹn mới: %(due)s. "
            "Chúng tôi xin lỗi về sự chậm trễ."
        ),
        "resolved": _("Hồ sơ %(code)s đã có kết quả. Mời bạn đến nhận kết quả tại bộ phận một cửa."),
        "refused": _("Hồ sơ %(code)s không được giải quyết. Lý do: %(reason)s"),
        "stopped": _("Hồ sơ %(code)s đã dừng xử lý. Lý do: %(stop)s"),
    }
    if event not in lines:
        raise ValueError(event)
    supplement = dossier.supplements.order_by("-requested_at").first()
    body = lines[event] % {
        "name": name,
        "code": code,
        "due": _when(dossier.due_at),
        "missing": dossier.missing_papers,
        "reason": dossier.refusal_reason,
        "supplement": supplement.content if supplement else "",
        "extension": dossier.extension_reason,
        "stop": dossier.stop_reason,
    }
    subject = _("[%(agency)s] Hồ sơ %(code)s") % {"agency": dossier.agency.name, "code": code}
    link = f"{_('Tra cứu hồ sơ')}: {tracking_url(dossier)}"
    return subject, f"{_('Kính gửi')} {dossier.applicant_name},\n\n{body}\n\n{link}\n"


def build(dossier_id: int, event: str) -> EmailMessage | None:
    dossier = Dossier.objects.select_related("procedure", "agency").filter(pk=dossier_id).first()
    if dossier is None or not dossier.applicant_email:
        return None
    subject, body = subject_and_body(dossier, event)
    return EmailMessage(subject=subject, body=body, to=[dossier.applicant_email])
