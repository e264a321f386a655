# ruff: noqa: S608 - statements are built from model identifiers, quoted, and literals written by
# criteria.batch.literal (whole numbers, dates, validated codes).
"""People a run found eligible who neither hold the measure nor applied for it: the outreach
worklist, made in one ``INSERT … SELECT`` from the run's results, a task per person (per
household, for a household's measure: the run evaluates its applicant), for the institution
that serves the person or, failing one, an open institution of her district."""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from opora.core import audit
from opora.core.actors import Actor
from opora.core.errors import Conflict, DomainError, NotFound, require_choice
from opora.core.permissions import has_permission
from opora.core.scoping import Scope
from opora.institutions.models import Institution
from opora.registry.models import PersonInstitution

from .. import audit_actions as actions
from ..access import OUTREACH_WORK
from ..criteria.batch import column, literal, table
from ..models import (
    Application,
    Assignment,
    AssignmentStatus,
    Beneficiary,
    EligibilityRun,
    Outreach,
    OutreachStatus,
    RunResult,
    RunStatus,
)
from .common import not_future, require_in_scope, today
from .runs import _require_run_manage

__all__ = ["outreach_from_run", "outreach_record"]

OUTCOMES = (OutreachStatus.CONTACTED, OutreachStatus.APPLIED, OutreachStatus.DECLINED)
FINAL = (OutreachStatus.APPLIED, OutreachStatus.DECLINED)


@transaction.atomic
def outreach_from_run(*, actor: Actor, run: EligibilityRun) -> int:
    """Add to the worklist everyone ``run`` found eligible who holds no active assignment of
    the measure, made no application for it since its version came into force and has no
    outreach task for it yet (a declined one stays declined). Returns how many were added."""
    _require_run_manage(actor)
    if run.is_whatif or run.status != RunStatus.DONE:
        raise Conflict(
            "run_not_done",
            _("The worklist is made from a finished run of a version in force."),
        )
    version = run.version
    r, a, ap, o = RunResult, Assignment, Application, Outreach
    pi, inst = PersonInstitution, Institution

    # For a household's measure the household holds it or applied (through any member); for a
    # person's measure only the person herself: her spouse's assignment is not hers.
    by_household = version.measure.beneficiary == Beneficiary.HOUSEHOLD

    def same_subject(alias: str, model: type) -> str:
        person = f"{alias}.{column(model, 'person')} = r.{column(r, 'person')}"
        if not by_household:
            return f"({person})"
        household = (
            f"(r.{column(r, 'household')} IS NOT NULL AND {alias}.{column(model, 'household')}"
            f" = r.{column(r, 'household')})"
        )
        return f"({person} OR {household})"

    holds = (
        f"SELECT 1 FROM {table(a)} a WHERE a.{column(a, 'measure')} = {literal(version.measure_id)}"
        f" AND a.{column(a, 'status')} IN ({literal(AssignmentStatus.ACTIVE.value)}, "
        f"{literal(AssignmentStatus.SUSPENDED.value)}) AND {same_subject('a', a)}"
    )
    applied = (
        f"SELECT 1 FROM {table(ap)} ap WHERE ap.{column(ap, 'measure')} = "
        f"{literal(version.measure_id)} AND ap.{column(ap, 'applied_on')} >= "
        f"{literal(version.valid_from)} AND {same_subject('ap', ap)}"
    )
    listed = (
        f"SELECT 1 FROM {table(o)} o WHERE o.{column(o, 'measure')} = "
        f"{literal(version.measure_id)} AND o.{column(o, 'person')} = r.{column(r, 'person')}"
    )
    serving = (
        f"SELECT MIN(pi.{column(pi, 'institution')}) FROM {table(pi)} pi "
        f"WHERE pi.{column(pi, 'person')} = r.{column(r, 'person')}"
    )
    of_district = (
        f"SELECT MIN(i.{column(inst, 'id')}) FROM {table(inst)} i WHERE "
        f"i.{column(inst, 'district')} = r.{column(r, 'district')} AND "
        f"i.{column(inst, 'is_active')}"
    )
    names = (
        "created_at",
        "updated_at",
        "measure",
        "run",
        "person",
        "household",
        "district",
        "institution",
        "amount_kopecks",
        "status",
        "note",
    )
    sql = (
        f"INSERT INTO {table(o)} ({', '.join(column(o, n) for n in names)}) "
        f"SELECT %s, %s, {literal(version.measure_id)}, {literal(run.pk)}, "
        f"r.{column(r, 'person')}, r.{column(r, 'household')}, r.{column(r, 'district')}, "
        f"COALESCE(({serving}), ({of_district})), r.{column(r, 'amount_kopecks')}, "
        f"{literal(OutreachStatus.TO_CONTACT.value)}, '' FROM {table(r)} r "
        f"WHERE r.{column(r, 'run')} = {literal(run.pk)} AND r.{column(r, 'state')} = 2 "
        f"AND NOT EXISTS ({holds}) AND NOT EXISTS ({applied}) AND NOT EXISTS ({listed})"
    )
    now = timezone.now()
    with connection.cursor() as cursor:
        cursor.execute(sql, [now, now])
        added = max(cursor.rowcount, 0)
    audit.record(actor=actor, action=actions.OUTREACH_CREATED, obj=run, data={"added": added})
    return added


@transaction.atomic
def outreach_record(
    *, actor: Actor, outreach: Outreach, status: str, note: str = "", on: dt.date | None = None
) -> Outreach:
    """Record how the outreach went: contacted, applied or declined (the last two are final)."""
    if not has_permission(actor, OUTREACH_WORK):
        raise DomainError(
            "forbidden", _("Only the institutions' specialists record outreach."), status=403
        )
    outreach = Outreach.objects.select_for_update().get(pk=outreach.pk)
    if outreach.institution is None:  # no institution found for it: the department's
        if not Scope.of(actor).sees_everything:
            raise NotFound("not_found", _("No such outreach task."))
    else:
        require_in_scope(actor, outreach.institution, _("No such outreach task."))
    status = require_choice(status, [s.value for s in OUTCOMES], field="status")
    if outreach.status in FINAL:
        raise Conflict(
            "outreach_closed",
            _("The outcome was recorded already: %(status)s.")
            % {"status": outreach.get_status_display()},
        )
    day = on or today()
    not_future(day, "on")
    if day < outreach.created_at.date():
        raise DomainError(
            "date_too_early",
            _("The outcome cannot be before the task was made."),
            details={"on": [_("Enter the day of the contact.")]},
        )
    before = outreach.status
    outreach.status = status
    outreach.outcome_on = day
    outreach.note = " ".join((note or "").split())[:300]
    outreach.recorded_by = audit.acting_user(actor)
    outreach.save()
    audit.record(
        actor=actor,
        action=actions.OUTREACH_RECORDED,
        obj=outreach,
        changes={"status": [before, status]},
    )
    return outreach
