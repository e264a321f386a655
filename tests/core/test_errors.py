import pytest
from django.db import models
from hypothesis import given
from hypothesis import strategies as st

from opora.core.errors import DomainError, require_choice


class Colour(models.TextChoices):
    RED = "red", "Red"
    BLUE = "blue", "Blue"


@given(st.text(max_size=8))
def test_require_choice_passes_exactly_the_offered_values(value):
    if value in Colour.values:
        assert require_choice(value, Colour, field="colour") == value
    else:
        with pytest.raises(DomainError) as refused:
            require_choice(value, Colour, field="colour")
        assert refused.value.code == "invalid_choice"
        assert list(refused.value.details) == ["colour"]


def test_require_choice_takes_a_plain_collection_and_its_own_code_and_words():
    assert require_choice("a", {"a", "b"}, field="x") == "a"
    with pytest.raises(DomainError) as refused:
        require_choice("c", ("a", "b"), field="x", code="unknown_x", message="No such x.")
    assert refused.value.code == "unknown_x"
    assert refused.value.details == {"x": ["No such x."]}
