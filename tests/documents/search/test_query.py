"""The query language: rules, harmless injection, the number-and-symbol pattern."""

from __future__ import annotations

import pytest

from documents.models import IncomingDocument
from documents.search.query import QueryError, parse, symbol_pattern, symbol_prefilter
from tests.documents.conftest import receive
from tests.documents.search.conftest import (
    result_ids,
)


def test_query_rules():
    assert parse("Quyết định").tsquery() == "quyet & dinh:*"
    assert parse("dau t").tsquery() == "dau & t"  # a one-letter prefix would open half the index
    assert parse("ke hoa").tsquery() == "ke & hoa:*"
    assert parse("123/QĐ-UBND").tsquery() == "(123 <-> qd <-> ubnd:*)"
    assert parse("QĐ-UBND kế hoạch").tsquery() == "(qd <-> ubnd:*) & ke & hoach:*"
    assert parse('"kế hoạch" đầu').tsquery() == "(ke <-> hoach) & dau:*"
    assert parse("quyet dinh").tsquery("A") == "quyet:A & dinh:*A"
    # Nothing of the tsquery syntax gets through: only [a-z0-9] tokens.
    assert parse("a & b | !c:* <-> (d)").tsquery() == "a & b & c & d"
    assert parse("x'); drop table y; --").tsquery() == "x & drop & table & y"
    for text in ("", "   ", "!!! ---", "/ - . ,", '""'):
        with pytest.raises(QueryError):
            parse(text)


def test_injection_is_harmless(people):
    receive(people["clerk"], summary="Kế hoạch đầu tư công")
    for text in ("x'); drop table documents_incomingdocument; --", "a:* & | ! <-> (b)", "\\ % _ 'c"):
        result_ids(people["clerk"], text)  # no syntax error from to_tsquery
    assert IncomingDocument.objects.count() == 1


def test_symbol_pattern():
    assert symbol_pattern("123/QĐ") == "(^|[^a-z0-9])123[^a-z0-9]+qd"
    assert symbol_pattern("---") is None


def test_symbol_prefilter_avoids_frequent_prefixes_weights_and_phrases():
    """The GIN prefilter of the number field: whole tokens only when one is long enough (a prefix such as
    ``qd:*`` reads the posting lists of every word starting with "qd"), never a weight or a phrase (both make
    PostgreSQL re-read every candidate's vector); ``symbol_pattern`` does the exact check."""

    def text(value):
        return symbol_prefilter(value).source_expressions[-1].value

    assert text("123/QĐ") == "123"
    assert text("123/QĐ-UBND") == "123 & qd"
    assert text("QĐ-UBND") == "qd & ubnd:*"  # "qd" alone is too short to stand for the search
    assert text("123") == "123:*"
    assert text("1/1/QĐ") == "1 & qd:*"
    assert symbol_prefilter("---") is None
