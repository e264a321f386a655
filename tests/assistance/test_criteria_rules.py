"""The rule language's schema (every problem named by its path, defaults filled in, clause ids
kept or given) and its sentences in English and Russian."""

from __future__ import annotations

import pytest
from django.utils import translation

from opora.assistance.criteria import check_amount, check_eligibility, describe, describe_amount
from opora.core.errors import DomainError
from opora.rules.catalog import CITY_PENSIONER_STANDARD


@pytest.fixture
def known(assistance_reference):
    """The registry's categories and the rules' catalogue, as the migrations and demo load them."""


def problems(check, data) -> dict:
    with pytest.raises(DomainError) as error:
        check(data)
    assert error.value.code == "invalid_rule"
    return error.value.details


def test_clauses_get_ids_and_defaults(known):
    rule = check_eligibility(
        {
            "all": [
                {"clause": "age", "at_least": 60},
                {"id": "c1", "clause": "income"},
                {"not": {"clause": "category", "code": "pensioner"}},
            ]
        }
    )
    age, income, negated = rule["all"]
    assert age == {"clause": "age", "at_least": 60, "id": "c2"}
    assert income == {
        "clause": "income",
        "id": "c1",
        "months": 3,
        "below": {"minimum": "members", "times": "1.0"},
        "missing_months": "unknown",
    }
    assert negated["not"] == {
        "clause": "category",
        "code": "pensioner",
        "who": "applicant",
        "id": "c3",
    }
    assert check_eligibility(rule) == rule


@pytest.mark.parametrize(
    ("rule", "path"),
    [
        (
            {"all": [{"clause": "age", "at_least": 60}, {"clause": "wealth"}]},
            "eligibility.all[1].clause",
        ),
        ({"all": [{"clause": "category", "code": "astronaut"}]}, "eligibility.all[0].code"),
        (
            {"any": [{"clause": "age", "at_least": 60, "colour": "red"}]},
            "eligibility.any[0].colour",
        ),
        ({"not": {"clause": "age", "at_least": "sixty"}}, "eligibility.not.at_least"),
        ({"all": []}, "eligibility.all"),
        (
            {"all": [{"clause": "income", "below": {"minimum": "rich"}}]},
            "eligibility.all[0].below.minimum",
        ),
        (
            {"all": [{"clause": "income", "below": {"times": "-1"}}]},
            "eligibility.all[0].below.times",
        ),
        (
            {"all": [{"clause": "income", "missing_months": "guess"}]},
            "eligibility.all[0].missing_months",
        ),
        ({"all": [{"clause": "measure", "code": "nothing-like-it"}]}, "eligibility.all[0].code"),
        (
            {"all": [{"clause": "residence", "districts": ["atlantis"]}]},
            "eligibility.all[0].districts[0]",
        ),
        ({"all": [{"clause": "relation", "in": ["cousin"]}]}, "eligibility.all[0].in[0]"),
        ({"all": [{"clause": "age", "at_least": 60, "under": 18}]}, "eligibility.all[0].under"),
        ({"all": [{"clause": "age"}]}, "eligibility.all[0]"),
        ("age >= 60", "eligibility"),
    ],
)
def test_a_bad_rule_is_refused_naming_the_place(known, rule, path):
    assert path in problems(check_eligibility, rule)


def test_every_problem_is_reported_at_once_and_ids_are_unique(known):
    found = problems(
        check_eligibility,
        {
            "all": [
                {"id": "x", "clause": "age", "at_least": 60},
                {"id": "x", "clause": "sex", "is": "N"},
            ]
        },
    )
    assert set(found) == {"eligibility.all[1].id", "eligibility.all[1].is"}


def test_a_rule_nested_too_deeply_is_refused(known):
    rule: dict = {"clause": "age", "at_least": 1}
    for _ in range(9):
        rule = {"not": rule}
    with translation.override("en"):
        found = problems(check_eligibility, rule)
    assert any("nested" in m for ms in found.values() for m in ms)


@pytest.mark.parametrize(
    ("amount", "path"),
    [
        ({"fixed": "-1.00"}, "amount.fixed"),
        ({"fixed": "10.001"}, "amount.fixed"),
        ({"fixed": 1.5}, "amount.fixed"),
        ({"minus": [{"fixed": "10"}, {"fixed": "20"}]}, "amount"),
        ({"sum": [{"fixed": "10"}, {"subtract": {"fixed": "20"}}]}, "amount.sum[1]"),
        ({"rule": "fee_cap_share"}, "amount.rule"),
        ({"at_most": [{"fixed": "10"}]}, "amount.at_most"),
        ({"top_up": {"income": "own"}}, "amount.top_up.to"),
        ({"minimum": "members", "times": "1"}, "amount.minimum"),
    ],
)
def test_an_amount_that_could_go_negative_or_is_unknown_is_refused(known, amount, path):
    assert path in problems(check_amount, amount)


def test_subtraction_is_refused_with_the_way_to_write_it(known):
    (message,) = problems(check_amount, {"minus": [{"fixed": "10"}]})["amount"]
    assert "top_up" in message


def test_an_amount_is_normalised(known):
    assert check_amount(None) is None
    assert check_amount({"fixed": "1500"}) == {"fixed": "1500.00"}
    assert check_amount({"top_up": {"to": {"rule": CITY_PENSIONER_STANDARD}}}) == {
        "top_up": {"to": {"rule": CITY_PENSIONER_STANDARD}, "income": "own", "months": 3}
    }


RULE = {
    "all": [
        {"id": "c1", "clause": "age", "at_least": 60},
        {"id": "c2", "clause": "category", "code": "disability-1"},
        {
            "any": [
                {"id": "c3", "clause": "income", "below": {"minimum": "members", "times": "1.0"}},
                {"id": "c4", "clause": "children", "under_age": 18, "at_least": 3},
            ]
        },
        {"not": {"id": "c5", "clause": "residence", "years": 10}},
    ]
}


def test_a_rule_reads_as_english_sentences(known):
    with translation.override("en"):
        lines = describe(check_eligibility(RULE))
    assert [(line.depth, line.text, line.clause_id) for line in lines] == [
        (0, "All of the following:", None),
        (1, "Age on the day of the application is at least 60", "c1"),
        (1, "Holds the category «Disability group I» on the day", "c2"),
        (1, "At least one of the following:", None),
        (
            2,
            "Average monthly income per household member over the 3 months before the month of "
            "the application is below 1.0 × the subsistence minimum (the average of the members' "
            "groups); a month without a recorded income leaves it unknown",
            "c3",
        ),
        (2, "The household has at least 3 children under 18 on the day", "c4"),
        (1, "None of the following holds:", None),
        (2, "Registered in a district of the region for at least 10 years on the day", "c5"),
    ]


def test_a_rule_reads_in_russian_with_russian_names_and_decimal_commas(known):
    with translation.override("ru"):
        lines = describe(check_eligibility(RULE))
        amount = describe_amount(check_amount({"minimum": "pensioner", "times": "0.5"}))
    assert "«Инвалид I группы»" in lines[2].text
    assert "1,0 ×" in lines[4].text
    assert "0,5 ×" in amount[0].text


def test_an_amount_reads_as_sentences_in_the_order_of_its_parts(known):
    with translation.override("en"):
        lines = describe_amount(
            check_amount(
                {
                    "at_most": [
                        {"top_up": {"to": {"rule": CITY_PENSIONER_STANDARD}, "income": "own"}},
                        {"per_child": {"fixed": "1500"}, "under_age": 18},
                    ]
                }
            )
        )
    assert [(line.depth, line.text) for line in lines] == [
        (0, "The smallest of:"),
        (
            1,
            "The difference, if above zero, between the standard below and the applicant's own "
            "average monthly income over the 3 months before the month of the application",
        ),
        (
            2,
            "«The city's social standard of the minimum income of a non-working pensioner» in "
            "force on the day",
        ),
        (1, "For each child under 18 in the household:"),
        (2, "1,500.00 roubles"),
    ]
