"""documents.exchange.services.directory: the outside agencies synchronised from a transport — added,
changed and deactivated, recorded for the admin; this installation's agencies left out; an agency entered
by hand left alone; a transport that fails changes nothing and says why."""

from __future__ import annotations

import pytest

from documents.exchange import selectors
from documents.exchange.models import DirectorySync, ExternalAgency
from documents.exchange.services import common, directory_sync

pytestmark = pytest.mark.django_db


class Directory:
    def __init__(self, items):
        self.items = items
        self.error: Exception | None = None

    def agencies(self):
        if self.error is not None:
            raise self.error
        return self.items


@pytest.fixture
def axis(monkeypatch):
    transport = Directory([])
    monkeypatch.setattr(common, "transport", lambda key: transport)
    return transport


def test_sync_adds_changes_and_deactivates(axis, agency_a):
    manual = ExternalAgency.objects.create(code="000.00.00.G01", name="Bộ Nhập Tay", transport="axis")
    axis.items = [
        {"code": "000.00.00.G22", "name": "Bộ Thông tin và Truyền thông", "email": "vt@mic.gov.vn"},
        {"code_qd20": "H29.05", "name": "Sở Tư pháp Hà Nội", "parent_name": "UBND TP Hà Nội"},
        {"code_qd20": "H26.31", "name": agency_a.name},  # ours (000.00.31.H26): left out
        {"code": "", "name": "Không mã"},  # no code: ignored
    ]
    first = directory_sync(transport="axis")
    assert first.error == "" and first.finished_at is not None
    assert sorted(a["code"] for a in first.added) == ["000.00.00.G22", "000.00.05.H29"]
    mic = ExternalAgency.objects.get(code="000.00.00.G22")
    assert (mic.code_qd20, mic.source, mic.transport, mic.email) == (
        "G22",
        "directory",
        "axis",
        "vt@mic.gov.vn",
    )
    justice = ExternalAgency.objects.get(code_qd20="H29.05")
    assert justice.code == "000.00.05.H29" and justice.parent_name == "UBND TP Hà Nội"
    assert not ExternalAgency.objects.filter(name=agency_a.name).exists()

    axis.items = [{"code": "000.00.00.G22", "name": "Bộ Khoa học và Công nghệ", "email": "vt@mic.gov.vn"}]
    second = directory_sync(transport="axis")
    assert second.added == []
    [change] = second.changed
    assert change["changes"]["name"] == ["Bộ Thông tin và Truyền thông", "Bộ Khoa học và Công nghệ"]
    assert second.deactivated == [{"code": "000.00.05.H29", "name": "Sở Tư pháp Hà Nội"}]
    justice.refresh_from_db()
    manual.refresh_from_db()
    assert not justice.active and manual.active  # entered by hand: not the directory's to remove
    assert list(selectors.external_agencies("khoa học").values_list("code", flat=True)) == ["000.00.00.G22"]
    assert not selectors.external_agencies("H29").exists()  # inactive agencies are not offered

    axis.items = [{"code_qd20": "H29.05", "name": "Sở Tư pháp Hà Nội"}]
    third = directory_sync(transport="axis")
    justice.refresh_from_db()
    assert justice.active and third.changed[0]["changes"]["active"] == [False, True]


def test_a_failing_transport_changes_nothing(axis):
    ExternalAgency.objects.create(
        code="000.00.00.G22", name="Bộ Thông tin và Truyền thông", transport="axis", source="directory"
    )
    axis.error = ConnectionError("connection refused")
    sync = directory_sync(transport="axis")
    assert sync.error == "connection refused" and sync.finished_at is not None
    assert (sync.added, sync.changed, sync.deactivated) == ([], [], [])
    assert ExternalAgency.objects.get().active
    assert DirectorySync.objects.count() == 1
