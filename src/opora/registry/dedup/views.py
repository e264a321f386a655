"""Pages of deduplication: the searches, the review queue, a pair, the merges."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from opora.core.errors import DomainError
from opora.core.forms import apply_domain_error
from opora.core.permissions import has_permission, require
from opora.core.rendering import render_page
from opora.core.tables import Column, sorted_page

from ..access import DEDUP_REVIEW, DEDUP_RUN, MERGE
from ..models import CandidateStatus
from ..selectors import snils_for
from . import selectors, services

RUN_COLUMNS = [
    Column("created_at", gettext_lazy("Started"), "created_at"),
    Column("threshold", gettext_lazy("Threshold"), "threshold"),
    Column("people", gettext_lazy("Records compared"), "people"),
    Column("candidates", gettext_lazy("Pairs to review"), "candidates"),
    Column("clusters", gettext_lazy("Groups"), "clusters"),
    Column("seconds", gettext_lazy("Duration, s"), "seconds"),
    Column("status", gettext_lazy("Status")),
]

QUEUE_COLUMNS = [
    Column("probability", gettext_lazy("Match probability"), "probability"),
    Column("person_a", gettext_lazy("First record"), "person_a__last_name"),
    Column("person_b", gettext_lazy("Second record"), "person_b__last_name"),
    Column("birth_date", gettext_lazy("Date of birth"), "person_a__birth_date"),
    Column("cluster", gettext_lazy("Group"), "cluster"),
    Column("status", gettext_lazy("Status"), "status"),
]

MERGE_COLUMNS = [
    Column("merged_at", gettext_lazy("Merged"), "merged_at"),
    Column("survivor", gettext_lazy("Record kept"), "survivor__last_name"),
    Column("merged", gettext_lazy("Record merged into it"), "merged__last_name"),
    Column("merged_by", gettext_lazy("By"), "merged_by__username"),
    Column("state", gettext_lazy("State"), "undone_at"),
]


class StartForm(forms.Form):
    threshold = forms.FloatField(
        label=gettext_lazy("Match probability threshold"),
        min_value=0.5,
        max_value=0.999,
        initial=services.DEFAULT_THRESHOLD,
        widget=forms.NumberInput(attrs={"step": "0.01"}),
    )


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=gettext_lazy("Status"),
        required=False,
        choices=[("", gettext_lazy("Any")), *CandidateStatus.choices],
    )
    min_probability = forms.FloatField(
        label=gettext_lazy("Probability at least"),
        required=False,
        min_value=0,
        max_value=1,
        widget=forms.NumberInput(attrs={"step": "0.01"}),
    )
    run = forms.IntegerField(widget=forms.HiddenInput, required=False)


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why are these different people?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class MergeForm(forms.Form):
    survivor = forms.ChoiceField(label=gettext_lazy("Keep the record"), widget=forms.RadioSelect)
    reason = forms.CharField(
        label=gettext_lazy("Note (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, candidate, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidate = candidate
        self.fields["survivor"].choices = [
            (str(p.pk), f"{p.full_name} (#{p.pk})")
            for p in (candidate.person_a, candidate.person_b)
        ]
        self.fields["survivor"].initial = str(selectors.likely_survivor(candidate).pk)


class UnmergeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Why undo the merge?"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# --- Searches ---------------------------------------------------------------------------------


@require(DEDUP_REVIEW)
def run_list(request):
    table = sorted_page(
        request, selectors.runs(actor=request.user), RUN_COLUMNS, default_sort="-created_at"
    )
    context: dict[str, Any] = {
        "table": table,
        "can_run": has_permission(request.user, DEDUP_RUN),
        "form": StartForm(),
        "counts": selectors.queue_counts(actor=request.user),
    }
    return render_page(request, "registry/dedup/runs.html", context, partial="results")


@require(DEDUP_RUN)
@require_POST
def run_start(request):
    form = StartForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a threshold from 0.5 to 0.999."))
        return redirect("registry:registry_dedup:runs")
    try:
        run = services.dedup_start(actor=request.user, threshold=form.cleaned_data["threshold"])
    except DomainError as error:
        messages.warning(request, error.message)
        running = error.details.get("job")
        return (
            redirect("core:job", pk=running[0])
            if running
            else redirect("registry:registry_dedup:runs")
        )
    messages.info(request, _("The search for duplicates is running in the background."))
    return redirect("registry:registry_dedup:run", pk=run.pk)


@require(DEDUP_RUN)
def run_detail(request, pk: int):
    run = selectors.run_get(actor=request.user, pk=pk)
    context = {"run": run, "job": run.job}
    return render_page(request, "registry/dedup/run.html", context)


# --- The review queue -------------------------------------------------------------------------


@require(DEDUP_REVIEW)
def queue(request):
    form = QueueFilterForm(request.GET or {"status": CandidateStatus.PENDING})
    filters = form.cleaned_data if form.is_valid() else {"status": CandidateStatus.PENDING}
    qs = selectors.candidates(
        actor=request.user,
        status=filters.get("status") or "",
        min_probability=filters.get("min_probability"),
        run=filters.get("run"),
    )
    table = sorted_page(request, qs, QUEUE_COLUMNS, default_sort="-probability", per_page=50)
    return render_page(
        request, "registry/dedup/queue.html", {"table": table, "form": form}, partial="results"
    )


def _pair_context(request, candidate, *, reject_form=None, merge_form=None) -> dict[str, Any]:
    user = request.user
    rows = selectors.pair_rows(candidate)
    for row in rows:
        if row["name"] == "snils":
            row["a"] = snils_for(user, candidate.person_a)
            row["b"] = snils_for(user, candidate.person_b)
    open_pair = candidate.status in (CandidateStatus.PENDING, CandidateStatus.CONFIRMED)
    live = not (candidate.person_a.merged_into_id or candidate.person_b.merged_into_id)
    return {
        "candidate": candidate,
        "rows": rows,
        "references_a": selectors.reference_counts(candidate.person_a),
        "references_b": selectors.reference_counts(candidate.person_b),
        "can_decide": live and candidate.status != CandidateStatus.MERGED,
        "can_confirm": live
        and candidate.status in (CandidateStatus.PENDING, CandidateStatus.REJECTED),
        "can_merge": live and open_pair and has_permission(user, MERGE),
        "reject_form": reject_form or RejectForm(),
        "merge_form": merge_form or MergeForm(candidate=candidate),
    }


@require(DEDUP_REVIEW)
def pair_detail(request, pk: int):
    candidate = selectors.candidate_get(actor=request.user, pk=pk)
    return render_page(request, "registry/dedup/pair.html", _pair_context(request, candidate))


def _next_in_queue(request, candidate) -> HttpResponseRedirect:
    following = (
        selectors.candidates(actor=request.user, status=CandidateStatus.PENDING)
        .exclude(pk=candidate.pk)
        .order_by("-probability", "pk")
        .first()
    )
    if following is not None:
        return redirect("registry:registry_dedup:pair", pk=following.pk)
    return redirect("registry:registry_dedup:queue")


@require(DEDUP_REVIEW)
@require_POST
def pair_confirm(request, pk: int):
    candidate = selectors.candidate_get(actor=request.user, pk=pk)
    try:
        services.candidate_confirm(actor=request.user, candidate=candidate)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("registry:registry_dedup:pair", pk=candidate.pk)
    messages.success(request, _("Recorded as the same person; an administrator can merge them."))
    return _next_in_queue(request, candidate)


@require(DEDUP_REVIEW)
@require_POST
def pair_reject(request, pk: int):
    candidate = selectors.candidate_get(actor=request.user, pk=pk)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            services.candidate_reject(
                actor=request.user, candidate=candidate, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(request, _("Recorded as different people."))
            return _next_in_queue(request, candidate)
    context = _pair_context(request, candidate, reject_form=form)
    return render_page(request, "registry/dedup/pair.html", context, status=400)


@require(MERGE)
@require_POST
def pair_merge(request, pk: int):
    candidate = selectors.candidate_get(actor=request.user, pk=pk)
    form = MergeForm(request.POST, candidate=candidate)
    if form.is_valid():
        survivor_pk = int(form.cleaned_data["survivor"])
        a, b = candidate.person_a, candidate.person_b
        survivor, merged = (a, b) if survivor_pk == a.pk else (b, a)
        try:
            services.person_merge(
                actor=request.user,
                survivor=survivor,
                merged=merged,
                candidate=candidate,
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            apply_domain_error(form, error)
        else:
            messages.success(
                request,
                _("%(merged)s was merged into %(survivor)s.")
                % {"merged": merged, "survivor": survivor},
            )
            return _next_in_queue(request, candidate)
    context = _pair_context(request, candidate, merge_form=form)
    return render_page(request, "registry/dedup/pair.html", context, status=400)


# --- Merges -----------------------------------------------------------------------------------


@require(DEDUP_REVIEW)
def merge_list(request):
    table = sorted_page(
        request, selectors.merges(actor=request.user), MERGE_COLUMNS, default_sort="-merged_at"
    )
    context = {
        "table": table,
        "can_unmerge": has_permission(request.user, MERGE),
        "form": UnmergeForm(),
    }
    return render_page(request, "registry/dedup/merges.html", context, partial="results")


@require(MERGE)
@require_POST
def merge_undo(request, pk: int):
    merge = selectors.merge_get(actor=request.user, pk=pk)
    form = UnmergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Say why the merge is undone."))
    else:
        try:
            services.person_unmerge(
                actor=request.user, merge=merge, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("The merge was undone: %(merged)s is a record of its own again.")
                % {"merged": merge.merged},
            )
    return HttpResponseRedirect(reverse("registry:registry_dedup:merges"))
