"""The online submission services: the submission and its check, the email codes (``eoffice.otp`` with the
one-stop purpose)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from eoffice import otp
from onestop import services
from onestop.models import Dossier, DossierState
from tests.onestop.conftest import make_procedure

pytestmark = pytest.mark.django_db


def test_online_submission_then_counter_check(
    procedure, people, mailoutbox, django_capture_on_commit_callbacks
):
    from tests.onestop.conftest import jpeg_upload

    papers = [
        services.PaperInput(name=p.name, required=p, file=jpeg_upload())
        for p in procedure.papers.filter(mandatory=True)
    ]
    with django_capture_on_commit_callbacks(execute=True):
        dossier = services.online_submit(
            procedure=procedure,
            applicant=services.Applicant(name="Trần Thị Bình", email="binh@example.com"),
            papers=papers,
        )
    assert (dossier.state, dossier.channel, dossier.code) == (DossierState.SUBMITTED, "online", None)
    assert people["onestop"].notifications.filter(kind="onestop.submitted").exists()
    with django_capture_on_commit_callbacks(execute=True):
        dossier = services.dossier_check(
            dossier=dossier, by=people["onestop"], outcome=services.OUTCOME_VALID
        )
    assert dossier.state == DossierState.RECEIVED and dossier.code
    mine = [m for m in mailoutbox if m.to == ["binh@example.com"]]
    assert len(mine) == 2 and dossier.code in mine[-1].body
    assert dossier.reference in mine[0].body


def test_online_submission_needs_the_mandatory_papers(procedure):
    with pytest.raises(ValidationError, match="Giấy đề nghị"):
        services.online_submit(
            procedure=procedure,
            applicant=services.Applicant(name="Trần Thị Bình", email="b@example.com"),
            papers=[],
        )
    assert not Dossier.objects.exists()


def test_offline_procedure_refuses_online(agency_a, people):
    procedure = make_procedure(agency_a, unit=people["unit"], online=False, code="9.999")
    with pytest.raises(ValidationError):
        services.online_submit(
            procedure=procedure, applicant=services.Applicant(name="A", email="a@example.com"), papers=[]
        )


def code_of(message) -> str:
    return next(w for w in message.subject.split() if w.isdigit())


def test_email_code_once_with_limited_attempts(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        otp.send(purpose=services.OTP_PURPOSE, email="An@Example.com")
    code = code_of(mailoutbox[0])
    assert mailoutbox[0].to == ["an@example.com"]
    for _ in range(otp.ATTEMPTS - 1):
        assert not otp.verify(
            purpose=services.OTP_PURPOSE, email="an@example.com", code="000000" if code != "000000" else "1"
        )
    assert otp.verify(purpose=services.OTP_PURPOSE, email="an@example.com", code=code)
    assert not otp.verify(purpose=services.OTP_PURPOSE, email="an@example.com", code=code)  # used


def test_email_code_locks_after_too_many_wrong_codes(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        otp.send(purpose=services.OTP_PURPOSE, email="c@example.com")
    code = code_of(mailoutbox[0])
    wrong = "111111" if code != "111111" else "222222"
    for _ in range(otp.ATTEMPTS):
        otp.verify(purpose=services.OTP_PURPOSE, email="c@example.com", code=wrong)
    assert not otp.verify(purpose=services.OTP_PURPOSE, email="c@example.com", code=code)


def test_email_codes_per_hour_are_limited(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(otp.PER_HOUR):
            otp.send(purpose=services.OTP_PURPOSE, email="d@example.com")
    with pytest.raises(ValidationError):
        otp.send(purpose=services.OTP_PURPOSE, email="d@example.com")
    assert len(mailoutbox) == otp.PER_HOUR


def test_a_one_stop_code_confirms_nothing_for_another_purpose(mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        otp.send(purpose=services.OTP_PURPOSE, email="e@example.com")
    code = code_of(mailoutbox[0])
    assert not otp.verify(purpose="complaints", email="e@example.com", code=code)
    assert otp.verify(purpose=services.OTP_PURPOSE, email="e@example.com", code=code)
