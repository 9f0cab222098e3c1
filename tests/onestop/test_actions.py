"""The dossier page's actions (onestop.actions.DOSSIER_ACTIONS): what each person is offered in each state,
in the page's order, main actions first and the others under "Thao tác khác"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from onestop import services
from onestop.actions import DOSSIER_ACTIONS
from onestop.models import DossierState
from tests.onestop.conftest import advance, pdf_upload, receive

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
