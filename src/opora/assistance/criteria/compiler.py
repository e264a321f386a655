"""A version's rules compiled into one SELECT over ``registry.Person``: an annotation per clause
(its state and the facts it read), the combined eligibility and the amount with each of its
parts. Portable ORM expressions only (Exists, Subquery, Case/When, Coalesce), so the same query
runs on SQLite and PostgreSQL; everything that depends only on the day (cut-off birth dates, the
months of income, the figures in force) is computed once in Python and enters as a constant.

Three-valued logic without NULLs: a state is 2 (held), 1 (unknown) or 0 (not held), so ``all``
is LEAST, ``any`` is GREATEST and ``not`` is 2 − x — exactly Kleene's (SQL's) logic, with
each part written once however deep the tree (a CASE per combinator would repeat its parts).
Money is whole kopecks (integers), so sums and comparisons are exact on both databases; a
comparison with a per-capita figure is multiplied out rather than divided
(income / (months × members) < times × minimums / members ⇔
income × 100 < times×100 × months × minimums).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import reduce
from typing import Any

from django.db.models import (
    BigIntegerField,
    BooleanField,
    Case,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Greatest, Least, Round
from django.db.models.lookups import GreaterThan

from opora.assistance.models import Assignment, AssignmentStatus, Beneficiary, MeasureVersion
from opora.registry.models import (
    Address,
    AddressKind,
    HouseholdMember,
    Income,
    Person,
    PersonCategory,
)
from opora.rules.catalog import PENSIONER_CATEGORY
from opora.rules.models import SubsistenceGroup

from .figures import (
    Figures,
    income_months,
    kopecks,
    latest_birth_date,
    share_kopecks,
    times_hundred,
)
from .schema import APPLICANT, HOUSEHOLD_PER_CAPITA, MEMBERS, clauses_of

HELD, UNKNOWN, NOT_HELD = 2, 1, 0
BIG = BigIntegerField()
HOUSEHOLD = "subject_household"
ELIGIBLE = "eligible"
AMOUNT = "amount_kopecks"
ELIGIBLE_STATE = "crit_eligible_state"


def number(value: int) -> Value:
    return Value(value, output_field=BIG)


def clause_name(index: int) -> str:
    return f"clause_{index}"


def fact_name(index: int, fact: str) -> str:
    return f"crit_{index}_{fact}"


def part_name(index: int) -> str:
    return f"crit_part_{index}"


def state(*whens: When, default: int) -> Case:
    return Case(*whens, default=Value(default), output_field=IntegerField())


def total(expression: Any) -> Func:
    """SUM as a plain function: the query gets no GROUP BY, so a subquery returns one row."""
    return Func(expression, function="SUM", output_field=BIG)


def counted(expression: Any = "pk", *, distinct: bool = False) -> Func:
    template = "%(function)s(DISTINCT %(expressions)s)" if distinct else None
    extra = {"template": template} if template else {}
    return Func(F(expression), function="COUNT", output_field=BIG, **extra)


def scalar(qs: QuerySet, expression: Any, *, default: int | None = 0) -> Any:
    """One value of a subquery as a whole number (PostgreSQL's SUM of bigint is numeric)."""
    value = Cast(Subquery(qs.order_by().values(v=expression)[:1]), BIG)
    return value if default is None else Coalesce(value, number(default))


@dataclass
class Compiled:
    """The annotated query and what its columns mean."""

    queryset: QuerySet[Person]
    clause_ids: list[str]
    clause_kinds: list[str]
    facts: dict[int, list[str]] = field(default_factory=dict)  # clause index: its fact columns
    parts: int = 0  # the number of amount nodes


class Compiler:
    def __init__(self, *, version: MeasureVersion, on: dt.date, figures: Figures) -> None:
        self.version = version
        self.on = on
        self.figures = figures
        self.annotations: dict[str, Any] = {}

    # --- the day's rows -----------------------------------------------------------------------

    def member_on_day(self, prefix: str = "") -> Q:
        joined = Q(**{f"{prefix}joined_on__isnull": True}) | Q(
            **{f"{prefix}joined_on__lte": self.on}
        )
        left = Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": self.on})
        return joined & left

    def held_on_day(self) -> Q:
        return Q(valid_from__lte=self.on) & (Q(valid_to__isnull=True) | Q(valid_to__gte=self.on))

    def members(self) -> QuerySet[HouseholdMember]:
        return HouseholdMember.objects.filter(self.member_on_day(), household=OuterRef(HOUSEHOLD))

    def per_household(self, own: Any, household: Any) -> Case:
        """``own`` for a person in no household on the day, else ``household``."""
        return Case(
            When(**{f"{HOUSEHOLD}__isnull": True}, then=own), default=household, output_field=BIG
        )

    def size(self) -> Case:
        return self.per_household(number(1), scalar(self.members(), counted()))

    def children(self, under_age: int) -> Case:
        cut = latest_birth_date(self.on, under_age)
        own = Case(When(birth_date__gt=cut, then=number(1)), default=number(0), output_field=BIG)
        household = scalar(self.members().filter(person__birth_date__gt=cut), counted())
        return self.per_household(own, household)

    def income_window(self, months: int) -> Q:
        window = income_months(self.on, months)
        return Q(month__gte=window[0], month__lte=window[-1])

    def income(self, months: int, *, household: bool) -> Any:
        row_kopecks = Cast(
            Round(
                ExpressionWrapper(
                    F("amount") * Value(100),
                    output_field=DecimalField(max_digits=16, decimal_places=2),
                )
            ),
            BIG,
        )
        window = self.income_window(months)
        own = scalar(Income.objects.filter(window, person=OuterRef("pk")), total(row_kopecks))
        if not household:
            return own
        of_members = Income.objects.filter(
            window,
            Q(person__memberships__household=OuterRef(HOUSEHOLD))
            & self.member_on_day("person__memberships__"),
        )
        return self.per_household(own, scalar(of_members, total(row_kopecks)))

    def incomplete(self, months: int) -> Case:
        """The members (or the person alone) lacking an income row in a month of the window."""
        window = self.income_window(months)

        def months_of(person_ref: str) -> Any:
            return scalar(
                Income.objects.filter(window, person=OuterRef(person_ref)),
                counted("month", distinct=True),
            )

        own = Case(
            When(GreaterThan(months_of("pk"), number(months - 1)), then=number(0)),
            default=number(1),
            output_field=BIG,
        )
        lacking = self.members().annotate(held=months_of("person")).filter(held__lt=months)
        return self.per_household(own, scalar(lacking, counted()))

    def group_figure(self, *, prefix: str, person_ref: str, figure: Any) -> Case:
        """The figure of a person's socio-demographic group (``figure(group)`` gives it), as
        ``rules.recipients.choose_group`` chooses the group."""
        figures = self.figures
        birth, sex = f"{prefix}birth_date", f"{prefix}sex"
        men, women = figures.pension_cut("M"), figures.pension_cut("F")
        pensioner = Exists(
            PersonCategory.objects.filter(
                self.held_on_day(), person=OuterRef(person_ref), kind__code=PENSIONER_CATEGORY
            )
        )
        return Case(
            When(Q(**{f"{birth}__gt": figures.child_cut}), then=figure(SubsistenceGroup.CHILD)),
            When(pensioner, then=figure(SubsistenceGroup.PENSIONER)),
            When(Q(**{f"{birth}__isnull": True}), then=figure(SubsistenceGroup.PER_CAPITA)),
            When(Q(**{sex: "M", f"{birth}__lte": men}), then=figure(SubsistenceGroup.PENSIONER)),
            When(Q(**{sex: "M"}), then=figure(SubsistenceGroup.WORKING_AGE)),
            When(Q(**{sex: "F", f"{birth}__lte": women}), then=figure(SubsistenceGroup.PENSIONER)),
            When(Q(**{sex: "F"}), then=figure(SubsistenceGroup.WORKING_AGE)),
            # The sex not known: both pension ages reached, or neither.
            When(Q(**{f"{birth}__lte": min(men, women)}), then=figure(SubsistenceGroup.PENSIONER)),
            When(Q(**{f"{birth}__gt": max(men, women)}), then=figure(SubsistenceGroup.WORKING_AGE)),
            default=figure(SubsistenceGroup.PER_CAPITA),
            output_field=BIG,
        )

    def group_kopecks(self, group: str) -> Value:
        return number(self.figures.group_kopecks(group))

    # --- clauses ------------------------------------------------------------------------------

    def clause(self, index: int, clause: dict) -> tuple[Case, dict[str, Any]]:
        return getattr(self, f"clause_{clause['clause']}")(index, clause)

    def clause_age(self, index: int, clause: dict) -> tuple[Case, dict[str, Any]]:
        held = Q()
        if "at_least" in clause:
            held &= Q(birth_date__lte=latest_birth_date(self.on, clause["at_least"]))
        if "under" in clause:
            held &= Q(birth_date__gt=latest_birth_date(self.on, clause["under"]))
        return state(
            When(birth_date__isnull=True, then=Value(UNKNOWN)),
            When(held, then=Value(HELD)),
            default=NOT_HELD,
        ), {}

    def clause_sex(self, index: int, clause: dict) -> tuple[Case, dict[str, Any]]:
        return state(
            When(sex="", then=Value(UNKNOWN)),
            When(sex=clause["is"], then=Value(HELD)),
            default=NOT_HELD,
        ), {}

    def clause_category(self, index: int, clause: dict) -> tuple[Case, dict[str, Any]]:
        holdings = PersonCategory.objects.filter(self.held_on_day(), kind__code=clause["code"])
        own = Exists(holdings.filter(person=OuterRef("pk")))
        if clause["who"] == "any_member":
            of_members = Exists(
                holdings.filter(
                    Q(person__memberships__household=OuterRef(HOUSEHOLD))
                    & self.member_on_day("person__memberships__")
                )
            )
            held = (Q(**{f"{HOUSEHOLD}__isnull": True}) & own) | (
                Q(**{f"{HOUSEHOLD}__isnull": False}) & of_members
            )
        else:
            held = Q(own)
        return state(When(held, then=Value(HELD)), default=NOT_HELD), {}

    def clause_children(self, index: int, clause: dict) -> tuple[Case, dict[str, Any]]:
        count = fact_name(index, "children")
        return state(
            When(**{f"{count}__gte": clause["at_least"]}, then=Value(HELD)), default=NOT_HELD
        ), {count: self.children(clause["under_age"])}

    def clause_relation(self, index: int, clause: dict) -> tuple[Case, dict[str, Any]]:
        relation = fact_name(index, "relation")
        mine = HouseholdMember.objects.filter(self.member_on_day(), person=OuterRef("pk"))
        return state(
            When(**{f"{relation}__in": clause["in"]}, then=Value(HELD)), default=NOT_HELD
        ), {relation: Subquery(mine.order_by("-pk").values("relation")[:1])}

    def clause_household_size(self, index: int, clause: dict) -> tuple[Case, dict[str, Any]]:
        size = fact_name(index, "members")
        held = Q()
        if "at_least" in clause:
            held &= Q(**{f"{size}__gte": clause["at_least"]})
        if "at_most" in clause:
            held &= Q(**{f"{size}__lte": clause["at_most"]})
        return state(When(held, then=Value(HELD)), default=NOT_HELD), {size: self.size()}

    def clause_income(self, index: int, clause: dict) -> tuple[Case, dict[str, Any]]:
        months = clause["months"]
        names = {
            key: fact_name(index, key) for key in ("total", "members", "minimums", "incomplete")
        }
        group = clause["below"]["minimum"]
        if group == MEMBERS:

            def figure(group: str) -> Value:
                return self.group_kopecks(group)

            minimums: Any = self.per_household(
                self.group_figure(prefix="", person_ref="pk", figure=figure),
                scalar(
                    self.members(),
                    total(self.group_figure(prefix="person__", person_ref="person", figure=figure)),
                ),
            )
        else:
            minimums = ExpressionWrapper(
                self.group_kopecks(group) * F(names["members"]), output_field=BIG
            )
        facts = {
            names["total"]: self.income(months, household=True),
            names["members"]: self.size(),
            names["minimums"]: minimums,
            names["incomplete"]: self.incomplete(months),
        }
        below = GreaterThan(
            ExpressionWrapper(
                number(times_hundred(clause["below"]["times"]) * months) * F(names["minimums"]),
                output_field=BIG,
            ),
            ExpressionWrapper(F(names["total"]) * number(100), output_field=BIG),
        )
        whens = []
        if clause["missing_months"] == "unknown":
            whens.append(When(**{f"{names['incomplete']}__gt": 0}, then=Value(UNKNOWN)))
        whens.append(When(below, then=Value(HELD)))
        return state(*whens, default=NOT_HELD), facts

    def clause_residence(self, index: int, clause: dict) -> tuple[Case, dict[str, Any]]:
        district, since = fact_name(index, "district"), fact_name(index, "registered_on")
        registration = Address.objects.filter(person=OuterRef("pk"), kind=AddressKind.REGISTRATION)
        facts = {
            district: Subquery(registration.values("district__code")[:1]),
            since: Subquery(registration.values("registered_on")[:1]),
        }
        whens = [When(**{f"{district}__isnull": True}, then=Value(NOT_HELD))]
        if "districts" in clause:
            whens.append(When(~Q(**{f"{district}__in": clause["districts"]}), then=Value(NOT_HELD)))
        if clause["years"]:
            cut = latest_birth_date(self.on, clause["years"])
            whens += [
                When(**{f"{since}__isnull": True}, then=Value(UNKNOWN)),
                When(**{f"{since}__lte": cut}, then=Value(HELD)),
            ]
            return state(*whens, default=NOT_HELD), facts
        whens.append(When(**{f"{since}__gt": self.on}, then=Value(NOT_HELD)))
        return state(*whens, default=HELD), facts

    def clause_measure(self, index: int, clause: dict) -> tuple[Case, dict[str, Any]]:
        holds = Exists(
            Assignment.objects.filter(
                Q(ends_on__isnull=True) | Q(ends_on__gte=self.on),
                person=OuterRef("pk"),
                measure__code=clause["code"],
                status=AssignmentStatus.ACTIVE,
                starts_on__lte=self.on,
            )
        )
        held = Q(holds) if clause["held"] else ~Q(holds)
        return state(When(held, then=Value(HELD)), default=NOT_HELD), {}

    # --- the tree -----------------------------------------------------------------------------

    def combine(self, node: dict, indexes: dict[int, int]) -> Any:
        if "clause" in node:
            return F(clause_name(indexes[id(node)]))
        if "not" in node:
            return ExpressionWrapper(
                Value(HELD) - self.combine(node["not"], indexes), output_field=IntegerField()
            )
        key = "all" if "all" in node else "any"
        parts = [self.combine(child, indexes) for child in node[key]]
        if len(parts) == 1:
            return parts[0]
        return (Least if key == "all" else Greatest)(*parts, output_field=IntegerField())

    # --- amount -------------------------------------------------------------------------------

    def amount(self, node: dict, parts: list[Any]) -> Any:
        index = len(parts)
        parts.append(None)
        parts[index] = self._amount(node, parts)
        return parts[index]

    def _amount(self, node: dict, parts: list[Any]) -> Any:
        if "fixed" in node:
            return number(kopecks(Decimal(node["fixed"])))
        if "minimum" in node:
            times = node["times"]

            def share(group: str) -> Value:
                return number(share_kopecks(self.figures.group_kopecks(group), times))

            if node["minimum"] == APPLICANT:
                return self.group_figure(prefix="", person_ref="pk", figure=share)
            return share(node["minimum"])
        if "rule" in node:
            return number(self.figures.money(node["rule"]))
        if "top_up" in node:
            top_up = node["top_up"]
            standard = self.amount(top_up["to"], parts)
            months = top_up["months"]
            if top_up["income"] == HOUSEHOLD_PER_CAPITA:
                income = self.income(months, household=True)
                people: Any = ExpressionWrapper(number(months) * self.size(), output_field=BIG)
            else:
                income, people = self.income(months, household=False), number(months)
            average = ExpressionWrapper(income / people, output_field=BIG)
            return Case(
                When(GreaterThan(standard, average), then=standard - average),
                default=number(0),
                output_field=BIG,
            )
        if "per_child" in node:
            each = self.amount(node["per_child"], parts)
            return ExpressionWrapper(each * self.children(node["under_age"]), output_field=BIG)
        if "at_most" in node:
            items = [self.amount(item, parts) for item in node["at_most"]]
            return Least(*items, output_field=BIG)
        items = [self.amount(item, parts) for item in node["sum"]]
        return ExpressionWrapper(reduce(lambda a, b: a + b, items), output_field=BIG)

    # --- the query ----------------------------------------------------------------------------

    def households(self) -> QuerySet[HouseholdMember]:
        """The memberships on the day, the one a person's household is taken from first (of
        several, the latest recorded)."""
        return HouseholdMember.objects.filter(self.member_on_day()).order_by("-pk")

    def household_of(self) -> Subquery:
        return Subquery(self.households().filter(person=OuterRef("pk")).values("household")[:1])

    def household_of_person(self, person: int) -> int | None:
        """What ``household_of`` finds for ``person``, by a query of its own."""
        return self.households().filter(person=person).values_list("household", flat=True).first()

    def compile(self, people: Iterable[int] | None, *, household: Any = None) -> Compiled:
        """``household``: for the query of one person whose household on the day is known
        already, that household as an expression (every clause reading it would otherwise
        repeat the subquery that finds it)."""
        version = self.version
        qs = Person.objects.filter(merged_into__isnull=True)
        if people is not None:
            qs = qs.filter(pk__in=list(people))
        elif version.measure.beneficiary == Beneficiary.HOUSEHOLD:
            qs = qs.filter(
                Exists(
                    HouseholdMember.objects.filter(
                        self.member_on_day(), person=OuterRef("pk"), is_applicant=True
                    )
                )
            )
        else:
            qs = qs.filter(Q(death_date__isnull=True) | Q(death_date__gt=self.on))
        qs = qs.annotate(**{HOUSEHOLD: self.household_of() if household is None else household})
        rule = version.eligibility
        clauses = clauses_of(rule)
        indexes = {id(clause): index for index, clause in enumerate(clauses)}
        compiled = Compiled(
            queryset=qs,
            clause_ids=[clause["id"] for clause in clauses],
            clause_kinds=[clause["clause"] for clause in clauses],
        )
        for index, clause in enumerate(clauses):
            expression, facts = self.clause(index, clause)
            for name, fact in facts.items():
                qs = qs.annotate(**{name: fact})
            qs = qs.annotate(**{clause_name(index): expression})
            compiled.facts[index] = list(facts)
        qs = qs.annotate(**{ELIGIBLE_STATE: self.combine(rule, indexes)})
        qs = qs.annotate(
            **{
                ELIGIBLE: Case(
                    When(**{ELIGIBLE_STATE: HELD}, then=Value(True)),
                    When(**{ELIGIBLE_STATE: NOT_HELD}, then=Value(False)),
                    default=Value(None),
                    output_field=BooleanField(null=True),
                )
            }
        )
        if version.amount:
            parts: list[Any] = []
            whole = self.amount(version.amount, parts)
            if version.amount_floor is not None:
                whole = Greatest(whole, number(kopecks(version.amount_floor)), output_field=BIG)
            if version.amount_ceiling is not None:
                whole = Least(whole, number(kopecks(version.amount_ceiling)), output_field=BIG)
            qs = qs.annotate(**{part_name(i): part for i, part in enumerate(parts)})
            qs = qs.annotate(
                **{
                    AMOUNT: Case(
                        When(**{ELIGIBLE_STATE: HELD}, then=whole),
                        default=Value(None),
                        output_field=BIG,
                    )
                }
            )
            compiled.parts = len(parts)
        else:
            qs = qs.annotate(**{AMOUNT: Value(None, output_field=BIG)})
        compiled.queryset = qs.order_by("pk")
        return compiled
