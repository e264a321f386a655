"""Whole-registry runs, what-if simulations and the outreach worklist: the runs of a measure
with the forms that start them (a section of the measure's page, loaded into it), a run's page
with its progress while it works and its results after, a what-if's page with the gains, losses
and cost changes and the people who change (exported as CSV or XLSX), and the worklist of the
eligible not claiming with the explanation of each and the form that records the outcome."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext_lazy, pgettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from opora.core.errors import DomainError
from opora.core.forms import apply_domain_error
from opora.core.permissions import require
from opora.core.rendering import render_page
from opora.core.tables import Column, sorted_page
from opora.institutions.models import District
from opora.registry.imports import export as exporting
from opora.registry.models import ImportEntity

from .. import selectors, services
from ..access import OUTREACH_WORK, RUN_MANAGE
from ..forms import (
    OutreachFilterForm,
    OutreachOutcomeForm,
    RunChangeFilterForm,
    RunResultFilterForm,
    RunStartForm,
    WhatIfForm,
)
from ..models import EligibilityRun, Measure, Periodicity, RunStatus, VersionStatus
from ..presenting import explained

RESULT_COLUMNS = [
    Column("person", gettext_lazy("Person"), "person_id"),
    Column("district", gettext_lazy("District")),
    Column("state", gettext_lazy("Outcome"), "state"),
    Column("amount", gettext_lazy("Amount a month"), "amount_kopecks"),
    Column("clauses", gettext_lazy("Conditions")),
]
CHANGE_COLUMNS = [
    Column("person", gettext_lazy("Person"), "person_id"),
    Column("district", gettext_lazy("District")),
    Column("change", gettext_lazy("Change")),
    Column("before", gettext_lazy("Amount in force"), "amount_before"),
    Column("after", gettext_lazy("Amount of the draft"), "amount_after"),
    Column("clause", gettext_lazy("The condition that changed it")),
]
OUTREACH_COLUMNS = [
    Column("person", gettext_lazy("Person"), "person__last_name"),
    Column("measure", gettext_lazy("Measure"), "measure__name"),
    Column("district", gettext_lazy("District"), "district__name"),
    Column("institution", gettext_lazy("Institution"), "institution__name"),
    Column("amount", gettext_lazy("Amount a month"), "amount_kopecks"),
    Column("status", gettext_lazy("Status"), "status"),
    Column("outcome", gettext_lazy("Outcome")),
]
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ACTIVE = (RunStatus.QUEUED, RunStatus.RUNNING)
MARKS = {"2": "✓", "1": "?", "0": "✗"}  # a clause's stored state, as the explanation marks it


def roubles(kopecks: Any) -> Decimal | None:
    return None if kopecks is None else Decimal(int(kopecks)) / 100


def run_url(run: EligibilityRun) -> str:
    return reverse("assistance:run", args=[run.pk])


def _crumbs(measure: Measure) -> list[tuple[str, str]]:
    return [
        (_("Measures of social support"), reverse("assistance:measures")),
        (measure.display_name, reverse("assistance:measure", args=[measure.pk])),
        (_("Runs over the registry"), reverse("assistance:measure_runs", args=[measure.pk])),
    ]


def _district_names() -> dict[int, str]:
    return dict(District.objects.values_list("pk", "name"))


# --- The runs of a measure ------------------------------------------------------------------------


def _runs_context(request, measure: Measure, *, run_form=None, whatif_form=None) -> dict[str, Any]:
    today = timezone.localdate()
    in_force = selectors.version_in_force(measure=measure, on=today)
    has_draft = measure.versions.filter(status=VersionStatus.DRAFT).exists()
    runs = list(selectors.runs_of(actor=request.user, measure=measure)[:20])
    return {
        "measure": measure,
        "in_force": in_force,
        "has_draft": has_draft,
        "has_published": measure.versions.filter(status=VersionStatus.PUBLISHED).exists(),
        "run_form": run_form or RunStartForm(measure=measure, in_force=in_force),
        "whatif_form": whatif_form or WhatIfForm(measure=measure),
        "runs": runs,
        "crumbs": _crumbs(measure)[:2],
    }


@require(RUN_MANAGE)
def measure_runs(request, pk: int):
    """The runs of a measure and the forms that start them; the measure's page loads the
    ``runs`` region of this page into itself."""
    measure = selectors.measure_get(actor=request.user, pk=pk)
    context = _runs_context(request, measure)
    return render_page(request, "assistance/runs/measure.html", context, partial="runs")


@require(RUN_MANAGE)
@require_POST
def run_start(request, pk: int):
    measure = selectors.measure_get(actor=request.user, pk=pk)
    form = RunStartForm(request.POST, measure=measure)
    if form.is_valid():
        try:
            run = services.run_start(
                actor=request.user, version=form.cleaned_data["version"], on=form.cleaned_data["on"]
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The run is queued; this page follows its progress."))
            return redirect(run_url(run))
    context = _runs_context(request, measure, run_form=form)
    return render_page(request, "assistance/runs/measure.html", context, status=400)


@require(RUN_MANAGE)
@require_POST
def whatif_start(request, pk: int):
    measure = selectors.measure_get(actor=request.user, pk=pk)
    form = WhatIfForm(request.POST, measure=measure)
    if form.is_valid():
        try:
            run = services.whatif_start(
                actor=request.user,
                measure=measure,
                on=form.cleaned_data["on"],
                draft=form.cleaned_data["draft"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request, _("The simulation is queued; this page follows its progress.")
            )
            return redirect(run_url(run))
    context = _runs_context(request, measure, whatif_form=form)
    return render_page(request, "assistance/runs/measure.html", context, status=400)


# --- A run and a what-if ------------------------------------------------------------------------


def _state(run: EligibilityRun) -> dict[str, Any]:
    percent = 100 if run.status == RunStatus.DONE else (run.job.percent if run.job else 0)
    return {
        "run": run,
        "measure": run.version.measure,
        "working": run.status in ACTIVE,
        "percent": percent,
        "job_message": run.job.message if run.job and run.status in ACTIVE else "",
        "monthly": roubles(run.monthly_kopecks),
        "per_year": run.version.periodicity == Periodicity.MONTHLY,
    }


def _summary_rows(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The stored summary's rows with sums in roubles and names in the reader's language (the
    English name where the reader does not read Russian and one was stored)."""
    english = get_language() != "ru"
    return [
        {
            **row,
            **{
                key: row[f"{key}_en"]
                for key in ("name", "district_name")
                if english and row.get(f"{key}_en")
            },
            "change": roubles(row.get("change_kopecks", 0)),
            "yearly": roubles(row.get("yearly_change_kopecks", 0)),
        }
        for row in rows
    ]


def _results_context(request, run: EligibilityRun) -> dict[str, Any]:
    form = RunResultFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    district = filters.get("district")
    qs = selectors.run_results(
        actor=request.user,
        run=run,
        state=filters.get("state") or "",
        district=district.pk if district else None,
    )
    table = sorted_page(request, qs, RESULT_COLUMNS, default_sort="person", per_page=50)
    names = _district_names()
    for row in table.rows:
        row.district_name = names.get(row.district_id, "")
        row.amount = roubles(row.amount_kopecks)
        row.marks = "".join(MARKS.get(digit, "?") for digit in row.clauses)
    by_district = selectors.run_by_district(actor=request.user, run=run)
    for row in by_district:
        row["monthly"] = roubles(row["monthly_kopecks"])
    return {
        "form": form,
        "table": table,
        "filtered": any(filters.get(key) for key in form.fields),
        "by_district": by_district,
        "outreach": selectors.outreach_counts(actor=request.user, run=run),
    }


def _changes_context(request, run: EligibilityRun) -> dict[str, Any]:
    form = RunChangeFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    district = filters.get("district")
    qs = selectors.run_changes(
        actor=request.user,
        run=run,
        change=filters.get("change") or "",
        district=district.pk if district else None,
    )
    table = sorted_page(request, qs, CHANGE_COLUMNS, default_sort="person", per_page=50)
    names = _district_names()
    texts = selectors.changed_clause_texts(run)
    for row in table.rows:
        row.district_name = names.get(row.district_id, "")
        row.before = roubles(row.amount_before)
        row.after = roubles(row.amount_after)
        row.clause_text = texts.get(row.changed_clause, "")
        row.kind = (
            "gained"
            if row.state_after == 2 and row.state_before != 2
            else "lost"
            if row.state_before == 2 and row.state_after != 2
            else "amount"
            if row.state_before == 2
            else "other"
        )
    summary = run.summary or {}
    total = summary.get("total") or {}
    return {
        "form": form,
        "table": table,
        "filtered": any(filters.get(key) for key in form.fields),
        "total": {
            **total,
            "change": roubles(total.get("change_kopecks", 0)),
            "yearly": roubles(total.get("yearly_change_kopecks", 0)),
        },
        "by_district": _summary_rows(summary.get("by_district") or []),
        "by_category": _summary_rows(summary.get("by_category") or []),
    }


@require(RUN_MANAGE)
def run_detail(request, pk: int):
    run = selectors.run_get(actor=request.user, pk=pk)
    context = _state(run)
    context["crumbs"] = _crumbs(run.version.measure)
    target = getattr(getattr(request, "htmx", None), "target", None)
    if run.status == RunStatus.DONE and target != "run-state":
        context |= (
            _changes_context(request, run) if run.is_whatif else _results_context(request, run)
        )
    template = "assistance/runs/whatif.html" if run.is_whatif else "assistance/runs/run.html"
    partial = target if target in ("run-state", "results") else None
    response = render_page(request, template, context, partial=partial)
    if target == "run-state" and run.status not in ACTIVE:
        # The work ended while the page polled: the whole page, with its results, again.
        response["HX-Refresh"] = "true"
    return response


@require(RUN_MANAGE)
@require_POST
def run_restart(request, pk: int):
    run = selectors.run_get(actor=request.user, pk=pk)
    try:
        services.run_restart(actor=request.user, run=run)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        messages.success(request, _("The run is started again."))
    return redirect(run_url(run))


@require(RUN_MANAGE)
@require_POST
def run_outreach(request, pk: int):
    run = selectors.run_get(actor=request.user, pk=pk)
    try:
        added = services.outreach_from_run(actor=request.user, run=run)
    except DomainError as error:
        messages.error(request, str(error.message))
    else:
        if added:
            messages.success(
                request,
                _("%(count)s people were added to the outreach worklist.") % {"count": added},
            )
        else:
            messages.info(request, _("Nobody new: everyone eligible and not claiming is listed."))
    return redirect(run_url(run))


# --- The export of a what-if --------------------------------------------------------------------


def _export_rows(request, run: EligibilityRun) -> exporting.Export:
    names = _district_names()
    texts = selectors.changed_clause_texts(run)
    shown_names = selectors.sees_names(request.user)
    header = [
        _("Registry number"),
        *([_("Person")] if shown_names else []),
        _("District"),
        _("Eligible under the version in force"),
        _("Eligible under the draft"),
        _("Amount in force"),
        _("Amount of the draft"),
        _("The condition that changed it"),
    ]
    words = {2: _("yes"), 1: _("unknown"), 0: _("no")}

    def amount(kopecks: int | None) -> str:
        return "" if kopecks is None else f"{Decimal(kopecks) / 100:.2f}"

    def rows():
        changes = selectors.run_changes(actor=request.user, run=run)
        for change in changes.iterator(chunk_size=2000):
            yield [
                change.person_id,
                *([change.person_name.strip()] if shown_names else []),
                names.get(change.district_id, ""),
                words[change.state_before],
                words[change.state_after],
                amount(change.amount_before),
                amount(change.amount_after),
                texts.get(change.changed_clause, ""),
            ]

    # The registry's writers take this shape; the sheet is named for what it holds.
    # Translators: the name of a worksheet; at most 31 characters, none of \ / ? * : [ ].
    title = pgettext("worksheet", "Changes under the draft")
    return exporting.Export(
        entity=ImportEntity.PEOPLE, header=header, rows=rows(), sheet_title=title
    )


@require(RUN_MANAGE)
def run_export(request, pk: int, file_format: str):
    run = selectors.run_get(actor=request.user, pk=pk)
    if not run.is_whatif or run.status != RunStatus.DONE:
        messages.error(request, _("Only a finished what-if is exported."))
        return redirect(run_url(run))
    rows = _export_rows(request, run)
    name = f"whatif-{run.pk}-{run.on:%Y%m%d}.{file_format}"
    if file_format == "xlsx":
        try:
            workbook = exporting.write_xlsx(rows)  # written whole: audited once it exists
        except DomainError as error:
            messages.error(request, str(error.message))
            return redirect(run_url(run))
        services.run_export_record(actor=request.user, run=run, file_format=file_format)
        return FileResponse(workbook, as_attachment=True, filename=name, content_type=XLSX_TYPE)
    services.run_export_record(actor=request.user, run=run, file_format=file_format)
    response = StreamingHttpResponse(
        exporting.csv_chunks(rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- The outreach worklist ------------------------------------------------------------------------


@require(OUTREACH_WORK)
def outreach_list(request):
    form = OutreachFilterForm(request.GET or None, actor=request.user)
    filters = form.cleaned_data if form.is_valid() else {}
    qs = selectors.outreach_list(
        actor=request.user,
        measure=filters.get("measure"),
        district=filters.get("district"),
        institution=filters.get("institution"),
        status=filters.get("status") or "",
    )
    table = sorted_page(request, qs, OUTREACH_COLUMNS, default_sort="district", per_page=50)
    for row in table.rows:
        row.amount = roubles(row.amount_kopecks)
    counts = selectors.outreach_counts(actor=request.user, measure=filters.get("measure"))
    context = {
        "form": form,
        "table": table,
        "filtered": any(filters.get(key) for key in form.fields),
        "counts": counts,
        "outcome_form": OutreachOutcomeForm(),
        "next": request.get_full_path(),
    }
    return render_page(request, "assistance/runs/outreach.html", context, partial="results")


@require(OUTREACH_WORK)
def outreach_detail(request, pk: int):
    """One task: why the person qualifies (the run's version evaluated for her now) and the
    form that records the outcome."""
    outreach = selectors.outreach_get(actor=request.user, pk=pk)
    form = OutreachOutcomeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.outreach_record(actor=request.user, outreach=outreach, **form.cleaned_data)
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("The outcome is recorded."))
            following = request.POST.get("next", "")
            if following.startswith(reverse("assistance:outreach")):
                return redirect(following)
            return redirect(reverse("assistance:outreach_task", args=[outreach.pk]))
    evaluation = selectors.outreach_evaluation(actor=request.user, outreach=outreach)
    context = {
        "outreach": outreach,
        "amount": roubles(outreach.amount_kopecks),
        "explained": explained(evaluation),
        "named": selectors.people_named_in(actor=request.user, evaluation=evaluation),
        "can_register": False,
        "outcome_form": form,
        "open": outreach.status in selectors.OPEN_OUTREACH,
        "crumbs": [(_("Outreach worklist"), reverse("assistance:outreach"))],
    }
    status = 400 if form.errors else 200
    return render_page(request, "assistance/runs/outreach_task.html", context, status=status)


urlpatterns = [
    path("measures/<int:pk>/runs/", measure_runs, name="measure_runs"),
    path("measures/<int:pk>/runs/start/", run_start, name="run_start"),
    path("measures/<int:pk>/whatif/", whatif_start, name="whatif_start"),
    path("runs/<int:pk>/", run_detail, name="run"),
    path("runs/<int:pk>/restart/", run_restart, name="run_restart"),
    path("runs/<int:pk>/outreach/", run_outreach, name="run_outreach"),
    path("runs/<int:pk>/export.csv", run_export, {"file_format": "csv"}, name="run_export_csv"),
    path("runs/<int:pk>/export.xlsx", run_export, {"file_format": "xlsx"}, name="run_export_xlsx"),
    path("outreach/", outreach_list, name="outreach"),
    path("outreach/<int:pk>/", outreach_detail, name="outreach_task"),
]
