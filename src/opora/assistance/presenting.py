"""What the pages, the API and the shell say about an application's evaluation the same way:
whether an application is past its due day, and the stored explanation read back as clauses
with a mark (held, not held, unknown) and the parts of the amount."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from django.utils.translation import gettext as _

from .criteria import ClauseOutcome, Outcome, describe
from .models import Application, ApplicationStatus, Evaluation

MARKS = {True: "✓", False: "✗", None: "?"}


def is_overdue(application: Application, today: dt.date) -> bool:
    """Still undecided after its due day (a late decision is kept; this only marks it)."""
    return application.status == ApplicationStatus.SUBMITTED and application.due_on < today


@dataclass(frozen=True)
class Explained:
    """An evaluation as people read it."""

    evaluation: Evaluation
    outcome: Outcome

    @property
    def clauses(self) -> list[ClauseOutcome]:
        return in_reader_language(self.evaluation, self.outcome.clauses)

    @property
    def failed(self) -> list[ClauseOutcome]:
        return [clause for clause in self.clauses if clause.held is False]

    @property
    def unknown(self) -> list[ClauseOutcome]:
        return [clause for clause in self.clauses if clause.held is None]

    @property
    def amount_parts(self) -> list[dict[str, Any]]:
        return list(self.outcome.amount_parts)

    def verdict(self) -> str:
        eligible = self.evaluation.eligible
        if eligible is True:
            return _("Eligible: every condition is met.")
        if eligible is False:
            return _("Not eligible: some conditions are not met.")
        return _("Not found eligible: a fact the rule needs is missing.")

    def words(self) -> list[str]:
        """The verdict, then each clause as a sentence with its mark."""
        return [self.verdict()] + [f"{MARKS[clause.held]} {clause.text}" for clause in self.clauses]


def in_reader_language(evaluation: Evaluation, clauses: Any) -> list[ClauseOutcome]:
    """The clauses with their sentences said again from the version's rule in the reader's
    language (the stored text is in the language of whoever checked); a clause the rule no
    longer names keeps its stored text."""
    sentences = {
        line.clause_id: str(line.text)
        for line in describe(evaluation.version.eligibility)
        if line.clause_id
    }
    return [replace(clause, text=sentences.get(clause.id, clause.text)) for clause in clauses]


def explained(evaluation: Evaluation | None) -> Explained | None:
    if evaluation is None:
        return None
    return Explained(evaluation=evaluation, outcome=Outcome.from_json(evaluation.explanation))


def mark(held: bool | None) -> str:
    return MARKS[held]


def cited_clauses(decision: Any) -> list[ClauseOutcome]:
    """The clauses a refusal cites (stored by their ids), as the sentences of the evaluation
    the decision rests on."""
    if decision is None or not decision.failed_clauses:
        return []
    evaluation = decision.evaluation
    outcome = Outcome.from_json(evaluation.explanation)
    wanted = set(decision.failed_clauses)
    return [
        clause for clause in in_reader_language(evaluation, outcome.clauses) if clause.id in wanted
    ]
