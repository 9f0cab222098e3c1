"""Two people booking or approving the same room at the same time, each on their own database connection:
exactly one wins, the other gets the Vietnamese refusal."""

from __future__ import annotations

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from eoffice.models import User
from meetings import services
from meetings.models import Meeting
from tests.meetings.test_booking import at, org, register  # noqa: F401 - the fixture


def _race(jobs) -> tuple[list, list[BaseException]]:
    barrier = threading.Barrier(len(jobs))
    results, errors = [], []

    def work(job) -> None:
        try:
            barrier.wait()
            results.append(job())
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=work, args=(job,)) for job in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results, errors


def _refusals(errors) -> list[str]:
    assert all(isinstance(e, ValidationError) for e in errors), errors
    return [" ".join(e.messages) for e in errors]


@pytest.mark.django_db(transaction=True)
def test_two_managers_approve_two_meetings_of_one_room_at_once(org, monkeypatch):  # noqa: F811
    monkeypatch.setattr(services, "meeting_invitations_queue", lambda **kw: None)
    first = register(org, room=org["room"], title="Họp A")
    second = register(org, by=org["officer2"], chair=org["officer"], room=org["room"], title="Họp B")
    managers = [User.objects.get(pk=org["manager"].pk), User.objects.get(pk=org["clerk"].pk)]
    for _ in range(3):  # a few rounds: the threads really overlap at least once
        results, errors = _race(
            [
                lambda m=first: services.meeting_approve(meeting=m, by=managers[0]),
                lambda m=second: services.meeting_approve(meeting=m, by=managers[1]),
            ]
        )
        assert len(results) == 1 and len(errors) == 1
        assert "Phòng họp đã được duyệt cho cuộc họp khác trùng thời gian" in _refusals(errors)[0]
        assert Meeting.objects.filter(state="approved").count() == 1
        winner = Meeting.objects.get(state="approved")
        services.meeting_cancel(meeting=winner, by=managers[0], reason="Thử lại")
        first = register(org, room=org["room"], title="Họp A")
        second = register(org, by=org["officer2"], chair=org["officer"], room=org["room"], title="Họp B")


@pytest.mark.django_db(transaction=True)
def test_two_bookings_of_an_auto_approving_room_at_once(org, monkeypatch):  # noqa: F811
    monkeypatch.setattr(services, "meeting_invitations_queue", lambda **kw: None)
    people = [org["officer"], org["officer2"], org["deputy"]]
    results, errors = _race(
        [
            (
                lambda who=who, i=i: register(
                    org, by=who, chair=org["head"], room=org["auto_room"], title=f"Họp {i}"
                )
            )
            for i, who in enumerate(people)
        ]
    )
    # The head chairs all three: the losers are registered as waiting (the office may give the room to
    # the head), never a second approved meeting in the room.
    assert len(results) == 3 and not errors
    assert Meeting.objects.filter(state="approved", room=org["auto_room"]).count() == 1
    assert Meeting.objects.filter(state="submitted", room=org["auto_room"]).count() == 2


@pytest.mark.django_db(transaction=True)
def test_two_officers_book_an_auto_approving_room_at_once(org, monkeypatch):  # noqa: F811
    monkeypatch.setattr(services, "meeting_invitations_queue", lambda **kw: None)
    people = [org["officer"], org["officer2"]]
    results, errors = _race(
        [
            (
                lambda who=who: register(
                    org, by=who, chair=who, room=org["auto_room"], start=at(4, 9), end=at(4, 11)
                )
            )
            for who in people
        ]
    )
    assert len(results) == 1 and len(errors) == 1
    assert "Phòng họp đã được duyệt cho cuộc họp khác trùng thời gian" in _refusals(errors)[0]
    assert Meeting.objects.filter(room=org["auto_room"]).count() == 1
    assert Meeting.objects.get(room=org["auto_room"]).state == "approved"


@pytest.mark.django_db(transaction=True)
def test_two_managers_approve_the_same_meeting_at_once(org, monkeypatch):  # noqa: F811
    monkeypatch.setattr(services, "meeting_invitations_queue", lambda **kw: None)
    meeting = register(org, room=org["room"])
    managers = [User.objects.get(pk=org["manager"].pk), User.objects.get(pk=org["clerk"].pk)]
    results, errors = _race(
        [lambda by=by: services.meeting_approve(meeting=meeting, by=by) for by in managers]
    )
    assert len(results) == 1 and len(errors) == 1
    assert "người khác xử lý" in _refusals(errors)[0]
    meeting.refresh_from_db()
    assert meeting.state == "approved"
