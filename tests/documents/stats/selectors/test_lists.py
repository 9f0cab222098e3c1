"""The list behind every number: as many rows as the number, each linking to its record."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.documents.stats.conftest import (
    LIST,
    STATS,
    list_count,
    list_links,
    query_params,
    recent_period,
    scenario,
)
from workflow.models import WorkItem

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who,scope", [("leader", "agency"), ("head", "unit"), ("officer", "")])
def test_every_number_links_to_a_list_of_that_many(people, login, who, scope):
    scenario(people)
    user = people[who]
    key = {"agency": "agency", "unit": f"unit-{people['unit'].pk}", "": ""}[scope]
    page = login(user).get(STATS, query_params(recent_period(1), scope=key) if key else {}).content.decode()
    links = list_links(page)
    assert len(links) >= 8
    assert any(value > 0 for _u, _b, value in links)
    client = login(user)
    for url, bucket, value in links:
        assert f"bucket={bucket}" in url
        assert list_count(client, url) == value, (url, value)


def test_list_rows_link_to_their_records(people, login):
    docs = scenario(people)
    page = (
        login(people["leader"])
        .get(LIST, query_params(recent_period(1), scope="agency", bucket="all"))
        .content.decode()
    )
    assert docs[0].get_absolute_url() in page
    assert reverse("workflow:workitem_detail", args=[WorkItem.objects.get().pk]) in page


@pytest.mark.parametrize("params", [{"scope": "unit-abc"}, {"scope": "agency", "bucket": "x"}, {"by": "all"}])
def test_tampered_list_parameters_are_not_found(people, login, params):
    assert login(people["leader"]).get(LIST, {"bucket": "all", **params}).status_code == 404
