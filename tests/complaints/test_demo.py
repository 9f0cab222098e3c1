"""The complaints demo: three months of the inspectorate of Sở Kế hoạch và Đầu tư made through the services,
with every element the issue asks for, and nothing more on a second run."""

from __future__ import annotations

import io

import pytest
from django.utils import timezone

from complaints import demo as complaints_demo
from complaints.models import (
    Case,
    CaseDocument,
    CaseMember,
    CaseStep,
    Identity,
    Letter,
    LetterFile,
    PublishedAnswer,
    ReceptionSession,
    Visit,
)
from documents.models import OutgoingDocument
from eoffice import demo
from eoffice.models import Agency, User
from tests.complaints.redaction_helpers import pdf_text
from workflow.models import HistoryEntry

MODELS = [
    ReceptionSession,
    Visit,
    Letter,
    LetterFile,
    Identity,
    Case,
    CaseMember,
    CaseStep,
    CaseDocument,
    PublishedAnswer,
    OutgoingDocument,
    User,
]


def _counts() -> dict:
    counts = {m.__name__: m.objects.count() for m in MODELS}
    counts["history"] = HistoryEntry.objects.count()
    return counts


@pytest.fixture
def seeded(settings, monkeypatch, django_capture_on_commit_callbacks, tmp_path_factory):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SIGNING_PKI_DIR = tmp_path_factory.mktemp("pki")
    settings.SIGNING_TRUST_TEST_CA = True
    settings.SIGNING_LOCAL_TSA = True
    settings.SIGNING_PADES_LEVEL = "B-T"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    monkeypatch.setattr(demo, "SEEDERS", [complaints_demo.seed_complaints])
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        demo.seed(stdout=out)
    return out.getvalue()


def _case(agency, text: str) -> Case:
    return Case.objects.select_related("letter").get(agency=agency, letter__summary=text)


@pytest.mark.slow  # the core demo data, then three months of letters through the services and the signing
@pytest.mark.django_db
def test_the_complaints_demo(seeded, django_capture_on_commit_callbacks):
    assert "complaints:" in seeded
    agency = Agency.objects.get(code=demo.SKHDT)
    before = _counts()

    # A second run writes nothing.
    out = io.StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        demo.seed(stdout=out)
    assert _counts() == before
    assert "complaints:" not in out.getvalue()

    today = timezone.localdate()
    # The inspectorate's people: the core demo's Thanh tra Sở accounts, named in the settings.
    assert User.objects.count() == len(demo.STAFF) + 1
    from complaints import rules

    officers = rules.settings_for(agency).officers.values_list("username", flat=True)
    assert {"thanhtra.skhdt", "thanhtra2.skhdt"} <= set(officers)

    # Reception sessions: regular and the Giám đốc's, published ≥ 5 working days ahead, some upcoming.
    sessions = ReceptionSession.objects.filter(agency=agency)
    assert sessions.filter(kind="regular").count() >= 12
    leader_days = sessions.filter(kind="leader", leader__username="giamdoc.skhdt")
    assert leader_days.count() >= 3
    assert sessions.filter(date__gt=today).exists() and leader_days.filter(date__gt=today).exists()
    from workflow import calendar

    for s in sessions:
        published = timezone.localtime(s.published_at).date()
        assert calendar.count_working_days(published, s.date) >= 6, s.date

    # Visits with every outcome, one answered.
    visits = Visit.objects.filter(agency=agency)
    assert set(visits.values_list("outcome", flat=True)) == set(Visit.Outcome.values)
    assert visits.filter(outcome="letter", letters__isnull=False).exists()
    assert visits.filter(answered_at__isnull=False).exists()
    assert visits.filter(outcome="leader_meeting", people_count=6).exists()
    assert visits.filter(session__kind="leader", session__leader__username="giamdoc.skhdt").exists()
    assert visits.filter(session__kind="regular").exists()
    # three months back
    assert (today - min(timezone.localtime(v.received_at).date() for v in visits)).days >= 75

    cases = Case.objects.filter(agency=agency)
    # Every kind and every intake outcome.
    assert set(cases.values_list("kind", flat=True)) == {"complaint", "denunciation", "petition", "feedback"}
    assert {"accept", "refuse", "forward", "guide", "keep"} <= set(cases.values_list("outcome", flat=True))
    forwarded = _case(agency, complaints_demo.FORWARDED)
    assert forwarded.state == "forwarded" and forwarded.forwarded_agency.abbreviation == "STP"
    slip = forwarded.documents.get(form="forward").document
    assert slip.state == "issued" and slip.recipients.filter(incoming__agency__abbreviation="STP").exists()
    # Letters forwarded to the Sở; a duplicate.
    assert Letter.objects.filter(agency=agency, source="press").exists()
    assert Letter.objects.filter(agency=agency, source="forwarded").exists()
    duplicate = _case(agency, complaints_demo.FEEDBACK_DUP)
    assert duplicate.duplicate_of == _case(agency, complaints_demo.FEEDBACK)

    # One complaint at each instance.
    first = _case(agency, complaints_demo.COMPLAINT_1)
    assert first.state == "resolved" and first.instance == 1
    assert first.documents.get(form="complaint_decision").document.state == "issued"
    second = first.next_instances.get()
    assert second.instance == 2 and second.state == "accepted"
    assert second.members.exists() and second.steps.filter(kind="dialogue").exists()

    # The protected denunciation: encrypted scan, a redacted copy with no text, complex, extended.
    denunciation = _case(agency, complaints_demo.DENUNCIATION)
    assert denunciation.protected and denunciation.complexity == "complex"
    assert denunciation.extension_count == 1 and denunciation.state == "accepted"
    original = denunciation.letter.files.get(kind="letter")
    assert original.encrypted
    redacted = denunciation.letter.files.get(kind="redacted")
    assert redacted.redacted_from == original
    with redacted.file.open("rb") as f:
        text = pdf_text(f.read())
    assert complaints_demo.DENOUNCER[0] not in text and complaints_demo.DENOUNCER[1] not in text
    identity = denunciation.letter.people.get()
    assert identity.protected and not identity.display_name
    assert denunciation.documents.filter(form="extension", document__state="issued").exists()

    # Overdue cases, a suspended one.
    now = timezone.now()
    overdue = cases.filter(state__in=["registered", "accepted"], due_at__lt=now, paused_at__isnull=True)
    assert overdue.count() >= 2
    assert overdue.filter(state="registered").exists() and overdue.filter(state="accepted").exists()
    assert cases.filter(state="suspended", paused_at__isnull=False).exists()

    # The petition answered and published on the public list.
    petition = _case(agency, complaints_demo.PETITION)
    assert petition.state == "resolved" and petition.publish_consent
    answer = PublishedAnswer.objects.get(case=petition)
    assert "Đoàn Thị Mỹ Linh" not in answer.question

    # The online letter waiting to be taken.
    online = Case.objects.get(agency=agency, content=complaints_demo.ONLINE)
    assert online.letter.source == "online" and online.letter.received_by is None

    # Every document drafted from the cases went through the outgoing flow.
    documents = CaseDocument.objects.filter(case__agency=agency, document__isnull=False)
    assert documents.count() >= 8
    assert set(documents.values_list("document__state", flat=True)) == {"issued"}

    # Nothing of the protected person in plain text: history comments and data.
    for entry in HistoryEntry.objects.filter(object_id__in=list(cases.values_list("pk", flat=True))):
        assert complaints_demo.DENOUNCER[0] not in f"{entry.comment} {entry.data}"
