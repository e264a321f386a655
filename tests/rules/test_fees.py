"""The fee calculator of 442-FZ art. 31–32: worked examples, the invariants as properties, and
the service that reads the rules in force."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from opora.core.errors import DomainError
from opora.institutions.models import ServiceForm
from opora.rules import services
from opora.rules.fees import FORMS_CHARGED_ON_EXCESS, KOPECK, calculate_fee

MOSCOW_2025 = Decimal(24801)


def fee(income, form="home", minimum=MOSCOW_2025, multiplier="1.5", share=None):
    if share is None:
        share = "0.75" if form == ServiceForm.RESIDENTIAL else "0.5"
    return calculate_fee(
        income=Decimal(income),
        service_form=form,
        subsistence_minimum=Decimal(minimum),
        multiplier=Decimal(multiplier),
        share=Decimal(share),
    )


def test_worked_examples():
    at_home = fee("40000")
    assert at_home.threshold == Decimal("37201.50")
    assert at_home.excess == Decimal("2798.50")
    assert at_home.fee_cap == Decimal("1399.25") and not at_home.is_free

    assert fee("37201.50").is_free and fee("37201.50").fee_cap == 0
    assert fee("20000", ServiceForm.SEMI_RESIDENTIAL).is_free

    residential = fee("40000", ServiceForm.RESIDENTIAL)
    assert residential.fee_cap == Decimal("30000.00") and residential.base == Decimal(40000)
    # The income limit does not make residential services free.
    assert not fee("20000", ServiceForm.RESIDENTIAL).is_free


def test_rounding_goes_the_recipients_way():
    # 50 % of 0.03 ₽ is 0.015 ₽: the cap may not exceed it, so 0.01 ₽.
    assert fee("37201.53").fee_cap == Decimal("0.01")
    # 1.5 × 24 801.01 = 37 201.515: the limit may not be below it, so 37 201.52.
    assert fee("0", minimum="24801.01").threshold == Decimal("37201.52")
    # The income entered is rounded half up to the kopeck.
    assert fee("40000.005").income == Decimal("40000.01")


def test_bad_input_is_refused():
    with pytest.raises(DomainError) as negative:
        fee("-1")
    assert negative.value.code == "negative_income" and "income" in negative.value.details
    with pytest.raises(DomainError) as form:
        fee("1000", form="by_pigeon")
    assert form.value.code == "unknown_service_form"


money = st.decimals(min_value=0, max_value=1_000_000, places=2, allow_nan=False)
minimums = st.decimals(min_value=1, max_value=100_000, places=2, allow_nan=False)
multipliers = st.decimals(min_value="0.5", max_value=5, places=2, allow_nan=False)
shares = st.decimals(min_value="0.0001", max_value=1, places=4, allow_nan=False)
forms = st.sampled_from(ServiceForm.values)


@given(a=money, b=money, form=forms, minimum=minimums, multiplier=multipliers, share=shares)
def test_the_cap_never_decreases_as_income_grows(a, b, form, minimum, multiplier, share):
    low, high = sorted((a, b))
    assert (
        fee(low, form, minimum, multiplier, share).fee_cap
        <= fee(high, form, minimum, multiplier, share).fee_cap
    )


@given(income=money, form=forms, minimum=minimums, multiplier=multipliers, share=shares)
def test_the_cap_is_within_the_legal_share_in_kopecks_and_never_negative(
    income, form, minimum, multiplier, share
):
    result = fee(income, form, minimum, multiplier, share)
    base = result.excess if form in FORMS_CHARGED_ON_EXCESS else result.income
    assert result.base == base
    assert Decimal(0) <= result.fee_cap <= share * base
    assert share * base - result.fee_cap < KOPECK  # rounded down by less than a kopeck
    assert result.fee_cap == result.fee_cap.quantize(KOPECK)
    assert result.threshold == result.threshold.quantize(KOPECK)
    assert Decimal(0) <= result.threshold - multiplier * minimum < KOPECK


@given(
    income=money,
    form=st.sampled_from(sorted(FORMS_CHARGED_ON_EXCESS)),
    minimum=minimums,
    multiplier=multipliers,
    share=shares,
)
def test_at_home_and_semi_residential_free_up_to_the_limit(
    income, form, minimum, multiplier, share
):
    result = fee(income, form, minimum, multiplier, share)
    if result.income <= result.threshold:
        assert result.is_free and result.fee_cap == 0
    else:
        assert not result.is_free
        assert result.base == result.income - result.threshold


@pytest.mark.django_db
def test_the_service_reads_the_rules_in_force_on_the_date(rules):
    in_2025 = services.fee_calculate(
        income=Decimal(40000), service_form="home", on=dt.date(2025, 12, 31)
    )
    assert in_2025.subsistence_minimum == Decimal(24801)
    assert in_2025.fee_cap == Decimal("1399.25")
    assert in_2025.is_example  # the demo minimums are examples
    in_2026 = services.fee_calculate(
        income=Decimal(40000), service_form="home", on=dt.date(2026, 1, 1)
    )
    assert in_2026.subsistence_minimum == Decimal(26463)
    assert in_2026.threshold == Decimal("39694.50")

    from opora.rules.selectors import region_get

    pensioner_in_smolensk = services.fee_calculate(
        income=Decimal(30000),
        service_form="residential",
        on=dt.date(2025, 6, 1),
        region=region_get("smolensk-oblast"),
        group="pensioner",
    )
    assert pensioner_in_smolensk.subsistence_minimum == Decimal(14586)
    assert pensioner_in_smolensk.fee_cap == Decimal("22500.00")
    assert pensioner_in_smolensk.region.code == "smolensk-oblast"

    with pytest.raises(DomainError) as before_the_minimums:
        services.fee_calculate(income=Decimal(1), service_form="home", on=dt.date(2024, 6, 1))
    assert before_the_minimums.value.code == "minimum_not_in_force"


@pytest.mark.django_db
def test_the_explanation_is_in_the_readers_language(rules):
    result = services.fee_calculate(
        income=Decimal(40000), service_form="home", on=dt.date(2025, 6, 1)
    )
    with translation.override("en"):
        english = " ".join(result.explanation())
    assert "exceeds the limit by 2,798.50 ₽" in english
    assert "at most 50 % of that excess, that is 1,399.25 ₽" in english
    assert "examples" in english
    with translation.override("ru"):
        russian = " ".join(result.explanation())
    assert "37\xa0201,50" in russian and "1\xa0399,25" in russian
