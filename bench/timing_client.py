"""The browser side of the actions benchmark (``bench/actions.py``): one person's requests over HTTP with
their cookies, the forms of a page read as a browser reads them (lxml: the values a form submits as it
stands, CSRF token included), and each request's time with its ``Server-Timing`` parts
(``bench.timing``)."""

from __future__ import annotations

import http.client
import time
import uuid
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urljoin, urlsplit

from bench import timing

HOST = "127.0.0.1"


@dataclass
class Step:
    """One request: what the client waited (ms) and the server's parts (``bench.timing.parse``)."""

    name: str
    status: int
    ms: float
    parts: dict
    location: str = ""
    body: bytes = b""


@dataclass
class Sample:
    """One action as a person lives it: its requests, one after another."""

    steps: list[Step] = field(default_factory=list)

    @property
    def ms(self) -> float:
        return sum(s.ms for s in self.steps)

    def part(self, name: str) -> float:
        return sum(s.parts.get(name, 0.0) for s in self.steps)

    def split(self) -> dict:
        """total, render, sign, db, hash and other (= total − the rest) in ms; queries."""
        out = {"total": self.ms, **{p: self.part(p) for p in timing.PARTS}}
        out["other"] = out["total"] - sum(out[p] for p in timing.PARTS)
        out["queries"] = sum(s.parts.get("queries", 0) for s in self.steps)
        out["server"] = self.part("app")
        return out


class Browser:
    """Cookies kept between requests; a new connection per request (gunicorn's sync workers close it)."""

    def __init__(self, port: int, cookies: dict | None = None):
        self.port = port
        self.cookies = dict(cookies or {})

    def request(self, name: str, method: str, path: str, body: bytes | None = None, ctype: str = "") -> Step:
        headers = {"Host": f"{HOST}:{self.port}"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = ctype
            headers["Referer"] = f"http://{HOST}:{self.port}{path}"
        conn = http.client.HTTPConnection(HOST, self.port, timeout=120)
        started = time.perf_counter()
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            data = response.read()
        finally:
            conn.close()
        ms = (time.perf_counter() - started) * 1000
        for value in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(value)
            for key, morsel in cookie.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(key, None)
                else:
                    self.cookies[key] = morsel.value
        location = response.headers.get("Location", "")
        return Step(
            name=name,
            status=response.status,
            ms=ms,
            parts=timing.parse(response.headers.get(timing.HEADER, "")),
            location=urlsplit(location).path
            + (f"?{urlsplit(location).query}" if urlsplit(location).query else ""),
            body=data,
        )

    def get(self, name: str, path: str) -> Step:
        return self.request(name, "GET", path)

    def post(self, name: str, path: str, fields: list[tuple[str, str]], files=None) -> Step:
        if files:
            body, ctype = multipart(fields, files)
        else:
            body, ctype = urlencode(fields).encode(), "application/x-www-form-urlencoded"
        return self.request(name, "POST", path, body, ctype)


def multipart(fields: list[tuple[str, str]], files: list[tuple[str, str, bytes, str]]) -> tuple[bytes, str]:
    """``multipart/form-data`` of ``fields`` and ``files`` (field name, file name, content, content type)."""
    boundary = uuid.uuid4().hex
    out = bytearray()
    for name, value in fields:
        out += f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
        out += str(value).encode() + b"\r\n"
    for name, filename, content, ctype in files:
        out += (
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
            f"Content-Type: {ctype}\r\n\r\n"
        ).encode()
        out += content + b"\r\n"
    out += f"--{boundary}--\r\n".encode()
    return bytes(out), f"multipart/form-data; boundary={boundary}"


def form(html: bytes, page: str, action: str) -> tuple[str, list[tuple[str, str]]]:
    """The form of the page at ``page`` that posts to the path ``action`` (an empty action posts to the page
    itself, as in a browser): the URL it posts to, and the values it submits as it stands (hidden inputs
    such as the CSRF token, ticked boxes, chosen options, pre-filled text). LookupError when there is none."""
    import lxml.html

    for found in lxml.html.fromstring(html).forms:
        url = urljoin(page, found.get("action") or page)
        if urlsplit(url).path == action:
            return url, [(k, v) for k, v in found.form_values() if k]
    raise LookupError(f"no form posting to {action} on {page}")


def fill(fields: list[tuple[str, str]], values: dict) -> list[tuple[str, str]]:
    """``fields`` with each name of ``values`` set to its value (replaced, or added if the page lacks it)."""
    kept = [(k, v) for k, v in fields if k not in values]
    return kept + [(k, str(v)) for k, v in values.items()]
