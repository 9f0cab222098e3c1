"""The second demo province and the launcher's pairing of two installations (no servers needed)."""

from __future__ import annotations

import json

import pytest

from eoffice import demo, demo_province2, launcher


def test_province_2_is_its_own_fictional_province():
    agencies, staff, superuser = demo.dataset(2)
    assert {a.code.rsplit(".", 1)[1] for a in agencies} == {"H98"}
    assert not {a.code for a in agencies} & {a.code for a in demo.AGENCIES}
    assert not {p.username for p in staff} & {p.username for p in demo.STAFF}
    assert {p.email.split("@")[1] for p in staff} == {demo_province2.EMAIL_DOMAIN}
    assert {p.agency for p in staff} <= {a.code for a in agencies}
    # each agency has the people an exchange needs: a clerk and a leader
    for agency in agencies:
        roles = {r for p in staff if p.agency == agency.code for r in p.roles}
        assert {demo.CLERK, demo.LEADER} <= roles, agency.name
    assert superuser["email"].endswith("@binhson.gov.vn")
    accounts = demo.demo_accounts(2)
    assert [a["username"] for a in accounts] == ["admin", *[p.username for p in staff]]
    assert demo.demo_accounts() == demo.demo_accounts(1)  # province 1 unchanged
    assert demo.STAFF[0].email.endswith("@anhoa.gov.vn")


@pytest.mark.parametrize(("value", "province"), [("", 1), ("1", 1), ("2", 2)])
def test_the_province_comes_from_the_environment(monkeypatch, value, province):
    monkeypatch.setenv("EOFFICE_DEMO_PROVINCE", value)
    assert demo.province_from_env() == province


@pytest.mark.parametrize("value", ["3", "hai", "-1"])
def test_an_unknown_province_is_refused(monkeypatch, value):
    monkeypatch.setenv("EOFFICE_DEMO_PROVINCE", value)
    with pytest.raises(ValueError, match="EOFFICE_DEMO_PROVINCE"):
        demo.province_from_env()


def test_the_launcher_connects_the_two_provinces(monkeypatch, tmp_path):
    monkeypatch.setattr(launcher, "BASE_DIR", tmp_path)
    one = launcher.province_env(1, environ={}, host="127.0.0.1")
    two = launcher.province_env(2, environ={}, host="127.0.0.1")

    assert (one["PORT"], two["PORT"]) == ("8000", "8001")
    assert "EOFFICE_VAR_DIR" not in one and two["EOFFICE_VAR_DIR"] == str(tmp_path / "var" / "province2")
    assert two["SIGNING_PKI_DIR"] == str(tmp_path / "var" / "signing-pki")  # province 1's test CA
    assert (one["EXCHANGE_SYSTEM_ID"], two["EXCHANGE_SYSTEM_ID"]) == ("province1", "province2")
    to_two = json.loads(one["EXCHANGE_TRANSPORTS"])
    to_one = json.loads(two["EXCHANGE_TRANSPORTS"])
    assert to_two["province2"]["url"] == "http://127.0.0.1:8001/exchange/node/"
    assert to_one["province1"]["url"] == "http://127.0.0.1:8000/exchange/node/"
    secret = to_two["province2"]["secret"]
    assert len(secret) >= 32 and to_one["province1"]["secret"] == secret
    assert json.loads(one["EXCHANGE_NODE_PEERS"]) == {"province2": secret}
    assert json.loads(two["EXCHANGE_NODE_PEERS"]) == {"province1": secret}
    assert (tmp_path / "var" / "exchange-demo.secret").stat().st_mode & 0o077 == 0
    assert one["EXCHANGE_TEST_KEYS"] == "1"


def test_the_launcher_keeps_what_the_environment_sets(monkeypatch, tmp_path):
    monkeypatch.setattr(launcher, "BASE_DIR", tmp_path)
    given = {"PORT": "9001", "EXCHANGE_TRANSPORTS": '{"axis": {}}', "EOFFICE_VAR_DIR": "/srv/p2"}
    env = launcher.province_env(2, environ=given, host="127.0.0.1")
    assert not set(env) & set(given)
    assert not any(key.startswith("EXCHANGE_") for key in env)  # an administrator's own exchange settings
    peer = launcher.province_env(1, environ={"EOFFICE_PEER_PORT": "9001"}, host="10.0.0.5")
    assert (
        json.loads(peer["EXCHANGE_TRANSPORTS"])["province2"]["url"] == "http://10.0.0.5:9001/exchange/node/"
    )


class FakeSync:
    """A finished ``manage.py exchange_sync_directory`` with the given exit code."""

    def __init__(self, code: int) -> None:
        self.returncode = code
        self.args: list[str] = []

    def poll(self) -> int:
        return self.returncode


def test_the_directory_is_synced_from_the_peer_once_it_answers(monkeypatch):
    codes = [1, 1, 0]
    started: list[list[str]] = []

    def popen(args, **kwargs):
        started.append(args)
        return FakeSync(codes.pop(0))

    monkeypatch.setattr(launcher.subprocess, "Popen", popen)
    monkeypatch.setattr(launcher, "DIRECTORY_RETRY_SECONDS", 0)
    sync = launcher.DirectorySync(["province2"])
    for _ in range(10):
        sync.step()
    assert len(started) == 3 and started[0][-3:] == ["exchange_sync_directory", "--transport", "province2"]
    assert sync.keys == [] and sync.proc is None  # synced: not asked again
