# eoffice: one image for the web server, the Celery worker and Celery beat (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    EOFFICE_VAR_DIR=/app/var \
    MEDIA_ROOT=/data/media

# Native libraries of WeasyPrint (PDF output), Ghostscript (PDF/A renditions, eoffice/output/pdfa.py). No font
# packages: the project ships the fonts it uses.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 libfontconfig1 ghostscript \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY requirements.lock ./
RUN pip install --require-hashes -r requirements.lock

COPY . .

# The settings read DATABASE_URL / REDIS_URL at import and start the embedded servers when they are
# unset; collectstatic connects to neither, so placeholders do. The placeholder secret key keeps the
# settings from writing a key file into the image.
RUN DATABASE_URL=postgres://build@127.0.0.1:1/build \
    REDIS_URL=redis://127.0.0.1:1/0 \
    DJANGO_SECRET_KEY=collectstatic-only \
    python manage.py collectstatic --noinput --verbosity 0

RUN useradd --system --uid 10001 --user-group --home-dir /app --shell /usr/sbin/nologin eoffice \
    && mkdir -p /data/media /data/signing-pki /data/keys \
    && chown -R eoffice:eoffice /data /app/var \
    && chmod 0755 /app/docker/entrypoint.sh
USER eoffice

EXPOSE 8000
ENTRYPOINT ["/app/docker/entrypoint.sh"]
# Gunicorn reads WEB_CONCURRENCY (number of worker processes) from the environment. No access log of its own:
# eoffice.request_log writes one line per request (JSON with LOG_FORMAT=json, no query string). Keep-alive
# longer than the proxy's, so that nginx never reuses a connection gunicorn has just closed (bench/scaleout.py).
CMD ["gunicorn", "eoffice.wsgi:application", "--bind", "0.0.0.0:8000", "--threads", "4", \
     "--timeout", "120", "--keep-alive", "75"]
