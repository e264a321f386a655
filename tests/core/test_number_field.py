from decimal import Decimal

import pytest
from django import forms
from hypothesis import given
from hypothesis import strategies as st

from opora.core.forms import NumberField

amounts = st.decimals(min_value=0, max_value=Decimal("9999999999.99"), places=2)


@given(amounts, st.sampled_from([",", "."]), st.sampled_from(["", " ", "\u00a0", "\u202f"]))
def test_a_number_is_read_as_people_type_it(amount, decimal_mark, thousands):
    whole, _, fraction = f"{amount:.2f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", thousands)
    field = NumberField(max_digits=12, decimal_places=2)
    assert field.clean(f" {grouped}{decimal_mark}{fraction} ") == amount


@pytest.mark.parametrize("text", ["1,5,5", "abc", "1.5.5", "--1"])
def test_what_is_not_a_number_is_refused(text):
    with pytest.raises(forms.ValidationError):
        NumberField(max_digits=12, decimal_places=2).clean(text)
