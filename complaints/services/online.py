"""The online filing from the public pages (/don-thu/): a citizen whose e-mail address was confirmed by a
one-time code (``eoffice.otp``, checked by the caller) files a petition, feedback, complaint or
denunciation. It becomes a letter of the sổ xử lý đơn (source ONLINE, no receiving officer until one takes
it: ``letter_take``), its people encrypted, its papers checked by content, and one case whose code the
citizen tracks. The confirmation e-mail carries the code and the state only, never the identity."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from complaints import rules
from complaints.models import Case, CaseKind, Field, Source
from complaints.services.common import case_history
from complaints.services.identity import PersonInput
from complaints.services.letters import ContentInput, letter_register
from eoffice.models import Agency, User
from eoffice.notifications import subject_line
from eoffice.services import notify
from workflow.models import ACTIONS, ActionInfo

logger = logging.getLogger(__name__)

# The timeline's title of this module's event that registry.ACTION_LABELS does not name.
ACTIONS.setdefault("online_filed", ActionInfo(gettext_lazy("Đơn gửi trực tuyến")))

__all__ = [
    "filed_email_send",
    "OTP_PURPOSE",
    "filed_email",
    "online_agencies",
    "online_submit",
    "tracking_url",
]

OTP_PURPOSE = "complaints"
CONTENT_MAX = 10000


def online_agencies():
    """The agencies that take letters online: active, with complaint settings or an inspectorate."""
    return (
        Agency.objects.filter(is_active=True)
        .filter(
            Q(complaint_settings__isnull=False)
            | Q(
                departments__abbreviation=rules.INSPECTORATE_ABBREVIATION,
                departments__is_active=True,
            )
        )
        .distinct()
        .order_by("name")
    )


def _officers(agency_id: int) -> list[User]:
    config = rules.settings_for(agency_id)
    unit = rules.department_id(agency_id, config)
    q = Q(department_id=unit) if unit else Q(pk__in=[])
    if config.pk:
        q |= Q(pk__in=config.officers.values("pk"))
    return list(User.objects.filter(q, agency_id=agency_id, is_active=True).order_by("pk"))


def online_submit(
    *,
    agency: Agency,
    kind: str,
    email: str,
    person: PersonInput,
    content: str,
    field: str = Field.OTHER,
    subject: str = "",
    protected: bool = False,
    publish_consent: bool = False,
    files=(),
    papers=(),
) -> Case:
    """File a letter online for ``agency`` (the caller confirmed ``email``): the letter (source ONLINE,
    received today, no receiving officer), its one person (encrypted; protected when asked), its scans
    (``files`` the letter, ``papers`` what goes with it; PDF/PNG/JPEG checked by content) and one case.
    The agency's officers are told (code and kind only); the citizen gets the code by e-mail."""
    if not online_agencies().filter(pk=agency.pk).exists():
        raise ValidationError(_("Cơ quan này chưa tiếp nhận đơn trực tuyến."), code="agency")
    if kind not in CaseKind.values:
        raise ValidationError(_("Vui lòng chọn loại đơn."), code="bad_kind")
    if field not in Field.values:
        raise ValidationError(_("Lĩnh vực không hợp lệ."), code="bad_field")
    email = (email or "").strip().lower()
    if not email:
        raise ValidationError(_("Cần địa chỉ thư điện tử đã xác thực."), code="no_email")
    content = (content or "").strip()
    if not content:
        raise ValidationError(_("Vui lòng nhập nội dung đơn."), code="no_content")
    if len(content) > CONTENT_MAX:
        raise ValidationError(
            _("Nội dung đơn dài tối đa %(n)d ký tự; tài liệu dài hãy tải lên dưới dạng tệp.")
            % {"n": CONTENT_MAX},
            code="too_long",
        )
    if not files and not papers and len(content) < 20:
        raise ValidationError(_("Vui lòng trình bày rõ nội dung đơn."), code="too_short")
    person = PersonInput(
        name=person.name,
        id_number=person.id_number,
        address=person.address,
        phone=person.phone,
        email=email,
        note=person.note,
        protected=bool(protected),
    )
    petition = kind in (CaseKind.PETITION, CaseKind.FEEDBACK)
    with transaction.atomic():
        letter = letter_register(
            by=None,
            agency=agency,
            received_on=timezone.localdate(),
            source=Source.ONLINE,
            summary=content[:1000],
            people=[person],
            contents=[ContentInput(kind=kind, content=content, field=field, subject=subject)],
            files=files,
            papers=papers,
            protected=bool(protected),
        )
        case = Case.objects.select_for_update().get(letter=letter, order=1)
        if petition and publish_consent:
            case.publish_consent = True
            case.save(update_fields=["publish_consent"])
        case_history(
            case=case,
            by=None,
            action="online_filed",
            comment=_("Đơn gửi trực tuyến, thư điện tử đã xác thực"),
            data={"protected": case.protected, "publish_consent": case.publish_consent},
        )
        notify(
            recipients=_officers(agency.pk),
            kind="complaints.case",
            title=_("Đơn trực tuyến mới: %(kind)s %(code)s")
            % {"kind": case.get_kind_display().lower(), "code": case.code},
            body=_("Đơn chưa có cán bộ nhận xử lý."),
            url=letter.get_absolute_url(),
        )
        case_id = case.pk
        _queue_filed_email(case_id, email)  # in the outbox, with the case (eoffice.outbox)
    return case


def _queue_filed_email(case_id: int, email: str) -> None:
    from complaints.tasks import send_filed_email
    from eoffice.outbox import enqueue

    # The worker needs the address; the worker's log lines, its events and monitors show the outbox's
    # redacted ``argsrepr`` "(id, '…')" instead (the address of a person who may be a protected denouncer),
    # and the outbox row drops it once sent.
    enqueue(send_filed_email, args=(case_id, email))


def filed_email_send(*, case_id: int, email: str) -> bool:
    """Send the filing confirmation (run by the task ``complaints.tasks.send_filed_email``). It holds a
    tracking code: not kept when it fails, no log line names the address; a mail server away raises."""
    case = Case.objects.select_related("agency", "letter").filter(pk=case_id).first()
    if case is None:
        return False
    try:
        filed_email(case, email).send(fail_silently=False)
    except (ConnectionError, TimeoutError):
        raise  # the mail server is away: retried (the exception names no address)
    except Exception as exc:  # a refused address, a bad header … (messages that may name the address)
        logger.warning(
            "complaints: filing confirmation not sent (case %s): %s", case_id, exc.__class__.__name__
        )
        return False
    return True


def tracking_url(code: str) -> str:
    from urllib.parse import urlencode

    return f"{settings.EOFFICE_BASE_URL}{reverse('complaints_public:track')}?{urlencode({'code': code})}"


def filed_email(case: Case, email: str) -> EmailMessage:
    """The confirmation: the code, the kind, the agency and the state — nobody's name, not even the
    sender's (a protected denouncer's mailbox may be read by others)."""
    with translation.override(settings.LANGUAGE_CODE):
        subject = subject_line(
            _("[%(agency)s] Đơn gửi trực tuyến — mã tra cứu %(code)s")
            % {"agency": case.agency.name, "code": case.code}
        )
        body = _(
            "Kính gửi Ông/Bà,\n\n"
            "%(agency)s đã nhận đơn (%(kind)s) Ông/Bà gửi trực tuyến ngày %(day)s.\n"
            "Mã tra cứu: %(code)s\n"
            "Tình trạng: %(state)s\n\n"
            "Tra cứu tình trạng giải quyết: %(url)s\n\n"
            "Hãy giữ mã tra cứu; cơ quan không gửi lại mã này.\n"
            "Thư này được gửi tự động, vui lòng không trả lời."
        ) % {
            "agency": case.agency.name,
            "kind": case.get_kind_display().lower(),
            "day": case.letter.received_on.strftime("%d/%m/%Y"),
            "code": case.code,
            "state": case.get_state_display(),
            "url": tracking_url(case.code),
        }
    return EmailMessage(subject=subject, body=body, to=[email])
