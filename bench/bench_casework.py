"""Casework benchmark: the inbox of a social worker and the overdue list of the department.

    opora bench casework --people N --cases M   (or: python bench/bench_casework.py ...)

Runs on PostgreSQL: the server of OPORA_BENCH_DATABASE_URL, database opora_bench_casework
(dropped and created anew). After the migrations it loads the rules and calendars, about 150
institutions of the 27 districts (a territorial centre, its branches and specialised centres
per district, a few city-wide ones) with a few hundred employees through the services, then
by set-based SQL: N people, each served by her district's centre; M open cases (and a quarter
as many closed or refused ones) spread over the institutions and every status, with their
steps and grounds, a share overdue, a share due today, the rest later. Then it requests the
pages whole through the Django test client, on settled tables, in production-like rendering
(OPORA_DEBUG=false): the inbox as a social worker of the largest centre, the overdue list as
a department analyst. Prints one JSON object: people, cases, closed_cases, inbox_p50_ms,
inbox_p95_ms, overdue_p50_ms, overdue_p95_ms, the SQL queries per page, the limit
(limit_p95_ms: p95 ≤ 200 ms for both pages at 1,000,000 people and 200,000 open cases) and
the ratios to it. ``--explain`` writes the plans of each page's slowest queries to stderr.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import random
import sys
import tempfile
import time
from pathlib import Path

from _common import (
    bench_database_url,
    bench_env,
    manage,
    quantiles_ms,
    recreate_database,
    setup_django,
    vacuum,
)

LIMIT_P95_MS = 200.0
DATABASE = "opora_bench_casework"
NAME_VARIANTS = 50_000
OVERDUE_SHARE = 0.10
DUE_TODAY_SHARE = 0.03
# The share of cases a person brings to her district's territorial centre; the rest go to
# its branches and the specialised centres.
HOME_CENTRE_SHARE = 0.75

# Cumulative shares of the open statuses, and of the finished ones.
OPEN_MIX = (
    ("applied", 0.08),
    ("assessed", 0.14),
    ("recognised", 0.18),
    ("programme_drafted", 0.23),
    ("agreed", 0.30),
    ("in_service", 0.92),
    ("suspended", 1.0),
)
FINISHED_MIX = (("refused", 0.2), ("closed", 1.0))
# The steps that led to each status, in order: legal transitions of services.TRANSITIONS.
_TO_RECOGNISED = ("applied", "assessed", "recognised")
_TO_SERVICE = (*_TO_RECOGNISED, "programme_drafted", "agreed", "in_service")
PATHS = {
    "applied": ("applied",),
    "assessed": ("applied", "assessed"),
    "recognised": _TO_RECOGNISED,
    "programme_drafted": _TO_SERVICE[:4],
    "agreed": _TO_SERVICE[:5],
    "in_service": _TO_SERVICE,
    "suspended": (*_TO_SERVICE, "suspended"),
    "refused": ("applied", "assessed", "refused"),
    "closed": (*_TO_SERVICE, "closed"),
}
# Years of birth by the generation of a first name (synth.*_NAMES_BY_ERA); casework serves
# mostly the old.
ERAS = ((1932, 1957, 0.55), (1958, 1985, 0.35), (1986, 2007, 0.10))
# Institutions per district besides the territorial centre, and the city-wide ones.
BRANCHES_PER_CENTRE = 2
DISTRICT_CENTRES = (
    ("longevity-centre", "Центр «Московское долголетие» «{name}»", "Moscow Longevity {en}"),
    ("family-support-centre", "Центр поддержки семьи «{name}»", "Family support centre {en}"),
)
CITY_CENTRES = (
    ("gerontological-home", "Геронтологический центр № {n}", "Gerontological centre No. {n}", 5),
    ("psychoneurological-home", "Психоневрологический интернат № {n}", "PNI No. {n}", 4),
    ("crisis-centre", "Кризисный центр № {n}", "Crisis centre No. {n}", 3),
)
# Institutions that take no applications of 442-FZ.
NO_CASES_KINDS = ("governing-body", "longevity-centre")
CASELOAD_LIMIT = 60
# Recipients per social worker: below the limit, as a centre hires before its workers are full.
CASELOAD_FILL = 50
CASELOAD_STATUSES = ("programme_drafted", "agreed", "in_service", "suspended")


def _name_variants(rng: random.Random, count: int) -> list[tuple]:
    """Plausible full names with their search keys and a span of birth dates that fits the
    generation of the first name."""
    from opora.demo import population as synth
    from opora.registry.names import search_key

    eras = range(len(ERAS))
    weights = [share for _first, _last, share in ERAS]
    rows = []
    for number in range(1, count + 1):
        sex = "F" if rng.random() < 0.64 else "M"
        era = rng.choices(eras, weights)[0]
        first = rng.choice(
            (synth.FEMALE_NAMES_BY_ERA if sex == "F" else synth.MALE_NAMES_BY_ERA)[era]
        )
        father = synth.patronymic(rng.choice(synth.MALE_NAMES_BY_ERA[max(era - 1, 0)]), sex)
        last = synth.surname_for(rng.choice(synth.SURNAMES), sex)
        born_from = dt.date(ERAS[era][0], 1, 1)
        born_days = (dt.date(ERAS[era][1], 12, 31) - born_from).days
        rows.append(
            (
                number,
                sex,
                last,
                first,
                father,
                search_key(last, first, father),
                born_from,
                born_days,
            )
        )
    return rows


def _network(today: dt.date) -> dict:
    """The institutions and their staff, through the services; returns the ids the SQL that
    fills the tables draws from."""
    from django.db import transaction

    from opora.core import services as core_services
    from opora.core.actors import SYSTEM
    from opora.core.roles import Role
    from opora.demo.steps.institutions import load_districts
    from opora.demo.steps.rules import load_rules
    from opora.institutions import services
    from opora.institutions.models import InstitutionKind, Position

    load_rules()
    kinds = {k.code: k for k in InstitutionKind.objects.all()}
    social_worker = Position.objects.get(code="social-worker")
    specialist = Position.objects.get(code="social-work-specialist")
    opened = today.replace(year=today.year - 10)
    created: list[tuple] = []  # (institution, weight of its share of cases, kind code)

    def institution(code: str, kind: str, name: str, name_en: str, **fields):
        return services.institution_create(
            actor=SYSTEM,
            code=code,
            name=name,
            name_en=name_en,
            kind=kinds[kind],
            opened_on=opened,
            **fields,
        )

    with transaction.atomic():
        department = institution(
            "department", "governing-body", "Департамент труда и социальной защиты", "Department"
        )
        centres = {}
        for code, district in sorted(load_districts().items()):
            centre = institution(
                f"tcso-{code}",
                "tcso",
                f"ТЦСО «{district.name}»",
                f"TCSO {district.name_en}",
                district=district,
                parent=department,
                capacities={"home": 2000},
            )
            centres[centre.pk] = district.population or 100_000
            created.append((centre, 0, "tcso"))
            for branch in range(1, BRANCHES_PER_CENTRE + 1):
                created.append(
                    (
                        institution(
                            f"tcso-{code}-{branch}",
                            "tcso",
                            f"ТЦСО «{district.name}», филиал № {branch}",
                            f"TCSO {district.name_en}, branch {branch}",
                            district=district,
                            parent=centre,
                        ),
                        2,
                        "tcso",
                    )
                )
            for kind, name, name_en in DISTRICT_CENTRES:
                created.append(
                    (
                        institution(
                            f"{kind}-{code}",
                            kind,
                            name.format(name=district.name),
                            name_en.format(en=district.name_en),
                            district=district,
                            parent=department,
                        ),
                        1,
                        kind,
                    )
                )
        for kind, name, name_en, count in CITY_CENTRES:
            for n in range(1, count + 1):
                created.append(
                    (
                        institution(
                            f"{kind}-{n}",
                            kind,
                            name.format(n=n),
                            name_en.format(n=n),
                            parent=department,
                        ),
                        2,
                        kind,
                    )
                )

        # Every institution that takes applications has a specialist who registers them; the
        # social workers who serve the caseloads are hired by SQL, as many as the cases need.
        specialists = 0
        for inst, _weight, kind in created:
            if kind in NO_CASES_KINDS:
                continue
            specialists += 1
            services.employee_hire(
                actor=SYSTEM,
                institution=inst,
                position=specialist,
                hired_on=opened,
                last_name=f"Специалистова{specialists}",
                first_name="Анна",
                patronymic="Петровна",
                personnel_number=f"B{specialists:05d}",
            )

        largest = max(centres, key=centres.__getitem__)
        centre = next(i for i, _w, _k in created if i.pk == largest)
        worker_user = core_services.user_create(
            actor=SYSTEM,
            username="bench-worker",
            role=Role.SOCIAL_WORKER,
            password=None,
            first_name="Мария",
            last_name="Соколова",
            institutions=[centre],
        )
        worker = services.employee_hire(
            actor=SYSTEM,
            institution=centre,
            position=social_worker,
            hired_on=opened,
            caseload_limit=CASELOAD_LIMIT,
            last_name="Соколова",
            first_name="Мария",
            personnel_number="B-WORKER",
            user=worker_user,
        )
        analyst = core_services.user_create(
            actor=SYSTEM, username="bench-analyst", role=Role.ANALYST, password=None
        )

    # A thousand slots per list, each institution taking its share of them.
    total_population = sum(centres.values())
    home_slots = [
        pk for pk, pop in centres.items() for _ in range(round(1000 * pop / total_population))
    ]
    others = [(i.pk, w) for i, w, kind in created if w and kind not in NO_CASES_KINDS]
    other_weight = sum(w for _pk, w in others)
    other_slots = [pk for pk, w in others for _ in range(round(1000 * w / other_weight))]
    return {
        "home_slots": home_slots,
        "other_slots": other_slots,
        "worker": worker_user.pk,
        "worker_employee": worker.pk,
        "worker_institution": centre.pk,
        "social_worker_position": social_worker.pk,
        "hired_on": opened,
        "analyst": analyst.pk,
        "institutions": len(created) + 1,
    }


def _status_case(column: str, mix: tuple) -> str:
    """A CASE picking a status by a uniform random ``column`` and cumulative shares."""
    whens = " ".join(f"WHEN {column} < {share} THEN '{status}'" for status, share in mix[:-1])
    return f"CASE {whens} ELSE '{mix[-1][0]}' END"


def _stride(people: int) -> int:
    """A step coprime with ``people``: walking the people by it visits each once."""
    stride = int(people * 0.618) | 1
    while math.gcd(stride, people) != 1:
        stride += 2
    return stride


PEOPLE_SQL = """
INSERT INTO registry_person (
    external_key, last_name, first_name, patronymic, last_name_latin, first_name_latin,
    patronymic_latin, birth_date, sex, snils, phone, email, preferred_language, death_date,
    consent_date, consent_scope, search_key, merged_into_id, created_at, updated_at)
SELECT 'bench-' || d.g, n.last_name, n.first_name, n.patronymic, '', '', '',
       n.born_from + floor(d.r_birth * n.born_days)::int, n.sex, NULL,
       '79' || lpad(floor(d.r_phone * 1e9)::bigint::text, 9, '0'), '', '', NULL, NULL, '',
       n.search_key, NULL, now(), now()
FROM (
    SELECT g, 1 + floor(random() * %(variants)s)::int AS variant, random() AS r_birth,
           random() AS r_phone
    FROM generate_series(1, %(people)s) AS g
) AS d
JOIN bench_name AS n ON n.number = d.variant
"""

LINKS_SQL = """
INSERT INTO registry_personinstitution (person_id, institution_id, since)
SELECT id, (%(home_slots)s::int[])[1 + floor(random() * %(home_count)s)::int],
       %(today)s::date - floor(random() * 3650)::int
FROM registry_person
"""


def _cases_sql() -> str:
    open_status = _status_case("r_status", OPEN_MIX)
    finished_status = _status_case("r_status", FINISHED_MIX)
    return f"""
INSERT INTO casework_case (
    id, number, person_id, institution_id, channel, applicant, representative_name,
    representative_basis, referred_by, applied_on, requested_form, circumstances, status,
    status_since, decision_due, programme_due, next_due, worker_id, registered_by_id,
    created_at, updated_at)
WITH drawn AS MATERIALIZED (
    SELECT g AS id, %(first_person)s + mod(g::bigint * %(stride)s, %(people)s) AS person_id,
           g > %(open)s AS finished, random() AS r_status, random() AS r_due,
           random() AS r_days, random() AS r_place, random() AS r_worker, random() AS r_channel
    FROM generate_series(1, %(total)s) AS g
), placed AS (
    SELECT d.*,
           CASE WHEN d.r_place < %(home_share)s THEN link.institution_id
                ELSE (%(other_slots)s::int[])[1 + floor((d.r_place - %(home_share)s)
                      / (1 - %(home_share)s) * %(other_count)s)::int] END AS institution_id,
           CASE WHEN d.finished THEN {finished_status} ELSE {open_status} END AS status
    FROM drawn AS d JOIN registry_personinstitution AS link ON link.person_id = d.person_id
), phased AS (
    SELECT p.*,
           CASE WHEN p.status IN ('applied', 'assessed') THEN 'decision'
                WHEN p.status IN ('recognised', 'programme_drafted') THEN 'programme'
                WHEN p.status IN ('refused', 'closed') THEN 'finished'
                ELSE 'review' END AS phase
    FROM placed AS p
), due AS (
    SELECT f.*,
           CASE WHEN f.phase = 'finished' THEN NULL
                WHEN f.r_due < %(overdue)s THEN %(today)s::date - 1 - floor(f.r_days * 60)::int
                WHEN f.r_due < %(due_by_today)s THEN %(today)s::date
                ELSE %(today)s::date + 1 + floor(f.r_days * CASE f.phase
                    WHEN 'decision' THEN 7 WHEN 'programme' THEN 14 ELSE 365 END)::int
           END AS next_due
    FROM phased AS f
), dated AS (
    SELECT e.*,
           CASE e.phase WHEN 'decision' THEN e.next_due - 7
                        WHEN 'programme' THEN e.next_due - 21
                        WHEN 'review' THEN e.next_due - 395
                        ELSE %(today)s::date - 30 - floor(e.r_days * 1500)::int END AS applied_on
    FROM due AS e
)
SELECT c.id, extract(year FROM c.applied_on)::int || '-' || lpad(c.id::text, 7, '0'),
       c.person_id, c.institution_id,
       CASE WHEN c.r_channel < 0.45 THEN 'in_person' WHEN c.r_channel < 0.70 THEN 'my_documents'
            WHEN c.r_channel < 0.90 THEN 'portal' WHEN c.r_channel < 0.95 THEN 'phone'
            ELSE 'referral' END,
       'self', '', '',
       CASE WHEN c.r_channel >= 0.95 THEN 'Городская поликлиника' ELSE '' END,
       c.applied_on, 'home', '', c.status,
       LEAST(%(today)s::date, c.applied_on + CASE c.status
           WHEN 'applied' THEN 0 WHEN 'assessed' THEN 3 WHEN 'refused' THEN 6
           WHEN 'recognised' THEN 6 WHEN 'programme_drafted' THEN 12
           WHEN 'closed' THEN 30 + floor(c.r_worker * 700)::int ELSE 20 END),
       c.applied_on + 7,
       CASE WHEN c.phase = 'decision' OR c.status = 'refused' THEN NULL
            ELSE c.applied_on + 21 END,
       c.next_due,
       NULL, NULL, now(), now()
FROM dated AS c
"""


TRANSITIONS_SQL = """
INSERT INTO casework_casetransition (case_id, from_status, to_status, "on", at, actor_id, note)
SELECT c.id, coalesce(p.steps[k - 1], ''), p.steps[k],
       CASE WHEN k = cardinality(p.steps) THEN c.status_since
            ELSE LEAST(c.status_since, c.applied_on + 3 * (k - 1)) END,
       now(), NULL, ''
FROM casework_case AS c
JOIN bench_path AS p ON p.status = c.status
CROSS JOIN LATERAL generate_subscripts(p.steps, 1) AS k
"""

GROUNDS_SQL = """
INSERT INTO casework_case_grounds (case_id, applicationground_id)
SELECT id, (%(grounds)s::int[])[1 + mod(id, %(ground_count)s)] FROM casework_case
"""

# Every case's institution serves its person, as services.case_register records.
# As many social workers as each institution's caseloads need, with names of the people's
# kind; the personnel number carries the institution to the employment.
STAFF_SQL = """
WITH needed AS (
    SELECT institution_id, ceil(count(*) / %(fill)s::numeric)::int
           - CASE WHEN institution_id = %(worker_institution)s THEN 1 ELSE 0 END AS workers
    FROM casework_case WHERE status = ANY(%(caseload_statuses)s)
    GROUP BY institution_id
), hired AS (
    INSERT INTO institutions_employee (
        last_name, first_name, patronymic, personnel_number, user_id, phone, email,
        qualification, search_name, created_at, updated_at)
    SELECT n.last_name, n.first_name, n.patronymic, 'S' || s.institution_id || '-' || k, NULL,
           '', '', '', replace(lower(concat_ws(' ', n.last_name, n.first_name, n.patronymic,
           'S' || s.institution_id || '-' || k)), 'ё', 'е'), now(), now()
    FROM needed AS s
    CROSS JOIN LATERAL generate_series(1, s.workers) AS k
    JOIN bench_name AS n ON n.number = 1 + mod(s.institution_id * 7919 + k, %(variants)s)
    RETURNING id, personnel_number
)
INSERT INTO institutions_employment (
    employee_id, institution_id, position_id, hired_on, left_on, caseload_limit, created_at,
    updated_at)
SELECT id, split_part(substr(personnel_number, 2), '-', 1)::int, %(position)s, %(hired_on)s,
       NULL, %(limit)s, now(), now()
FROM hired
"""

# The caseloads: each worker of an institution takes the next CASELOAD_FILL of its recipients,
# the measured worker first; a closed case keeps the worker it had.
ASSIGN_SQL = """
WITH pool AS (
    SELECT institution_id,
           array_agg(employee_id ORDER BY employee_id <> %(worker)s, employee_id) AS workers
    FROM institutions_employment WHERE position_id = %(position)s
    GROUP BY institution_id
), ranked AS (
    SELECT id, institution_id, status,
           row_number() OVER (PARTITION BY institution_id, status = ANY(%(caseload_statuses)s)
                              ORDER BY id) AS rank
    FROM casework_case WHERE status = ANY(%(caseload_statuses)s) OR status = 'closed'
)
UPDATE casework_case AS c
SET worker_id = CASE WHEN r.status = 'closed'
                     THEN pool.workers[1 + mod(r.rank, cardinality(pool.workers))::int]
                     ELSE pool.workers[1 + ((r.rank - 1) / %(fill)s)::int] END
FROM ranked AS r JOIN pool ON pool.institution_id = r.institution_id
WHERE c.id = r.id
"""

# The programmes: the one in force of a case with a programme, the draft of one drawn up, the
# ended one of a closed case; the review is the case's next deadline.
PROGRAMMES_SQL = """
INSERT INTO casework_programme (
    case_id, version, reason, form, status, drawn_up_on, valid_from, valid_to, review_due,
    income, fee_cap, is_free, minimum_group, fee_is_example, agreed_on, refusal, ended_on,
    drawn_up_by_id, created_at, updated_at)
SELECT id, 1, 'first', 'home',
       CASE status WHEN 'programme_drafted' THEN 'draft' WHEN 'closed' THEN 'ended'
                   ELSE 'agreed' END,
       applied_on + 14, applied_on + 21, applied_on + 21 + 365,
       coalesce(next_due, applied_on + 21 + 365),
       income, CASE WHEN income < 25000 THEN 0 ELSE round((income - 25000) * 0.5, 2) END,
       income < 25000, 'per_capita', false,
       CASE WHEN status = 'programme_drafted' THEN NULL ELSE applied_on + 20 END, '',
       CASE WHEN status = 'closed' THEN status_since END, NULL, now(), now()
FROM (
    SELECT c.*, round((15000 + random() * 40000)::numeric, 2) AS income
    FROM casework_case AS c
    WHERE c.status IN ('programme_drafted', 'agreed', 'in_service', 'suspended', 'closed')
) AS c
"""

CASE_LINKS_SQL = """
INSERT INTO registry_personinstitution (person_id, institution_id, since)
SELECT person_id, institution_id, min(applied_on) FROM casework_case
GROUP BY person_id, institution_id
ON CONFLICT (person_id, institution_id) DO NOTHING
"""


def _populate(network: dict, *, people: int, cases: int, closed: int, seed: int) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from opora.casework.models import ApplicationGround

    today = timezone.localdate()
    variants = _name_variants(random.Random(seed), NAME_VARIANTS)
    grounds = list(ApplicationGround.objects.values_list("pk", flat=True))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT setseed(%s)", [1 / (1 + seed)])
        cursor.execute(
            "CREATE TEMP TABLE bench_name (number int PRIMARY KEY, sex text, last_name text, "
            "first_name text, patronymic text, search_key text, born_from date, born_days int) "
            "ON COMMIT DROP"
        )
        with cursor.cursor.copy("COPY bench_name FROM STDIN") as copy:
            for row in variants:
                copy.write_row(row)
        cursor.execute(PEOPLE_SQL, {"variants": len(variants), "people": people})
        cursor.execute(
            LINKS_SQL,
            {
                "home_slots": network["home_slots"],
                "home_count": len(network["home_slots"]),
                "today": today,
            },
        )
        cursor.execute("SELECT min(id), max(id) FROM registry_person")
        first_person, last_person = cursor.fetchone()
        assert last_person - first_person + 1 == people, "people's ids are not contiguous"

        cursor.execute(
            "CREATE TEMP TABLE bench_path (status text PRIMARY KEY, steps text[]) ON COMMIT DROP"
        )
        cursor.executemany(
            "INSERT INTO bench_path VALUES (%s, %s)", [(s, list(p)) for s, p in PATHS.items()]
        )
        cursor.execute("ANALYZE registry_personinstitution")
        cursor.execute(
            _cases_sql(),
            {
                "first_person": first_person,
                "stride": _stride(people),
                "people": people,
                "open": cases,
                "total": cases + closed,
                "home_share": HOME_CENTRE_SHARE,
                "other_slots": network["other_slots"],
                "other_count": len(network["other_slots"]),
                "overdue": OVERDUE_SHARE,
                "due_by_today": OVERDUE_SHARE + DUE_TODAY_SHARE,
                "today": today,
            },
        )
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('casework_case', 'id'), "
            "(SELECT coalesce(max(id), 1) FROM casework_case))"
        )
        caseload = {
            "fill": CASELOAD_FILL,
            "caseload_statuses": list(CASELOAD_STATUSES),
            "position": network["social_worker_position"],
        }
        cursor.execute(
            STAFF_SQL,
            {
                **caseload,
                "worker_institution": network["worker_institution"],
                "variants": len(variants),
                "hired_on": network["hired_on"],
                "limit": CASELOAD_LIMIT,
            },
        )
        cursor.execute(ASSIGN_SQL, {**caseload, "worker": network["worker_employee"]})
        cursor.execute(PROGRAMMES_SQL)
        cursor.execute(CASE_LINKS_SQL)
        cursor.execute(TRANSITIONS_SQL)
        cursor.execute(GROUNDS_SQL, {"grounds": grounds, "ground_count": len(grounds)})


# --- The pages ---------------------------------------------------------------------------------


def _measure(client, path: str, *, requests: int, warmup: int) -> dict:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        response = client.get(path)
        if response.status_code != 200:
            raise SystemExit(f"GET {path} answered {response.status_code}")
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    # Read now: the property slices the connection's log, which every request empties.
    queries = list(captured.captured_queries)
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        response = client.get(path)
        timings.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise SystemExit(f"GET {path} answered {response.status_code}")
    p50, p95 = quantiles_ms(timings)
    return {"p50": p50, "p95": p95, "queries": queries}


def _explain(label: str, queries: list[dict], slowest: int = 3) -> None:
    from django.db import connection

    ranked = sorted(queries, key=lambda q: float(q["time"]), reverse=True)[:slowest]
    with connection.cursor() as cursor:
        for query in ranked:
            if not query["sql"].lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {query['sql']}")
            plan = "\n".join(row[0] for row in cursor.fetchall())
            print(f"--- {label}: {query['sql']}\n{plan}\n", file=sys.stderr)


def _pages(network: dict, *, requests: int, warmup: int, explain: bool) -> dict:
    from django.test import Client
    from django.urls import reverse

    from opora.core.models import User

    # A page that fails answers 500 here and stops the run, its traceback in the log.
    worker, analyst = Client(raise_request_exception=False), Client(raise_request_exception=False)
    worker.force_login(User.objects.get(pk=network["worker"]))
    analyst.force_login(User.objects.get(pk=network["analyst"]))
    inbox = _measure(worker, reverse("casework:inbox"), requests=requests, warmup=warmup)
    overdue = _measure(analyst, reverse("casework:overdue"), requests=requests, warmup=warmup)
    if explain:
        _explain("inbox", inbox["queries"])
        _explain("overdue", overdue["queries"])
    return {
        "inbox_p50_ms": inbox["p50"],
        "inbox_p95_ms": inbox["p95"],
        "inbox_queries": len(inbox["queries"]),
        "overdue_p50_ms": overdue["p50"],
        "overdue_p95_ms": overdue["p95"],
        "overdue_queries": len(overdue["queries"]),
    }


def _figures(network: dict) -> dict:
    """What the measured users see: the worker's share of the cases, the overdue ones."""
    from django.utils import timezone

    from opora.casework.models import OPEN_STATUSES, Case
    from opora.core.models import User
    from opora.institutions.models import Employee

    today = timezone.localdate()
    centre = User.objects.get(pk=network["worker"]).institutions.get()
    open_cases = Case.objects.filter(status__in=OPEN_STATUSES)
    return {
        "worker_institution_open_cases": open_cases.filter(institution=centre).count(),
        "worker_inbox_rows": open_cases.filter(institution=centre, next_due__lte=today).count(),
        "worker_caseload": open_cases.filter(worker=network["worker_employee"]).count(),
        "employees": Employee.objects.count(),
        "overdue_cases": Case.objects.filter(next_due__lt=today).count(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="opora bench casework",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--cases", type=int, default=20_000, help="open cases")
    parser.add_argument(
        "--closed", type=int, default=None, help="closed and refused cases (default: cases / 4)"
    )
    parser.add_argument("--requests", type=int, default=200, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--explain", action="store_true", help="plans of the slowest queries")
    parser.add_argument("--database-url", default=bench_database_url(DATABASE))
    options = parser.parse_args(argv)
    closed = options.cases // 4 if options.closed is None else options.closed
    if options.people < 1 or options.cases < 1 or closed < 0:
        parser.error("--people and --cases must be positive, --closed not negative")

    work = Path(tempfile.mkdtemp(prefix="opora-bench-casework-"))
    env = bench_env(options.database_url, str(work / "var"), DEBUG="false")
    recreate_database(options.database_url)
    manage(env, "migrate", "--noinput", "-v", "0")
    setup_django(env)
    from django.utils import timezone

    started = time.perf_counter()
    network = _network(timezone.localdate())
    _populate(network, people=options.people, cases=options.cases, closed=closed, seed=options.seed)
    load_seconds = time.perf_counter() - started
    vacuum(
        options.database_url,
        [
            "registry_person",
            "registry_personinstitution",
            "casework_case",
            "casework_casetransition",
            "casework_case_grounds",
            "casework_programme",
            "institutions_employee",
            "institutions_employment",
        ],
    )
    pages = _pages(
        network, requests=options.requests, warmup=options.warmup, explain=options.explain
    )
    result = {
        "people": options.people,
        "cases": options.cases,
        "closed_cases": closed,
        "institutions": network["institutions"],
        **_figures(network),
        "load_seconds": round(load_seconds, 1),
        **pages,
        "limit_p95_ms": LIMIT_P95_MS,
        "inbox_p95_ratio_to_limit": round(pages["inbox_p95_ms"] / LIMIT_P95_MS, 3),
        "overdue_p95_ratio_to_limit": round(pages["overdue_p95_ms"] / LIMIT_P95_MS, 3),
    }
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
