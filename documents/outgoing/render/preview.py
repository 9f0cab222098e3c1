"""A render with a time bound (the "Xem trước" button): in a child of a warm fork server, killed when it
takes too long."""

from __future__ import annotations

import multiprocessing
from functools import lru_cache

from documents.outgoing.render.document import render
from documents.outgoing.render.layout import Layout, Rendered

PREVIEW_SECONDS = 20  # far above what a document within the form's limits takes (about 2 s at the limits)


STARTUP_SECONDS = 120  # the fork server's first start (Django, fonts, one page laid out)


WARM_LAYOUT = {
    "type_name": "Công văn",
    "type_abbr": "",
    "parent_agency": "",
    "agency": "Cơ quan",
    "symbol": "",
    "number": None,
    "place": "",
    "date": None,
    "summary": "Xem trước",
    "body_html": "<p>Xem trước.</p>",
    "draft": True,
}


class RenderTimeout(Exception):
    """The layout took longer than allowed; the process rendering it was stopped."""


@lru_cache(maxsize=1)
def _child_context():
    """Children forked from a clean, single-threaded server process, warmed up by ``preview_server``:
    nothing of the web worker's threads, locks or database connections is inherited."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["documents.outgoing.preview_server"])
    return context


def _render_child(layout: Layout, pipe) -> None:
    pipe.send(("started", None))
    try:
        from django.apps import apps

        if not apps.ready:
            import django

            django.setup()
        pipe.send(("ok", render(layout)))
    except BaseException as exc:  # noqa: BLE001 - reported to the parent, which raises it
        pipe.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        pipe.close()


def _receive(receiver, process) -> tuple:
    try:
        return receiver.recv()
    except EOFError:
        raise RuntimeError(f"the preview renderer ended without a result (exit {process.exitcode})") from None


def render_bounded(layout: Layout, *, seconds: float | None = None) -> Rendered:
    """``render(layout)`` in a child process that is killed after ``seconds`` (RenderTimeout).

    WeasyPrint cannot be interrupted inside a thread (the web server's worker threads take no signals), so
    the work runs in a process of its own; a stopped render costs the CPU it used until then, no more."""
    seconds = PREVIEW_SECONDS if seconds is None else seconds
    context = _child_context()
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(target=_render_child, args=(layout, sender), name="eoffice-preview")
    process.start()
    sender.close()
    try:
        # The first preview of a web process waits for the fork server to start and warm up (seconds on a
        # busy machine): that wait is bounded apart, the render's own time from the child's start.
        if not receiver.poll(STARTUP_SECONDS):
            raise RenderTimeout(f"the preview renderer did not start within {STARTUP_SECONDS} s")
        started = _receive(receiver, process)
        if not receiver.poll(seconds):
            raise RenderTimeout(f"render took more than {seconds} s")
        status, value = _receive(receiver, process)
        if started[0] != "started" or status != "ok":
            raise RuntimeError(f"the preview renderer failed: {value}")
        return value
    finally:
        if process.is_alive():
            process.kill()
        process.join(timeout=5)
        receiver.close()
