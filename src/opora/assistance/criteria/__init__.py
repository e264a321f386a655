"""The rule language of the measures: who is eligible and how much, stored as JSON, shown to
people as sentences, compiled into one set-based query. See docs/assistance.md and
docs/decisions/ for the language and why it is built this way.

The public interface (the rest of the app uses only these names):

- ``check_eligibility(data) -> dict`` and ``check_amount(data) -> dict | None``: the rule
  validated against the schema and normalised (every clause given a stable ``id``); a rule that
  refers to a fact that does not exist, or an amount that could go negative, raises
  ``DomainError("invalid_rule", ..., details={"<path>": [message]})``.
- ``describe(data) -> list[Line]``: the rule as sentences in the active language.
- ``evaluate(...) -> list[Outcome]`` and ``evaluation_queryset(...)``: the rule over the
  registry's facts as of a date, in one query, for some people or all of them.
- ``Outcome`` / ``ClauseOutcome``: what came out, with the facts each clause read.
"""

from .evaluation import evaluate, evaluation_queryset
from .outcome import ClauseOutcome, Outcome
from .schema import check_amount, check_eligibility
from .sentences import Line, describe, describe_amount

__all__ = [
    "ClauseOutcome",
    "Line",
    "Outcome",
    "check_amount",
    "check_eligibility",
    "describe",
    "describe_amount",
    "evaluate",
    "evaluation_queryset",
]
