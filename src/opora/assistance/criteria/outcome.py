"""What an evaluation of a version's rules came out as, for one person (or household, through
its applicant): eligible or not or unknown, the amount and what it is made of, and for each
clause whether it held and the facts it read. ``as_json`` is what ``Evaluation.explanation``
stores; ``from_json`` reads it back for the decision page and the API."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any


@dataclass(frozen=True)
class ClauseOutcome:
    id: str
    held: bool | None  # None: a fact the clause needs is not known
    text: str  # the clause as a sentence, in the language of the evaluation
    facts: dict = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {"id": self.id, "held": self.held, "text": self.text, "facts": self.facts}


@dataclass(frozen=True)
class Outcome:
    person_id: int
    household_id: int | None
    eligible: bool | None
    amount: Decimal | None  # only when eligible
    clauses: list[ClauseOutcome]
    # Each node of the amount rule: {"path", "depth", "text", "value"}, the whole first.
    amount_parts: list[dict] = field(default_factory=list)

    @property
    def failed(self) -> list[ClauseOutcome]:
        return [clause for clause in self.clauses if clause.held is False]

    @property
    def unknown(self) -> list[ClauseOutcome]:
        return [clause for clause in self.clauses if clause.held is None]

    def clause(self, clause_id: str) -> ClauseOutcome:
        return next(clause for clause in self.clauses if clause.id == clause_id)

    def as_json(self) -> dict[str, Any]:
        return {
            "person_id": self.person_id,
            "household_id": self.household_id,
            "eligible": self.eligible,
            "amount": None if self.amount is None else str(self.amount),
            "clauses": [clause.as_json() for clause in self.clauses],
            "amount_parts": self.amount_parts,
        }

    @classmethod
    def from_json(cls, data: dict) -> Outcome:
        amount = data.get("amount")
        return cls(
            person_id=data["person_id"],
            household_id=data.get("household_id"),
            eligible=data.get("eligible"),
            amount=None if amount is None else Decimal(amount),
            clauses=[
                ClauseOutcome(
                    id=clause["id"],
                    held=clause.get("held"),
                    text=clause.get("text", ""),
                    facts=clause.get("facts", {}),
                )
                for clause in data.get("clauses", [])
            ],
            amount_parts=list(data.get("amount_parts", [])),
        )
