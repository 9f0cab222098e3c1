"""documents.exchange.edxml.parse: status codes and reasons, routing, refusals as values, and a fuzz loop
that truncates and mutates the samples and accepts nothing but a parsed value or an EdxmlError."""

from __future__ import annotations

import random
import re

import pytest

from documents.exchange.edxml import parse as parse_module
from documents.exchange.edxml.messages import MESSAGES, error, notice, text
from documents.exchange.edxml.parse import parse_any, parse_package, parse_status
from documents.exchange.edxml.types import EdxmlError, ParsedPackage, ParsedStatus, StatusCode
from tests.documents.exchange import variants as v

STATUS = "status_processing_05.edxml"


def refused(data, code, parse=parse_status) -> EdxmlError:
    with pytest.raises(EdxmlError) as caught:
        parse(data)
    assert caught.value.code == code, caught.value.message
    return caught.value


@pytest.mark.parametrize("code", [c.value for c in StatusCode])
def test_every_published_status_code_parses(code):
    parsed = parse_status(v.set_text(v.sample(STATUS), "StatusCode", code))
    assert parsed.status.code == StatusCode(code)


@pytest.mark.parametrize("code", ["07", "00", "14", "99", "ok", "6a"])
def test_unpublished_status_codes_refused(code):
    error = refused(v.set_text(v.sample(STATUS), "StatusCode", code), "status_code_unknown")
    assert code.zfill(2) in error.message


def test_single_digit_status_code_read_as_its_two_digit_form():
    assert parse_status(v.set_text(v.sample(STATUS), "StatusCode", "3")).status.code == StatusCode.ACCEPTED


@pytest.mark.parametrize("code", ["02", "13"])
def test_refusal_and_change_request_need_a_reason(code):
    data = v.set_text(v.set_text(v.sample(STATUS), "StatusCode", code), "Description", " ")
    error = refused(data, "status_reason_missing")
    assert "Description" in error.message and code in error.message


def test_other_statuses_need_no_reason():
    data = v.drop(v.set_text(v.sample(STATUS), "StatusCode", "04"), "Description")
    parsed = parse_status(data)
    assert parsed.status.code == StatusCode.ASSIGNED and parsed.status.description == ""


def test_status_without_staff_info():
    assert parse_status(v.drop(v.sample(STATUS), "StaffInfo")).status.staff is None


def test_parse_package_refuses_a_status_and_parse_status_a_package():
    refused(v.sample(STATUS), "not_package", parse_package)
    refused(v.sample(), "not_status", parse_status)


def test_parse_any_routes():
    assert isinstance(parse_any(v.sample(STATUS)), ParsedStatus)
    assert isinstance(parse_any(v.sample(), verify_pdfs=False), ParsedPackage)


def test_str_input_accepted():
    assert parse_status(v.sample(STATUS).decode("utf-8")).status.code == StatusCode.PROCESSING


def test_unexpected_exception_becomes_an_internal_refusal(monkeypatch):
    def boom(*args, **kwargs):
        raise KeyError("bug")

    monkeypatch.setattr(parse_module, "_status", boom)
    error = refused(v.sample(STATUS), "internal")
    assert error.message == text("internal")
    assert isinstance(error.__cause__, KeyError)


def test_parsed_values_are_immutable():
    parsed = parse_package(v.sample())
    with pytest.raises(AttributeError):
        parsed.package.subject = "x"  # type: ignore[misc]


def test_package_without_manifest_and_attachments_has_none():
    data = v.drop_all(v.sample(), "Reference")
    data = re.sub(rb"\s*<AttachmentEncoded>.*</AttachmentEncoded>", b"", data, flags=re.S)
    assert parse_package(data).package.attachments == ()


def test_optional_numbers_that_are_not_numbers_are_notices():
    data = v.set_text(v.set_text(v.sample(), "PageAmount", "hai mươi"), "Priority", "9")
    parsed = parse_package(data)
    assert parsed.package.page_amount is None and parsed.package.priority == 0
    assert [n.code for n in parsed.notices].count("optional_number_invalid") == 2


# ----------------------------------------------------------------------------------------------- messages


def test_every_message_is_vietnamese_and_formats():
    params = dict.fromkeys(
        ["size", "limit", "detail", "prefix", "root", "name", "value", "cid", "path", "count", "inner"], "x"
    )
    params.update(declared="a", actual="b")
    for code in MESSAGES:
        message = text(code, **params)
        assert message and "%(" not in message, code
    assert error("missing_element", name="Subject").message == "Gói tin thiếu thành phần bắt buộc Subject."
    assert notice("bom").code == "bom"


# ------------------------------------------------------------------------------------------------- fuzz


def _outcome(data: bytes, parse) -> str:
    try:
        parse(data)
    except EdxmlError as exc:
        assert exc.code != "internal", f"unexpected failure: {exc.__cause__!r}"
        assert exc.message
        return exc.code
    return "parsed"


@pytest.mark.parametrize("name", [STATUS, "status_rejection_02.edxml"])
def test_truncating_a_status_anywhere_refuses_or_parses(name):
    data = v.sample(name)
    outcomes = {_outcome(data[:end], parse_status) for end in range(0, len(data), 3)}
    assert outcomes >= {"empty", "malformed"}
    assert "parsed" in {_outcome(data.rstrip() + b"\n", parse_status)}


def test_truncating_a_package_anywhere_refuses_or_parses():
    data = v.sample()
    ends = sorted(random.Random(18).sample(range(len(data)), 150))
    outcomes = {_outcome(data[:end], lambda d: parse_package(d, verify_pdfs=False)) for end in ends}
    assert outcomes == {"malformed"} | ({"empty"} & outcomes)


@pytest.mark.parametrize("seed", range(4))
def test_mutating_samples_refuses_or_parses(seed):
    rng = random.Random(seed)
    junk = [b"<", b">", b"&", b"\x00", b"\xff", b"]]>", b"<!DOCTYPE x>", b"&#0;", b"\xc3", b"=", b'"', b"/"]
    outcomes = set()
    for name in (STATUS, "status_cancellation_13.edxml", "edoc_revocation.edxml"):
        data = v.sample(name)
        parse = parse_status if name.startswith("status") else (lambda d: parse_package(d, verify_pdfs=False))
        for _ in range(60 if name.startswith("status") else 25):
            pos = rng.randrange(len(data) if name.startswith("status") else 6000)
            cut = rng.randrange(0, 4)
            mutated = data[:pos] + rng.choice(junk) + data[pos + cut :]
            outcomes.add(_outcome(mutated, parse))
    assert "malformed" in outcomes


def test_mutating_the_attachment_payload_refuses_or_parses():
    data = v.sample()
    start = data.index(b"<edXML:ContentTransferEncoded")
    start = data.index(b">", start) + 1
    rng = random.Random(7)
    outcomes = set()
    for _ in range(80):
        pos = start + rng.randrange(0, 400)
        mutated = data[:pos] + rng.choice([b"A", b"/", b"=", b"\n", b"-", b"AAAA"]) + data[pos + 1 :]
        outcomes.add(_outcome(mutated, lambda d: parse_package(d, verify_pdfs=False)))
    assert outcomes <= {
        "parsed",
        "attachment_base64",
        "zip_invalid",
        "zip_empty",
        "zip_traversal",
        "zip_ambiguous",
        "zip_encrypted",
        "attachment_empty",
        "zip_bomb",
    }
    assert outcomes - {"parsed"}


def test_mutating_the_zip_bytes_refuses_or_parses():
    import base64

    data = v.sample("edoc_revocation.edxml")
    payload = re.search(rb"<edXML:ContentTransferEncoded[^>]*>([^<]*)<", data).group(1)
    raw = base64.b64decode(payload)
    rng = random.Random(11)
    outcomes = set()
    for _ in range(60):
        pos = rng.choice(
            [rng.randrange(0, 120), rng.randrange(len(raw) - 200, len(raw)), rng.randrange(len(raw))]
        )
        mutated = raw[:pos] + bytes([rng.randrange(256)]) + raw[pos + 1 :]
        outcomes.add(_outcome(v.with_payload(data, mutated), lambda d: parse_package(d, verify_pdfs=False)))
    assert outcomes - {"parsed"}
