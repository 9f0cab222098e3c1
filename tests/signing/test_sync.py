"""pyHanko's sync API runs its own event loop; our calls work when the thread already runs one."""

import asyncio

import pytest

from signing import services, sync
from signing.verification import verify_pdf
from tests.signing.factories import PIN

pytestmark = pytest.mark.django_db


def test_call_runs_a_loop_owning_function_inside_a_running_loop():
    async def answer():
        return 42

    async def outer():
        with pytest.raises(RuntimeError):
            asyncio.run(answer())  # what pyHanko's sync API would do here
        return sync.call(asyncio.run, answer())

    assert asyncio.run(outer()) == 42
    assert sync.call(asyncio.run, answer()) == 42  # and without a loop, directly


def test_verification_inside_a_running_loop(sample, leader_a, leader_credential):
    signed = services.sign_pdf_bytes(
        data=sample, credential=leader_credential, pin=PIN, by=leader_a, kind="leader"
    )

    async def inside_loop():
        return verify_pdf(signed.data)

    report = asyncio.run(inside_loop())
    assert report.signatures and report.signatures[0].intact and report.signatures[0].valid
