"""A synthetic population of Moscow for the demo, the tests and the benchmarks.

``generate()`` yields the population chunk by chunk (never more than ``CHUNK_PEOPLE`` people in
memory); ``write_csv()`` writes it into a directory as five CSV files, in parallel processes
when asked. The same seed gives the same files, whatever the number of processes.

Files (UTF-8, comma-separated, a header row, dates as dd.mm.yyyy, empty cells for no value):

- ``people.csv``: external_key, last_name, first_name, patronymic, sex (M/F),
  birth_date (dd.mm.yyyy), snils ("123-456-789 01", valid check number, unique; empty for
  about 3 % of people, and for one record of each duplicate pair: about 4 % of all rows),
  phone (Russian numbers in the forms people type them), email (some), district (a code of
  ``DISTRICTS``), registration_address, institution (code of the district's territorial social
  service centre, "tcso-<district>").
- ``households.csv``: household_key, person_key, relation (registry ``Relation`` values:
  applicant, spouse, child, parent, sibling, grandchild, ward, other), is_applicant (1/0),
  joined_on (dd.mm.yyyy). Exactly one applicant per household, listed first.
- ``categories.csv``: external_key, person_key, category (a code of reference.CATEGORY_KINDS),
  valid_from, valid_to (dd.mm.yyyy; valid_to empty when open-ended), basis_document, source.
  Household-level categories (large family, low income, difficult situation) are held by one
  person of the household: the applicant, or for a large family the mother.
- ``incomes.csv``: person_key, month (mm.yyyy), kind (salary/pension/benefit/other), source,
  amount (roubles, two decimals, a dot). The twelve whole months before ``as_of``; one row per
  person, month, kind and source.
- ``truth.csv``: duplicate_key, original_key: every injected duplicate record and the person it
  duplicates.

Keys (after an optional prefix): people "P00000001" (numbered in file order, duplicates among
them), households "H0000-00001" and categories "C0000-000001" (chunk, then number).

A duplicate is a bare person record such as another system would send (no household or income;
sometimes one of the original's categories). It differs from its original in one or two of
these ways: a typo (one edit) in the surname or first name; the whole name typed in Latin by a
foreign system (``LATIN_HABITS``); day and month of birth swapped; no patronymic; surname and
first name swapped; another phone (or none). Its email is the original's or none; its sex,
district, address and institution are the original's. Its SNILS is never a different number:
at most one of the pair carries the SNILS (the registry refuses a second record with the same
SNILS, so the duplicates that reach it are the ones where one side lacks it).

Figures (salaries, pensions, benefits, rates) are plausible examples, not official values.
"""

from .districts import DISTRICTS, DISTRICTS_BY_CODE, DistrictFact
from .files import (
    CATEGORY_COLUMNS,
    CHUNK_PEOPLE,
    FILES,
    HOUSEHOLD_COLUMNS,
    INCOME_COLUMNS,
    PEOPLE_COLUMNS,
    TRUTH_COLUMNS,
)
from .generator import Chunk, ChunkPlan, generate, generate_chunk, plan
from .people import (
    FEMALE_NAMES_BY_ERA,
    LATIN_HABITS,
    MALE_NAMES_BY_ERA,
    SURNAMES,
    patronymic,
    retirement_age,
    surname_for,
    typo,
)
from .writer import Summary, write_csv

__all__ = [
    "CATEGORY_COLUMNS",
    "CHUNK_PEOPLE",
    "DISTRICTS",
    "DISTRICTS_BY_CODE",
    "FEMALE_NAMES_BY_ERA",
    "FILES",
    "HOUSEHOLD_COLUMNS",
    "INCOME_COLUMNS",
    "LATIN_HABITS",
    "MALE_NAMES_BY_ERA",
    "PEOPLE_COLUMNS",
    "SURNAMES",
    "TRUTH_COLUMNS",
    "Chunk",
    "ChunkPlan",
    "DistrictFact",
    "Summary",
    "generate",
    "generate_chunk",
    "patronymic",
    "plan",
    "retirement_age",
    "surname_for",
    "typo",
    "write_csv",
]
