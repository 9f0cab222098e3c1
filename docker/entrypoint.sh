#!/bin/sh
# Container entry point: optional start-up steps, then the command (gunicorn, celery worker or beat).
#   EOFFICE_MIGRATE=1    apply database migrations first (the web service does it)
#   EOFFICE_SEED_DEMO=1  then load the demo data (manage.py seed_demo; safe to repeat)
set -eu
if [ "${EOFFICE_MIGRATE:-0}" = "1" ]; then
    python manage.py migrate --noinput
fi
if [ "${EOFFICE_SEED_DEMO:-0}" = "1" ]; then
    python manage.py seed_demo
fi
exec "$@"
