import pytest

from documents.records.export.words import number_words, number_words_capitalized


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (0, "không"),
        (1, "một"),
        (5, "năm"),
        (10, "mười"),
        (11, "mười một"),
        (15, "mười lăm"),
        (20, "hai mươi"),
        (21, "hai mươi mốt"),
        (24, "hai mươi bốn"),
        (25, "hai mươi lăm"),
        (100, "một trăm"),
        (101, "một trăm linh một"),
        (105, "một trăm linh năm"),
        (110, "một trăm mười"),
        (115, "một trăm mười lăm"),
        (999, "chín trăm chín mươi chín"),
        (1000, "một nghìn"),
        (1005, "một nghìn không trăm linh năm"),
        (1010, "một nghìn không trăm mười"),
        (1234, "một nghìn hai trăm ba mươi bốn"),
        (20000, "hai mươi nghìn"),
        (1_000_000, "một triệu"),
        (1_005_000, "một triệu không trăm linh năm nghìn"),
        (2_000_000_001, "hai tỷ không trăm linh một"),
    ],
)
def test_number_words(number, words):
    assert number_words(number) == words


def test_capitalized_and_negative():
    assert number_words_capitalized(21) == "Hai mươi mốt"
    with pytest.raises(ValueError):
        number_words(-1)
