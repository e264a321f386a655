"""The INN's check digits: known numbers, every wrong last digit, and for any body the digits
computed make a valid number that no other last digit does."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from opora.employment.inn import inn_check_digits, inn_is_valid

bodies = st.one_of(
    st.text(alphabet="0123456789", min_size=9, max_size=9),
    st.text(alphabet="0123456789", min_size=10, max_size=10),
)


@pytest.mark.parametrize("inn", ["7707083893", "7830002293", "500100732259", "773370857141"])
def test_known_numbers_are_valid(inn):
    assert inn_is_valid(inn)


@pytest.mark.parametrize(
    "inn",
    [
        "7707083894",  # a wrong check digit
        "500100732258",  # the second check digit wrong
        "500100732249",  # the first check digit wrong
        "770708389",  # nine digits
        "77070838930",  # eleven digits
        "77070838９3",  # a full-width digit
        "7707 083893",
        "",
        "-707083893",
    ],
)
def test_wrong_numbers_are_refused(inn):
    assert not inn_is_valid(inn)


@given(bodies)
def test_the_computed_digits_complete_a_valid_number(body):
    digits = inn_check_digits(body)
    assert len(digits) == (1 if len(body) == 9 else 2)
    assert inn_is_valid(body + digits)


@given(bodies, st.integers(min_value=1, max_value=9))
def test_any_other_last_digit_is_refused(body, shift):
    inn = body + inn_check_digits(body)
    changed = inn[:-1] + str((int(inn[-1]) + shift) % 10)
    assert not inn_is_valid(changed)


@pytest.mark.parametrize("body", ["12345678", "12345678901", "12345678a", "١٢٣٤٥٦٧٨٩"])
def test_a_body_of_another_shape_is_a_programming_error(body):
    with pytest.raises(ValueError):
        inn_check_digits(body)
