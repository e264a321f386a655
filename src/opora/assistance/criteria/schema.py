"""The schema of the rule language, as data, and the check that validates and normalises a rule.

An eligibility rule is a tree: ``{"all": [...]}``, ``{"any": [...]}``, ``{"not": {...}}``, and
clauses ``{"id": "c1", "clause": "<kind>", ...}`` whose parameters each kind declares below.
An amount rule is a tree of amount nodes, every one of which is zero or more by construction
(constants are never negative and the only difference, ``top_up``, stops at zero), so a
published amount can never go below zero.

Every problem is reported with the path of the value it is about
(``eligibility.all[2].code``), all problems at once; a rule that has one is not stored.

What the clauses read, on the day D of the evaluation:

- the household of a person on D is her membership with joined_on ≤ D < left_on (open ends
  count; of two, the latest recorded); a person in none counts as a household of one (for
  ``children``, ``household_size``, ``income`` and ``category`` with ``any_member``), and her
  ``relation`` is none of the relations;
- ``age``: full years on D as ``rules.recipients.age_on`` counts them; no birth date: unknown;
- ``sex``: not recorded: unknown;
- ``category``: held on D (valid_from ≤ D ≤ valid_to, open end counts), by the applicant or by
  any member; a code the registry does not know is refused when the rule is written;
- ``children``: members born after the cut-off of ``under_age`` (an unknown birth date is not
  counted);
- ``income``: the ``months`` whole months before the month of D; the household's total over
  them / months / members on D, below ``times`` × the threshold: a group's minimum of the home
  region in force on D, or (``members``) the average of each member's group minimum, the group
  chosen as ``rules.recipients.choose_group`` chooses it. Exactly at the threshold is not
  below. A member with no income row in one of the months: ``missing_months`` says whether
  that month counts as zero or leaves the clause unknown;
- ``residence``: a registration address in a district of the region (or of ``districts``),
  registered for at least ``years`` on D counted from ``Address.registered_on``; an unknown
  day leaves the clause unknown when years are asked for;
- ``measure``: an active assignment of the measure whose period contains D, held or not.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from opora.core.errors import DomainError
from opora.registry.models import Relation, Sex
from opora.rules.catalog import RuleKind, rule_specs
from opora.rules.models import SubsistenceGroup

ELIGIBILITY = "eligibility"
AMOUNT = "amount"

# The clauses, each with the parameters it takes (the id and the kind aside).
CLAUSE_PARAMETERS: dict[str, frozenset[str]] = {
    "age": frozenset({"at_least", "under"}),
    "sex": frozenset({"is"}),
    "category": frozenset({"code", "who"}),
    "children": frozenset({"under_age", "at_least"}),
    "relation": frozenset({"in"}),
    "household_size": frozenset({"at_least", "at_most"}),
    "income": frozenset({"months", "below", "missing_months"}),
    "residence": frozenset({"years", "districts"}),
    "measure": frozenset({"code", "held"}),
}
COMBINATORS = ("all", "any", "not")
WHO = ("applicant", "any_member")
MEMBERS = "members"  # the threshold: the average of the members' group minimums
THRESHOLDS = (MEMBERS, *SubsistenceGroup.values)
APPLICANT = "applicant"  # an amount node's minimum: the applicant's own group
MISSING_MONTHS = ("zero", "unknown")
OWN = "own"
HOUSEHOLD_PER_CAPITA = "household_per_capita"
INCOME_BASES = (OWN, HOUSEHOLD_PER_CAPITA)
AMOUNT_NODES = ("fixed", "minimum", "rule", "top_up", "per_child", "at_most", "sum")

OLDEST = 150
LONGEST_MONTHS = 24
DEEPEST = 8
MOST_TIMES = Decimal("100")
KOPECK = Decimal("0.01")
CLAUSE_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,31}$")
CHILD_AGE = 18


class Problems:
    """The problems found so far, by path."""

    def __init__(self) -> None:
        self.by_path: dict[str, list[str]] = {}

    def add(self, path: str, message: str) -> None:
        self.by_path.setdefault(path, []).append(message)

    def raise_any(self) -> None:
        if self.by_path:
            raise DomainError(
                "invalid_rule",
                _("The rule is not valid: see the problems by their place in the rule."),
                details=self.by_path,
            )


def _whole(
    problems: Problems, path: str, value: Any, *, low: int, high: int, default: int | None = None
) -> int | None:
    if value is None:
        if default is None:
            problems.add(path, _("Enter a whole number."))
        return default
    if isinstance(value, bool) or not isinstance(value, int):
        problems.add(path, _("Enter a whole number."))
        return None
    if not low <= value <= high:
        problems.add(
            path, _("Enter a whole number from %(low)s to %(high)s.") % {"low": low, "high": high}
        )
        return None
    return value


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    try:
        number = Decimal(str(value).strip())
    except InvalidOperation:
        return None
    return number if number.is_finite() else None


def _money(problems: Problems, path: str, value: Any) -> str | None:
    """An amount of roubles: zero or more, to the kopeck, kept as text so JSON loses nothing."""
    number = _decimal(value)
    if number is None:
        problems.add(path, _('Enter an amount of roubles as text, e.g. "1500.00".'))
        return None
    if number < 0:
        problems.add(path, _("An amount cannot be negative."))
        return None
    if number != number.quantize(KOPECK):
        problems.add(path, _("An amount has at most two decimals (kopecks)."))
        return None
    return str(number.quantize(KOPECK))


def _times(problems: Problems, path: str, value: Any, default: str = "1.0") -> str | None:
    number = _decimal(default if value is None else value)
    if number is None or not 0 < number <= MOST_TIMES or number != number.quantize(KOPECK):
        problems.add(
            path,
            _("Enter a multiplier greater than 0 and at most %(most)s, with at most two decimals.")
            % {"most": MOST_TIMES},
        )
        return None
    return str(number) if value is not None else default


def _one_of(
    problems: Problems, path: str, value: Any, allowed: tuple[str, ...], default: str | None = None
) -> str | None:
    if value is None and default is not None:
        return default
    if value not in allowed:
        problems.add(path, _("Choose one of: %(allowed)s.") % {"allowed": ", ".join(allowed)})
        return None
    return str(value)


def _unknown_keys(problems: Problems, path: str, node: dict, allowed: frozenset[str]) -> None:
    for key in sorted(set(node) - allowed):
        problems.add(
            f"{path}.{key}",
            _("There is no such field here; the fields are: %(fields)s.")
            % {"fields": ", ".join(sorted(allowed))},
        )


class Known:
    """The codes a rule may name, read once per check: categories of the registry, districts,
    measures and the money rules of the rules app."""

    def __init__(self) -> None:
        from opora.assistance.models import Measure
        from opora.institutions.models import District
        from opora.registry.models import CategoryKind

        self.categories = frozenset(CategoryKind.objects.values_list("code", flat=True))
        self.districts = frozenset(District.objects.values_list("code", flat=True))
        self.measures = frozenset(Measure.objects.values_list("code", flat=True))
        self.money_rules = frozenset(
            spec.code for spec in rule_specs() if spec.kind is RuleKind.ROUBLES
        )


# --- Eligibility ------------------------------------------------------------------------------


def check_eligibility(data: Any) -> dict:
    """The eligibility rule validated and normalised: every parameter with its default, every
    clause with an id (the given ones kept, the missing ones numbered ``c1``, ``c2``, … past
    those taken); ``DomainError("invalid_rule")`` naming every problem by its path."""
    problems = Problems()
    known = Known()
    taken: set[str] = set()
    missing: list[dict] = []
    normalised = _node(data, ELIGIBILITY, 1, problems, known, taken, missing)
    problems.raise_any()
    number = 0
    for clause in missing:
        number += 1
        while f"c{number}" in taken:
            number += 1
        clause["id"] = f"c{number}"
    assert normalised is not None
    return normalised


def _node(
    data: Any,
    path: str,
    depth: int,
    problems: Problems,
    known: Known,
    taken: set[str],
    missing: list[dict],
) -> dict | None:
    if depth > DEEPEST:
        problems.add(
            path, _("The rule is nested too deeply (at most %(most)s levels).") % {"most": DEEPEST}
        )
        return None
    if not isinstance(data, dict) or not data:
        problems.add(
            path,
            _("Expected a clause or one of all, any, not."),
        )
        return None
    combinators = [key for key in COMBINATORS if key in data]
    if combinators:
        if len(data) != 1:
            problems.add(path, _("A group holds only all, any or not, and nothing beside it."))
            return None
        key = combinators[0]
        inner = data[key]
        if key == "not":
            child = _node(inner, f"{path}.not", depth + 1, problems, known, taken, missing)
            return {"not": child} if child is not None else None
        if not isinstance(inner, list) or not inner:
            problems.add(f"{path}.{key}", _("Expected a list of at least one clause."))
            return None
        children = [
            _node(item, f"{path}.{key}[{index}]", depth + 1, problems, known, taken, missing)
            for index, item in enumerate(inner)
        ]
        return {key: children} if all(c is not None for c in children) else None
    return _clause(data, path, problems, known, taken, missing)


def _clause(
    data: dict, path: str, problems: Problems, known: Known, taken: set[str], missing: list[dict]
) -> dict | None:
    kind = data.get("clause")
    if kind not in CLAUSE_PARAMETERS:
        problems.add(
            f"{path}.clause",
            _("There is no clause %(kind)s; the clauses are: %(kinds)s.")
            % {"kind": kind, "kinds": ", ".join(CLAUSE_PARAMETERS)},
        )
        return None
    _unknown_keys(problems, path, data, CLAUSE_PARAMETERS[kind] | {"id", "clause"})
    before = len(problems.by_path)
    clause: dict[str, Any] = {"clause": kind}
    clause_id = data.get("id")
    if clause_id is not None:
        if not isinstance(clause_id, str) or not CLAUSE_ID.match(clause_id):
            problems.add(
                f"{path}.id",
                _("An id is a letter followed by up to 31 letters, digits, - or _."),
            )
        elif clause_id in taken:
            problems.add(f"{path}.id", _("Another clause has the id %(id)s.") % {"id": clause_id})
        else:
            taken.add(clause_id)
            clause["id"] = clause_id
    CLAUSE_CHECKS[kind](data, clause, path, problems, known)
    if len(problems.by_path) > before:
        return None
    if "id" not in clause:
        missing.append(clause)
    return clause


def _check_age(data: dict, clause: dict, path: str, problems: Problems, known: Known) -> None:
    _bounds(data, clause, path, problems, ("at_least", "under"), low=0, high=OLDEST)
    if "at_least" in clause and "under" in clause and clause["at_least"] >= clause["under"]:
        problems.add(f"{path}.under", _("The upper age must be above the lower one."))


def _bounds(
    data: dict,
    clause: dict,
    path: str,
    problems: Problems,
    keys: tuple[str, str],
    *,
    low: int,
    high: int,
) -> None:
    given = [key for key in keys if data.get(key) is not None]
    if not given:
        problems.add(
            path, _("Give %(first)s, %(second)s or both.") % {"first": keys[0], "second": keys[1]}
        )
    for key in given:
        value = _whole(problems, f"{path}.{key}", data[key], low=low, high=high)
        if value is not None:
            clause[key] = value


def _check_sex(data: dict, clause: dict, path: str, problems: Problems, known: Known) -> None:
    clause["is"] = _one_of(problems, f"{path}.is", data.get("is"), tuple(Sex.values))


def _check_category(data: dict, clause: dict, path: str, problems: Problems, known: Known) -> None:
    code = data.get("code")
    if not isinstance(code, str) or code not in known.categories:
        problems.add(
            f"{path}.code",
            _("There is no category %(code)s in the registry.") % {"code": code},
        )
    clause["code"] = code
    clause["who"] = _one_of(problems, f"{path}.who", data.get("who"), WHO, default="applicant")


def _check_children(data: dict, clause: dict, path: str, problems: Problems, known: Known) -> None:
    clause["under_age"] = _whole(
        problems, f"{path}.under_age", data.get("under_age"), low=1, high=OLDEST, default=CHILD_AGE
    )
    clause["at_least"] = _whole(
        problems, f"{path}.at_least", data.get("at_least"), low=1, high=50, default=1
    )


def _check_relation(data: dict, clause: dict, path: str, problems: Problems, known: Known) -> None:
    relations = data.get("in")
    if not isinstance(relations, list) or not relations:
        problems.add(f"{path}.in", _("Expected a list of at least one relation."))
        return
    for index, relation in enumerate(relations):
        _one_of(problems, f"{path}.in[{index}]", relation, tuple(Relation.values))
    clause["in"] = list(dict.fromkeys(relations))


def _check_household_size(
    data: dict, clause: dict, path: str, problems: Problems, known: Known
) -> None:
    _bounds(data, clause, path, problems, ("at_least", "at_most"), low=1, high=50)
    if "at_least" in clause and "at_most" in clause and clause["at_least"] > clause["at_most"]:
        problems.add(f"{path}.at_most", _("The largest size must not be below the smallest."))


def _check_income(data: dict, clause: dict, path: str, problems: Problems, known: Known) -> None:
    clause["months"] = _whole(
        problems, f"{path}.months", data.get("months"), low=1, high=LONGEST_MONTHS, default=3
    )
    below = data.get("below", {})
    if not isinstance(below, dict):
        problems.add(f"{path}.below", _("Expected the threshold: minimum and times."))
        return
    _unknown_keys(problems, f"{path}.below", below, frozenset({"minimum", "times"}))
    clause["below"] = {
        "minimum": _one_of(
            problems, f"{path}.below.minimum", below.get("minimum"), THRESHOLDS, default=MEMBERS
        ),
        "times": _times(problems, f"{path}.below.times", below.get("times")),
    }
    clause["missing_months"] = _one_of(
        problems,
        f"{path}.missing_months",
        data.get("missing_months"),
        MISSING_MONTHS,
        default="unknown",
    )


def _check_residence(data: dict, clause: dict, path: str, problems: Problems, known: Known) -> None:
    clause["years"] = _whole(
        problems, f"{path}.years", data.get("years"), low=0, high=OLDEST, default=0
    )
    districts = data.get("districts")
    if districts is None:
        return
    if not isinstance(districts, list) or not districts:
        problems.add(f"{path}.districts", _("Expected a list of district codes, or no field."))
        return
    for index, code in enumerate(districts):
        if code not in known.districts:
            problems.add(
                f"{path}.districts[{index}]",
                _("There is no district %(code)s.") % {"code": code},
            )
    clause["districts"] = list(dict.fromkeys(districts))


def _check_measure(data: dict, clause: dict, path: str, problems: Problems, known: Known) -> None:
    code = data.get("code")
    if not isinstance(code, str) or code not in known.measures:
        problems.add(f"{path}.code", _("There is no measure %(code)s.") % {"code": code})
    clause["code"] = code
    held = data.get("held", True)
    if not isinstance(held, bool):
        problems.add(f"{path}.held", _("Expected true or false."))
    clause["held"] = held


CLAUSE_CHECKS: dict[str, Callable[[dict, dict, str, Problems, Known], None]] = {
    "age": _check_age,
    "sex": _check_sex,
    "category": _check_category,
    "children": _check_children,
    "relation": _check_relation,
    "household_size": _check_household_size,
    "income": _check_income,
    "residence": _check_residence,
    "measure": _check_measure,
}


def clauses_of(rule: dict) -> list[dict]:
    """The clauses of a normalised rule in the order they are written."""
    if "clause" in rule:
        return [rule]
    if "not" in rule:
        return clauses_of(rule["not"])
    return [clause for child in next(iter(rule.values())) for clause in clauses_of(child)]


# --- Amount -----------------------------------------------------------------------------------


def check_amount(data: Any) -> dict | None:
    """The amount rule validated and normalised (None: the measure names no sum, e.g. help in
    kind); ``DomainError("invalid_rule")`` naming every problem by its path."""
    if data is None or data == {}:
        return None
    problems = Problems()
    normalised = _amount(data, AMOUNT, 1, problems, Known())
    problems.raise_any()
    return normalised


def _amount(data: Any, path: str, depth: int, problems: Problems, known: Known) -> dict | None:
    if depth > DEEPEST:
        problems.add(
            path, _("The rule is nested too deeply (at most %(most)s levels).") % {"most": DEEPEST}
        )
        return None
    kinds = [key for key in AMOUNT_NODES if isinstance(data, dict) and key in data]
    if len(kinds) != 1:
        subtraction = isinstance(data, dict) and any(
            key in data for key in ("minus", "subtract", "difference")
        )
        problems.add(
            path,
            _(
                "There is no subtraction: a top-up (top_up) is the only difference, and it "
                "never goes below zero."
            )
            if subtraction
            else _("Expected one amount: %(kinds)s.") % {"kinds": ", ".join(AMOUNT_NODES)},
        )
        return None
    kind = kinds[0]
    before = len(problems.by_path)
    node: dict[str, Any]
    if kind == "fixed":
        _unknown_keys(problems, path, data, frozenset({"fixed"}))
        node = {"fixed": _money(problems, f"{path}.fixed", data["fixed"])}
    elif kind == "minimum":
        _unknown_keys(problems, path, data, frozenset({"minimum", "times"}))
        node = {
            "minimum": _one_of(
                problems,
                f"{path}.minimum",
                data["minimum"],
                (*SubsistenceGroup.values, APPLICANT),
            ),
            "times": _times(problems, f"{path}.times", data.get("times")),
        }
    elif kind == "rule":
        _unknown_keys(problems, path, data, frozenset({"rule"}))
        if data["rule"] not in known.money_rules:
            problems.add(
                f"{path}.rule",
                _("There is no rule in roubles %(code)s among the rules in force.")
                % {"code": data["rule"]},
            )
        node = {"rule": data["rule"]}
    elif kind == "top_up":
        _unknown_keys(problems, path, data, frozenset({"top_up"}))
        node = {"top_up": _top_up(data["top_up"], f"{path}.top_up", depth, problems, known)}
    elif kind == "per_child":
        _unknown_keys(problems, path, data, frozenset({"per_child", "under_age"}))
        node = {
            "per_child": _amount(
                data["per_child"], f"{path}.per_child", depth + 1, problems, known
            ),
            "under_age": _whole(
                problems,
                f"{path}.under_age",
                data.get("under_age"),
                low=1,
                high=OLDEST,
                default=CHILD_AGE,
            ),
        }
    else:
        _unknown_keys(problems, path, data, frozenset({kind}))
        items = data[kind]
        fewest = 2 if kind == "at_most" else 1
        if not isinstance(items, list) or len(items) < fewest:
            problems.add(
                f"{path}.{kind}",
                _("Expected a list of at least %(count)s amounts.") % {"count": fewest},
            )
            return None
        node = {
            kind: [
                _amount(item, f"{path}.{kind}[{index}]", depth + 1, problems, known)
                for index, item in enumerate(items)
            ]
        }
    return node if len(problems.by_path) == before else None


def _top_up(data: Any, path: str, depth: int, problems: Problems, known: Known) -> dict | None:
    if not isinstance(data, dict):
        problems.add(path, _("Expected the standard to top up to (to), the income and months."))
        return None
    _unknown_keys(problems, path, data, frozenset({"to", "income", "months"}))
    if "to" not in data:
        problems.add(f"{path}.to", _("Give the amount to top up to."))
        return None
    return {
        "to": _amount(data["to"], f"{path}.to", depth + 1, problems, known),
        "income": _one_of(
            problems, f"{path}.income", data.get("income"), INCOME_BASES, default=OWN
        ),
        "months": _whole(
            problems, f"{path}.months", data.get("months"), low=1, high=LONGEST_MONTHS, default=3
        ),
    }
