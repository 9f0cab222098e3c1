"""The issue's §3 test: a protected denunciation (DENOUNCER) at every stage — registered with its scan and a
redacted copy, accepted with a verification team, suspended, resolved, closed, forwarded, kept, one in a unit
outside the inspectorate, and a protected visit — then every page of the module is walked as each role and
every response (HTML, JSON, PDF text, Excel/Word XML, headers) and every log line is grepped for the
denouncer's name, ID number, address, phone and e-mail: zero hits. The entitled (the reception officer who
took it, the decider) see them on the reveal page only.

The URLs are enumerated from the resolver (namespaces ``complaints`` and ``complaints_public``, the admin's
complaints pages, the shell pages), so pages added later are swept too. A failure names the URL, the role
and the value that leaked."""

from __future__ import annotations

import contextlib
import html
import io
import json
import logging
import re
import subprocess
import zipfile
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.mail import EmailMessage
from django.test import Client
from django.urls import NoReverseMatch, URLResolver, get_resolver, reverse
from django.utils import timezone

from complaints import services
from complaints.actions import CASE_ACTIONS
from complaints.models import (
    Case,
    CaseDocument,
    CaseKind,
    CaseMember,
    CaseState,
    CaseStep,
    Field,
    Identity,
    Letter,
    LetterFile,
    PublishedAnswer,
    ReceptionSession,
    Source,
    Stage,
    Visit,
)
from eoffice.models import Notification, NotificationPreference, Role, User
from eoffice.notifications import KINDS
from eoffice.search import fold
from tests.complaints.conftest import COMPLAINANT, DENOUNCER, make_case
from tests.complaints.redaction_helpers import NAME_BOX, letter_pdf, protected_letter
from tests.factories import make_user
from workflow.models import Assignment
from workflow.tasks import scan_reminders

pytestmark = pytest.mark.django_db

NEEDLES = {
    "name": DENOUNCER.name,
    "name (no diacritics)": fold(DENOUNCER.name),
    "ID number": DENOUNCER.id_number,
    "address": DENOUNCER.address,
    "phone": DENOUNCER.phone,
    "e-mail": DENOUNCER.email,
}
# Typed into search boxes: parts only, so that a page echoing the query does not count as a leak of the
# whole value, while a search that matched the protected person would show the case.
QUERIES = ["Bí Mật", DENOUNCER.id_number[:8], "Kim Mã"]
# "anonymous" walks the public pages (only them: the others are behind the login).
NOT_ENTITLED = [
    "anonymous",
    "verifier",
    "member",
    "chief",
    "head",
    "clerk",
    "officer",
    "other_b",
    "admin_a",
    "superuser",
]
ENTITLED = ["reception", "leader"]
SHELL = ["dashboard", "notifications", "notification_bell", "documents:search", "documents:search_export"]
PK_MODELS = {
    "cases": Case,
    "letters": Letter,
    "visits": Visit,
    "sessions": ReceptionSession,
    "identities": Identity,
    "files": LetterFile,
    "documents": CaseDocument,
    "steps": CaseStep,
    "answers": PublishedAnswer,
}
# The legal rules and forms hold no person: their changelists are swept, not each of their rows.
STATIC_ADMIN = ("complaints_legalrule", "complaints_legalform")
PART_MODELS = (CaseStep, CaseMember, CaseDocument, Identity, LetterFile)
PARAM = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")


# ---- the scenario ------------------------------------------------------------------------------------------


@pytest.fixture
def scene(org, mailoutbox, django_capture_on_commit_callbacks):
    """The scenario; what its transactions queue runs when each commits (the tasks eagerly), so that its
    notifications and every e-mail it sends are there to be read (``mailoutbox``)."""
    with django_capture_on_commit_callbacks(execute=True):
        built = _scene(org)
    built["online"] = _online_letter(org, django_capture_on_commit_callbacks)
    built["cases"].append(built["online"])
    return built


def _scene(org):
    kt = org["head"].department
    people = {
        **org,
        "member": make_user(
            agency=org["agency"], department=kt, roles=[Role.OFFICER], full_name="Ngô Văn Tổ"
        ),
        "admin_a": make_user(agency=org["agency"], roles=[Role.AGENCY_ADMIN], is_staff=True),
        "superuser": make_user(agency=org["agency"], roles=(), is_superuser=True, is_staff=True),
    }
    # Everyone wants every kind of notification by e-mail too: each notification is also an e-mail to read.
    NotificationPreference.objects.bulk_create(
        [NotificationPreference(user=u, kind=kind, email=True) for u in User.objects.all() for kind in KINDS],
        ignore_conflicts=True,
    )
    letter, scan = protected_letter(org)
    copy = services.letter_redact(source=scan, boxes=[NAME_BOX], by=org["reception"])
    cases = list(letter.cases.all())
    denunciation = {"kind": CaseKind.DENUNCIATION, "people": [DENOUNCER]}
    stages = [
        (CaseState.ACCEPTED, Stage.VERIFICATION),
        (CaseState.ACCEPTED, Stage.HANDLING),
        (CaseState.SUSPENDED, Stage.VERIFICATION),
        (CaseState.RESOLVED, Stage.DELIVERY),
        (CaseState.CLOSED, Stage.DONE),
        (CaseState.FORWARDED, Stage.DONE),
        (CaseState.KEPT, Stage.DONE),
    ]
    for state, stage in stages:
        cases.append(make_case(org, state=state, stage=stage, accepted_at=timezone.now(), **denunciation))
    # A case resolved by a unit outside the inspectorate, verified by one of its officers.
    outside = make_case(org, state=CaseState.ACCEPTED, stage=Stage.VERIFICATION, **denunciation)
    Case.objects.filter(pk=outside.pk).update(department=kt, handler=org["head"])
    cases.append(outside)
    for case in cases[:3] + [outside]:
        CaseMember.objects.get_or_create(
            case=case, user=people["member"], defaults={"role": CaseMember.Role.LEAD}
        )
        CaseMember.objects.get_or_create(
            case=case, user=org["verifier"], defaults={"role": CaseMember.Role.MEMBER}
        )
    # An ordinary complaint beside them (its complainant is not protected).
    make_case(org, people=[COMPLAINANT])
    # A protected visit at the reception office.
    visit = Visit.objects.create(
        agency=org["agency"],
        year=timezone.localdate().year,
        number=1,
        officer=org["reception"],
        kind=CaseKind.DENUNCIATION,
        content="Tố cáo cán bộ địa chính nhận tiền",
        protected=True,
        outcome=Visit.Outcome.values[0],
    )
    services.identities_add(people=[DENOUNCER], by=org["reception"], visit=visit)
    return {"people": people, "letter": letter, "scan": scan, "copy": copy, "cases": cases, "visit": visit}


def _online_letter(org, capture) -> Case:
    """The denouncer files a protected denunciation on /don-thu/ (the code e-mail, the filing confirmation,
    the officers told); the reception officer takes it and accepts it, the handler names a verification
    team (told of it), and its deadline passes (the reminders)."""
    public = Client()
    submit = reverse("complaints_public:submit")
    with capture(execute=True):
        assert public.post(submit, {"action": "send", "email": DENOUNCER.email}).status_code == 302
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    assert public.post(submit, {"action": "verify", "code": code}).status_code == 302
    data = {
        "action": "submit",
        "agency": org["agency"].pk,
        "kind": CaseKind.DENUNCIATION,
        "name": DENOUNCER.name,
        "id_number": DENOUNCER.id_number,
        "address": DENOUNCER.address,
        "phone": DENOUNCER.phone,
        "field": Field.LAND,
        "subject": "Cán bộ địa chính xã nhận tiền để cấp giấy chứng nhận",
        "content": "Tố cáo cán bộ địa chính xã nhận tiền để cấp giấy chứng nhận quyền sử dụng đất.",
        "letter_scan": SimpleUploadedFile("don.pdf", letter_pdf(pages=1), content_type="application/pdf"),
        "protected": "on",
        "pledge": "on",
    }
    with capture(execute=True):
        response = public.post(submit, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    case = Case.objects.get(letter__source=Source.ONLINE)
    member = User.objects.get(full_name="Ngô Văn Tổ")
    with capture(execute=True):
        services.letter_take(letter=case.letter, by=org["reception"])
        case = services.case_accept(case=case, by=org["reception"])
        case = services.case_verification_assign(
            case=case, by=org["reception"], lead=member, members=[org["verifier"]], note="Xác minh tại xã"
        )
    past = timezone.now() - timedelta(hours=1)
    Assignment.objects.filter(
        content_type=ContentType.objects.get_for_model(Case),
        object_id__in=Case.objects.filter(protected=True).values("pk"),
        status=Assignment.Status.OPEN,
    ).update(due_at=past, due_soon_at=past - timedelta(days=1))
    with capture(execute=True):
        scan_reminders.delay()
    return case


# ---- enumerating the pages ---------------------------------------------------------------------------------


def _walk(resolver, prefix="", namespace=()):
    for item in resolver.url_patterns:
        if isinstance(item, URLResolver):
            ns = (*namespace, item.namespace) if item.namespace else namespace
            yield from _walk(item, prefix + str(item.pattern), ns)
        else:
            yield ":".join(namespace), item.name, prefix + str(item.pattern)


def _ids(*models) -> list[int]:
    return sorted({pk for model in models for pk in model.objects.values_list("pk", flat=True)})


def _candidates(namespace: str, name: str, route: str, param: str, conv: str | None) -> list:
    if namespace == "admin":
        model = apps.get_model("complaints", name.split("_")[1])
        return [str(pk) for pk in model.objects.values_list("pk", flat=True)]
    if param == "pk":
        before = route.split(f"<{conv}:{param}>" if conv else f"<{param}>")[0].rstrip("/").rsplit("/", 1)[-1]
        model = PK_MODELS.get(before)
        return _ids(model) if model else _ids(*PK_MODELS.values())
    if param == "action":
        return list(CASE_ACTIONS.actions)
    if param in ("fmt", "format", "ext"):
        return ["pdf", "xlsx", "json", "csv", "docx", "html"]
    if conv == "int":  # a part of a record: the first row of each kind it could be
        firsts = [model.objects.order_by("pk").values_list("pk", flat=True).first() for model in PART_MODELS]
        return sorted({1, 2, *(pk for pk in firsts if pk)})
    return ["pdf", "xlsx", "json", *Case.objects.values_list("code", flat=True)]


def _expand(namespace, name, route) -> list[str]:
    params = [(m["name"], m["conv"]) for m in PARAM.finditer(route)]
    combos = [{}]
    for param, conv in params:
        combos = [{**c, param: v} for c in combos for v in _candidates(namespace, name, route, param, conv)]
    urls = []
    for kwargs in combos:
        with contextlib.suppress(NoReverseMatch):  # a value the converter refuses: not a page
            urls.append(reverse(f"{namespace}:{name}" if namespace else name, kwargs=kwargs))
    return urls


def sweep_targets() -> list[tuple[str, str]]:
    """Every GET the sweep makes, as (pattern, URL): the module's pages with every object, the admin's
    complaints pages, the shell pages; the lists also with search queries."""
    targets: list[tuple[str, str]] = []
    codes = list(Case.objects.filter(protected=True).order_by("pk").values_list("code", flat=True)[:3])
    for namespace, name, route in _walk(get_resolver()):
        if not name:
            continue
        full = f"{namespace}:{name}" if namespace else name
        wanted = (
            namespace in ("complaints", "complaints_public")
            or full in SHELL
            or (namespace == "admin" and name.startswith("complaints_") and not name.startswith(STATIC_ADMIN))
            or (namespace == "admin" and name.startswith(STATIC_ADMIN) and "<" not in route)
            or full == "admin:index"
        )
        if not wanted:
            continue
        found = _expand(namespace, name, route)
        if "<" not in route and found:
            found += [f"{found[0]}?{urlencode({'q': q})}" for q in QUERIES]
        if namespace == "complaints_public":
            found += [f"{u}?{urlencode({'code': code})}" for u in list(found) for code in codes]
        targets += [(full, url) for url in found]
    return list(dict.fromkeys(targets))


def sweep_urls() -> list[str]:
    return [url for _pattern, url in sweep_targets()]


# ---- reading a response -----------------------------------------------------------------------------------


def response_text(response) -> str:
    """Everything a person could read in a response: headers, the body as text (HTML unescaped, JSON
    decoded, PDF text, the XML of Office files)."""
    parts = [f"{k}: {v}" for k, v in response.items()]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    kind = response.get("Content-Type", "")
    if body.startswith(b"%PDF"):
        result = subprocess.run(["pdftotext", "-", "-"], input=body, capture_output=True)
        parts.append(result.stdout.decode("utf-8", "replace"))
    elif body.startswith(b"PK"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            for member in archive.namelist():
                text = archive.read(member).decode("utf-8", "replace")
                parts.append(html.unescape(re.sub(r"<[^>]+>", " ", text)))
                parts.append(html.unescape(re.sub(r"<[^>]+>", "", text)))
    else:
        text = body.decode("utf-8", "replace")
        parts.append(text)
        parts.append(html.unescape(text))
        if "json" in kind:
            with contextlib.suppress(ValueError):
                parts.append(json.dumps(json.loads(text), ensure_ascii=False))
    return "\n".join(parts)


def leaks_in(text: str) -> list[str]:
    folded = fold(text)
    found = [label for label, value in NEEDLES.items() if value in text]
    if fold(DENOUNCER.name) in folded and "name" not in found:
        found.append("name (folded)")
    return found


def _client(user) -> Client:
    client = Client(raise_request_exception=False)
    if user is not None:
        client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client


def _original_urls(scene) -> set[str]:
    """The originals of the protected letter: the entitled may open them (they hold the identity)."""
    originals = LetterFile.objects.filter(letter__protected=True).exclude(kind=LetterFile.Kind.REDACTED)
    urls = set()
    for row in originals:
        urls.add(reverse("complaints:file", args=[row.pk]))
        for page in (1, 2, 3):
            urls.add(reverse("complaints:file_page", args=[row.pk, page]))
    return urls


def sweep(roles, scene, caplog, *, allowed=frozenset()) -> tuple[list[str], list[str], int]:
    targets = sweep_targets()
    leaks, errors = [], []
    with caplog.at_level(logging.DEBUG):
        for role in roles:
            client = _client(scene["people"].get(role))
            post_only = set()  # a pattern whose first GET is 405 (the actions' POST view) is not read again
            for pattern, url in targets:
                public = pattern.startswith("complaints_public:")
                if url.split("?")[0] in allowed or pattern in post_only or public != (role == "anonymous"):
                    continue
                response = client.get(url)
                if response.status_code == 405:
                    post_only.add(pattern)
                for label in leaks_in(response_text(response)):
                    leaks.append(
                        f"{url} as {role}: the {label} ({NEEDLES.get(label, DENOUNCER.name)!r}),"
                        f" HTTP {response.status_code}"
                    )
                if response.status_code >= 500:
                    errors.append(f"{url} as {role}: HTTP {response.status_code}")
    for record in caplog.records:
        text = (
            record.getMessage()
            + "\n"
            + (logging.Formatter().formatException(record.exc_info) if record.exc_info else "")
        )
        for label in leaks_in(text):
            leaks.append(f"log line of {record.name} ({record.levelname}): the {label}")
    return leaks, errors, len(targets)


def mail_text(message) -> str:
    """Everything a reader of an e-mail sees, decoded: its addresses (the recipient's own aside: the
    denouncer's confirmations go to the denouncer), subject, body, alternatives, attachments (PDF as text)."""
    own = [] if message.to == [DENOUNCER.email] else message.to
    parts = [*own, *message.cc, *message.bcc, *message.reply_to, message.from_email, message.subject]
    parts += [f"{k}: {v}" for k, v in message.extra_headers.items()]
    parts.append(message.body)
    parts += [content for content, _mimetype in getattr(message, "alternatives", [])]
    for attachment in message.attachments:
        content = attachment[1] if isinstance(attachment, tuple) else attachment.get_payload(decode=True)
        if isinstance(content, bytes) and content.startswith(b"%PDF"):
            result = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True)
            content = result.stdout
        parts.append(content.decode("utf-8", "replace") if isinstance(content, bytes) else str(content))
    return "\n".join(str(p) for p in parts)


def mail_leaks(outbox, caplog) -> list[str]:
    """The identity in any e-mail the scenario sent, any notification it made, any log line it wrote."""
    leaks = [
        f"e-mail {message.subject!r} to {message.to}: the {label}"
        for message in outbox
        for label in leaks_in(mail_text(message))
    ]
    for note in Notification.objects.select_related("recipient"):
        for label in leaks_in(f"{note.title}\n{note.body}\n{note.url}"):
            leaks.append(f"notification {note.kind} {note.title!r} to {note.recipient}: the {label}")
    for record in caplog.get_records("setup"):
        for label in leaks_in(record.getMessage()):
            leaks.append(
                f"log line of {record.name} while the scenario ran ({record.levelname}): the {label}"
            )
    return leaks


def _report(leaks, errors, count) -> str:
    head = f"{len(leaks)} leak(s) of the protected denouncer's identity in {count} URLs swept:\n"
    tail = f"\nand {len(errors)} server error(s):\n" + "\n".join(errors[:50]) if errors else ""
    return head + "\n".join(leaks[:200]) + tail


# ---- the test ----------------------------------------------------------------------------------------------


@pytest.mark.slow  # every page and export of the module as twelve roles (a few minutes)
def test_no_page_shows_the_identity_to_anyone_not_entitled(scene, caplog):
    """One scenario, every role (the set-up is the slow part): the sweep's coverage, the grep's control,
    the others, then the entitled — who see the identity on the reveal page only."""
    urls = sweep_urls()
    assert reverse("complaints:identity", args=[scene["letter"].people.get().pk]) in urls
    assert reverse("complaints:file", args=[scene["copy"].pk]) in urls
    assert reverse("complaints:file", args=[scene["scan"].pk]) in urls
    assert reverse("complaints:file_redact", args=[scene["scan"].pk]) in urls
    assert any(u.startswith("/admin/complaints/case/") for u in urls)
    assert any(u.startswith("/don-thu/") for u in urls)
    assert any(u.startswith("/documents/search/?q=") for u in urls)

    # The reading and the grep work: the original PDF shows the ID number, the redacted copy nothing.
    client = _client(scene["people"]["reception"])
    original = client.get(reverse("complaints:file", args=[scene["scan"].pk]))
    assert "ID number" in leaks_in(response_text(original))
    assert leaks_in(response_text(client.get(reverse("complaints:file", args=[scene["copy"].pk])))) == []

    # The e-mails and notifications of the scenario: they were sent (the confirmations to the denouncer, the
    # notifications by e-mail too) and none names the denouncer.
    subjects = [m.subject for m in mail.outbox]
    to_denouncer = [m.subject for m in mail.outbox if m.to == [DENOUNCER.email]]
    assert any("Mã xác thực" in s for s in to_denouncer) and any("mã tra cứu" in s for s in to_denouncer)
    notes = Notification.objects.select_related("recipient")
    assert {"complaints.case", "workflow.overdue"} <= {n.kind for n in notes}, {n.kind for n in notes}
    assert all(n.title in subjects for n in notes if n.recipient.email), subjects
    probe = EmailMessage(
        subject="x", body="y", to=["a@example.vn"], attachments=[("d.pdf", letter_pdf(), None)]
    )
    assert {"name", "ID number", "address"} <= set(leaks_in(mail_text(probe)))  # the grep reads attachments
    leaks = mail_leaks(mail.outbox, caplog)
    assert not leaks, (
        f"{len(leaks)} leak(s) in {len(mail.outbox)} e-mails and {len(notes)} notifications:\n"
        + ("\n".join(leaks[:100]))
    )

    leaks, errors, count = sweep(NOT_ENTITLED, scene, caplog)
    assert not leaks and not errors, _report(leaks, errors, count)

    leaks, errors, count = sweep(ENTITLED, scene, caplog, allowed=_original_urls(scene))
    assert not leaks and not errors, _report(leaks, errors, count)
    for role in ENTITLED:
        client = _client(scene["people"][role])
        for person in Identity.objects.filter(protected=True):
            shown = response_text(client.post(reverse("complaints:identity", args=[person.pk])))
            assert {"name", "ID number", "address"} <= set(leaks_in(shown)), (role, person.pk)

    # The admin: the lookups open, the identities are not registered, the reads log is the superuser's only.
    admin = _client(scene["people"]["superuser"])
    assert admin.get(reverse("admin:complaints_case_changelist")).status_code == 200
    assert admin.get(reverse("admin:complaints_letter_change", args=[scene["letter"].pk])).status_code == 200
    assert admin.get(reverse("admin:complaints_identityread_changelist")).status_code == 200
    with pytest.raises(NoReverseMatch):
        reverse("admin:complaints_identity_changelist")
    agency_admin = _client(scene["people"]["admin_a"])
    assert agency_admin.get(reverse("admin:complaints_identityread_changelist")).status_code in (302, 403)
    assert agency_admin.get(reverse("admin:complaints_case_changelist")).status_code == 200
