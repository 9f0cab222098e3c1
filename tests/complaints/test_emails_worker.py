"""The public side's e-mails through a REAL Celery worker (a subprocess on this test's database and Redis,
started like tests/workflow/test_celery_e2e.py, writing with Django's file-based e-mail backend to a folder
of the test): a citizen asks for a one-time code, confirms the address and files a protected denunciation
on /don-thu/; the worker delivers the code e-mail (``eoffice.tasks.send_code_email``) and the filing
confirmation (``complaints.tasks.send_filed_email``) once each; neither names anyone — not the citizen,
not the people of the cases already in the register — nor carries another case's code; the officers'
notification e-mails name nobody either, and the worker's log holds no identity."""

from __future__ import annotations

import email
import re
import time
from email import policy
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from complaints.models import Case, CaseKind
from complaints.services.identity import PersonInput
from eoffice.models import NotificationPreference
from tests.complaints.conftest import COMPLAINANT, DENOUNCER, make_case
from tests.worker import celery_worker

# Run alone, after the parallel step (tests/run_suite.sh): a real worker must not take other tests' tasks.
pytestmark = [
    pytest.mark.celery,
    pytest.mark.django_db(transaction=True),
    pytest.mark.realworker,
]
SUBMIT = reverse("complaints_public:submit")
SEPARATOR = b"\n" + b"-" * 79 + b"\n"  # what Django's file-based backend writes after each message
CITIZEN = PersonInput(
    name="Vũ Thị Công Dân",
    id_number="001195067890",
    address="Số 5 phố Huế, Hai Bà Trưng, Hà Nội",
    phone="0901234567",
    email="congdan@example.vn",
)
SENTINEL = "lan-cuoi@example.vn"


def identity_of(person: PersonInput) -> dict[str, str]:
    return {
        "name": person.name,
        "ID number": person.id_number,
        "address": person.address,
        "phone": person.phone,
        "e-mail": person.email,
    }


@pytest.fixture
def mail_dir(tmp_path) -> Path:
    path = tmp_path / "mail"
    path.mkdir()
    return path


@pytest.fixture
def worker(settings, tmp_path, mail_dir):
    """A real Celery worker on the default queue, sharing the test database and Redis, sending e-mail as
    files into ``mail_dir``."""
    from django.core.cache import cache

    from complaints.public.views import LIMITS
    from eoffice.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    assert not app.conf.task_always_eager
    app.control.purge()  # tasks left in this Redis database by an earlier run are not ours
    # This test's client address starts with fresh public rate limits (the realworker tests share the cache).
    cache.delete_many([f"ratelimit:complaints:public:{bucket}:127.0.0.1" for bucket in LIMITS])
    env = {
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(mail_dir),
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    with celery_worker(log_path=tmp_path / "worker.log", env=env) as proc:
        yield proc


def worker_log(worker) -> str:
    worker.log.flush()
    worker.log.seek(0)
    return worker.log.read()


def delivered(mail_dir: Path) -> list[email.message.EmailMessage]:
    """Every message the worker wrote, complete ones only (each is followed by the backend's separator)."""
    messages = []
    for path in sorted(mail_dir.glob("*.log")):
        chunks = path.read_bytes().split(SEPARATOR)
        for chunk in chunks[:-1]:  # the last piece is what follows the last complete message
            if chunk.strip():
                messages.append(email.message_from_bytes(chunk.lstrip(b"\n"), policy=policy.default))
    return messages


def to(message) -> list[str]:
    return [a.addr_spec for a in message["To"].addresses]


def text_of(message) -> str:
    """What a reader sees: the subject and every text part, decoded."""
    parts = [str(message["Subject"])]
    for part in message.walk():
        if part.get_content_maintype() == "text":
            parts.append(part.get_content())
    return "\n".join(parts)


def wait_for(worker, mail_dir: Path, what: str, found) -> list:
    """The delivered messages once ``found(messages)`` holds; fails with the worker's log when the worker
    exits or nothing comes within 120 s (worker start-up on a loaded 2-core machine)."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        messages = delivered(mail_dir)
        if found(messages):
            return messages
        if worker.poll() is not None:
            pytest.fail(f"worker exited before {what}:\n" + worker_log(worker)[-4000:])
        time.sleep(0.3)
    pytest.fail(f"no {what} within 120 s:\n" + worker_log(worker)[-4000:])


def scan_pdf() -> SimpleUploadedFile:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (120, 160), (250, 250, 250)).save(buf, format="PDF")
    return SimpleUploadedFile("don.pdf", buf.getvalue(), content_type="application/pdf")


@pytest.fixture
def published():
    """(task name, headers) of every task message this process sends (``before_task_publish``)."""
    from celery.signals import before_task_publish

    seen: list[tuple[str, dict]] = []

    def record(sender=None, headers=None, **kwargs):
        seen.append((sender, headers or {}))

    before_task_publish.connect(record, weak=False)
    yield seen
    before_task_publish.disconnect(record)


def test_code_and_filing_emails_are_delivered_once_by_a_real_worker(worker, mail_dir, published, org, client):
    # The register already holds a protected denunciation and an ordinary complaint of other people.
    others = [
        make_case(org, kind=CaseKind.DENUNCIATION, people=[DENOUNCER]),
        make_case(org, people=[COMPLAINANT]),
    ]
    # The officers told of a new online letter also want it by e-mail (the worker sends those too).
    for officer in (org["reception"], org["verifier"], org["chief"]):
        NotificationPreference.objects.update_or_create(
            user=officer, kind="complaints.case", defaults={"email": True}
        )

    assert client.post(SUBMIT, {"action": "send", "email": CITIZEN.email}).status_code == 302
    messages = wait_for(worker, mail_dir, "code e-mail", lambda ms: any(to(m) == [CITIZEN.email] for m in ms))
    (code_mail,) = [m for m in messages if to(m) == [CITIZEN.email]]
    code = re.search(r"\b(\d{6})\b", text_of(code_mail)).group(1)
    assert client.post(SUBMIT, {"action": "verify", "code": code}).status_code == 302

    response = client.post(
        SUBMIT,
        {
            "action": "submit",
            "agency": org["agency"].pk,
            "kind": CaseKind.DENUNCIATION,
            "name": CITIZEN.name,
            "id_number": CITIZEN.id_number,
            "address": CITIZEN.address,
            "phone": CITIZEN.phone,
            "field": "land",
            "subject": "Cán bộ địa chính xã nhận tiền để cấp giấy chứng nhận",
            "content": "Tố cáo cán bộ địa chính xã nhận tiền để cấp giấy chứng nhận quyền sử dụng đất.",
            "letter_scan": scan_pdf(),
            "protected": "on",
            "pledge": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    case = Case.objects.exclude(pk__in=[c.pk for c in others]).get()
    assert case.protected
    wait_for(
        worker,
        mail_dir,
        "filing confirmation",
        lambda ms: any(to(m) == [CITIZEN.email] and case.code in str(m["Subject"]) for m in ms),
    )

    # A last e-mail through the same queue: once it is delivered, the worker (one process, one task at a
    # time, in order) has run every task queued before it — a second copy of either would be here.
    assert client.post(SUBMIT, {"action": "send", "email": SENTINEL}).status_code == 302
    messages = wait_for(worker, mail_dir, "last code e-mail", lambda ms: any(to(m) == [SENTINEL] for m in ms))

    mine = [m for m in messages if CITIZEN.email in to(m)]
    assert len(mine) == 2, ([str(m["Subject"]) for m in mine], worker_log(worker)[-3000:])
    codes = [m for m in mine if "Mã xác thực" in str(m["Subject"])]
    filed = [m for m in mine if case.code in str(m["Subject"])]
    assert len(codes) == 1 and len(filed) == 1
    assert code in text_of(codes[0])
    body = text_of(filed[0])
    assert case.code in body and "tố cáo" in body
    assert f"?code={case.code}" in body  # the tracking link

    # Nobody's identity in any e-mail the worker sent (the officers' notifications included), no other
    # case's code in the citizen's; the recipient's own address appears only as its recipient.
    officers = [m for m in messages if m not in mine and to(m) != [SENTINEL]]
    assert officers and {a for m in officers for a in to(m)} >= {
        org["reception"].email,
        org["verifier"].email,
    }
    for message in messages:
        text = text_of(message)
        for person in (CITIZEN, DENOUNCER, COMPLAINANT):
            for label, value in identity_of(person).items():
                assert value not in text, (str(message["Subject"]), person.name, label)
    for message in mine:
        assert not any(other.code in text_of(message) for other in others)
        assert message["Cc"] is None and message["Bcc"] is None

    # What the worker's log lines, its events and monitors show of a task's arguments (``argsrepr``) holds
    # neither the address nor the code.
    assert {"eoffice.otp.send_code_email", "complaints.public.send_filed_email"} <= {n for n, _h in published}
    for _name, h in published:
        assert CITIZEN.email not in h.get("argsrepr", "") and code not in h.get("argsrepr", ""), h

    # The worker's log names nobody (no task argument, no address, no code).
    log = worker_log(worker)
    assert "send_filed_email" in log and "send_code_email" in log
    for person in (CITIZEN, DENOUNCER, COMPLAINANT):
        for label, value in identity_of(person).items():
            assert value not in log, (person.name, label)
    assert not re.search(rf"\b{code}\b", log)
