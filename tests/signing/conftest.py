import pytest

from eoffice.models import Role
from signing import backends, pki
from tests.signing import samples
from tests.signing.factories import make_credential


@pytest.fixture(scope="session")
def pki_dir(tmp_path_factory):
    directory = tmp_path_factory.mktemp("pki")
    pki.ensure_test_authority(directory)
    return directory


@pytest.fixture(autouse=True)
def _signing_settings(settings, pki_dir):
    settings.SIGNING_PKI_DIR = pki_dir
    settings.SIGNING_TSA_IN_PROCESS = True
    settings.SIGNING_TRUST_TEST_CA = True
    settings.SIGNING_LOCAL_TSA = True
    settings.SIGNING_PADES_LEVEL = "B-T"
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    yield
    backends.clear_key_cache()


@pytest.fixture
def authority(pki_dir):
    return pki.ensure_test_authority(pki_dir)


@pytest.fixture
def leader_a(staff_a):
    from django.core.files.base import ContentFile

    leader = staff_a[Role.LEADER]
    leader.signature_image.save("signature.png", ContentFile(samples.signature_png()), save=True)
    return leader


@pytest.fixture
def clerk_a(staff_a, agency_a):
    from django.core.files.base import ContentFile

    agency_a.seal_image.save("seal.png", ContentFile(samples.seal_png()), save=True)
    return staff_a[Role.CLERK]


@pytest.fixture
def leader_credential(leader_a, authority):
    return make_credential(authority=authority, agency=leader_a.agency, owner=leader_a)


@pytest.fixture
def seal_credential(clerk_a, authority):
    return make_credential(authority=authority, agency=clerk_a.agency, owner=None)


@pytest.fixture(scope="session")
def sample():
    return samples.sample_pdf()
