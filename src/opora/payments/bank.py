"""The Bank of Russia's rule for the check digit of an account (its 9th digit).

The key is three digits taken from the BIK followed by the 20 digits of the account; each of
the 23 digits is multiplied by the weights 7, 1, 3 repeated, and the last digit of the sum must
be 0. For an account at a credit institution the three digits are the BIK's last three; for an
account at a cash settlement centre of the Bank of Russia (a BIK ending in 000, 001 or 002) they
are "0" followed by the BIK's digits 5 and 6.

``sql_check_digit_ok`` says the same in SQL, for the payroll's set-based check.
"""

from __future__ import annotations

WEIGHTS = (7, 1, 3) * 8  # 24 weights, 23 used
SETTLEMENT_CENTRE_ENDINGS = ("000", "001", "002")


def is_settlement_centre(bik: str) -> bool:
    return bik[-3:] in SETTLEMENT_CENTRE_ENDINGS


def key_digits(bik: str) -> str:
    return ("0" + bik[4:6]) if is_settlement_centre(bik) else bik[-3:]


def check_digit_ok(bik: str, account: str) -> bool:
    """Whether ``account`` is a valid account at the bank ``bik`` (both strings of digits)."""
    if not (len(bik) == 9 and bik.isascii() and bik.isdigit()):
        return False
    if not (len(account) == 20 and account.isascii() and account.isdigit()):
        return False
    key = key_digits(bik) + account
    return sum(int(digit) * weight for digit, weight in zip(key, WEIGHTS, strict=False)) % 10 == 0


def with_check_digit(bik: str, account: str) -> str:
    """``account`` with its 9th digit set so that it passes the check (for tests and the demo)."""
    for digit in "0123456789":
        candidate = account[:8] + digit + account[9:]
        if check_digit_ok(bik, candidate):
            return candidate
    raise ValueError("no check digit fits")  # cannot happen: weight 3 at position 12 is onto


def sql_check_digit_ok(bik: str, account: str, vendor: str) -> str:
    """A SQL condition over the columns ``bik`` and ``account``: both all digits of the right
    length and the check digit right (its modulo written ``%%``: it runs with parameters). On
    PostgreSQL the digits are tested before any CAST (a CASE keeps the order), on SQLite with
    GLOB."""
    key = (
        f"(CASE WHEN substr({bik}, 7, 3) IN ('000', '001', '002') "
        f"THEN '0' || substr({bik}, 5, 2) "
        f"ELSE substr({bik}, 7, 3) END || {account})"
    )
    terms = " + ".join(
        f"CAST(substr({key}, {position}, 1) AS INTEGER) * {weight}"
        for position, weight in enumerate(WEIGHTS[:23], start=1)
    )
    if vendor == "postgresql":
        digits = f"{bik} ~ '^[0-9]{{9}}$' AND {account} ~ '^[0-9]{{20}}$'"
    else:
        digits = (
            f"length({bik}) = 9 AND {bik} NOT GLOB '*[^0-9]*' "
            f"AND length({account}) = 20 AND {account} NOT GLOB '*[^0-9]*'"
        )
    return f"(CASE WHEN {digits} THEN ({terms}) %% 10 = 0 ELSE 1 = 0 END)"
