"""The CSV files of a synthetic population and their columns."""

from __future__ import annotations

# ---------------------------------------------------------------------------------------------
# Files

PEOPLE_COLUMNS = (
    "external_key",
    "last_name",
    "first_name",
    "patronymic",
    "sex",
    "birth_date",
    "snils",
    "phone",
    "email",
    "district",
    "registration_address",
    "institution",
)
HOUSEHOLD_COLUMNS = ("household_key", "person_key", "relation", "is_applicant", "joined_on")
CATEGORY_COLUMNS = (
    "external_key",
    "person_key",
    "category",
    "valid_from",
    "valid_to",
    "basis_document",
    "source",
)
INCOME_COLUMNS = ("person_key", "month", "kind", "source", "amount")
TRUTH_COLUMNS = ("duplicate_key", "original_key")
FILES = {
    "people": ("people.csv", PEOPLE_COLUMNS),
    "households": ("households.csv", HOUSEHOLD_COLUMNS),
    "categories": ("categories.csv", CATEGORY_COLUMNS),
    "incomes": ("incomes.csv", INCOME_COLUMNS),
    "truth": ("truth.csv", TRUTH_COLUMNS),
}
CHUNK_PEOPLE = 20_000
