"""The forms of the assistance pages. They check the shape of the input only (a date, a number,
JSON that parses); whether a rule is valid, whether a person is eligible, whether a step is
allowed is the services' to say, and their refusals are shown next to the field they name."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opora.casework import selectors as casework
from opora.casework.forms import PERSON_CHOICES_SHOWN, PersonChoiceField
from opora.casework.models import Channel
from opora.core.actors import Actor
from opora.core.errors import DomainError
from opora.core.forms import NumberField, apply_domain_error
from opora.core.scoping import Scope
from opora.institutions.models import District, Institution
from opora.registry import selectors as registry_selectors

from . import selectors
from .models import (
    ApplicationStatus,
    AssignmentStatus,
    Beneficiary,
    DecisionOutcome,
    MeasureKind,
    MeasureVersion,
    OutreachStatus,
    OverpaymentStatus,
    Periodicity,
    VersionStatus,
)

if TYPE_CHECKING:
    from .models import Measure

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ANY = [("", _("Any"))]
RULE_FIELDS = ("eligibility", "amount")


def _today() -> dt.date:
    return timezone.localdate()


def apply_rule_error(form: forms.Form, error: DomainError) -> None:
    """A refused rule names the place of each problem by its path in the rule
    (``eligibility.all[2].code``): each message goes under the rule's text box, with the rest of
    its path, so the analyst sees which clause to fix."""
    details: dict[str, list[str]] = {}
    for key, problems in (error.details or {}).items():
        field, _dot, path = str(key).partition(".")
        if field in RULE_FIELDS and field in form.fields:
            messages = problems if isinstance(problems, list | tuple) else [problems]
            details.setdefault(field, []).extend(
                f"{path}: {message}" if path else str(message) for message in messages
            )
        else:
            details[key] = problems
    apply_domain_error(
        form, DomainError(error.code, error.message, details=details, status=error.status)
    )


class JSONTextField(forms.CharField):
    """A rule written as JSON in a text box: parsed here, validated by the rule language."""

    widget = forms.Textarea(attrs={"rows": 14, "class": "mono", "spellcheck": "false"})

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if not text:
            return None
        try:
            return json.loads(text)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                _("This is not valid JSON: %(problem)s (line %(line)s, column %(column)s)."),
                params={"problem": error.msg, "line": error.lineno, "column": error.colno},
            ) from None

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dict | list):
            return json.dumps(value, ensure_ascii=False, indent=2)
        return value


class LinesField(forms.CharField):
    """One name per line, blank lines dropped."""

    widget = forms.Textarea(attrs={"rows": 5})

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return "\n".join(value)
        return value


# --- Measures -----------------------------------------------------------------------------------


class MeasureFilterForm(forms.Form):
    q = forms.CharField(label=_("Code or name"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=ANY + MeasureKind.choices)


class MeasureForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=64)
    name = forms.CharField(label=_("Name"), max_length=300)
    name_en = forms.CharField(label=_("Name in English"), max_length=300, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=MeasureKind.choices)
    beneficiary = forms.ChoiceField(
        label=_("Who applies"), choices=Beneficiary.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    description_en = forms.CharField(
        label=_("Description in English"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class MeasureEditForm(forms.Form):
    """What of a measure may change: its code and who applies stay once given."""

    name = forms.CharField(label=_("Name"), max_length=300)
    name_en = forms.CharField(label=_("Name in English"), max_length=300, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=MeasureKind.choices)
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    description_en = forms.CharField(
        label=_("Description in English"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class MeasureEndForm(forms.Form):
    ended_on = forms.DateField(
        label=_("No longer granted from"),
        required=False,
        widget=DATE,
        help_text=_(
            "Applications on or after this day are not accepted; assignments already made run "
            "their course. Empty: the measure is granted again."
        ),
    )


class VersionForm(forms.Form):
    """The draft editor: every field of a version, the two rules as JSON."""

    valid_from = forms.DateField(label=_("Valid from"), widget=DATE)
    legal_basis = forms.CharField(label=_("Legal basis"), max_length=500)
    eligibility = JSONTextField(
        label=_("Who is eligible (rule as JSON)"),
        help_text=_("Clauses combined with all, any and not; the page shows them as sentences."),
    )
    amount = JSONTextField(
        label=_("Amount (rule as JSON)"),
        required=False,
        help_text=_("Leave empty for help without a sum of money."),
    )
    periodicity = forms.ChoiceField(label=_("Periodicity"), choices=Periodicity.choices)
    decision_working_days = forms.IntegerField(
        label=_("Decision within, working days"), min_value=1, max_value=365
    )
    term_months = forms.IntegerField(
        label=_("Assigned for, months"), required=False, min_value=1, max_value=600
    )
    review_months = forms.IntegerField(
        label=_("Review every, months"), required=False, min_value=1, max_value=600
    )
    documents = LinesField(
        label=_("Documents needed"), required=False, help_text=_("One document per line.")
    )
    amount_floor = NumberField(
        label=_("Smallest amount, roubles"), required=False, min_value=0, decimal_places=2
    )
    amount_ceiling = NumberField(
        label=_("Largest amount, roubles"), required=False, min_value=0, decimal_places=2
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def version_fields(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["eligibility"] = data["eligibility"] if data["eligibility"] is not None else {}
        return data


# --- Applications -------------------------------------------------------------------------------


class ApplicationFilterForm(forms.Form):
    q = forms.CharField(label=_("Number or surname"), required=False, max_length=100)
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=ANY + ApplicationStatus.choices
    )
    measure: forms.ModelChoiceField[Measure] = forms.ModelChoiceField(
        label=_("Measure"), required=False, empty_label=_("Any"), queryset=None
    )
    overdue = forms.BooleanField(label=_("Past the due day"), required=False)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        measure = cast("forms.ModelChoiceField[Measure]", self.fields["measure"])
        measure.queryset = selectors.measures(actor=actor)


class ApplicationRegisterForm(forms.Form):
    person = PersonChoiceField(
        label=_("Applicant"),
        queryset=None,
        help_text=_(
            "Not in the list? Find the person in the registry and choose “Apply for a measure” "
            "on her page."
        ),
    )
    measure: forms.ModelChoiceField[Measure] = forms.ModelChoiceField(
        label=_("Measure"), queryset=None
    )
    institution: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("Institution"), queryset=None
    )
    channel = forms.ChoiceField(label=_("How the application came"), choices=Channel.choices)
    applied_on = forms.DateField(label=_("Applied on"), widget=DATE)
    documents_received = forms.MultipleChoiceField(
        label=_("Documents received"),
        required=False,
        choices=[],
        widget=forms.CheckboxSelectMultiple,
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("applied_on", _today())
        super().__init__(*args, **kwargs)
        people = registry_selectors.people(actor=actor)
        person = cast("PersonChoiceField", self.fields["person"])
        person.queryset = people
        # The whole scope validates; only a first page of it is listed.
        shown = list(people.order_by("last_name", "first_name", "pk")[:PERSON_CHOICES_SHOWN])
        chosen = self.initial.get("person")
        if chosen and all(p.pk != getattr(chosen, "pk", chosen) for p in shown):
            shown = [*people.filter(pk=getattr(chosen, "pk", chosen)), *shown]
        person.widget.choices = [("", "—")] + [(p.pk, person.label_from_instance(p)) for p in shown]
        measures = selectors.measures(actor=actor).filter(ended_on__isnull=True)
        measure = cast("forms.ModelChoiceField[Measure]", self.fields["measure"])
        measure.queryset = measures
        institutions = casework.institutions_of(actor=actor)
        institution = cast("forms.ModelChoiceField[Institution]", self.fields["institution"])
        institution.queryset = institutions
        if len(institutions) == 1:
            institution.initial = institutions[0]
        self.version = self._version(measures)
        documents = cast("forms.MultipleChoiceField", self.fields["documents_received"])
        names = list(self.version.documents) if self.version else []
        documents.choices = [(name, name) for name in names]
        if self.version is None:
            documents.help_text = _("Choose a measure to see the documents it needs.")

    def _version(self, measures: Any) -> Any:
        """The version in force on the day of the application of the measure chosen: its list
        of documents is what the checkboxes offer."""
        raw_measure = self.data.get("measure") if self.is_bound else None
        raw_measure = raw_measure or self.initial.get("measure")
        pk = getattr(raw_measure, "pk", raw_measure)
        if not pk or not str(pk).isdigit():
            return None
        measure = measures.filter(pk=pk).first()
        if measure is None:
            return None
        day = self.initial.get("applied_on") or _today()
        if self.is_bound:
            with contextlib.suppress(forms.ValidationError):
                day = self.fields["applied_on"].clean(self.data.get("applied_on"))
        return selectors.version_in_force(measure=measure, on=day)


class EvaluateForm(forms.Form):
    on = forms.DateField(
        label=_("As of"),
        required=False,
        widget=DATE,
        help_text=_("Empty: the day of the application."),
    )


class DecideForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=DecisionOutcome.choices, widget=forms.RadioSelect
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE)
    starts_on = forms.DateField(
        label=_("Paid from"),
        required=False,
        widget=DATE,
        help_text=_(
            "For an assignment; empty: from the first day of the month of the application "
            "(the day of the decision for a one-time payment)."
        ),
    )
    reason = forms.CharField(
        label=_("Reasons"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Needed to refuse an applicant who is eligible."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("decided_on", _today())
        super().__init__(*args, **kwargs)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class AttachForm(forms.Form):
    title = forms.CharField(label=_("Document"), max_length=300)
    upload = forms.FileField(label=_("File"), help_text=_("PDF, JPEG or PNG."))


# --- Assignments --------------------------------------------------------------------------------


class AssignmentFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=ANY + AssignmentStatus.choices
    )
    measure: forms.ModelChoiceField[Measure] = forms.ModelChoiceField(
        label=_("Measure"), required=False, empty_label=_("Any"), queryset=None
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        measure = cast("forms.ModelChoiceField[Measure]", self.fields["measure"])
        measure.queryset = selectors.measures(actor=actor)


class StepForm(forms.Form):
    on = forms.DateField(label=_("From"), widget=DATE)
    reason = forms.CharField(label=_("Reason"), max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("on", _today())
        super().__init__(*args, **kwargs)


class OverpaymentForm(forms.Form):
    period_from = forms.DateField(label=_("Paid from"), widget=DATE)
    period_to = forms.DateField(label=_("Paid to"), widget=DATE)
    amount = NumberField(label=_("Amount, roubles"), min_value=0, decimal_places=2)
    reason = forms.CharField(label=_("Reason"), max_length=300)
    found_on = forms.DateField(label=_("Found on"), widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("found_on", _today())
        super().__init__(*args, **kwargs)


class OverpaymentFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=ANY + OverpaymentStatus.choices
    )


SETTLED = [
    (OverpaymentStatus.RECOVERED, OverpaymentStatus.RECOVERED.label),
    (OverpaymentStatus.WRITTEN_OFF, OverpaymentStatus.WRITTEN_OFF.label),
]


class SettleForm(forms.Form):
    status = forms.ChoiceField(label=_("Settled as"), choices=SETTLED, widget=forms.RadioSelect)


# --- Whole-registry runs, what-ifs and the outreach worklist ------------------------------------


class VersionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(_("Version %(number)s from %(day)s")) % {
            "number": obj.number,
            "day": obj.valid_from.strftime("%d.%m.%Y"),
        }


class RunStartForm(forms.Form):
    """A run of a published version over the whole registry on a day."""

    version = VersionChoiceField(label=_("Version"), queryset=None, empty_label=None)
    on = forms.DateField(label=_("As of"), widget=DATE)

    def __init__(self, *args: Any, measure: Measure, in_force: Any = None, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("on", _today())
        if in_force is not None:
            kwargs["initial"].setdefault("version", in_force.pk)
        super().__init__(*args, **kwargs)
        version = cast("forms.ModelChoiceField[MeasureVersion]", self.fields["version"])
        version.queryset = MeasureVersion.objects.filter(
            measure=measure, status=VersionStatus.PUBLISHED
        ).order_by("-valid_from", "-number")


class WhatIfForm(forms.Form):
    """A draft simulated against the version in force on a day."""

    draft = VersionChoiceField(label=_("Draft"), queryset=None, empty_label=None)
    on = forms.DateField(label=_("As of"), widget=DATE)

    def __init__(self, *args: Any, measure: Measure, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("on", _today())
        super().__init__(*args, **kwargs)
        draft = cast("forms.ModelChoiceField[MeasureVersion]", self.fields["draft"])
        draft.queryset = MeasureVersion.objects.filter(
            measure=measure, status=VersionStatus.DRAFT
        ).order_by("-number")


RESULT_STATE_CHOICES = [
    ("eligible", _("eligible")),
    ("unknown", _("unknown")),
    ("not_eligible", _("not eligible")),
]
CHANGE_CHOICES = [
    ("gained", _("gain the measure")),
    ("lost", _("lose the measure")),
    ("amount", _("another amount")),
]


class _DistrictFilter(forms.Form):
    district: forms.ModelChoiceField[District] = forms.ModelChoiceField(
        label=_("District"), required=False, empty_label=_("Any"), queryset=None
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        district = cast("forms.ModelChoiceField[District]", self.fields["district"])
        district.queryset = District.objects.order_by("name")


class RunResultFilterForm(_DistrictFilter):
    state = forms.ChoiceField(
        label=_("Outcome"), required=False, choices=ANY + RESULT_STATE_CHOICES
    )


class RunChangeFilterForm(_DistrictFilter):
    change = forms.ChoiceField(label=_("Change"), required=False, choices=ANY + CHANGE_CHOICES)


class OutreachFilterForm(_DistrictFilter):
    measure: forms.ModelChoiceField[Measure] = forms.ModelChoiceField(
        label=_("Measure"), required=False, empty_label=_("Any"), queryset=None
    )
    institution: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("Institution"), required=False, empty_label=_("Any"), queryset=None
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=ANY + OutreachStatus.choices
    )

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        measure = cast("forms.ModelChoiceField[Measure]", self.fields["measure"])
        measure.queryset = selectors.measures(actor=actor)
        institution = cast("forms.ModelChoiceField[Institution]", self.fields["institution"])
        institution.queryset = Scope.of(actor).rows(
            Institution.objects.order_by("name"), via="pk", personal=False
        )


OUTCOME_CHOICES = [
    (status.value, status.label)
    for status in (OutreachStatus.CONTACTED, OutreachStatus.APPLIED, OutreachStatus.DECLINED)
]


class OutreachOutcomeForm(forms.Form):
    status = forms.ChoiceField(label=_("Outcome"), choices=OUTCOME_CHOICES)
    on = forms.DateField(label=_("On"), widget=DATE)
    note = forms.CharField(label=_("Note"), required=False, max_length=300)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("on", _today())
        super().__init__(*args, **kwargs)
