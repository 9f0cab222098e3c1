"""The node's REST operations (see the package docstring). Each view: authenticated peer, body read
within the package limit, one selector or the inbox store, a JSON answer."""

from __future__ import annotations

import base64
import functools
import hashlib
import io
import json
import logging

from django.conf import settings
from django.http import JsonResponse
from django.http.multipartparser import MultiPartParser, MultiPartParserError
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from documents.exchange.node import selectors
from documents.exchange.services.inbox import inbox_store
from documents.exchange.transport import auth, peer_transport_key
from documents.exchange.transport.vxp import MESSAGE_TYPES, OVERHEAD_BYTES, SERVICE_TYPE

logger = logging.getLogger(__name__)


class NodeError(Exception):
    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def answer(status: int = 200, *, code: str = "0", desc: str = "", **extra) -> JsonResponse:
    body = {"status": "OK" if status < 400 else "FAIL", "ErrorCode": code, "ErrorDesc": desc, **extra}
    return JsonResponse(body, status=status, json_dumps_params={"ensure_ascii": False})


def _read_body(request) -> bytes:
    limit = int(settings.EXCHANGE_MAX_PACKAGE_BYTES) + OVERHEAD_BYTES
    too_large = NodeError(413, "too_large", _("Gói tin vượt quá dung lượng cho phép của nút liên thông."))
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        raise NodeError(400, "bad_request", _("Độ dài nội dung yêu cầu không hợp lệ.")) from None
    if length > limit:
        raise too_large
    body = request.read(limit + 1)
    if len(body) > limit:
        raise too_large
    return body


def node_api(view):
    """csrf-exempt POST, the node enabled, the caller authenticated (headers first, then the body within
    the limit, then its signature and nonce); every refusal a JSON answer."""

    @csrf_exempt
    @functools.wraps(view)
    def wrapper(request):
        try:
            if not settings.EXCHANGE_NODE_ENABLED:
                raise NodeError(404, "node_disabled", _("Nút liên thông của hệ thống này không hoạt động."))
            if request.method != "POST":
                raise NodeError(405, "method_not_allowed", _("Chỉ chấp nhận phương thức POST."))
            caller = auth.check_headers(request)
            body = _read_body(request)
            peer = auth.check_body(caller, body)
            return view(request, peer=peer, body=body)
        except (auth.AuthError, NodeError) as error:
            logger.info("exchange node: %s %s refused: %s", request.method, request.path, error.code)
            response = answer(error.status, code=error.code, desc=error.message)
            if error.status == 405:
                response["Allow"] = "POST"
            return response

    return wrapper


def _payload(request, body: bytes) -> dict:
    if not body.strip():
        return {}
    try:
        payload = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError):
        raise NodeError(400, "bad_request", _("Nội dung yêu cầu không phải JSON hợp lệ.")) from None
    if not isinstance(payload, dict):
        raise NodeError(400, "bad_request", _("Nội dung yêu cầu phải là một đối tượng JSON."))
    return payload


def _doc_id(payload: dict) -> str:
    doc_id = str(payload.get("docId") or payload.get("DocId") or "").strip()
    if not doc_id:
        raise NodeError(400, "doc_id_missing", _("Thiếu mã gói tin (docId)."))
    return doc_id


def _package(request, body: bytes) -> tuple[dict, bytes]:
    """The header fields and the .edxml of a ``sendEdoc``: multipart (a ``header`` part, a file part), or
    the raw package with the fields as HTTP headers (as the SDK sends it)."""
    content_type = request.META.get("CONTENT_TYPE", "")
    if not content_type.lower().startswith("multipart/"):
        fields = {name: request.headers.get(name, "") for name in ("from", "servicetype", "messagetype")}
        return fields, body
    meta = {**request.META, "CONTENT_LENGTH": str(len(body))}
    try:
        post, files = MultiPartParser(
            meta, io.BytesIO(body), request.upload_handlers, request.encoding
        ).parse()
    except MultiPartParserError:
        raise NodeError(400, "bad_multipart", _("Nội dung gửi lên (multipart) không đọc được.")) from None
    try:
        fields = json.loads(post.get("header") or "{}")
    except ValueError:
        raise NodeError(400, "bad_header", _("Phần header của gói tin không phải JSON hợp lệ.")) from None
    if not isinstance(fields, dict):
        raise NodeError(400, "bad_header", _("Phần header của gói tin phải là một đối tượng JSON."))
    upload = files.get("file") or next(iter(files.values()), None)
    if upload is None:
        raise NodeError(400, "package_missing", _("Thiếu tệp gói tin (.edxml)."))
    return fields, upload.read()


@node_api
def send_edoc(request, *, peer: str, body: bytes):
    fields, data = _package(request, body)
    service = str(fields.get("servicetype") or SERVICE_TYPE)
    kind = str(fields.get("messagetype") or "edoc").lower()
    if service.lower() != SERVICE_TYPE.lower() or kind not in MESSAGE_TYPES:
        raise NodeError(
            400,
            "bad_message_type",
            _("Loại dịch vụ hoặc loại thông điệp không được hỗ trợ (eDoc: edoc, status)."),
        )
    if not data.strip():
        raise NodeError(400, "package_empty", _("Gói tin rỗng."))
    if len(data) > int(settings.EXCHANGE_MAX_PACKAGE_BYTES):
        raise NodeError(413, "too_large", _("Gói tin vượt quá dung lượng cho phép của nút liên thông."))
    # the content names the message: a resend of the same bytes after a lost answer is the same message
    remote_id = hashlib.sha256(data).hexdigest()
    message = inbox_store(transport=peer_transport_key(peer), remote_id=remote_id, data=data)
    logger.info("exchange node: %s from %s stored as inbox %s", kind, peer, message.pk)
    return answer(desc=_("Đã nhận gói tin."), DocId=message.remote_id)


@node_api
def received_list(request, *, peer: str, body: bytes):
    _payload(request, body)
    return answer(data=[])


@node_api
def get_edoc(request, *, peer: str, body: bytes):
    message = selectors.peer_message(
        transport=peer_transport_key(peer), remote_id=_doc_id(_payload(request, body))
    )
    if message is None:
        raise NodeError(404, "not_found", _("Không có gói tin này."))
    with message.file.open("rb") as handle:
        data = handle.read()
    return answer(docId=message.remote_id, data=base64.b64encode(data).decode("ascii"))


@node_api
def update_status(request, *, peer: str, body: bytes):
    message = selectors.peer_message(
        transport=peer_transport_key(peer), remote_id=_doc_id(_payload(request, body))
    )
    if message is None:
        raise NodeError(404, "not_found", _("Không có gói tin này."))
    return answer(desc=_("Đã ghi nhận."), docId=message.remote_id)


@node_api
def sent_list(request, *, peer: str, body: bytes):
    payload = _payload(request, body)
    remote_id = str(payload.get("docId") or "").strip()
    return answer(data=selectors.sent_list(transport=peer_transport_key(peer), remote_id=remote_id))


@node_api
def agencies(request, *, peer: str, body: bytes):
    _payload(request, body)
    return answer(data=selectors.agencies())
