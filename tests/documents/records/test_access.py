"""Who reads a case file (documents.records.access): before the archive and once archived (borrowing, public
rights, archivists and leaders), the same 404 for another agency, and each read logged, open or archived."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.http import Http404
from django.utils import timezone

from documents.records import access
from documents.records.models import BorrowRequest, CaseFile, UsageRights
from eoffice.models import AccessEvent, Role
from tests.documents.records.test_services import open_file
from tests.factories import make_user

pytestmark = pytest.mark.django_db


def _sees(user, case_file) -> bool:
    return access.visible_case_files(user).filter(pk=case_file.pk).exists()


def test_before_the_archive(people, people_b):
    restricted = open_file(people["officer"], code="01.KT")
    secret = open_file(people["officer"], code="02.KT", rights=UsageRights.SECRET)
    archivist = make_user(agency=people["clerk"].agency, roles=[Role.ARCHIVIST])
    admin = make_user(agency=people["clerk"].agency, roles=[Role.AGENCY_ADMIN])
    for user in (people["officer"], people["clerk"], people["leader"], archivist, admin, people["head"]):
        assert _sees(user, restricted) and _sees(user, secret), user
    assert _sees(people["officer2"], restricted) and not _sees(people["officer2"], secret)
    for user in (people["other_officer"], people["other_head"], people_b["leader"], people_b["clerk"]):
        assert not _sees(user, restricted), user
    with pytest.raises(Http404):
        access.case_file_access(user=people_b["leader"], pk=restricted.pk)
    with pytest.raises(Http404):
        access.case_file_access(user=people["officer2"], pk=secret.pk)


def test_archived_needs_borrowing_unless_public_and_every_read_is_logged(people):
    agency = people["clerk"].agency
    archivist = make_user(agency=agency, roles=[Role.ARCHIVIST])
    case_file = open_file(people["officer"], code="01.KT")
    public = open_file(people["officer"], code="02.KT", rights=UsageRights.PUBLIC)
    CaseFile.objects.filter(pk__in=[case_file.pk, public.pk]).update(status=CaseFile.Status.ARCHIVED)
    assert _sees(archivist, case_file) and _sees(people["leader"], case_file)
    for user in (people["officer"], people["clerk"], people["officer2"], people["head"]):
        assert not _sees(user, case_file), user  # the owner and clerks too: the archive's rules now
        assert _sees(user, public), user
    today = timezone.localdate()
    reader = people["officer2"]
    BorrowRequest.objects.create(case_file=case_file, requester=reader, purpose="Tra cứu", until=today)
    assert not _sees(reader, case_file)  # pending
    BorrowRequest.objects.filter(requester=reader).update(status=BorrowRequest.Status.APPROVED)
    assert _sees(reader, case_file)
    BorrowRequest.objects.filter(requester=reader).update(until=today - timedelta(days=1))
    assert not _sees(reader, case_file)  # expired
    BorrowRequest.objects.filter(requester=reader).update(until=today + timedelta(days=3))
    before = AccessEvent.objects.count()
    access.case_file_access(user=reader, pk=case_file.pk)
    access.case_file_access(user=archivist, pk=case_file.pk)
    events = list(AccessEvent.objects.order_by("id")[before:])
    assert [(e.kind, e.object_id, e.user_id, e.action) for e in events] == [
        ("casefile", case_file.pk, reader.pk, "view"),
        ("casefile", case_file.pk, archivist.pk, "view"),
    ]


def test_open_file_reads_are_logged_too_and_manage_rules(people):
    case_file = open_file(people["officer"])
    before = AccessEvent.objects.filter(kind="casefile").count()
    access.case_file_access(user=people["officer"], pk=case_file.pk)  # III.6a: every read, not only archived
    access.case_file_access(user=people["officer"], pk=case_file.pk, audit=None)  # a write's check
    events = list(AccessEvent.objects.filter(kind="casefile").order_by("id")[before:])
    assert [(e.object_id, e.user_id, e.action) for e in events] == [
        (case_file.pk, people["officer"].pk, "view")
    ]
    assert access.can_manage(people["officer"], case_file)
    assert access.can_manage(people["clerk"], case_file) and access.can_manage(people["leader"], case_file)
    assert not access.can_manage(people["officer2"], case_file)
    assert not access.can_manage(people["head"], case_file)
    case_file.status = CaseFile.Status.CLOSED
    assert not access.can_manage(people["officer"], case_file) and access.can_reopen(
        people["officer"], case_file
    )
