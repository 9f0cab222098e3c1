import pytest
from django.core.exceptions import ValidationError

from documents.copies import rules


def test_pages_ranges_and_singles_in_order_once():
    assert rules.parse_pages("2-3, 1,3", page_count=3) == [1, 2, 0]


@pytest.mark.parametrize("text", ["9-2", "abc", "0", "2-", "1-4", ""])
def test_bad_pages_refused_with_a_message(text):
    with pytest.raises(ValidationError) as exc:
        rules.parse_pages(text, page_count=3)
    assert exc.value.message_dict["pages"][0]


def test_symbols_of_appendix_three(agency_a):
    assert rules.number_symbol(number=1, form="SY", agency=agency_a) == "01/SY-SKHĐT"
    assert rules.number_symbol(number=12, form="TS", agency=agency_a) == "12/TrS-SKHĐT"
    assert rules.heading("SL") == "SAO LỤC"
