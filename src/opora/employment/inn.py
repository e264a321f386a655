"""The taxpayer number (ИНН) of an employer and its check digits: ten digits for an
organisation (one check digit), twelve for an individual entrepreneur (two). The weights are
those of the Federal Tax Service's algorithm."""

from __future__ import annotations

_WEIGHTS_10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_WEIGHTS_11 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_WEIGHTS_12 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def _check_digit(digits: str, weights: tuple[int, ...]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 % 10


def inn_check_digits(body: str) -> str:
    """The check digits that complete ``body``: nine digits (an organisation) or ten (an
    individual entrepreneur)."""
    if not body.isascii() or not body.isdigit() or len(body) not in (9, 10):
        raise ValueError("the body of an INN is nine or ten digits")
    if len(body) == 9:
        return str(_check_digit(body, _WEIGHTS_10))
    first = str(_check_digit(body, _WEIGHTS_11))
    return first + str(_check_digit(body + first, _WEIGHTS_12))


def inn_is_valid(value: str) -> bool:
    """Whether ``value`` is an INN of ten or twelve digits whose check digits hold."""
    if not value.isascii() or not value.isdigit() or len(value) not in (10, 12):
        return False
    body = value[:9] if len(value) == 10 else value[:10]
    return value == body + inn_check_digits(body)
