"""The columns of each kind of registry file, in their order: what the export writes, what the
import's fields are (validation.py), and what the synthetic population generator writes.

Plain names only, so that anything may read them without loading the registry.
"""

from __future__ import annotations

PERSON_COLUMNS = (
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

# By kind of file (the values of registry.models.ImportEntity).
COLUMNS: dict[str, tuple[str, ...]] = {
    "people": PERSON_COLUMNS,
    "households": HOUSEHOLD_COLUMNS,
    "categories": CATEGORY_COLUMNS,
    "incomes": INCOME_COLUMNS,
}
