"""The REST client of the national axis (VXP, as in its public SDK), also the client of another eoffice
installation's exchange node, which serves the same contract (``documents.exchange.node``).

Every call is a POST to ``<url>/<operation>`` signed with ``auth.sign_headers`` (system id and secret from
the transport's settings), with the timeout of the settings. The parameters are a JSON body (so the
signature covers them); ``sendEdoc`` is multipart: a ``header`` part holding
``{"from", "servicetype": "eDoc", "messagetype": "edoc"|"status"}`` and a ``file`` part, the ``.edxml``;
the header fields are also sent as HTTP headers as the SDK does. Every answer is JSON
``{"status": "OK"|"FAIL", "ErrorCode": "0"|…, "ErrorDesc": …, …}``: ``DocId`` for ``sendEdoc``, ``data``
(a list, or the package in base64 for ``getEdoc``) for the others.

A failure raises ``TransportError``: unreachable, timed out, a 5xx, 408 or 429, or an unreadable answer is
retryable; any other refusal is not.
"""

from __future__ import annotations

import base64
import binascii
import http.client
import json
import secrets
import urllib.error
import urllib.request

from django.conf import settings
from django.utils.translation import gettext as _

from documents.exchange.transport import TransportError
from documents.exchange.transport.auth import sign_headers

SERVICE_TYPE = "eDoc"
MESSAGE_TYPES = ("edoc", "status")
# room for the multipart framing and the JSON/base64 wrapping around a package
OVERHEAD_BYTES = 64 * 1024


def max_package_bytes() -> int:
    return int(settings.EXCHANGE_MAX_PACKAGE_BYTES)


def multipart(header: dict, data: bytes, *, filename: str) -> tuple[bytes, str]:
    """A multipart/form-data body with the JSON ``header`` part and the ``file`` part."""
    boundary = "----eoffice-" + secrets.token_hex(16)
    head = json.dumps(header, ensure_ascii=False).encode()
    body = b"".join(
        [
            f"--{boundary}\r\n".encode(),
            b'Content-Disposition: form-data; name="header"\r\n',
            b"Content-Type: application/json; charset=utf-8\r\n\r\n",
            head,
            f"\r\n--{boundary}\r\n".encode(),
            f'Content-Disposition: form-data; name="file"; filename="{filename}"\r\n'.encode(),
            b"Content-Type: application/xml\r\n\r\n",
            data,
            f"\r\n--{boundary}--\r\n".encode(),
        ]
    )
    return body, f"multipart/form-data; boundary={boundary}"


def _first(item: dict, *names: str) -> str:
    for name in names:
        value = item.get(name)
        if value not in (None, ""):
            return str(value).strip()
    return ""


def normalise_agency(item: dict) -> dict:
    """An agency of ``getAgenciesList`` under the names the directory sync reads (SDK spellings too)."""
    return {
        "code": _first(item, "code", "organId", "OrganId", "organ_id"),
        "code_qd20": _first(item, "code_qd20", "codeQd20", "code35"),
        "name": _first(item, "name", "organName", "OrganName"),
        "parent_code": _first(item, "parent_code", "parentCode", "pcode"),
        "parent_name": _first(item, "parent_name", "parentName", "pname", "organizationInCharge"),
        "address": _first(item, "address", "addr", "OrganAdd"),
        "email": _first(item, "email", "mail", "Email"),
        "phone": _first(item, "phone", "mobile", "telephone", "Telephone", "tel"),
        "fax": _first(item, "fax", "Fax"),
        "website": _first(item, "website", "Website"),
    }


class VxpTransport:
    kind = "vxp"

    def __init__(self, *, key: str, url: str, system_id: str, secret: str, timeout: float):
        if not url.lower().startswith(("http://", "https://")):
            raise TransportError(
                "bad_transport_config",
                _("Địa chỉ kênh liên thông “%(key)s” phải bắt đầu bằng http:// hoặc https://.")
                % {"key": key},
                retryable=False,
            )
        self.key = key
        self.url = url.rstrip("/") + "/"
        self.system_id = system_id
        self.secret = secret
        self.timeout = timeout

    def __repr__(self) -> str:
        return f"<{self.__class__.__name__} {self.key} {self.url}>"

    # --- the wire -------------------------------------------------------------------------------------

    def _error(self, code: str, message: str, *, retryable: bool, status: int | None = None):
        return TransportError(code, message, retryable=retryable, http_status=status)

    def _read(self, response) -> bytes:
        limit = max_package_bytes() * 4 // 3 + OVERHEAD_BYTES
        data = response.read(limit + 1)
        if len(data) > limit:
            raise self._error(
                "response_too_large", _("Trục liên thông trả về dữ liệu vượt giới hạn."), retryable=False
            )
        return data

    def call(
        self,
        operation: str,
        *,
        payload: dict | None = None,
        body: bytes | None = None,
        content_type: str = "",
        fields: dict | None = None,
    ) -> dict:
        """POST one operation, signed; the answer's JSON when its status is OK. ``payload`` is a JSON
        body; or ``body`` (``content_type``) with its header ``fields``."""
        if body is None:
            body = json.dumps(payload or {}, ensure_ascii=False).encode()
            content_type = "application/json; charset=utf-8"
            fields = payload
        headers = {"Content-Type": content_type, "Accept": "application/json"}
        # the SDK also sends its JSON header fields as HTTP headers (informative: the body is what counts)
        headers.update(
            {k: str(v) for k, v in (fields or {}).items() if str(v).isascii() and str(v).isprintable()}
        )
        headers.update(sign_headers(self.system_id, self.secret, body))
        request = urllib.request.Request(  # noqa: S310 (http/https only: checked in __init__)
            self.url + operation, data=body, headers=headers, method="POST"
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (our URL)
                status, raw = response.status, self._read(response)
        except urllib.error.HTTPError as error:
            status, raw = error.code, error.read(OVERHEAD_BYTES)
        except TimeoutError:
            raise self._error(
                "timeout", _("Quá thời gian chờ trả lời từ %(url)s.") % {"url": self.url}, retryable=True
            ) from None
        except (urllib.error.URLError, http.client.HTTPException, OSError) as error:
            reason = getattr(error, "reason", error)
            raise self._error(
                "unreachable",
                _("Không kết nối được %(url)s: %(reason)s") % {"url": self.url, "reason": reason},
                retryable=True,
            ) from None
        try:
            answer = json.loads(raw.decode("utf-8-sig") or "null")
        except (UnicodeDecodeError, ValueError):
            answer = None
        if not isinstance(answer, dict):
            raise self._error(
                "bad_response",
                _("Trục liên thông trả lời không đúng định dạng (HTTP %(status)s).") % {"status": status},
                retryable=status >= 500 or status in (200, 408, 429),
                status=status,
            )
        code = str(answer.get("ErrorCode", "0" if status < 400 else f"http_{status}"))
        failed = (
            status >= 400 or str(answer.get("status", "OK")).upper() not in ("OK", "SUCCESS") or code != "0"
        )
        if failed:
            desc = str(answer.get("ErrorDesc") or "") or _(
                "Trục liên thông từ chối yêu cầu (HTTP %(status)s)."
            ) % {"status": status}
            raise self._error(code, desc, retryable=status >= 500 or status in (408, 429), status=status)
        return answer

    def _list(self, answer: dict) -> list[dict]:
        data = answer.get("data")
        if data is None:
            return []
        if not isinstance(data, list):
            raise self._error(
                "bad_response", _("Trục liên thông trả về danh sách không hợp lệ."), retryable=True
            )
        return [item for item in data if isinstance(item, dict)]

    # --- the interface --------------------------------------------------------------------------------

    def send(self, data: bytes, *, kind: str, from_code: str) -> str:
        """``sendEdoc``: the package or status; returns the id the other side gave it."""
        if kind not in MESSAGE_TYPES:
            raise ValueError(f"unknown message type {kind!r}")
        if len(data) > max_package_bytes():
            raise self._error("too_large", _("Gói tin vượt quá dung lượng cho phép để gửi."), retryable=False)
        header = {"from": from_code, "servicetype": SERVICE_TYPE, "messagetype": kind}
        body, content_type = multipart(header, data, filename=f"{kind}.edxml")
        answer = self.call("sendEdoc", body=body, content_type=content_type, fields=header)
        remote_id = _first(answer, "DocId", "docId", "docID")
        if not remote_id:
            raise self._error(
                "bad_response", _("Trục liên thông không trả về mã gói tin đã nhận."), retryable=True
            )
        return remote_id

    def received_list(self) -> list[dict]:
        """``getReceivedEdocList`` for packages, then for statuses: ``{"remote_id", "kind", "from", …}``."""
        seen: dict[str, dict] = {}
        for messagetype in MESSAGE_TYPES:
            answer = self.call(
                "getReceivedEdocList", payload={"servicetype": SERVICE_TYPE, "messagetype": messagetype}
            )
            for item in self._list(answer):
                remote_id = _first(item, "docId", "DocId", "id")
                if remote_id and remote_id not in seen:
                    seen[remote_id] = {
                        **item,
                        "remote_id": remote_id,
                        "id": remote_id,
                        "kind": _first(item, "messageType", "messagetype") or messagetype,
                        "from": _first(item, "from"),
                    }
        return list(seen.values())

    def fetch(self, remote_id: str) -> bytes:
        """``getEdoc``: the bytes of one received message."""
        answer = self.call("getEdoc", payload={"docId": str(remote_id)})
        encoded = answer.get("data")
        if not isinstance(encoded, str) or not encoded:
            raise self._error(
                "bad_response", _("Trục liên thông không trả về nội dung gói tin."), retryable=True
            )
        try:
            data = base64.b64decode(encoded, validate=False)
        except (binascii.Error, ValueError):
            raise self._error(
                "bad_response",
                _("Nội dung gói tin từ trục liên thông không đọc được (base64)."),
                retryable=True,
            ) from None
        if len(data) > max_package_bytes():
            raise self._error(
                "too_large", _("Gói tin nhận về vượt quá dung lượng cho phép."), retryable=False
            )
        return data

    def acknowledge(self, remote_id: str) -> None:
        """``updateStatus``: the transport message was taken (not the business status, which is a
        status message of its own)."""
        self.call("updateStatus", payload={"docId": str(remote_id), "status": "done"})

    def sent_list(self) -> list[dict]:
        """``getSentEdocList``: what we sent and how far each went."""
        items = self._list(self.call("getSentEdocList", payload={"servicetype": SERVICE_TYPE}))
        return [
            {**item, "remote_id": _first(item, "docId", "senderDocId", "receiverDocId", "id")}
            for item in items
        ]

    def agencies(self) -> list[dict]:
        """``getAgenciesList``: the directory, each agency as ``normalise_agency`` names its fields."""
        items = self._list(self.call("getAgenciesList", payload={}))
        return [agency for agency in map(normalise_agency, items) if agency["code"] or agency["code_qd20"]]


class NodeTransport(VxpTransport):
    """Another eoffice installation's node: pushed to, so nothing waits there for pickup (see the
    package docstring)."""

    kind = "node"

    def received_list(self) -> list[dict]:
        return []

    def acknowledge(self, remote_id: str) -> None:
        return None
