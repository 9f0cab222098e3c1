"""The dossier page's actions (onestop.actions.DOSSIER_ACTIONS): what each person is offered in each state,
in the page's order, main actions first and the others under "Thao tác khác"."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from onestop import services
from onestop.actions import DOSSIER_ACTIONS
from onestop.models import Dossier, DossierState
from tests.onestop.conftest import advance, make_procedure, pdf_upload, receive

pytestmark = pytest.mark.django_db


def _offered(dossier, user) -> tuple[list[str], list[str]]:
    page = DOSSIER_ACTIONS.page(dossier, user)
    return [a.key for a in page.main], [a.key for a in page.more]


@pytest.mark.parametrize(
    ("state", "who", "main", "more"),
    [
        (DossierState.RECEIVED, "onestop", ["hand_to_unit"], ["extend", "stop"]),
        (DossierState.UNIT, "head", ["assign"], ["supplement", "extend", "refuse"]),
        (DossierState.PROCESSING, "officer", ["submit"], ["supplement", "extend", "refuse"]),
        (DossierState.REVIEW, "head", ["forward"], ["send_back", "supplement", "extend", "refuse"]),
        (
            DossierState.APPROVAL,
            "leader",
            ["approve"],
            ["send_back", "supplement", "extend", "refuse", "stop"],
        ),
        (DossierState.RETURNING, "onestop", ["hand_over"], []),
    ],
)
def test_each_person_is_offered_what_they_may_do_now(procedure, people, state, who, main, more):
    dossier = advance(receive(procedure, people), state, people)
    assert _offered(dossier, people[who]) == (main, more)


def test_online_check_and_supplement_answer(procedure, people):
    papers = [
        services.PaperInput(name=p.name, required=p, file=pdf_upload("scan.pdf"))
        for p in procedure.papers.filter(mandatory=True)
    ]
    online = services.online_submit(
        procedure=procedure,
        applicant=services.Applicant(name="Trần Thị Bình", email="b@example.com"),
        papers=papers,
    )
    assert _offered(online, people["onestop"]) == (["check"], [])
    page = DOSSIER_ACTIONS.page(online, people["onestop"])
    check = page.by_key["check"]
    assert check.url == reverse("onestop:check", args=[online.pk])
    assert check.form.prefix == "" and check.form.initial == {"missing": ""}  # nothing mandatory is missing
    dossier = advance(receive(procedure, people), DossierState.PROCESSING, people)
    services.dossier_request_supplement(dossier=dossier, by=people["officer"], content="Bổ sung bản sao")
    dossier.refresh_from_db()
    assert _offered(dossier, people["onestop"]) == (["supplement_received"], ["extend", "stop"])
    assert DOSSIER_ACTIONS.page(dossier, people["onestop"]).by_key["supplement_received"].url == reverse(
        "onestop:act", args=[dossier.pk, "supplement_received"]
    )


def test_nobody_outside_the_path_is_offered_anything(procedure, people):
    dossier = advance(receive(procedure, people), DossierState.PROCESSING, people)
    assert _offered(dossier, people["officer2"]) == ([], [])


@pytest.mark.parametrize(("review", "who", "offered"), [(True, "officer", True), (False, "officer", True), (True, "head", False), (False, "head", True)])  # fmt: skip  # noqa: E501
def test_submission_asks_the_review_step_once_per_page(agency_a, people, review, who, offered):
    """The submission's offer and its form ask the procedure's review step at most once per page, with
    no value kept on the dossier: the holder may submit either way, the unit's head only to approval."""
    procedure = make_procedure(agency_a, unit=people["unit"], review=review, code="1.009999")
    dossier = Dossier.objects.get(pk=advance(receive(procedure, people), DossierState.PROCESSING, people).pk)
    with CaptureQueriesContext(connection) as ctx:
        page = DOSSIER_ACTIONS.page(dossier, people[who])
    asked = [q for q in ctx.captured_queries if "onestop_procedurestep" in q["sql"]]
    assert len(asked) == 1
    assert ("submit" in page) is offered
    if offered:
        assert page.by_key["submit"].form.review is (review and who == "officer")
    assert not [k for k in vars(dossier) if "review" in k]
