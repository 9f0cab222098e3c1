"""Behind a real nginx: the login lockout counts each real client, not the proxy, and a client cannot escape
it with its own X-Forwarded-For; gunicorn's log (LOG_FORMAT=json) is one JSON object per line, with the
request id nginx gave and the client's address, and no password.

nginx (Debian's /usr/sbin/nginx, .ci/run installs it) runs with its own configuration in a tmp dir and
proxies to a real gunicorn on the test database (EOFFICE_TRUSTED_PROXIES=127.0.0.1). The clients are
127.0.0.2 and 127.0.0.3 (Linux answers the whole 127.0.0.0/8 on loopback): the source address of the
connection is the client's real address, as nginx sees it. Every process is stopped by its pid at the end.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import subprocess
import sys
import urllib.parse
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.urls import reverse

from tests.faults.livesite import free_port, stop_group, wait_until
from tests.worker import database_url

pytestmark = [pytest.mark.faults, pytest.mark.django_db(transaction=True)]

BASE_DIR = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
PASSWORD = "Dung-mat-khau-2468!"


class Browser:
    """Cookies and CSRF over http.client, every connection from ``source`` (the client's own address)."""

    def __init__(self, port: int, source: str):
        self.port, self.source, self.cookies = port, source, {}

    def request(self, method: str, path: str, form: dict | None = None, headers: dict | None = None):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60, source_address=(self.source, 0))
        head = {"Host": "127.0.0.1", **(headers or {})}
        if self.cookies:
            head["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urllib.parse.urlencode({**form, "csrfmiddlewaretoken": self.cookies.get("csrftoken", "")})
            head["Content-Type"] = "application/x-www-form-urlencoded"
        conn.request(method, path, body=body, headers=head)
        response = conn.getresponse()
        text = response.read().decode("utf-8", "replace")
        for value in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(value).items():
                self.cookies[name] = morsel.value
        conn.close()
        return response, text

    def login(self, username: str, password: str, spoof: str | None = None):
        page, html = self.request("GET", reverse("login"))
        assert page.status == 200, html[:500]
        assert re.search(r'name="csrfmiddlewaretoken"', html)
        headers = {"X-Forwarded-For": spoof} if spoof else None
        return self.request("POST", reverse("login"), {"username": username, "password": password}, headers)


NGINX_CONF = """
worker_processes 1;
error_log {root}/nginx-error.log warn;
pid {root}/nginx.pid;
events {{ worker_connections 64; }}
http {{
    access_log off;
    client_body_temp_path {root}/body;
    proxy_temp_path {root}/proxy;
    fastcgi_temp_path {root}/fastcgi;
    uwsgi_temp_path {root}/uwsgi;
    scgi_temp_path {root}/scgi;
    server {{
        listen 127.0.0.1:{port};
        location / {{
            proxy_pass http://127.0.0.1:{upstream};
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_set_header X-Request-ID $request_id;
        }}
    }}
}}
"""


@pytest.fixture
def site(tmp_path):
    """gunicorn on the test database behind nginx; yields (nginx port, gunicorn's log path)."""
    if not os.path.exists(NGINX):
        pytest.skip("nginx is not installed (.ci/run installs it)")
    web_port, proxy_port = free_port(), free_port()
    log_path = tmp_path / "gunicorn.log"
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": django_settings.REDIS_URL,
        "DJANGO_SETTINGS_MODULE": "eoffice.settings",
        "EOFFICE_TRUSTED_PROXIES": "127.0.0.1",
        "LOG_FORMAT": "json",
        "LOG_LEVEL": "INFO",
        "AXES_FAILURE_LIMIT": "3",
        "EOFFICE_VAR_DIR": str(tmp_path / "var"),
        "MEDIA_ROOT": str(tmp_path / "media"),
    }
    env.pop("EOFFICE_TESTING", None)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=BASE_DIR, env=env, check=True
    )  # DEBUG off: the pages need the manifest
    (tmp_path / "nginx.conf").write_text(NGINX_CONF.format(root=tmp_path, port=proxy_port, upstream=web_port))
    web = proxy = None
    with log_path.open("w") as log, (tmp_path / "nginx.out").open("w") as nginx_out:
        try:
            web = subprocess.Popen(
                [str(BIN / "gunicorn"), "eoffice.wsgi:application", "--bind", f"127.0.0.1:{web_port}",
                 "--workers", "1", "--threads", "2", "--timeout", "120", "--log-level", "warning"],
                cwd=BASE_DIR, env=env, stdout=log, stderr=log, start_new_session=True,
            )  # fmt: skip
            proxy = subprocess.Popen(
                [NGINX, "-p", str(tmp_path), "-c", str(tmp_path / "nginx.conf"), "-g", "daemon off;"],
                stdout=nginx_out, stderr=nginx_out, start_new_session=True,
            )  # fmt: skip

            def ready() -> bool:
                assert web.poll() is None, log_path.read_text()[-3000:]
                assert proxy.poll() is None, (tmp_path / "nginx-error.log").read_text()[-3000:]
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", proxy_port, timeout=5)
                    conn.request("GET", "/healthz")
                    ok = conn.getresponse().status == 200
                    conn.close()
                    return ok
                except OSError:
                    return False

            wait_until(ready, "gunicorn behind nginx")
            yield proxy_port, log_path
        finally:
            stop_group(proxy)
            stop_group(web)


def test_lockout_counts_each_real_client_behind_nginx(site, officer_a):
    proxy_port, log_path = site
    hasher = PBKDF2PasswordHasher()  # a hash made before Argon2: the server checks it, then rewrites it
    officer_a.password = hasher.encode(PASSWORD, hasher.salt())
    officer_a.save(update_fields=["password"])
    username = officer_a.username

    # 127.0.0.2 fails three times, each time claiming another address in its own X-Forwarded-For
    first = Browser(proxy_port, "127.0.0.2")
    statuses = [first.login(username, "sai-mat-khau", spoof=f"203.0.113.{n + 1}")[0].status for n in range(3)]
    assert statuses == [200, 200, 429]  # the third failure reaches the limit (AXES_FAILURE_LIMIT=3)
    response, html = first.login(username, PASSWORD, spoof="203.0.113.77")
    assert response.status == 429 and "khóa" in html  # locked, the made-up addresses did not help

    # 127.0.0.3, behind the same proxy, is another client: not locked
    second = Browser(proxy_port, "127.0.0.3")
    response, _ = second.login(username, PASSWORD)
    assert response.status == 302 and response.headers["Location"] == reverse("dashboard")
    request_id = response.headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)  # nginx's $request_id, echoed

    from axes.models import AccessAttempt

    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"127.0.0.2"}
    officer_a.refresh_from_db()
    assert officer_a.password.startswith("argon2$")  # the server's first hasher is Argon2: rehashed

    # gunicorn's output: one JSON object per line; the request lines name the real clients
    wait_until(lambda: request_id in log_path.read_text(), "the last request's log line")
    text = log_path.read_text()
    lines = [json.loads(line) for line in text.splitlines() if line.strip()]
    requests = [line for line in lines if line["logger"] == "eoffice.request"]
    assert {line["client"] for line in requests} == {"127.0.0.2", "127.0.0.3"}
    locked = [line for line in requests if line["status"] == 429]
    assert [(line["method"], line["path"], line["client"]) for line in locked] == [
        ("POST", reverse("login"), "127.0.0.2")
    ] * 2
    (mine,) = [line for line in requests if line["request_id"] == request_id]
    assert (mine["status"], mine["user_id"], mine["client"]) == (302, officer_a.pk, "127.0.0.3")
    assert all({"ts", "level", "logger", "msg"} <= set(line) for line in lines)
    for secret in (PASSWORD, "sai-mat-khau", officer_a.email, "203.0.113."):
        assert secret not in text
