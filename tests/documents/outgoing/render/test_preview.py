"""documents.outgoing.render.preview: a render over its time is stopped, its process gone."""

from __future__ import annotations

import multiprocessing
import time

import pytest

from documents.outgoing import render

pytestmark = pytest.mark.django_db


TABLE_5000 = "<table>" + "<tr><td>1</td></tr>" * 5000 + "</table>"  # 95,015 characters: under the old cap


def test_a_render_over_its_time_is_stopped():
    """Past the limits (as a direct call could be), the render is stopped at its time and its process
    ended: the worker that asked is free again."""
    layout = render.Layout(**{**render.WARM_LAYOUT, "body_html": TABLE_5000})
    render.render_bounded(render.Layout(**render.WARM_LAYOUT))  # the fork server up and warm
    started = time.monotonic()
    with pytest.raises(render.RenderTimeout):
        render.render_bounded(layout, seconds=1)
    assert time.monotonic() - started < 5
    assert not [p for p in multiprocessing.active_children() if p.name == "eoffice-preview"]
