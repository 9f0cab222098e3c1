"""Complaints in a real browser (issue 17, "Done when"), typed into the real forms and clicked through the
real buttons, as the people do it:

1. a protected complaint handed in at the reception office: the officer records the visit with the outcome
   "nhận đơn" and the scan; the letter is classified and accepted on the case page; the verifier (a member
   of the team, who never sees the identity: the name and the ID are nowhere in the pages he opens) files
   the plan, the evidence and the report; the decision is drafted, reviewed, signed by the leader with the
   PIN and issued by the clerk on the outgoing pages; the citizen follows it on the public tracking page on
   a 390 px phone (resolved, the result shown);
2. an online denunciation with protection: the citizen confirms the e-mail with the code from the mailbox
   (Django's outbox: the live server runs in-process), ticks protection and uploads the scan on /don-thu/;
   the reception officer takes it, accepts it and gives the verification to the verifier; then the
   identity-leak sweep of tests/complaints/test_identity_leak.py runs with this case as every role not
   entitled, the verifier and the unit head open their pages in the browser (zero hits for the name and
   the ID), and the officer who took it sees the identity on the reveal page.

Every page is checked for console errors, CSP violations, failed requests and duplicate ids; phone pages for
sideways scrolling. Screenshots go to test-artifacts/ (complaints-*.png).
"""

from __future__ import annotations

import importlib
import logging
import re
from urllib.parse import urlencode

import pytest
from django.apps import apps as django_apps
from django.core import mail
from django.test import Client
from django.urls import reverse

from complaints.models import Case, CaseKind, CaseMember, CaseState, IdentityRead, Letter, Source
from complaints.services.identity import PersonInput
from documents.models import DocumentType
from eoffice.models import Role
from tests.browser.fixtures import ARTIFACTS, DESKTOP, PHONE
from tests.complaints.conftest import DENOUNCER, LEGAL_DATA_MIGRATIONS, PIN, org  # noqa: F401
from tests.complaints.redaction_helpers import letter_pdf
from tests.complaints.test_identity_leak import QUERIES, leaks_in, response_text, sweep_targets
from tests.documents.outgoing.helpers import office  # noqa: F401
from tests.factories import make_user
from tests.signing.conftest import _signing_settings, authority, pki_dir  # noqa: F401
from workflow.models import WorkflowState

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The visitor of test 1 asks for secrecy ("xin giữ bí mật"): the verifier works without the identity.
VISITOR = PersonInput(
    name="Trịnh Thị Khiếu Nại",
    id_number="001185067890",
    address="Số 7 đường Lê Lợi, phường Tân Thành",
    phone="0903111222",
    email="",
    protected=True,
)
COMPLAINT = (
    "Khiếu nại Quyết định số 125/QĐ-UBND ngày 02/3/2026 về thu hồi đất, bồi thường thấp hơn giá thị trường"
)
DENUNCIATION = "Tố cáo cán bộ địa chính xã Yên Phú nhận tiền khi làm hồ sơ cấp giấy chứng nhận"
RESULT = "Khiếu nại đúng một phần; điều chỉnh đơn giá bồi thường theo bảng giá năm 2026."
CITIZEN_EMAIL = DENOUNCER.email


@pytest.fixture
def team(org, settings):  # noqa: F811
    """``org`` plus a member of the unit (KT); the legal rules, forms and document types the data
    migrations seed are seeded again (a transactional test's flush removes them)."""
    settings.CELERY_TASK_ALWAYS_EAGER = True
    for migration in LEGAL_DATA_MIGRATIONS:
        importlib.import_module(migration).seed(django_apps, None)
    types = importlib.import_module("documents.migrations.0002_document_types").TYPES
    for order, (name, abbreviation) in enumerate(types, start=1):
        DocumentType.objects.get_or_create(name=name, defaults={"abbreviation": abbreviation, "order": order})
    org["member"] = make_user(
        agency=org["agency"], department=org["head"].department, roles=[Role.OFFICER], full_name="Ngô Văn Tổ"
    )
    return org


# ---- helpers ----------------------------------------------------------------------------------------------


def _shot(page, label: str):
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"complaints-{label}-{page.name}.png"
    page.page.evaluate("window.scrollTo(0, 0)")
    page.page.screenshot(path=str(path), full_page=True)
    return path


def _check(page, label: str, *, phone: bool = False) -> None:
    """Screenshot, then: no console error, CSP violation, failed request or duplicate id; on a phone no
    sideways scrolling."""
    _shot(page, label)
    if phone:
        width = page.page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert width[0] <= width[1], f"{label}: page is {width[0]} px wide in a {width[1]} px window"
    assert not page.errors, f"{label}: {page.errors}"


def _person(open_page, viewport: dict, name: str, user):
    page = open_page(viewport, name)
    page.page.on("dialog", lambda dialog: dialog.accept())
    page.login(user)
    return page


def _submit(page, target) -> None:
    locator = page.page.locator(target) if isinstance(target, str) else target
    with page.page.expect_navigation():
        locator.click()
    page.page.wait_for_load_state("networkidle")


def _no_error_page(page, label: str) -> None:
    body = page.page.locator("body").inner_text()
    assert "Server Error" not in body and "Traceback" not in body, f"{label}: {body[:2000]}"


def _open_action(page, key: str):
    """The action's form on the case page, its <details> opened like a person does (under "Thao tác khác"
    when it is there)."""
    holder = page.page.locator(f"[data-testid=open-{key}]")
    assert holder.count() == 1, f"no action {key!r} on {page.page.url}: {_actions(page)}"
    more = page.page.locator("details.cp-more", has=holder)
    if more.count() and not more.first.evaluate("d => d.open"):
        more.first.locator(":scope > summary").click()
    if not holder.evaluate("d => d.open"):
        holder.locator(":scope > summary").click()
    return page.page.locator(f"form[data-testid=action-{key}]")


def _actions(page) -> list[str]:
    return [
        (el.get_attribute("data-testid") or "")[5:] for el in page.page.locator("[data-testid^=open-]").all()
    ]


def _choose(page, form, name: str, user) -> None:
    """Pick ``user`` in the form's person field ``name``: the typing picker when the page has one, the plain
    select otherwise."""
    select = form.locator(f"select[name$='{name}']")
    field_id = select.get_attribute("id")
    picker = page.page.locator(f"#{field_id}-picker-input")
    if picker.count() and picker.is_visible():
        picker.click()
        picker.type(user.get_full_name().split()[-1])
        page.page.locator(
            f"#{field_id}-picker-list .picker-option", has_text=user.get_full_name()
        ).first.click()
        page.page.keyboard.press("Escape")
    else:
        select.select_option(str(user.pk))


def _flash(page) -> str:
    return page.page.locator("main").inner_text()


def _identity_absent(page, label: str, person) -> None:
    """Neither the name (also without diacritics) nor the ID number anywhere in the page's HTML."""
    found = [hit for hit in leaks_in(page.page.content()) if hit.startswith(("name", "ID"))]
    text = page.page.content()
    mine = [v for v in (person.name, person.id_number) if v in text]
    assert not found and not mine, f"{label}: the identity is on {page.page.url}: {found or mine}"


def _issue(open_page, team, drafter, doc_url: str, label: str) -> None:
    """The outgoing flow of a draft open on ``drafter``'s page: submitted to the chief inspector, approved,
    signed by the leader with the PIN on a phone, issued by the clerk."""
    drafter.goto(doc_url)
    _shot(drafter, f"{label}-draft")
    drafter.page.select_option("#id_reviewer", str(team["chief"].pk))
    _submit(drafter, "[data-testid=submit-submit]")
    assert drafter.page.locator("[data-testid=doc-state]").inner_text() == "Chờ duyệt"
    chief = _person(open_page, DESKTOP, "desktop", team["chief"])
    chief.goto(doc_url)
    _submit(chief, "[data-testid=approve-submit]")
    assert chief.page.locator("[data-testid=doc-state]").inner_text() == "Chờ ký"
    leader = _person(open_page, PHONE, "phone", team["leader"])
    leader.goto(doc_url)
    leader.page.fill("#sign_pin", PIN)
    _shot(leader, f"{label}-sign")
    _submit(leader, "[data-testid=sign-submit]")
    assert leader.page.locator("[data-testid=doc-state]").inner_text() != "Chờ ký", _flash(leader)
    clerk = _person(open_page, DESKTOP, "desktop", team["clerk"])
    clerk.goto(doc_url)
    clerk.page.fill("#iss_pin", PIN)
    _submit(clerk, "[data-testid=issue-submit]")
    assert clerk.page.locator("[data-testid=doc-state]").inner_text() == "Đã phát hành", _flash(clerk)
    _check(clerk, f"{label}-issued")
    for page in (chief, leader, clerk):
        assert not page.errors, page.errors


def _draft_url(page) -> str:
    """The outgoing document the case page's last drafted form links to."""
    links = page.page.locator("a[href*='/documents/outgoing/']")
    assert links.count(), f"no drafted document on {page.page.url}"
    return links.last.get_attribute("href")


# ---- 1. a visit becomes a letter, verified, decided, signed, issued, tracked ------------------------------


def test_visit_to_signed_decision_tracked_on_a_phone(open_page, team, tmp_path):
    scan = tmp_path / "don-khieu-nai.pdf"
    scan.write_bytes(letter_pdf(person=VISITOR, pages=1))

    # 1. The reception officer records the visit: a protected complaint, the outcome "nhận đơn", the scan.
    reception = _person(open_page, DESKTOP, "desktop", team["reception"])
    reception.goto(reverse("complaints:visits"))
    _submit(reception, reception.page.locator(f"#main a[href='{reverse('complaints:visit_new')}']").first)
    form = reception.page.locator("form[data-testid=visit-form]")
    form.locator("select[name=kind]").select_option(CaseKind.COMPLAINT)
    form.locator("textarea[name=content]").fill(COMPLAINT)
    form.locator("input[name=people_count]").fill("1")
    form.locator("input[name=protected]").check()
    person = form.locator("[data-testid=person-1]")
    person.locator("input[name$=name]").fill(VISITOR.name)
    person.locator("input[name$=id_number]").fill(VISITOR.id_number)
    person.locator("input[name$=address]").fill(VISITOR.address)
    person.locator("input[name$=phone]").fill(VISITOR.phone)
    form.locator("select[name=outcome]").select_option(label="Nhận đơn")
    form.locator("textarea[name=papers]").fill("Đơn khiếu nại (01 bản)\nQuyết định số 125/QĐ-UBND (bản sao)")
    form.locator("input[name=letter_files]").set_input_files(str(scan))
    _shot(reception, "01-visit-form")
    _submit(reception, "[data-testid=save-visit]")
    _no_error_page(reception, "visit")
    assert not reception.page.locator("[data-testid=visit-errors]").count(), _flash(reception)
    letter = Letter.objects.get(visit__isnull=False)
    case = letter.cases.get()
    assert letter.protected and case.protected and case.kind == CaseKind.COMPLAINT
    assert letter.files.filter(encrypted=True).count() == 1
    _check(reception, "01-visit")

    # 2. Intake on the case page: classified, then accepted.
    reception.goto(case.get_absolute_url())
    _check(reception, "02-case-registered")
    form = _open_action(reception, "classify")
    form.locator("select[name$=field]").select_option(index=1)
    form.locator("input[name$=subject]").fill("Quyết định số 125/QĐ-UBND của UBND huyện Yên Phú")
    form.locator("select[name$=processable]").select_option(index=1)
    form.locator("select[name$=competent]").select_option(index=1)
    form.locator("input[name$=signer_count]").fill("1")
    _submit(reception, form.locator("button[type=submit]"))
    _no_error_page(reception, "classify")
    case.refresh_from_db()
    assert case.subject.startswith("Quyết định số 125/QĐ-UBND"), _flash(reception)
    form = _open_action(reception, "accept")
    form.locator("textarea[name$=note]").fill("Đủ điều kiện thụ lý theo Điều 11 Luật Khiếu nại.")
    _submit(reception, form.locator("button[type=submit]"))
    case.refresh_from_db()
    assert case.state == CaseState.ACCEPTED, _flash(reception)
    _check(reception, "02-case-accepted")

    # 3. The verification goes to the verifier (the lead of the team).
    form = _open_action(reception, "verification")
    _choose(reception, form, "lead", team["verifier"])
    _submit(reception, form.locator("button[type=submit]"))
    assert CaseMember.objects.filter(case=case, user=team["verifier"]).exists(), _flash(reception)

    # 4. The verifier: the plan, the evidence (a file), the report — and never the identity.
    verifier = _person(open_page, DESKTOP, "desktop", team["verifier"])
    _identity_absent(verifier, "dashboard", VISITOR)
    verifier.goto(reverse("complaints:cases"))
    _identity_absent(verifier, "queue", VISITOR)
    _submit(verifier, verifier.page.locator(f"a[href='{case.get_absolute_url()}']").first)
    _identity_absent(verifier, "case", VISITOR)
    _check(verifier, "04-verifier-case")
    evidence = tmp_path / "bien-ban-lam-viec.pdf"
    evidence.write_bytes(letter_pdf(person=PersonInput(name="Tổ xác minh", id_number="—"), pages=1))
    for kind, title, upload in (
        ("plan", "Kế hoạch xác minh nội dung khiếu nại", None),
        ("evidence", "Biên bản làm việc với UBND xã Yên Phú", evidence),
        ("report", "Báo cáo kết quả xác minh nội dung khiếu nại", None),
    ):
        form = _open_action(verifier, "case_step")
        select = form.locator("select[name$=kind]")
        values = select.locator("option").evaluate_all("os => os.map(o => o.value)")
        select.select_option(next(v for v in values if kind in v))
        form.locator("input[name$=title]").fill(title)
        form.locator("textarea[name$=text]").fill(f"{title}: đã thực hiện theo quy định.")
        if upload:
            form.locator("input[type=file]").set_input_files(str(upload))
        _submit(verifier, form.locator("button[type=submit]"))
        _no_error_page(verifier, kind)
        assert title in _flash(verifier), f"{kind}: {_flash(verifier)[:1500]}"
        _identity_absent(verifier, f"case after the {kind}", VISITOR)
    _check(verifier, "04-verified")
    hrefs = verifier.page.locator("main a[href^='/complaints/']").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    for href in dict.fromkeys(hrefs):  # every page of the module the case page links to
        response = verifier.context.request.get(verifier.base_url + href)
        assert response.status < 500, href
        if "text/html" in response.headers.get("content-type", ""):
            verifier.goto(href)
            _identity_absent(verifier, href, VISITOR)
    verifier.errors = [e for e in verifier.errors if not e.startswith(("403 ", "404 "))]

    # 5. The decision drafted from the case, then the outgoing flow: reviewed, signed, issued.
    reception.goto(case.get_absolute_url())
    form = _open_action(reception, "decision")
    form.locator("select[name$=result]").select_option(label="Khiếu nại đúng một phần")
    form.locator("textarea[name$=summary]").fill(RESULT)
    _submit(reception, form.locator("button[type=submit]"))
    _no_error_page(reception, "decision")
    case.refresh_from_db()
    decision = case.documents.order_by("-pk").first()
    assert decision is not None and decision.document_id, _flash(reception)
    _issue(open_page, team, reception, decision.document.get_absolute_url(), "05-decision")
    case.refresh_from_db()
    assert case.state == CaseState.RESOLVED, case.state
    decision.document.refresh_from_db()
    assert decision.document.state == WorkflowState.ISSUED and case.result == "partly"
    reception.goto(case.get_absolute_url())
    _check(reception, "05-case-resolved")

    # 6. The citizen follows it on the public page on a phone.
    citizen = open_page(PHONE, "390")
    citizen.goto(reverse("complaints_public:home"))
    citizen.page.locator("input[name=code]").first.fill(case.code)
    _submit(citizen, citizen.page.locator("button[type=submit]", has_text="Tra cứu").first)
    state = citizen.page.locator("[data-testid=state]")
    assert state.is_visible() and state.inner_text() == case.get_state_display(), _flash(citizen)
    assert RESULT in citizen.page.locator("[data-testid=result]").inner_text()
    assert VISITOR.name not in citizen.page.content()
    _check(citizen, "06-tracking", phone=True)

    for page in (reception, verifier, citizen):
        assert not page.errors, page.errors


# ---- 2. an online denunciation with protection, then the identity-leak sweep -----------------------------


def _file_online(open_page, team, tmp_path) -> Case:
    scan = tmp_path / "don-to-cao.pdf"
    scan.write_bytes(letter_pdf(person=DENOUNCER, pages=1))
    citizen = open_page(PHONE, "390")
    citizen.goto(reverse("complaints_public:home"))
    _check(citizen, "10-public-home", phone=True)
    _submit(citizen, "[data-testid=kind-denunciation]")
    p = citizen.page
    p.fill("input[name=email]", CITIZEN_EMAIL)
    _submit(citizen, p.get_by_role("button", name="Gửi mã xác thực"))
    message = [m for m in mail.outbox if m.to == [CITIZEN_EMAIL]][-1]
    code = re.search(r"\b(\d{6})\b", message.subject + " " + message.body).group(1)
    p.fill("input[name=code]", code)
    _submit(citizen, p.get_by_role("button", name="Xác thực", exact=True))
    form = p.locator("form", has=p.locator("input[name=name]"))
    form.locator("select[name=agency]").select_option(str(team["agency"].pk))
    kind = form.locator(f"input[name=kind][value={CaseKind.DENUNCIATION}]")
    if not kind.is_checked():
        kind.check()
    form.locator("input[name=name]").fill(DENOUNCER.name)
    form.locator("input[name=id_number]").fill(DENOUNCER.id_number)
    form.locator("[name=address]").fill(DENOUNCER.address)
    form.locator("input[name=phone]").fill(DENOUNCER.phone)
    form.locator("[name=subject]").fill("Cán bộ địa chính xã Yên Phú")
    form.locator("textarea[name=content]").fill(DENUNCIATION)
    form.locator("input[name=letter_scan]").set_input_files(str(scan))
    form.locator("input[name=protected]").check()
    form.locator("input[name=pledge]").check()
    _check(citizen, "10-filing-form", phone=True)
    _submit(citizen, form.get_by_role("button", name="Gửi đơn"))
    code_shown = p.locator("[data-testid=case-code]")
    assert code_shown.count() == 1, p.locator("main").inner_text()[:2000]
    case = Case.objects.get(code=code_shown.inner_text().strip())
    assert case.protected and case.kind == CaseKind.DENUNCIATION
    assert case.letter.source == Source.ONLINE and case.letter.received_by is None
    _identity_absent(citizen, "filed", DENOUNCER)
    _check(citizen, "10-filed", phone=True)
    return case


def test_online_denunciation_with_protection_leaks_nowhere(open_page, team, tmp_path, caplog):
    case = _file_online(open_page, team, tmp_path)
    letter = case.letter

    # The reception officer takes it from the sổ xử lý đơn, accepts it and gives the verification.
    reception = _person(open_page, DESKTOP, "desktop", team["reception"])
    reception.goto(reverse("complaints:letters"))
    _submit(reception, reception.page.locator(f"a[href='{letter.get_absolute_url()}']").first)
    _submit(reception, "[data-testid=letter-take] button[type=submit]")
    letter.refresh_from_db()
    assert letter.received_by == team["reception"], _flash(reception)
    _identity_absent(reception, "letter taken", DENOUNCER)
    _check(reception, "11-letter-taken")
    reception.goto(case.get_absolute_url())
    form = _open_action(reception, "accept")
    form.locator("textarea[name$=note]").fill("Đủ điều kiện thụ lý tố cáo.")
    _submit(reception, form.locator("button[type=submit]"))
    case.refresh_from_db()
    assert case.state == CaseState.ACCEPTED, _flash(reception)
    form = _open_action(reception, "verification")
    _choose(reception, form, "lead", team["verifier"])
    _submit(reception, form.locator("button[type=submit]"))
    assert CaseMember.objects.filter(case=case, user=team["verifier"]).exists(), _flash(reception)
    _identity_absent(reception, "case accepted", DENOUNCER)
    _check(reception, "11-case")

    # The sweep of test_identity_leak with this case, as everyone not entitled.
    people = {
        "verifier": team["verifier"],
        "member": team["member"],
        "chief": team["chief"],
        "head": team["head"],
        "clerk": team["clerk"],
        "officer": team["officer"],
        "other_b": team["other_b"],
        "superuser": make_user(agency=team["agency"], roles=(), is_superuser=True, is_staff=True),
    }
    targets = sweep_targets()
    assert any(url.startswith(case.get_absolute_url()) for _p, url in targets)
    leaks, errors = [], []
    with caplog.at_level(logging.DEBUG):
        for role, user in [("anonymous", None), *people.items()]:
            client = Client(raise_request_exception=False)
            if user is not None:
                client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
            post_only = set()
            for pattern, url in targets:
                if pattern in post_only or pattern.startswith("complaints_public:") != (role == "anonymous"):
                    continue
                response = client.get(url)
                if response.status_code == 405:
                    post_only.add(pattern)
                leaks += [f"{url} as {role}: {label}" for label in leaks_in(response_text(response))]
                if response.status_code >= 500:
                    errors.append(f"{url} as {role}: HTTP {response.status_code}")
    leaks += [f"log {r.name}: {label}" for r in caplog.records for label in leaks_in(r.getMessage())]
    assert not leaks and not errors, f"{len(targets)} URLs: " + "\n".join((leaks + errors)[:100])

    # The verifier and the unit head in the browser: their pages, a search for the name.
    verifier = _person(open_page, DESKTOP, "desktop", team["verifier"])
    head = _person(open_page, PHONE, "phone", team["head"])
    for page in (verifier, head):
        for url in (
            reverse("dashboard"),
            reverse("complaints:cases"),
            reverse("complaints:letters"),
            case.get_absolute_url(),
            letter.get_absolute_url(),
            # parts of the name and the ID (a page echoing the whole query is no leak)
            *(f"{reverse('documents:search')}?{urlencode({'q': q})}" for q in QUERIES),
            *(f"{reverse('complaints:cases')}?{urlencode({'q': q})}" for q in QUERIES),
        ):
            page.goto(url)
            _identity_absent(page, f"{url} as {page.name}", DENOUNCER)
        # A page outside one's rights answers 404 (the unit head has no case here): no leak there either.
        page.errors = [e for e in page.errors if "404" not in e and "403" not in e]
    verifier.goto(case.get_absolute_url())
    assert case.code in verifier.page.locator("main").inner_text()
    _check(verifier, "12-verifier-case")
    head.goto(reverse("dashboard"))
    _check(head, "12-head-dashboard", phone=True)

    # The entitled officer who took it sees the identity on the reveal page (the read is logged).
    reception.goto(letter.get_absolute_url())
    identity = letter.people.get()
    _submit(reception, f"[data-testid=reveal-{identity.pk}]")
    _submit(reception, "[data-testid=reveal]")
    shown = reception.page.locator("[data-testid=identity-fields]").inner_text()
    assert DENOUNCER.name in shown and DENOUNCER.id_number in shown
    _check(reception, "13-reveal")
    assert IdentityRead.objects.filter(identity=identity, user=team["reception"]).exists()

    for page in (reception, verifier, head):
        assert not page.errors, page.errors
