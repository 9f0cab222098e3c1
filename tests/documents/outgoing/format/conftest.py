"""Fixtures of the format-check tests: the outgoing office, with a Văn phòng person who checks format."""

import pytest

from eoffice.models import Role
from tests.documents.outgoing.helpers import office  # noqa: F401
from tests.factories import make_user
from tests.signing.conftest import _signing_settings, authority, pki_dir  # noqa: F401


@pytest.fixture
def checker(office, agency_a):  # noqa: F811
    """The agency's Chánh Văn phòng, with the "Kiểm tra thể thức" role."""
    return make_user(
        agency=agency_a, roles=[Role.FORMAT_REVIEWER], full_name="Trần Quốc Khánh", position="Chánh Văn phòng"
    )
