"""The results services: the applicant's rating."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from onestop import services
from onestop.models import DossierState
from tests.onestop.conftest import advance, receive

pytestmark = pytest.mark.django_db


def test_rating_once_and_only_after_return(procedure, people):
    dossier = advance(receive(procedure, people), DossierState.RETURNING, people)
    with pytest.raises(ValidationError):
        services.dossier_rate(dossier=dossier, rating=5)
    dossier = services.dossier_hand_over(
        dossier=dossier, by=people["onestop"], returned_to="Nguyễn Văn An", rating=4, comment="Nhanh"
    )
    assert (dossier.rating, dossier.rating_comment) == (4, "Nhanh")
    with pytest.raises(ValidationError):
        services.dossier_rate(dossier=dossier, rating=5)


def test_rating_out_of_range(procedure, people):
    dossier = advance(receive(procedure, people), DossierState.RETURNED, people)
    with pytest.raises(ValidationError):
        services.dossier_rate(dossier=dossier, rating=6)
    assert services.dossier_rate(dossier=dossier, rating=1).rating == 1
