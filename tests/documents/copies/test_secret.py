from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from documents.common import Confidentiality
from documents.copies import selectors, services
from documents.models import IncomingDocument
from eoffice.models import Role
from tests.documents.conftest import receive
from tests.documents.copies.conftest import PIN, fields, three_pages
from tests.factories import make_user


def test_a_copy_keeps_the_secrecy_of_its_source(office, agency_b, login):
    upload = SimpleUploadedFile("mat.pdf", three_pages("Văn bản mật"), content_type="application/pdf")
    secret = receive(
        office["clerk"],
        main_files=[upload],
        confidentiality=Confidentiality.SECRET,
        directing_leader=office["leader"],
    )
    other_clerk = make_user(agency=office["clerk"].agency, roles=[Role.CLERK], username="clerk_not_granted")
    url = reverse("documents:copy_create", args=["incoming", secret.pk])
    assert login(other_clerk).get(url).status_code == 404  # who may not see the source may not copy it

    copy = services.copy_issue(
        source=secret, fields=fields(office, recipient_agencies=[agency_b]), by=office["clerk"], pin=PIN
    )
    assert not selectors.visible_copies(other_clerk).exists()
    assert login(other_clerk).get(copy.get_absolute_url()).status_code == 404
    assert selectors.visible_copies(office["clerk"]).get() == copy
    arrived = IncomingDocument.objects.get(agency=agency_b)
    assert arrived.confidentiality == Confidentiality.SECRET
    assert login(office["clerk_b"]).get(arrived.get_absolute_url()).status_code == 200
