"""Settings of the actions benchmark (``bench/actions.py``): the benchmark's, with the timing middleware first
(``bench.timing``: render, sign, database and hashing times in a ``Server-Timing`` header) and the test TSA
called in-process (no HTTP round trip to a timestamp server: the figure is the product's own work)."""

from bench.settings import *  # noqa: F403
from bench.settings import MIDDLEWARE

MIDDLEWARE = ["bench.timing.ServerTimingMiddleware", *MIDDLEWARE]
SIGNING_TSA_IN_PROCESS = True
