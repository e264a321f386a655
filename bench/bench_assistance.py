"""Assistance benchmark: a measure over the whole registry, a what-if, one person's explanation,
the month's payroll and the bank's return file.

    opora bench assistance --people N   (or: python bench/bench_assistance.py ...)

Runs on PostgreSQL: the server of OPORA_BENCH_DATABASE_URL, database opora_bench_assistance
(dropped and created anew). After the migrations it loads the rules (the subsistence minimums,
the pension ages), the districts, the registry's reference data, a territorial centre per
district and three measures through the services, then by set-based SQL: N people of every
age, households of one to six (a quarter of the people live alone), registrations with their
day, categories held over periods (pensioners by age, disabilities, large families), twelve
months of incomes for the adults with gaps, assignments of another measure for a tenth of the
applicants and a monthly payment for everyone (what the payroll pays).

Then it measures, in this process, through the services:

- ``run_seconds``: the eligibility run of a measure of eleven clauses (income per member over
  12 months below the members' own group minimums, children under 18, categories any member
  holds on the day, age, household size, residence for three years, relation, NOT holding the
  other measure) — the whole job's work: evaluation, the INSERT of every result, the counts and
  the checksum;
- ``optimal_sql_seconds``: one hand-written statement computing the same eligible set (the
  shape a database engineer would write: aggregates per person and household, then joins), and
  ``results_agree``: both sets equal;
- ``whatif_seconds``: a draft with another threshold against the version in force;
- ``explain_p95_ms``: one applicant's explanation through the API (50 random applicants);
- ``payroll_*`` and ``reconcile_*``: from ``bench/_payroll.py``.

Prints one JSON object with those keys, ``people``, ``households``, ``eligible``,
``run_ratio_to_optimal``, ``whatif_ratio_to_run``, ``peak_rss_mb`` (this process: the
application's side) and the limits they are held against.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import resource
import sys
import tempfile
import time
from pathlib import Path

from _common import (
    bench_database_url,
    bench_env,
    connect,
    manage,
    quantiles_ms,
    recreate_database,
    setup_django,
    vacuum,
)

DATABASE = "opora_bench_assistance"
LIMITS = {
    "run_ratio_to_optimal": 2.0,
    "whatif_ratio_to_run": 2.0,
    "explain_p95_ms": 50.0,
    "payroll_seconds": 60.0,
    "reconcile_seconds": 120.0,
    "peak_rss_mb": 500.0,
}
DAY = dt.date(2026, 11, 16)
MEASURE = "bench-family-benefit"
OTHER = "bench-other-benefit"
PAID = "bench-monthly-payment"
EXPLAINED = 50
VACUUMED = [
    "registry_person",
    "registry_household",
    "registry_householdmember",
    "registry_address",
    "registry_personcategory",
    "registry_income",
    "assistance_application",
    "assistance_assignment",
]

ELIGIBILITY = {
    "all": [
        {"id": "residence", "clause": "residence", "years": 3},
        {
            "id": "income",
            "clause": "income",
            "months": 12,
            "below": {"minimum": "members", "times": "1.0"},
            "missing_months": "zero",
        },
        {"id": "children", "clause": "children", "under_age": 18, "at_least": 1},
        {"id": "adult", "clause": "age", "at_least": 18},
        {"id": "size", "clause": "household_size", "at_most": 8},
        {"id": "applicant", "clause": "relation", "in": ["applicant"]},
        {"not": {"id": "other", "clause": "measure", "code": OTHER, "held": True}},
        {
            "any": [
                {"id": "large", "clause": "category", "code": "large-family", "who": "any_member"},
                {
                    "id": "disabled",
                    "clause": "category",
                    "code": "disability-2",
                    "who": "any_member",
                },
                {"id": "three", "clause": "children", "under_age": 18, "at_least": 3},
                {"id": "low", "clause": "category", "code": "low-income", "who": "any_member"},
            ]
        },
    ]
}
AMOUNT = {"per_child": {"minimum": "child", "times": "0.5"}, "under_age": 18}


# --- The population, by SQL ------------------------------------------------------------------

POPULATION_SQL = [
    # People: ages 0–95, sex, a name that does not matter here.
    """
    INSERT INTO registry_person (
        external_key, last_name, first_name, patronymic, last_name_latin, first_name_latin,
        patronymic_latin, birth_date, sex, snils, phone, email, preferred_language, death_date,
        consent_date, consent_scope, search_key, merged_into_id, created_at, updated_at)
    SELECT 'bench-' || g, 'Жителева', 'Анна', '', '', '', '',
           %(day)s::date - (floor(random() * 95 * 365.25))::int,
           CASE WHEN random() < 0.54 THEN 'F' ELSE 'M' END, NULL, '', '', '', NULL, NULL, '',
           'bench ' || g, NULL, now(), now()
    FROM generate_series(1, %(people)s) AS g
    """,
    # Households: every person after the first quarter joins one; a household's members are
    # consecutive people, two to seven of them (the slot grows by 0.13 to 0.67 a person).
    """
    CREATE TEMP TABLE bench_member AS
    SELECT p.id AS person_id, p.birth_date,
           CASE WHEN p.id - %(first)s < %(people)s / 4 THEN NULL
                ELSE floor((p.id - %(first)s) / 2.5 + 0.8 * sin((p.id - %(first)s) / 3.0))::int
           END AS slot
    FROM registry_person p
    """,
    """
    INSERT INTO registry_household (external_key, district_id, address, created_at, updated_at)
    SELECT 'bench-h-' || slot, NULL, '', now(), now()
    FROM (SELECT DISTINCT slot FROM bench_member WHERE slot IS NOT NULL) s
    """,
    """
    INSERT INTO registry_householdmember (household_id, person_id, relation, is_applicant,
                                          joined_on, left_on)
    SELECT h.id, m.person_id,
           CASE WHEN m.rank = 1 THEN 'applicant'
                WHEN m.birth_date > %(day)s::date - 18 * 365 THEN 'child' ELSE 'spouse' END,
           m.rank = 1, %(day)s::date - 2000, NULL
    FROM (SELECT person_id, slot, birth_date,
                 row_number() OVER (PARTITION BY slot ORDER BY birth_date) AS rank
          FROM bench_member WHERE slot IS NOT NULL) m
    JOIN registry_household h ON h.external_key = 'bench-h-' || m.slot
    """,
    # Registrations in the districts, most with their day, a few without one.
    """
    INSERT INTO registry_address (person_id, kind, district_id, text, postal_code, registered_on)
    SELECT p.id, 'registration',
           (%(districts)s::int[])[1 + floor(random() * %(district_count)s)::int],
           'Москва', '',
           CASE WHEN random() < 0.05 THEN NULL
                ELSE %(day)s::date - floor(random() * 20 * 365)::int END
    FROM registry_person p WHERE random() < 0.96
    """,
    # Categories: pensioners by age, a disability for some, large families and low income for
    # some applicants, some ended before the day.
    """
    INSERT INTO registry_personcategory (external_key, person_id, kind_id, basis_document,
        valid_from, valid_to, source, created_at, updated_at)
    SELECT NULL, p.id, k.id, '', %(day)s::date - 3000,
           CASE WHEN random() < 0.1 THEN %(day)s::date - 10 ELSE NULL END, 'bench', now(), now()
    FROM registry_person p
    JOIN registry_categorykind k ON k.code = CASE
        WHEN p.birth_date < %(day)s::date - 62 * 365 THEN 'pensioner'
        WHEN p.id %% 23 = 0 THEN 'disability-2'
        WHEN p.id %% 11 = 0 THEN 'large-family'
        WHEN p.id %% 5 = 0 THEN 'low-income'
        ELSE NULL END
    """,
    # Twelve months of income for the adults, a month missing now and then.
    """
    INSERT INTO registry_income (person_id, month, kind, source, amount, created_at, updated_at)
    SELECT p.id, m.month, 'salary', '',
           round((5000 + random() * random() * 90000)::numeric, 2), now(), now()
    FROM registry_person p
    CROSS JOIN (SELECT (date_trunc('month', %(day)s::date) - make_interval(months => g))::date
                       AS month FROM generate_series(1, 12) AS g) m
    WHERE p.birth_date <= %(day)s::date - 18 * 365 AND random() < 0.97
    """,
]

ASSIGNMENTS_SQL = """
WITH subjects AS (
    SELECT p.id AS person_id, h.household_id,
           (%(institutions)s::int[])[1 + (p.id %% %(institution_count)s)] AS institution_id
    FROM registry_person p
    LEFT JOIN registry_householdmember h ON h.person_id = p.id
    WHERE %(where)s
), applications AS (
    INSERT INTO assistance_application (created_at, updated_at, measure_id, version_id,
        person_id, household_id, institution_id, channel, applied_on, due_on, status,
        documents_received, note, withdrawn_reason)
    SELECT now(), now(), %(measure)s, %(version)s, person_id, household_id, institution_id,
           'in_person', %(starts)s::date - 5, %(starts)s::date + 5, 'assigned', '[]', '', ''
    FROM subjects
    RETURNING id, person_id, household_id, institution_id
)
INSERT INTO assistance_assignment (created_at, updated_at, application_id, version_id,
    measure_id, person_id, household_id, institution_id, amount, starts_on, ends_on,
    review_on, status, terminated_on, termination_reason)
SELECT now(), now(), a.id, %(version)s, %(measure)s, a.person_id, a.household_id,
       a.institution_id, %(amount)s, %(starts)s::date + (a.person_id %% 60)::int, NULL, NULL,
       'active', NULL, ''
FROM applications a
"""


def _network() -> dict:
    """Rules, districts, reference data, a centre per district and the three measures."""
    from decimal import Decimal

    from django.db import transaction

    from opora.assistance import services as assistance
    from opora.core.actors import SYSTEM
    from opora.demo.steps.institutions import load_districts
    from opora.demo.steps.rules import load_rules
    from opora.institutions import services as institutions
    from opora.institutions.models import InstitutionKind
    from opora.registry.reference import ensure_reference_data

    load_rules()
    ensure_reference_data()
    kind = InstitutionKind.objects.get(code="tcso")
    with transaction.atomic():
        districts = load_districts()
        centres = [
            institutions.institution_create(
                actor=SYSTEM,
                code=f"tcso-{code}",
                name=f"ТЦСО «{district.name}»",
                kind=kind,
                district=district,
                opened_on=dt.date(2010, 1, 1),
            ).pk
            for code, district in sorted(districts.items())
        ]

        def measure(code: str, beneficiary: str, eligibility, amount, **fields):
            made = assistance.measure_create(
                actor=SYSTEM, code=code, name=code, kind="cash_benefit", beneficiary=beneficiary
            )
            version = assistance.version_draft(
                actor=SYSTEM,
                measure=made,
                valid_from=dt.date(2026, 1, 1),
                legal_basis="bench",
                eligibility=eligibility,
                amount=amount,
                periodicity="monthly",
                decision_working_days=10,
                **fields,
            )
            return assistance.version_publish(actor=SYSTEM, version=version)

        everyone = {"all": [{"id": "adult", "clause": "age", "at_least": 0}]}
        other = measure(OTHER, "household", everyone, {"fixed": "1000.00"})
        paid = measure(PAID, "person", everyone, {"fixed": "2500.00"})
        family = measure(MEASURE, "household", ELIGIBILITY, AMOUNT)
        # The draft of the what-if: the income threshold 1.2 minimums instead of 1.0.
        draft_rule = json.loads(json.dumps(ELIGIBILITY))
        draft_rule["all"][1]["below"]["times"] = "1.2"
        assistance.version_draft(
            actor=SYSTEM,
            measure=family.measure,
            valid_from=dt.date(2026, 12, 1),
            legal_basis="bench draft",
            eligibility=draft_rule,
            amount=AMOUNT,
            periodicity="monthly",
            decision_working_days=10,
        )
    return {
        "districts": [d.pk for d in districts.values()],
        "institutions": centres,
        "other": other,
        "paid": paid,
        "family": family,
        "amount": Decimal("2500.00"),
    }


def _populate(database_url: str, people: int, network: dict) -> dict[str, int]:
    with connect(database_url) as connection:
        first = connection.execute(
            "SELECT COALESCE(MAX(id), 0) + 1 FROM registry_person"
        ).fetchone()[0]
        params = {
            "people": people,
            "day": DAY,
            "first": first,
            "districts": network["districts"],
            "district_count": len(network["districts"]),
        }
        for sql in POPULATION_SQL:
            connection.execute(sql, params)
        common = {
            "institutions": network["institutions"],
            "institution_count": len(network["institutions"]),
            "starts": DAY.replace(day=1) - dt.timedelta(days=400),
        }
        connection.execute(
            ASSIGNMENTS_SQL.replace("%(where)s", "h.is_applicant AND p.id %% 10 = 3"),
            {
                **common,
                "measure": network["other"].measure_id,
                "version": network["other"].pk,
                "amount": "1000.00",
            },
        )
        connection.execute(
            ASSIGNMENTS_SQL.replace("%(where)s", "TRUE"),
            {
                **common,
                "measure": network["paid"].measure_id,
                "version": network["paid"].pk,
                "amount": str(network["amount"]),
            },
        )
        households = connection.execute("SELECT COUNT(*) FROM registry_household").fetchone()[0]
        connection.commit()
    return {"people": people, "households": households}


# --- The hand-written statement --------------------------------------------------------------


def _optimal_sql(figures) -> str:
    """The bench measure's eligible applicants on DAY, written once by hand for this measure:
    the same definitions as the rule language (see criteria/schema.py), no generality."""
    from opora.assistance.criteria.figures import income_months, latest_birth_date
    from opora.rules.models import SubsistenceGroup as G

    window = income_months(DAY, 12)
    adult = kids = latest_birth_date(DAY, 18)
    resident = latest_birth_date(DAY, 3)
    child = figures.child_cut
    men, women = figures.pension_cut("M"), figures.pension_cut("F")
    k = figures.group_kopecks

    def group(alias: str, pensioner: str) -> str:
        return (
            f"CASE WHEN {alias}.birth_date > '{child}' THEN {k(G.CHILD)} "
            f"WHEN {pensioner} THEN {k(G.PENSIONER)} "
            f"WHEN {alias}.birth_date IS NULL THEN {k(G.PER_CAPITA)} "
            f"WHEN {alias}.sex = 'M' AND {alias}.birth_date <= '{men}' THEN {k(G.PENSIONER)} "
            f"WHEN {alias}.sex = 'M' THEN {k(G.WORKING_AGE)} "
            f"WHEN {alias}.sex = 'F' AND {alias}.birth_date <= '{women}' THEN {k(G.PENSIONER)} "
            f"WHEN {alias}.sex = 'F' THEN {k(G.WORKING_AGE)} "
            f"WHEN {alias}.birth_date <= '{min(men, women)}' THEN {k(G.PENSIONER)} "
            f"WHEN {alias}.birth_date > '{max(men, women)}' THEN {k(G.WORKING_AGE)} "
            f"ELSE {k(G.PER_CAPITA)} END"
        )

    held = f"valid_from <= '{DAY}' AND (valid_to IS NULL OR valid_to >= '{DAY}')"
    on_day = (
        f"(joined_on IS NULL OR joined_on <= '{DAY}') AND (left_on IS NULL OR left_on > '{DAY}')"
    )
    return f"""
    CREATE TEMP TABLE optimal AS
    WITH member AS NOT MATERIALIZED (
        SELECT id, household_id, person_id, relation, is_applicant
        FROM registry_householdmember WHERE {on_day}),
    latest AS (SELECT DISTINCT ON (person_id) person_id, household_id, relation
               FROM member ORDER BY person_id, id DESC),
    category AS (SELECT c.person_id, bool_or(k.code = 'pensioner') AS pensioner,
                        bool_or(k.code IN ('large-family', 'disability-2', 'low-income')) AS listed
                 FROM registry_personcategory c JOIN registry_categorykind k ON k.id = c.kind_id
                 WHERE {held} AND k.code IN ('pensioner', 'large-family', 'disability-2',
                                              'low-income')
                 GROUP BY c.person_id),
    income AS (SELECT person_id, SUM(round(amount * 100))::bigint AS total
               FROM registry_income WHERE month BETWEEN '{window[0]}' AND '{window[-1]}'
               GROUP BY person_id),
    household AS (
        SELECT m.household_id, COUNT(*) AS members,
               SUM(CASE WHEN p.birth_date > '{kids}' THEN 1 ELSE 0 END) AS children,
               SUM(COALESCE(i.total, 0))::bigint AS income,
               SUM({group("p", "COALESCE(c.pensioner, false)")})::bigint AS minimums,
               bool_or(COALESCE(c.listed, false)) AS listed
        FROM member m JOIN registry_person p ON p.id = m.person_id
        LEFT JOIN income i ON i.person_id = m.person_id
        LEFT JOIN category c ON c.person_id = m.person_id
        GROUP BY m.household_id),
    holds AS (SELECT DISTINCT a.person_id FROM assistance_assignment a
              JOIN assistance_measure s ON s.id = a.measure_id
              WHERE s.code = '{OTHER}' AND a.status = 'active' AND a.starts_on <= '{DAY}'
                AND (a.ends_on IS NULL OR a.ends_on >= '{DAY}'))
    SELECT p.id AS person_id
    FROM registry_person p
    JOIN latest l ON l.person_id = p.id
    JOIN household h ON h.household_id = l.household_id
    JOIN registry_address r ON r.person_id = p.id AND r.kind = 'registration'
    WHERE p.merged_into_id IS NULL
      AND p.id IN (SELECT person_id FROM member WHERE is_applicant)
      AND r.district_id IS NOT NULL AND r.registered_on <= '{resident}'
      AND 1200 * h.minimums > h.income * 100
      AND h.children >= 1
      AND p.birth_date <= '{adult}'
      AND h.members <= 8
      AND l.relation = 'applicant'
      AND p.id NOT IN (SELECT person_id FROM holds)
      AND (h.listed OR h.children >= 3)
    """


# --- Measuring --------------------------------------------------------------------------------


def _timed_run(start) -> tuple[object, float]:
    from opora.assistance import services
    from opora.core.actors import SYSTEM

    began = time.perf_counter()
    run = start()
    services.run_execute(run=run, actor=SYSTEM)
    seconds = time.perf_counter() - began
    run.refresh_from_db()
    return run, seconds


def _explain_p95(network: dict, rng: random.Random) -> float | None:
    from django.test import Client

    from opora.core import services as core_services
    from opora.core.actors import SYSTEM
    from opora.core.models import User
    from opora.core.roles import Role
    from opora.registry.models import HouseholdMember

    # A database kept from an earlier run (--keep) has its administrator already.
    admin = User.objects.filter(username="bench-admin").first() or core_services.user_create(
        actor=SYSTEM, username="bench-admin", role=Role.ADMINISTRATOR, password=None
    )
    client = Client()
    client.force_login(admin)
    applicants = list(
        HouseholdMember.objects.filter(is_applicant=True).values_list("person_id", flat=True)[
            :20000
        ]
    )
    measure = network["family"].measure_id
    url = f"/api/v1/assistance/measures/{measure}/explain"
    latencies = []
    for person in rng.sample(applicants, min(EXPLAINED, len(applicants))):
        began = time.perf_counter()
        response = client.get(url, {"person": person, "on": DAY.isoformat()})
        latencies.append((time.perf_counter() - began) * 1000)
        if response.status_code == 404 and not latencies[:-1]:
            return None  # no such operation in this checkout
        if response.status_code != 200:
            raise SystemExit(f"explain answered {response.status_code}: {response.content[:300]}")
    return quantiles_ms(latencies)[1]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--keep", action="store_true", help="reuse the populated database of an earlier run"
    )
    options = parser.parse_args(argv)
    database_url = bench_database_url(DATABASE)
    work = Path(tempfile.mkdtemp(prefix="opora-bench-assistance-"))
    env = bench_env(database_url, str(work), DEBUG="false", API_TOKEN_CACHE_SECONDS="0")
    if not options.keep:
        recreate_database(database_url)
        manage(env, "migrate", "--verbosity", "0")
    setup_django(env)

    from django.db import connection

    from opora.assistance import services
    from opora.assistance.criteria.figures import Figures
    from opora.assistance.models import MeasureVersion, RunResult, VersionStatus
    from opora.core.actors import SYSTEM

    began = time.perf_counter()
    if options.keep:
        family = MeasureVersion.objects.get(measure__code=MEASURE, status=VersionStatus.PUBLISHED)
        network = {"family": family}
        with connection.cursor() as cursor:
            cursor.execute("SELECT COUNT(*) FROM registry_household")
            sizes = {"people": options.people, "households": cursor.fetchone()[0]}
    else:
        network = _network()
        sizes = _populate(database_url, options.people, network)
        vacuum(database_url, VACUUMED)
    populate_seconds = time.perf_counter() - began
    family = network["family"]

    run, run_seconds = _timed_run(lambda: services.run_start(actor=SYSTEM, version=family, on=DAY))
    with connection.cursor() as cursor:
        began = time.perf_counter()
        cursor.execute(_optimal_sql(Figures(DAY)))
        optimal_seconds = time.perf_counter() - began
        cursor.execute(
            "SELECT (SELECT COUNT(*) FROM optimal), "
            "(SELECT COUNT(*) FROM (SELECT person_id FROM optimal EXCEPT SELECT person_id FROM "
            f"assistance_runresult WHERE run_id = {run.pk} AND state = 2) a), "
            "(SELECT COUNT(*) FROM (SELECT person_id FROM assistance_runresult WHERE run_id = "
            f"{run.pk} AND state = 2 EXCEPT SELECT person_id FROM optimal) b)"
        )
        optimal_count, only_optimal, only_ours = cursor.fetchone()
        cursor.execute("DROP TABLE optimal")
    whatif, whatif_seconds = _timed_run(
        lambda: services.whatif_start(actor=SYSTEM, measure=family.measure, on=DAY)
    )
    explain_p95 = _explain_p95(network, random.Random(options.seed))

    payroll: dict[str, object] = {}
    try:
        sys.path.insert(0, str(Path(__file__).parent))
        from _payroll import measure_payroll

        payroll = measure_payroll(DAY.replace(day=1))
    except ImportError as exc:  # the payroll's bench function is not there yet
        payroll = {"payroll_error": str(exc)}

    report = {
        "people": sizes["people"],
        "households": sizes["households"],
        "eligible": run.eligible,
        "evaluated": run.evaluated,
        "run_seconds": round(run_seconds, 3),
        "optimal_sql_seconds": round(optimal_seconds, 3),
        "run_ratio_to_optimal": round(run_seconds / optimal_seconds, 3),
        "results_agree": optimal_count == run.eligible and not only_optimal and not only_ours,
        "optimal_eligible": optimal_count,
        "whatif_seconds": round(whatif_seconds, 3),
        "whatif_ratio_to_run": round(whatif_seconds / run_seconds, 3),
        "whatif_changed": whatif.evaluated,
        "explain_p95_ms": explain_p95,
        **payroll,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "populate_seconds": round(populate_seconds, 1),
        "checksum": run.checksum,
        "results_rows": RunResult.objects.filter(run=run).count(),
        "limits": LIMITS,
    }
    print(json.dumps(report, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
