"""pyHanko's synchronous API runs its own event loop (asyncio.run). Called from a thread that already
runs a loop (an ASGI server, a Jupyter kernel, a test that drives a browser), that fails; there the call
is made in a short-lived worker thread instead."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

T = TypeVar("T")


def call(fn: Callable[..., T], /, *args, **kwargs) -> T:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return fn(*args, **kwargs)
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="pyhanko") as pool:
        return pool.submit(fn, *args, **kwargs).result()
