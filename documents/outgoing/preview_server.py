"""Imported once by the fork server that renders previews (``render.render_bounded``): Django set up, the
fonts and the stylesheet loaded and one page laid out, so that every preview's process starts warm (a cold
start costs seconds: the fonts alone take about 2 s)."""

import logging

import eoffice.wsgi  # noqa: F401 - django.setup()
from documents.outgoing import render

try:
    render.render(render.Layout(**render.WARM_LAYOUT))
except Exception:  # a failed warm-up only makes the first preview slower
    logging.getLogger(__name__).warning("preview warm-up failed", exc_info=True)
