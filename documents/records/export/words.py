"""Numbers written in Vietnamese words, for "Viết bằng chữ" (Phụ lục V, mục III): 21 → "Hai mươi mốt"."""

from __future__ import annotations

DIGITS = ("không", "một", "hai", "ba", "bốn", "năm", "sáu", "bảy", "tám", "chín")
SCALES = ("", "nghìn", "triệu", "tỷ")


def _triple(number: int, *, full: bool) -> list[str]:
    """Words of 0–999; ``full`` reads the hundreds and the "linh" of an inner group (1 005: "một nghìn
    không trăm linh năm")."""
    hundreds, tens, units = number // 100, number // 10 % 10, number % 10
    words: list[str] = []
    if full or hundreds:
        words += [DIGITS[hundreds], "trăm"]
    if tens == 0:
        if units and words:
            words.append("linh")
    elif tens == 1:
        words.append("mười")
    else:
        words += [DIGITS[tens], "mươi"]
    if units:
        if units == 1 and tens >= 2:
            words.append("mốt")
        elif units == 5 and tens >= 1:
            words.append("lăm")
        else:
            words.append(DIGITS[units])
    return words


def number_words(number: int) -> str:
    """``number`` (0 or more) in Vietnamese words, lower case: 105 → "một trăm linh năm"."""
    if number < 0:
        raise ValueError("a count is not negative")
    if number == 0:
        return DIGITS[0]
    groups = []
    while number:
        groups.append(number % 1000)
        number //= 1000
    if len(groups) > len(SCALES):  # beyond the billions: read the billions' count again
        head = number_words(int("".join(f"{g:03d}" for g in reversed(groups[3:]))))
        tail = number_words(sum(g * 1000**i for i, g in enumerate(groups[:3])))
        return f"{head} tỷ {tail}" if any(groups[:3]) else f"{head} tỷ"
    words: list[str] = []
    for index in range(len(groups) - 1, -1, -1):
        value = groups[index]
        if not value:
            continue
        words += _triple(value, full=bool(words))
        if SCALES[index]:
            words.append(SCALES[index])
    return " ".join(words)


def number_words_capitalized(number: int) -> str:
    text = number_words(number)
    return text[:1].upper() + text[1:]
