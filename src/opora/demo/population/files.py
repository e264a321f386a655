"""The CSV files of a synthetic population: the registry's import files, in the registry's own
columns (one list for the export, the import and this generator), and the truth about the
injected duplicates."""

from __future__ import annotations

from opora.registry.imports.columns import (
    CATEGORY_COLUMNS,
    HOUSEHOLD_COLUMNS,
    INCOME_COLUMNS,
    PERSON_COLUMNS,
)

PEOPLE_COLUMNS = PERSON_COLUMNS
TRUTH_COLUMNS = ("duplicate_key", "original_key")
FILES = {
    "people": ("people.csv", PEOPLE_COLUMNS),
    "households": ("households.csv", HOUSEHOLD_COLUMNS),
    "categories": ("categories.csv", CATEGORY_COLUMNS),
    "incomes": ("incomes.csv", INCOME_COLUMNS),
    "truth": ("truth.csv", TRUTH_COLUMNS),
}
CHUNK_PEOPLE = 20_000
