"""The facts an evaluation read, as rows a page can show: stored as JSON, they come back as
text; a day is written in the reader's date format, a sum with her separators, a list of
records (income months, categories held) as a small table."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from django import template
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _

from opora.institutions.selectors import district_by_code

from ..presenting import mark as clause_mark

register = template.Library()

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")

# The names of the facts the rule language reports, in words; any other is shown by its name.
LABELS: dict[str, Any] = {
    "age": _("age"),
    "sex": _("sex"),
    "on": _("as of"),
    "birth_date": _("date of birth"),
    "category": _("category"),
    "categories": _("categories held"),
    "basis": _("basis document"),
    "valid_from": _("from"),
    "valid_to": _("to"),
    "income": _("income"),
    "incomes": _("incomes by month"),
    "months": _("months"),
    "missing_months": _("months without a record"),
    "per_capita": _("average income per person"),
    "total": _("total income"),
    "members": _("members counted"),
    "members_counted": _("members counted"),
    "minimum": _("subsistence minimum used"),
    "subsistence_minimum": _("subsistence minimum used"),
    "group": _("socio-demographic group"),
    "children": _("children under 18"),
    "region": _("region"),
    "since": _("since"),
    "years": _("years"),
    "relation": _("relation to the applicant"),
    "month": _("month"),
    "amount": _("amount"),
    "measure": _("measure"),
    "value": _("value"),
    "threshold": _("threshold"),
    "holds": _("holds it on the day"),
    "held_on_day": _("held on the day"),
    "basis_document": _("basis document"),
    "income_total": _("income of the members over the months"),
    "per_capita_income": _("average monthly income per member"),
    "members_missing_months": _("months without a record (member × month)"),
    "by_month": _("income by member and month"),
    "rows": _("records"),
    "person_id": _("person"),
    "counted": _("counted"),
    "district": _("district"),
    "registered_on": _("registered since"),
    "assignments": _("assignments of the measure"),
    "status": _("status"),
    "starts_on": _("from"),
    "ends_on": _("to"),
}
# Shown elsewhere on the same clause: the months without a record are the empty cells of the
# income table, and a category's code is said by its name.
HIDDEN_BESIDE = {"missing": "by_month"}
HIDDEN_COLUMNS = {"code"}


def _label(key: str) -> str:
    return str(LABELS.get(key, key.replace("_", " ")))


def shown(value: Any) -> str:
    """One value in the reader's format."""
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return clause_mark(value)
    if isinstance(value, dt.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    if isinstance(value, int | float | Decimal):
        return number_format(value, use_l10n=True, force_grouping=True)
    if isinstance(value, list):
        return ", ".join(shown(item) for item in value)
    text = str(value)
    if _ISO_DATE.match(text):
        try:
            return date_format(dt.date.fromisoformat(text), "SHORT_DATE_FORMAT")
        except ValueError:
            return text
    if _NUMBER.match(text):
        try:
            return number_format(Decimal(text), use_l10n=True, force_grouping=True)
        except InvalidOperation:
            return text
    return text


@register.filter
def fact(value: Any) -> str:
    return shown(value)


@register.filter
def mark(held: bool | None) -> str:
    return clause_mark(held)


def _cell(column: str, value: Any, named: dict[int, str]) -> str:
    if column == "person_id" and isinstance(value, int):
        return named.get(value, shown(value))
    return shown(value)


@register.simple_tag
def fact_rows(facts: Any, named: dict[int, str] | None = None) -> list[dict[str, Any]]:
    """``[{label, value}]`` for plain facts, ``[{label, columns, rows}]`` for lists of records;
    ``named`` gives the people the records refer to by number their names."""
    if not isinstance(facts, dict):
        return []
    named = named or {}
    rows: list[dict[str, Any]] = []
    for key, value in facts.items():
        if HIDDEN_BESIDE.get(key) in facts:
            continue
        if isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
            columns = [
                c
                for c in dict.fromkeys(k for item in value for k in item)
                if c not in HIDDEN_COLUMNS
            ]
            rows.append(
                {
                    "label": _label(key),
                    "columns": [_label(c) for c in columns],
                    "rows": [[_cell(c, item.get(c), named) for c in columns] for item in value],
                }
            )
        elif isinstance(value, dict):
            rows.append(
                {
                    "label": _label(key),
                    "value": "; ".join(f"{_label(k)}: {shown(v)}" for k, v in value.items()),
                }
            )
        elif key == "district" and isinstance(value, str):
            district = district_by_code(value)
            rows.append(
                {"label": _label(key), "value": district.display_name if district else value}
            )
        else:
            rows.append({"label": _label(key), "value": shown(value)})
    return rows
