"""No page of a dossier has two elements with one id (issue 14): each action form has its own ids."""

import pytest
from django.urls import reverse

from onestop.models import DossierState
from tests.html_ids import duplicate_ids
from tests.onestop.conftest import advance, receive

pytestmark = pytest.mark.django_db

STATES = [
    DossierState.RECEIVED,
    DossierState.UNIT,
    DossierState.PROCESSING,
    DossierState.REVIEW,
    DossierState.APPROVAL,
    DossierState.RETURNING,
    DossierState.RETURNED,
]


@pytest.mark.parametrize("state", STATES)
def test_dossier_page_has_unique_ids(client, people, procedure, state):
    dossier = advance(receive(procedure, people), state, people)
    for who in ("onestop", "head", "officer", "leader"):
        client.force_login(people[who], backend="django.contrib.auth.backends.ModelBackend")
        response = client.get(dossier.get_absolute_url())
        if response.status_code == 404:
            continue
        assert response.status_code == 200
        assert duplicate_ids(response.content) == {}, (who, state)


def test_onestop_lists_have_unique_ids(client, people, procedure):
    receive(procedure, people)
    client.force_login(people["onestop"], backend="django.contrib.auth.backends.ModelBackend")
    for url in (reverse("onestop:list"), reverse("onestop:receive")):
        response = client.get(url)
        assert response.status_code == 200, url
        assert duplicate_ids(response.content) == {}, url
