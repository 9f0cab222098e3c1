import pytest
from django.urls import reverse

from documents.incoming import selectors, services
from documents.models import Confidentiality
from eoffice.models import Role
from tests.documents.conftest import receive
from tests.factories import make_user
from workflow.models import Assignment, HistoryEntry

pytestmark = pytest.mark.django_db


def _directed(people, **extra):
    doc = receive(people["clerk"], n=extra.pop("n", 1), **extra)
    return services.incoming_direct(
        document=doc, by=people["leader"], instruction="Xử lý", lead_department=people["unit"]
    )


def test_who_sees_a_normal_document(people):
    doc = _directed(people)
    for who in ("clerk", "leader", "deputy", "head"):
        assert selectors.visible_incoming(people[who]).filter(pk=doc.pk).exists(), who
    for who in ("officer", "other_head", "other_officer"):
        assert not selectors.visible_incoming(people[who]).filter(pk=doc.pk).exists(), who
    part = Assignment.objects.for_record(doc).get(role="lead")
    services.incoming_forward(document=doc, assignment=part, by=people["head"], to_user=people["officer"])
    assert selectors.visible_incoming(people["officer"]).filter(pk=doc.pk).exists()


def test_unregistered_documents_are_for_clerks_only(people):
    doc = receive(people["clerk"], n=1, register_now=False)
    assert not selectors.visible_incoming(people["leader"]).filter(pk=doc.pk).exists()
    assert selectors.queue_count(people["clerk"], "register") == 1


def test_other_agency_sees_nothing_and_gets_404(people, people_b, client):
    doc = _directed(people)
    part = Assignment.objects.for_record(doc).get(role="lead")
    att_doc = receive(
        people["clerk"],
        n=2,
        attachments=[__import__("tests.documents.conftest", fromlist=["x"]).pdf_upload("pl.pdf", "PL")],
    )
    attachment = att_doc.attachments.get()
    for who in people_b.values():
        assert selectors.visible_incoming(who).count() == 0
        for queue in selectors.QUEUES:
            assert selectors.queue_count(who, queue) == 0
        client.force_login(who, backend="django.contrib.auth.backends.ModelBackend")
        urls = [reverse(f"documents:{name}", args=[doc.pk]) for name in ("incoming_detail", "incoming_file")]
        urls.append(reverse("documents:attachment_file", args=[att_doc.pk, attachment.pk]))
        for url in urls:
            assert client.get(url).status_code == 404, url
        posts = [
            "incoming_action",
            "incoming_direct",
            "incoming_delegate",
            "incoming_progress",
            "incoming_request_input",
            "incoming_propose",
            "incoming_link_reply",
            "incoming_finish",
            "incoming_attachments",
            "incoming_grant",
        ]
        for name in posts:
            assert (
                client.post(reverse(f"documents:{name}", args=[doc.pk]), {"action": "start"}).status_code
                == 404
            ), name
        for name in ("incoming_forward", "incoming_reply"):
            assert client.post(reverse(f"documents:{name}", args=[doc.pk, part.pk])).status_code == 404
        response = client.get(reverse("documents:incoming_list"))
        assert doc.number_symbol not in response.content.decode()


def test_secret_document_only_for_those_granted(people, client):
    doc = receive(
        people["clerk"], n=1, confidentiality=Confidentiality.SECRET, directing_leader=people["leader"]
    )
    assert selectors.visible_incoming(people["leader"]).filter(pk=doc.pk).exists()
    assert selectors.visible_incoming(people["clerk"]).filter(pk=doc.pk).exists()
    # the deputy leader and another clerk are not granted: no row, no count
    other_clerk = make_user(agency=people["clerk"].agency, roles=[Role.CLERK])
    for user in (people["deputy"], other_clerk, people["head"]):
        assert not selectors.visible_incoming(user).filter(pk=doc.pk).exists()
        assert selectors.queue_count(user, "direction") == 0
    assert selectors.queue_count(people["leader"], "direction") == 1
    client.force_login(people["deputy"], backend="django.contrib.auth.backends.ModelBackend")
    assert client.get(reverse("documents:incoming_detail", args=[doc.pk])).status_code == 404
    assert doc.number_symbol not in client.get(reverse("documents:incoming_list")).content.decode()
    # direction grants the assigned unit's head; forwarding grants the officer
    services.incoming_direct(
        document=doc, by=people["leader"], instruction="Xử lý mật", lead_department=people["unit"]
    )
    assert selectors.visible_incoming(people["head"]).filter(pk=doc.pk).exists()
    part = Assignment.objects.for_record(doc).get(role="lead")
    services.incoming_forward(document=doc, assignment=part, by=people["head"], to_user=people["officer"])
    assert selectors.visible_incoming(people["officer"]).filter(pk=doc.pk).exists()
    assert not selectors.visible_incoming(people["officer2"]).filter(pk=doc.pk).exists()


def test_each_view_of_a_secret_document_is_logged(people, client):
    # Mật: below the default metadata-only level (Tối mật), so the document has a file to open.
    doc = receive(
        people["clerk"], n=1, confidentiality=Confidentiality.SECRET, directing_leader=people["leader"]
    )
    client.force_login(people["leader"], backend="django.contrib.auth.backends.ModelBackend")
    client.get(reverse("documents:incoming_detail", args=[doc.pk]))
    client.get(reverse("documents:incoming_detail", args=[doc.pk]))
    client.get(reverse("documents:incoming_file", args=[doc.pk]))
    views = HistoryEntry.objects.for_record(doc).filter(event=HistoryEntry.Event.VIEW, actor=people["leader"])
    assert views.count() == 3


def test_grant_on_secret_document_by_group(people):
    from django.contrib.auth.models import Group, Permission

    from documents.models import IncomingDocumentGroupObjectPermission

    doc = receive(
        people["clerk"], n=1, confidentiality=Confidentiality.SECRET, directing_leader=people["leader"]
    )
    group = Group.objects.create(name="Tổ công tác mật")
    people["officer2"].groups.add(group)
    IncomingDocumentGroupObjectPermission.objects.create(
        group=group, content_object=doc, permission=Permission.objects.get(codename="view_incomingdocument")
    )
    assert selectors.visible_incoming(people["officer2"]).filter(pk=doc.pk).exists()


def test_leader_grants_view_and_the_person_is_told(people):
    doc = receive(
        people["clerk"], n=1, confidentiality=Confidentiality.SECRET, directing_leader=people["leader"]
    )
    services.incoming_grant(document=doc, by=people["leader"], users=[people["deputy"]])
    assert selectors.visible_incoming(people["deputy"]).filter(pk=doc.pk).exists()
    assert people["deputy"].notifications.filter(title__contains="quyền xem").exists()


def test_officer_cannot_grant(people):
    import pytest as _pytest
    from django.core.exceptions import PermissionDenied

    doc = receive(
        people["clerk"], n=1, confidentiality=Confidentiality.SECRET, directing_leader=people["leader"]
    )
    with _pytest.raises(PermissionDenied):
        services.incoming_grant(document=doc, by=people["officer"], users=[people["officer"]])
