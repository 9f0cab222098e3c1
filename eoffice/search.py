"""Vietnamese folding for search: NFC, drop combining marks, đ→d, lower case."""

import unicodedata


def fold(text: str) -> str:
    if not text:
        return ""
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped).replace("đ", "d").replace("Đ", "D").lower()
