#!/bin/sh
# The suite in two steps (run by `make test` inside the embedded services):
# 1. everything but the tests that start a real Celery worker, on $PYTEST_WORKERS pytest-xdist workers;
# 2. those tests alone, in one process: a real worker consumes its Redis queues, and a task that a test
#    running beside it queued there (for its own database) must not reach it.
# "No tests collected" (exit 5) in one step is fine when the arguments select only the other step's tests.
# PYTEST_MARK (a marker expression, e.g. "not browser") narrows both steps; by default "not twoinstall and not faults".
set -u
PY=${PY:-python}
step() {
  "$PY" -m pytest "$@"
  rc=$?
  [ "$rc" -eq 5 ] && rc=0
  return "$rc"
}
# shellcheck disable=SC2086  # PYTEST_WORKERS and PYTEST_ARGS are word lists on purpose
first="not realworker"
second="realworker"
# The two-installation test and the fault tests start processes of their own: only when asked for (.ci/run's
# own steps).
PYTEST_MARK=${PYTEST_MARK:-not twoinstall and not faults}
case "$PYTEST_MARK" in
  *faults*) ;;
  *) PYTEST_MARK="($PYTEST_MARK) and not faults" ;;
esac
if [ -n "${PYTEST_MARK:-}" ]; then
  first="$first and ($PYTEST_MARK)"
  second="$second and ($PYTEST_MARK)"
fi
step $PYTEST_WORKERS -m "$first" ${PYTEST_ARGS:-} || exit $?
step -m "$second" ${PYTEST_ARGS:-}
