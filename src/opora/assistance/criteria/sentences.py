"""A rule as sentences people read, in the active language: one line per clause or group, with
its depth for indentation and the clause's id, so a refusal can cite exactly the clauses that
failed. The categories, districts and measures are named, not coded."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from opora.registry.models import Relation, Sex
from opora.rules.catalog import rule_spec
from opora.rules.models import SubsistenceGroup

from .schema import APPLICANT, HOUSEHOLD_PER_CAPITA, MEMBERS, clauses_of


@dataclass(frozen=True)
class Line:
    depth: int
    text: str
    clause_id: str | None = None


def _number(value: str) -> str:
    """A decimal as written in the rule, with the reader's decimal mark."""
    text = format(Decimal(value), "f")
    return text.replace(".", ",") if get_language() == "ru" else text


def _money(value: str) -> str:
    """Roubles as the reader writes them: 1 500,00 in Russian, 1,500.00 in English."""
    text = f"{Decimal(value).quantize(Decimal('0.01')):,.2f}"
    if get_language() == "ru":
        return text.replace(",", "\u00a0").replace(".", ",")
    return text


class Names:
    """The names of what a rule refers to, read once."""

    def __init__(self, rule: dict | None) -> None:
        from opora.assistance.models import Measure
        from opora.institutions.models import District
        from opora.registry.models import CategoryKind

        clauses = clauses_of(rule) if rule else []
        categories = {c["code"] for c in clauses if c["clause"] == "category"}
        measures = {c["code"] for c in clauses if c["clause"] == "measure"}
        districts = {
            d for c in clauses if c["clause"] == "residence" for d in c.get("districts", [])
        }
        self.categories = {
            k.code: k.display_name for k in CategoryKind.objects.filter(code__in=categories)
        }
        self.measures = {m.code: m.display_name for m in Measure.objects.filter(code__in=measures)}
        self.districts = {
            d.code: d.display_name for d in District.objects.filter(code__in=districts)
        }


def group_label(group: str) -> str:
    if group == MEMBERS:
        return _("the average of the members' groups")
    return str(SubsistenceGroup(group).label)


def describe(data: dict) -> list[Line]:
    """The eligibility rule (normalised by ``check_eligibility``) as lines of sentences."""
    names = Names(data)
    lines: list[Line] = []
    _describe(data, 0, names, lines)
    return lines


def _describe(node: dict, depth: int, names: Names, lines: list[Line]) -> None:
    if "all" in node or "any" in node:
        key = "all" if "all" in node else "any"
        lines.append(
            Line(
                depth,
                _("All of the following:") if key == "all" else _("At least one of the following:"),
            )
        )
        for child in node[key]:
            _describe(child, depth + 1, names, lines)
        return
    if "not" in node:
        lines.append(Line(depth, _("None of the following holds:")))
        _describe(node["not"], depth + 1, names, lines)
        return
    lines.append(Line(depth, clause_sentence(node, names), node["id"]))


def clause_sentence(clause: dict, names: Names | None = None) -> str:
    names = names or Names({"all": [clause]})
    kind = clause["clause"]
    if kind == "age":
        if "at_least" in clause and "under" in clause:
            return _("Age on the day of the application is at least %(low)s and under %(high)s") % {
                "low": clause["at_least"],
                "high": clause["under"],
            }
        if "at_least" in clause:
            return _("Age on the day of the application is at least %(years)s") % {
                "years": clause["at_least"]
            }
        return _("Age on the day of the application is under %(years)s") % {
            "years": clause["under"]
        }
    if kind == "sex":
        return _("Sex is %(sex)s") % {"sex": str(Sex(clause["is"]).label).lower()}
    if kind == "category":
        category = names.categories.get(clause["code"], clause["code"])
        if clause["who"] == "any_member":
            return _("A member of the household holds the category «%(category)s» on the day") % {
                "category": category
            }
        return _("Holds the category «%(category)s» on the day") % {"category": category}
    if kind == "children":
        return ngettext(
            "The household has at least %(count)s child under %(age)s on the day",
            "The household has at least %(count)s children under %(age)s on the day",
            clause["at_least"],
        ) % {"count": clause["at_least"], "age": clause["under_age"]}
    if kind == "relation":
        relations = ", ".join(str(Relation(r).label).lower() for r in clause["in"])
        return _("The applicant's relation in the household is one of: %(relations)s") % {
            "relations": relations
        }
    if kind == "household_size":
        if "at_least" in clause and "at_most" in clause:
            return _("The household has from %(low)s to %(high)s members on the day") % {
                "low": clause["at_least"],
                "high": clause["at_most"],
            }
        if "at_least" in clause:
            return _("The household has at least %(count)s members on the day") % {
                "count": clause["at_least"]
            }
        return _("The household has at most %(count)s members on the day") % {
            "count": clause["at_most"]
        }
    if kind == "income":
        below = clause["below"]
        sentence = ngettext(
            "Average monthly income per household member over the %(months)s month before the "
            "month of the application is below %(times)s × the subsistence minimum (%(group)s)",
            "Average monthly income per household member over the %(months)s months before the "
            "month of the application is below %(times)s × the subsistence minimum (%(group)s)",
            clause["months"],
        ) % {
            "months": clause["months"],
            "times": _number(below["times"]),
            "group": group_label(below["minimum"]),
        }
        missing = (
            _("a month without a recorded income counts as zero")
            if clause["missing_months"] == "zero"
            else _("a month without a recorded income leaves it unknown")
        )
        return f"{sentence}; {missing}"
    if kind == "residence":
        districts = [names.districts.get(code, code) for code in clause.get("districts", [])]
        if districts:
            place = _("Registered in one of the districts %(districts)s") % {
                "districts": ", ".join(districts)
            }
        else:
            place = _("Registered in a district of the region")
        if not clause["years"]:
            return _("%(place)s on the day") % {"place": place}
        return ngettext(
            "%(place)s for at least %(years)s year on the day",
            "%(place)s for at least %(years)s years on the day",
            clause["years"],
        ) % {"place": place, "years": clause["years"]}
    measure = names.measures.get(clause["code"], clause["code"])
    if clause["held"]:
        return _("Holds the measure «%(measure)s» on the day") % {"measure": measure}
    return _("Does not hold the measure «%(measure)s» on the day") % {"measure": measure}


def describe_amount(data: dict | None) -> list[Line]:
    """The amount rule as lines, one per node in the order the evaluation reports its parts."""
    lines: list[Line] = []
    if data:
        _describe_amount(data, 0, lines)
    return lines


def _describe_amount(node: dict, depth: int, lines: list[Line]) -> None:
    if "fixed" in node:
        lines.append(Line(depth, _("%(amount)s roubles") % {"amount": _money(node["fixed"])}))
    elif "minimum" in node:
        group = (
            _("the applicant's group")
            if node["minimum"] == APPLICANT
            else str(SubsistenceGroup(node["minimum"]).label)
        )
        lines.append(
            Line(
                depth,
                _("%(times)s × the subsistence minimum (%(group)s) in force on the day")
                % {"times": _number(node["times"]), "group": group},
            )
        )
    elif "rule" in node:
        lines.append(
            Line(
                depth, _("«%(rule)s» in force on the day") % {"rule": rule_spec(node["rule"]).label}
            )
        )
    elif "top_up" in node:
        top_up = node["top_up"]
        income = (
            _("the average monthly income per household member")
            if top_up["income"] == HOUSEHOLD_PER_CAPITA
            else _("the applicant's own average monthly income")
        )
        lines.append(
            Line(
                depth,
                ngettext(
                    "The difference, if above zero, between the standard below and %(income)s "
                    "over the %(months)s month before the month of the application",
                    "The difference, if above zero, between the standard below and %(income)s "
                    "over the %(months)s months before the month of the application",
                    top_up["months"],
                )
                % {"income": income, "months": top_up["months"]},
            )
        )
        _describe_amount(top_up["to"], depth + 1, lines)
    elif "per_child" in node:
        lines.append(
            Line(
                depth,
                _("For each child under %(age)s in the household:") % {"age": node["under_age"]},
            )
        )
        _describe_amount(node["per_child"], depth + 1, lines)
    elif "at_most" in node:
        lines.append(Line(depth, _("The smallest of:")))
        for item in node["at_most"]:
            _describe_amount(item, depth + 1, lines)
    else:
        lines.append(Line(depth, _("The sum of:")))
        for item in node["sum"]:
            _describe_amount(item, depth + 1, lines)
