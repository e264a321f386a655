"""Names, SNILS and phones: transliteration, the search key, and normalisation with checks.

The search key reduces every spelling of a name (Cyrillic, the passport's Latin, an English or
German habit) to one lowercase Latin form, so "Юрий", "Yuri", "Iurii" and "Jurij" meet.
PostgreSQL computes the same key in SQL for bulk loads (registry/search.py); a test keeps the
two equal.
"""

from __future__ import annotations

import re
import unicodedata

# The transliteration of Russian passports (ICAO Doc 9303, used since 2014).
ICAO = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "e",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ъ": "ie",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "iu",
    "я": "ia",
    # Ukrainian and Belarusian letters met in partner regions' names
    "і": "i",
    "ї": "i",
    "є": "ie",
    "ґ": "g",
    "ў": "u",
}

# Spelling habits folded together in the search key, applied in this order.
# Single letters first, then digraphs, with repeats collapsed before, between and after, so
# that the key of a key is the key itself ("qХ" → "kkh" → "kh" → "h" in one pass).
LETTER_FOLDS = (("w", "v"), ("x", "ks"), ("q", "k"), ("y", "i"), ("j", "i"))
DIGRAPH_FOLDS = (("kh", "h"), ("ts", "c"), ("tz", "c"), ("cz", "c"), ("ph", "f"))
FOLD_PHASES = (LETTER_FOLDS, DIGRAPH_FOLDS)
_REPEATS = re.compile(r"(.)\1+")
_NOT_LETTERS = re.compile(r"[^a-z ]+")
_SPACES = re.compile(r"\s+")
_WORD_START_IE = re.compile(r"\bie")


def transliterate(text: str) -> str:
    """Cyrillic to the passport's Latin, keeping capitals: "Щукина Юлия" → "Shchukina Iuliia"."""
    out = []
    for char in text:
        lower = char.lower()
        latin = ICAO.get(lower)
        if latin is None:
            out.append(char)
        elif char != lower and latin:
            out.append(latin[0].upper() + latin[1:])
        else:
            out.append(latin)
    return "".join(out)


def _strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def search_key(*parts: str) -> str:
    """The folded Latin form of a name, words kept apart by single spaces."""
    text = transliterate(" ".join(p for p in parts if p).lower().replace("ё", "е"))
    text = _strip_accents(text).lower()
    text = text.replace("-", " ")
    text = _NOT_LETTERS.sub("", text)
    # Repeats collapse before the folds too, so that «кх» ("kkh") folds like "kh" and the key
    # of a key is the key itself.
    for phase in FOLD_PHASES:
        text = _REPEATS.sub(r"\1", text)
        for before, after in phase:
            text = text.replace(before, after)
    text = _REPEATS.sub(r"\1", text)
    text = _WORD_START_IE.sub("e", text)  # "Yevgeny" and the passport's "Evgenii"
    return _SPACES.sub(" ", text).strip()


SNILS_LENGTH = 11
# Numbers up to 001-001-998 were issued before the check number existed.
SNILS_CHECKED_FROM = 1001998
# The Pension Fund's rule for the numbers with a check number: no digit three times in a row
# among the first nine (so 111-111-111 45, whose check number is right, was never issued).
_THREE_IN_A_ROW = re.compile(r"([0-9])\1\1")


def snils_digits(value: str) -> str:
    return re.sub(r"\D", "", value or "")


def snils_check_number(first_nine: str) -> int:
    total = sum(int(d) * (9 - i) for i, d in enumerate(first_nine))
    if total < 100:
        return total
    if total in (100, 101):
        return 0
    remainder = total % 101
    return 0 if remainder in (100, 101) else remainder


def snils_problem(digits: str) -> str:
    """What is wrong with a SNILS given as its digits: "" (nothing), "length", "not_issued"
    (000-000-000, or a digit three times in a row where the number has a check number) or
    "check" (the check number does not match)."""
    if len(digits) != SNILS_LENGTH:
        return "length"
    number = int(digits[:9])
    if number == 0:
        return "not_issued"
    if number <= SNILS_CHECKED_FROM:
        return ""
    if _THREE_IN_A_ROW.search(digits[:9]):
        return "not_issued"
    return "check" if snils_check_number(digits[:9]) != int(digits[9:]) else ""


def snils_issuable(first_nine: str) -> str:
    """The nine digits changed as little as can be (a third repeated digit moved on by one) so
    that the number could have been issued: for generators of example numbers."""
    digits = list(first_nine)
    for i in range(2, len(digits)):
        if digits[i] == digits[i - 1] == digits[i - 2]:
            digits[i] = str((int(digits[i]) + 1) % 10)
    return "".join(digits)


def snils_is_valid(value: str) -> bool:
    if len(value.strip()) > 14:
        return False
    return not snils_problem(snils_digits(value))


def snils_format(digits: str) -> str:
    """ "12345678964" → "123-456-789 64"."""
    if len(digits) != SNILS_LENGTH:
        return digits
    return f"{digits[:3]}-{digits[3:6]}-{digits[6:9]} {digits[9:]}"


def snils_masked(digits: str) -> str:
    """Shown to roles that need to recognise a number but not to know it."""
    if len(digits) != SNILS_LENGTH:
        return "•••"
    return f"•••-•••-{digits[6:9]} {digits[9:]}"


def phone_normalised(value: str) -> str:
    """Russian numbers as +7XXXXXXXXXX; other international numbers as + and digits."""
    raw = (value or "").strip()
    digits = re.sub(r"\D", "", raw)
    if not digits:
        return ""
    if len(digits) == 11 and digits[0] in "78" and not (raw.startswith("+") and digits[0] == "8"):
        return "+7" + digits[1:]
    if len(digits) == 10 and not raw.startswith("+"):
        return "+7" + digits
    return "+" + digits
