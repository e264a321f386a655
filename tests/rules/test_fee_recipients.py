"""The fee calculator with the recipient's facts (442-FZ art. 31–32): free whatever the income
on a ground of art. 31 part 1 in force on the date, and the income limit from the subsistence
minimum of the recipient's socio-demographic group, with the per-capita one where the region
set none. The boundaries, and the invariants over incomes and ages."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

import pytest
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from opora.core.actors import SYSTEM
from opora.core.errors import DomainError
from opora.institutions.models import ServiceForm
from opora.rules import selectors, services
from opora.rules.catalog import PENSION_AGE_MEN, PENSION_AGE_WOMEN
from opora.rules.models import FreeGround, SubsistenceGroup
from opora.rules.recipients import GroupReason, Recipient, age_on, choose_group

D = dt.date
ON = D(2026, 6, 1)
# Moscow from 2026 (the demo's example figures); the limit is 1.5 × the group's figure.
MOSCOW_2026 = {
    "per_capita": Decimal(26463),
    "working_age": Decimal(29548),
    "pensioner": Decimal(19633),
    "child": Decimal(21112),
}
RICH = Decimal(1_000_000)
FORMS = ServiceForm.values

pytestmark = pytest.mark.django_db


def fee(income, *, form="home", on=ON, **facts):
    return services.fee_calculate(income=Decimal(income), service_form=form, on=on, **facts)


def english(result) -> str:
    with translation.override("en"):
        return " ".join(result.explanation())


def russian(result) -> str:
    with translation.override("ru"):
        return " ".join(result.explanation())


def limit(group: str) -> Decimal:
    return (Decimal("1.5") * MOSCOW_2026[group]).quantize(Decimal("0.01"), ROUND_CEILING)


# --- Free whatever the income (art. 31 part 1) ------------------------------------------------


@pytest.mark.parametrize("form", FORMS)
def test_a_minor_with_a_high_income_pays_nothing_and_the_explanation_says_why(rules, form):
    result = fee(RICH, form=form, birth_date=D(2010, 3, 15), categories=[])
    assert result.is_free and result.fee_cap == 0
    assert result.free_ground.code == "minor"
    assert result.threshold is None and result.subsistence_minimum is None
    assert "Free: a minor — 442-FZ art. 31 part 1." in english(result)
    assert "the income is not considered" in english(result)
    # The ground's name and citation in the reader's language.
    assert "несовершеннолетний — 442-ФЗ, ст. 31 ч. 1." in russian(result)


def test_the_minor_ground_ends_on_the_eighteenth_birthday(rules):
    born = D(2008, 6, 2)  # 18 on 2 June 2026
    the_day_before = fee(RICH, on=D(2026, 6, 1), birth_date=born)
    assert the_day_before.is_free and the_day_before.free_ground.code == "minor"
    on_the_birthday = fee(RICH, on=D(2026, 6, 2), birth_date=born)
    assert on_the_birthday.free_ground is None and not on_the_birthday.is_free
    assert on_the_birthday.group == SubsistenceGroup.WORKING_AGE
    # An age alone does as well as a date of birth.
    assert fee(RICH, age=17).is_free and not fee(RICH, age=18).is_free


def test_a_person_of_a_free_category_pays_nothing_until_the_ground_ends(rules, admin_user):
    victim = {"birth_date": D(1980, 1, 1), "categories": ["emergency-victim"]}
    result = fee(RICH, form="residential", **victim)
    assert result.is_free and result.free_ground.code == "emergency-victim"
    with translation.override("en"):
        assert result.explanation()[0] == (
            "Free: a person affected by an emergency — 442-FZ art. 31 part 1."
        )

    ground = FreeGround.objects.get(code="emergency-victim")
    last_day = D(2026, 12, 31)
    services.free_ground_update(
        actor=admin_user, ground=ground, valid_to=last_day, reason="test: the law changed"
    )
    assert fee(RICH, on=last_day, **victim).is_free
    the_day_after = fee(RICH, on=last_day + dt.timedelta(days=1), **victim)
    assert the_day_after.free_ground is None and not the_day_after.is_free
    assert the_day_after.fee_cap > 0
    # Without the category on the date, no ground: the categories are the caller's facts.
    assert not fee(RICH, on=last_day, birth_date=D(1980, 1, 1), categories=[]).is_free


def test_a_ground_added_later_applies_from_its_first_day(rules, admin_user):
    services.free_ground_add(
        actor=admin_user,
        code="svo-family",
        name="Член семьи участника специальной военной операции",
        name_en="A family member of a participant of the special military operation",
        citation="Закон субъекта РФ (пример)",
        citation_en="Regional law (example)",
        valid_from=D(2027, 1, 1),
        category_code="svo-family",
    )
    facts = {"age": 40, "categories": ["svo-family"]}
    assert not fee(RICH, on=D(2026, 12, 31), **facts).is_free
    result = fee(RICH, on=D(2027, 1, 1), **facts)
    assert result.is_free and "Regional law (example)" in english(result)


def test_without_the_recipients_facts_the_grounds_are_not_checked_and_the_explanation_says_so(
    rules,
):
    result = fee(RICH)
    assert result.free_ground is None and result.group == SubsistenceGroup.PER_CAPITA
    assert result.group_choice.reason is GroupReason.UNKNOWN
    text = english(result)
    assert "age and categories are not given" in text
    assert "were not checked, and the per-capita subsistence minimum is used" in text
    assert "so the socio-demographic group is not known" not in text  # said once
    categories_only = english(fee(RICH, categories=[]))
    assert "the grounds by age were not checked" in categories_only
    assert "so the socio-demographic group is not known" in categories_only
    only_age = english(fee(RICH, age=40, sex="M"))
    assert "grounds by category were not checked" in only_age
    assert "grounds by age were not checked" not in only_age


# --- The group of the subsistence minimum ------------------------------------------------------


@pytest.mark.parametrize(
    "facts",
    [
        {"birth_date": D(1970, 1, 1), "categories": ["pensioner"]},  # a pensioner by category
        {"birth_date": D(1960, 1, 1), "sex": "F", "categories": []},  # 66: past the pension age
        {"age": 70, "categories": []},  # past both pension ages: the sex is not needed
    ],
)
def test_a_pensioners_limit_uses_the_pensioners_minimum_just_under_and_just_over(rules, facts):
    threshold = limit("pensioner")
    assert threshold == Decimal("29449.50")
    at_the_limit = fee(threshold, **facts)
    assert at_the_limit.group == SubsistenceGroup.PENSIONER
    assert at_the_limit.subsistence_minimum == MOSCOW_2026["pensioner"]
    assert at_the_limit.threshold == threshold
    assert at_the_limit.is_free and at_the_limit.fee_cap == 0
    just_under = fee(threshold - Decimal("0.01"), **facts)
    assert just_under.is_free
    just_over = fee(threshold + Decimal("0.02"), **facts)
    assert not just_over.is_free and just_over.fee_cap == Decimal("0.01")
    # Over the pensioners' limit but under the working-age one: a working-age person of the
    # same income pays nothing.
    assert fee(threshold + 1000, age=40, sex="F", categories=[]).is_free
    text = english(just_over)
    assert "pensioners" in text and "19,633.00" in text and "29,449.50" in text
    assert "19\xa0633,00" in russian(just_over)


def test_the_group_follows_the_age_against_the_pension_age_in_force(rules):
    # Examples: 64 / 59 in 2026 (the rule versions), 63 / 58 in 2024–2025.
    assert selectors.value_in_force(PENSION_AGE_MEN, on=ON) == 64
    assert selectors.value_in_force(PENSION_AGE_WOMEN, on=ON) == 59
    man_of_63 = fee(RICH, age=63, sex="M", categories=[])
    assert man_of_63.group == SubsistenceGroup.WORKING_AGE
    assert man_of_63.group_choice.reason is GroupReason.WORKING_AGE
    assert "younger than the pension age 64" in english(man_of_63)
    assert fee(RICH, age=64, sex="M").group == SubsistenceGroup.PENSIONER
    assert fee(RICH, age=63, sex="M", on=D(2025, 6, 1)).group == SubsistenceGroup.PENSIONER
    assert fee(RICH, age=59, sex="F").group == SubsistenceGroup.PENSIONER
    between = fee(RICH, age=60)  # a woman's pension age, not a man's; the sex not given
    assert between.group == SubsistenceGroup.PER_CAPITA
    assert between.group_choice.reason is GroupReason.SEX_UNKNOWN
    assert "the sex is not given" in english(between)
    # The pension ages are example values: the result says its figures include examples.
    assert between.is_example


def test_a_child_past_the_minor_ground_uses_the_childrens_minimum(rules, admin_user):
    minor = FreeGround.objects.get(code="minor")
    services.free_ground_update(actor=admin_user, ground=minor, valid_to=D(2025, 12, 31))
    result = fee(RICH, birth_date=D(2015, 1, 1))
    assert result.free_ground is None
    assert result.group == SubsistenceGroup.CHILD
    assert result.subsistence_minimum == MOSCOW_2026["child"]


def test_a_group_chosen_by_hand_wins_over_the_facts(rules):
    result = fee(RICH, age=70, group=SubsistenceGroup.WORKING_AGE)
    assert result.group == SubsistenceGroup.WORKING_AGE
    assert "chosen by hand" in english(result)
    with pytest.raises(DomainError) as unknown:
        fee(RICH, group="martians")
    assert unknown.value.code == "invalid_group"


def test_a_region_without_a_group_figure_falls_back_to_per_capita(rules):
    tula = services.region_create(actor=SYSTEM, code="tula-oblast", name="Тульская область")
    services.subsistence_minimum_add(
        actor=SYSTEM,
        region=tula,
        valid_from=D(2026, 1, 1),
        per_capita=Decimal(17000),
        working_age=Decimal(18500),
        basis="пример",
    )
    pensioner = fee(RICH, region=tula, age=70, categories=["pensioner"])
    assert pensioner.group == SubsistenceGroup.PER_CAPITA
    assert pensioner.fell_back_from == SubsistenceGroup.PENSIONER
    assert pensioner.subsistence_minimum == Decimal(17000)
    assert pensioner.threshold == Decimal("25500.00")
    text = english(pensioner)
    assert "sets no subsistence minimum for the group «pensioners»" in text
    assert "the per-capita minimum is used instead" in text
    assert "(per capita) is 17,000.00 ₽" in text
    # The group it does set is used.
    worker = fee(RICH, region=tula, age=40, sex="M", categories=[])
    assert worker.group == SubsistenceGroup.WORKING_AGE and not worker.fell_back_from
    assert worker.subsistence_minimum == Decimal(18500)
    assert selectors.subsistence_minimum(tula, on=ON, group="child") == Decimal(17000)


def test_the_recipients_facts_are_checked(rules):
    refused = [
        ({"birth_date": D(2027, 1, 1)}, "birth_date"),
        ({"birth_date": D(1980, 1, 1), "age": 30}, "age"),
        ({"age": -1}, "age"),
        ({"age": 200}, "age"),
        ({"age": 40, "sex": "X"}, "sex"),
    ]
    for facts, field in refused:
        with pytest.raises(DomainError) as error:
            fee(RICH, **facts)
        assert error.value.code == "invalid_recipient" and field in error.value.details, facts
    with pytest.raises(DomainError) as negative:
        fee(-1, age=10)  # the income is checked even when a ground would apply
    assert negative.value.code == "negative_income"


def test_age_is_counted_in_full_years_and_29_february_has_its_birthday_on_28_february():
    assert age_on(D(2000, 6, 2), D(2018, 6, 1)) == 17
    assert age_on(D(2000, 6, 2), D(2018, 6, 2)) == 18
    assert age_on(D(2008, 2, 29), D(2026, 2, 27)) == 17
    assert age_on(D(2008, 2, 29), D(2026, 2, 28)) == 18
    assert age_on(D(2008, 2, 29), D(2028, 2, 28)) == 19


def test_choose_group_reads_only_the_rules_it_needs():
    read: list[str] = []

    class Version:
        is_example = False

        def __init__(self, value):
            self.value = Decimal(value)

    values = {"child_group_age": 16, "pension_age_men": 65, "pension_age_women": 60}

    def rule(code):
        read.append(code)
        return Version(values[code])

    assert choose_group(Recipient(), rule=rule).group == SubsistenceGroup.PER_CAPITA
    assert read == []
    by_category = choose_group(Recipient(categories=frozenset({"pensioner"})), rule=rule)
    assert by_category.reason is GroupReason.PENSIONER_CATEGORY and read == []
    assert choose_group(Recipient(age=15), rule=rule).group == SubsistenceGroup.CHILD
    assert choose_group(Recipient(age=16, sex="F"), rule=rule).group == "working_age"
    assert choose_group(Recipient(age=60, sex="F"), rule=rule).group == "pensioner"
    assert choose_group(Recipient(age=64, sex="M"), rule=rule).group == "working_age"
    assert choose_group(Recipient(age=59), rule=rule).group == "working_age"
    assert choose_group(Recipient(age=65), rule=rule).group == "pensioner"


# --- Invariants -------------------------------------------------------------------------------


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    income=st.decimals(min_value=0, max_value=500_000, places=2, allow_nan=False),
    age=st.integers(min_value=0, max_value=110),
    sex=st.sampled_from(["", "M", "F"]),
    pensioner=st.booleans(),
    form=st.sampled_from(FORMS),
)
def test_the_fee_is_never_negative_never_above_the_cap_and_zero_for_minors(
    rules, income, age, sex, pensioner, form
):
    categories = ["pensioner"] if pensioner else []
    result = fee(income, form=form, age=age, sex=sex, categories=categories)
    assert result.fee_cap >= 0
    if age < 18:
        assert result.is_free and result.fee_cap == 0 and result.free_ground.code == "minor"
        return
    # The cap by hand, from the figure of the group the result names.
    figure = MOSCOW_2026[result.group]
    assert result.subsistence_minimum == figure
    threshold = (Decimal("1.5") * figure).quantize(Decimal("0.01"), ROUND_CEILING)
    if form == ServiceForm.RESIDENTIAL:
        cap = Decimal("0.75") * income
    else:
        cap = Decimal("0.5") * max(income - threshold, Decimal(0))
    assert result.fee_cap <= cap
    assert result.fee_cap == cap.quantize(Decimal("0.01"), ROUND_FLOOR)
    assert result.is_free == (cap == 0)
    if pensioner:
        assert result.group == SubsistenceGroup.PENSIONER
