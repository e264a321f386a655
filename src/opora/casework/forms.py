"""The forms of the case pages. They check the shape of the input only; every rule of 442-FZ
is the services' to enforce, and their refusals are shown next to the field they name."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from opora.catalogue.models import PeriodicityUnit
from opora.core.actors import Actor
from opora.core.forms import NumberField
from opora.institutions.models import ServiceForm
from opora.registry import selectors as registry_selectors

from . import selectors
from .models import (
    Applicant,
    CaseStatus,
    Channel,
    DocumentKind,
    Outcome,
    ProgrammeReason,
)

if TYPE_CHECKING:
    from opora.catalogue.models import Service
    from opora.institutions.models import Employee, Institution

    from .models import ApplicationGround, CareLevel

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
ANY = [("", _("Any"))]
# A person select lists at most this many names; the person's own page preselects anyone else.
PERSON_CHOICES_SHOWN = 300


def _today() -> dt.date:
    return timezone.localdate()


class ServiceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.display_name}"


class ServicesChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.display_name}"


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        born = obj.birth_date.strftime("%d.%m.%Y") if obj.birth_date else ""
        return f"{obj.full_name} {born}".strip()


class ProviderChoiceField(forms.ModelChoiceField):
    """A service and its provider in one choice: what the register offers in the form."""

    def label_from_instance(self, obj: Any) -> str:
        return (
            f"{obj.service.code} {obj.service.display_name} — "
            f"{obj.institution.display_name}, {obj.district.display_name}"
        )


class ItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.service.code} {obj.service.display_name}"


class ItemsChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.service.code} {obj.service.display_name}"


# --- The list -----------------------------------------------------------------------------------


class CaseFilterForm(forms.Form):
    q = forms.CharField(label=_("Number or surname"), required=False, max_length=100)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=ANY + CaseStatus.choices)
    institution: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("Institution"), required=False, empty_label=_("Any"), queryset=None
    )
    worker: forms.ModelChoiceField[Employee] = forms.ModelChoiceField(
        label=_("Social worker"), required=False, empty_label=_("Any"), queryset=None
    )
    open_only = forms.BooleanField(label=_("Open cases only"), required=False)
    overdue = forms.BooleanField(label=_("Deadline passed"), required=False)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        institution = cast("forms.ModelChoiceField[Institution]", self.fields["institution"])
        institution.queryset = selectors.institutions_of(actor=actor)
        worker = cast("forms.ModelChoiceField[Employee]", self.fields["worker"])
        worker.queryset = selectors.home_care_workers(actor=actor)


# --- Intake -------------------------------------------------------------------------------------


class CaseRegisterForm(forms.Form):
    person = PersonChoiceField(
        label=_("Person"),
        queryset=None,
        help_text=_(
            "Not in the list? Find the person in the registry and choose “Register an "
            "application” on her page."
        ),
    )
    institution: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("Institution"), queryset=None
    )
    channel = forms.ChoiceField(label=_("How the application came"), choices=Channel.choices)
    applicant = forms.ChoiceField(
        label=_("Who applied"),
        choices=Applicant.choices,
        initial=Applicant.SELF,
        widget=forms.RadioSelect,
    )
    representative_name = forms.CharField(label=_("Representative"), required=False, max_length=300)
    representative_basis = forms.CharField(
        label=_("Representative's authority"),
        required=False,
        max_length=300,
        help_text=_("For example, a power of attorney with its number and date."),
    )
    referred_by = forms.CharField(
        label=_("Referred by"),
        required=False,
        max_length=300,
        help_text=_("Only for a referral from another body."),
    )
    applied_on = forms.DateField(label=_("Applied on"), widget=DATE)
    # Not required here: the service refuses an application without grounds with its message.
    grounds: forms.ModelMultipleChoiceField[ApplicationGround] = forms.ModelMultipleChoiceField(
        label=_("Grounds"),
        required=False,
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )
    requested_services = ServicesChoiceField(
        label=_("Services asked for"),
        required=False,
        queryset=None,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    requested_form = forms.ChoiceField(
        label=_("Form asked for"), required=False, choices=[("", "—"), *ServiceForm.choices]
    )
    circumstances = forms.CharField(
        label=_("Circumstances"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    document_kind = forms.ChoiceField(
        label=_("Kind of the attached document"),
        required=False,
        choices=DocumentKind.choices,
        initial=DocumentKind.APPLICATION,
    )
    document = forms.FileField(
        label=_("Attached document"),
        required=False,
        help_text=_("A scan of the application or another document: PDF, JPEG or PNG."),
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
        institutions = selectors.institutions_of(actor=actor)
        institution = cast("forms.ModelChoiceField[Institution]", self.fields["institution"])
        institution.queryset = institutions
        if len(institutions) == 1:
            institution.initial = institutions[0]
        grounds = cast("forms.ModelMultipleChoiceField[ApplicationGround]", self.fields["grounds"])
        grounds.queryset = selectors.grounds()
        requested = cast("ServicesChoiceField", self.fields["requested_services"])
        requested.queryset = selectors.requestable_services()
        self.urgent_fields: list[tuple[str, Service]] = []
        for service in selectors.urgent_services():
            name = f"urgent_{service.pk}"
            self.fields[name] = forms.IntegerField(
                label=f"{service.code} {service.display_name}",
                required=False,
                min_value=0,
                max_value=999,
                widget=forms.NumberInput(attrs={"class": "narrow"}),
            )
            self.urgent_fields.append((name, service))

    def urgent_quantities(self) -> list[tuple[Any, int]]:
        return [
            (service, self.cleaned_data[name])
            for name, service in self.urgent_fields
            if self.cleaned_data.get(name)
        ]

    def main_fields(self) -> list[Any]:
        urgent = {name for name, _service in self.urgent_fields}
        document = {"document", "document_kind"}
        return [f for f in self.visible_fields() if f.name not in urgent | document]

    def urgent_bound_fields(self) -> list[Any]:
        return [self[name] for name, _service in self.urgent_fields]

    def document_fields(self) -> list[Any]:
        return [self["document_kind"], self["document"]]


# --- Documents ----------------------------------------------------------------------------------


class DocumentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    title = forms.CharField(label=_("Title"), required=False, max_length=300)
    file = forms.FileField(
        label=_("File"), required=True, help_text=_("PDF, JPEG or PNG, scanned or photographed.")
    )


# --- Assessment and decision --------------------------------------------------------------------


def _option_label(option: dict[str, Any]) -> str:
    label = option.get("label_en") if get_language() != "ru" else ""
    return f"{option['points']} — {label or option.get('label', '')}"


class AssessmentForm(forms.Form):
    """The items of one scale as groups of radio buttons, then the date and the findings. The
    score and the proposed care level are the service's to compute."""

    assessed_on = forms.DateField(label=_("Assessed on"), widget=DATE)

    def __init__(self, *args: Any, scale: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("assessed_on", _today())
        super().__init__(*args, **kwargs)
        self.scale = scale
        self.item_codes = []
        for item in scale.items.all():
            self.fields[item.code] = forms.TypedChoiceField(
                label=item.display_name,
                choices=[(str(o["points"]), _option_label(o)) for o in item.options],
                coerce=int,
                required=False,
                widget=forms.RadioSelect,
            )
            self.item_codes.append(item.code)
        self.fields["living_conditions"] = forms.CharField(
            label=_("Living conditions"), required=False, widget=forms.Textarea(attrs={"rows": 3})
        )
        self.fields["conclusion"] = forms.CharField(
            label=_("Conclusion"), required=False, widget=forms.Textarea(attrs={"rows": 3})
        )

    def answers(self) -> dict[str, Any]:
        return {code: self.cleaned_data.get(code) for code in self.item_codes}


class DecisionForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=Outcome.choices, widget=forms.RadioSelect
    )
    decided_on = forms.DateField(label=_("Decided on"), widget=DATE)
    care_level: forms.ModelChoiceField[CareLevel] = forms.ModelChoiceField(
        label=_("Care level"),
        required=False,
        queryset=None,
        empty_label=_("As the assessment proposes"),
    )
    reasons = forms.CharField(
        label=_("Reasons"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required for a refusal."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("decided_on", _today())
        super().__init__(*args, **kwargs)
        from .models import CareLevel

        care_level = cast("forms.ModelChoiceField[CareLevel]", self.fields["care_level"])
        care_level.queryset = CareLevel.objects.filter(scale__in=selectors.scales()).select_related(
            "scale"
        )


# --- The programme ------------------------------------------------------------------------------


class ProgrammeDraftForm(forms.Form):
    form = forms.ChoiceField(label=_("Form of social service"), choices=ServiceForm.choices)
    reason = forms.ChoiceField(
        label=_("Reason for this version"),
        required=False,
        choices=[(c, label) for c, label in ProgrammeReason.choices if c != ProgrammeReason.FIRST],
    )
    drawn_up_on = forms.DateField(label=_("Drawn up on"), widget=DATE)
    income = NumberField(
        label=_("Average per-capita income, roubles a month"),
        max_digits=12,
        decimal_places=2,
        help_text=_("The fee is calculated from it by the rules in force."),
    )
    valid_from = forms.DateField(
        label=_("Valid from"),
        required=False,
        widget=DATE,
        help_text=_("Leave empty: from the day it is drawn up."),
    )
    valid_to = forms.DateField(
        label=_("Valid to"),
        required=False,
        widget=DATE,
        help_text=_("Leave empty: until the day before the review is due."),
    )

    def __init__(self, *args: Any, first: bool, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("drawn_up_on", _today())
        super().__init__(*args, **kwargs)
        if first:
            del self.fields["reason"]


class ProgrammeItemForm(forms.Form):
    provider = ProviderChoiceField(label=_("Service and provider"), queryset=None)
    volume = forms.IntegerField(label=_("Volume over the term, units"), min_value=0)
    times = forms.IntegerField(label=_("How many times"), required=False, min_value=1)
    per = forms.ChoiceField(
        label=_("Per"), required=False, choices=[("", "—"), *PeriodicityUnit.choices]
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args: Any, programme: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        provider = cast("ProviderChoiceField", self.fields["provider"])
        provider.queryset = selectors.provider_options(programme)


class ProgrammeAgreeForm(forms.Form):
    agreed_on = forms.DateField(label=_("Agreed on"), widget=DATE)
    refused_items = ItemsChoiceField(
        label=_("Services refused in writing"),
        required=False,
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
    )
    refusal = forms.CharField(
        label=_("Text of the written refusal"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, programme: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("agreed_on", _today())
        super().__init__(*args, **kwargs)
        refused_items = cast("ItemsChoiceField", self.fields["refused_items"])
        refused_items.queryset = programme.items.select_related("service")


class ServiceRefuseForm(forms.Form):
    refused_on = forms.DateField(label=_("Refused on"), widget=DATE)
    refusal = forms.CharField(
        label=_("Text of the written refusal"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("refused_on", _today())
        super().__init__(*args, **kwargs)


# --- Deliveries ---------------------------------------------------------------------------------

DELIVERY_LINES = 5
DELIVERY_COLUMNS = ("item", "delivered_on", "started_at", "minutes", "quantity", "note")


class DeliveriesForm(forms.Form):
    """Several delivered services at once, a line each; an empty line is skipped."""

    def __init__(self, *args: Any, programme: Any, **kwargs: Any) -> None:
        initial = kwargs.setdefault("initial", {})
        for line in range(DELIVERY_LINES):
            initial.setdefault(f"delivered_on_{line}", _today())
            initial.setdefault(f"quantity_{line}", 1)
        super().__init__(*args, **kwargs)
        items = programme.items.filter(refused_on__isnull=True).select_related("service")
        for line in range(DELIVERY_LINES):
            self.fields[f"item_{line}"] = ItemChoiceField(
                label=_("Service"), required=False, queryset=items, empty_label="—"
            )
            self.fields[f"delivered_on_{line}"] = forms.DateField(
                label=_("Date"), required=False, widget=DATE
            )
            self.fields[f"started_at_{line}"] = forms.TimeField(
                label=_("Time"), required=False, widget=TIME
            )
            self.fields[f"minutes_{line}"] = forms.IntegerField(
                label=_("Minutes"), required=False, min_value=1, max_value=24 * 60
            )
            self.fields[f"quantity_{line}"] = forms.IntegerField(
                label=_("Units"), required=False, min_value=0
            )
            self.fields[f"note_{line}"] = forms.CharField(
                label=_("Note"), required=False, max_length=500
            )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        for line in range(DELIVERY_LINES):
            if cleaned.get(f"item_{line}") and not cleaned.get(f"delivered_on_{line}"):
                self.add_error(f"delivered_on_{line}", _("Enter the date."))
        return cleaned

    def rows(self) -> list[list[Any]]:
        return [
            [self[f"{column}_{line}"] for column in DELIVERY_COLUMNS]
            for line in range(DELIVERY_LINES)
        ]

    def lines(self) -> list[tuple[int, dict[str, Any]]]:
        """The filled lines, each with its number and values."""
        filled = []
        for line in range(DELIVERY_LINES):
            values = {c: self.cleaned_data.get(f"{c}_{line}") for c in DELIVERY_COLUMNS}
            if values["item"] is not None:
                filled.append((line, values))
        return filled


class UrgentForm(forms.Form):
    service = ServiceChoiceField(label=_("Urgent service"), queryset=None)
    delivered_on = forms.DateField(label=_("Date"), widget=DATE)
    quantity = forms.IntegerField(label=_("Units"), min_value=0, initial=1)
    minutes = forms.IntegerField(label=_("Minutes"), required=False, min_value=1, max_value=24 * 60)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("delivered_on", _today())
        super().__init__(*args, **kwargs)
        service = cast("ServiceChoiceField", self.fields["service"])
        service.queryset = selectors.urgent_services()


# --- Steps of the case ------------------------------------------------------------------------


class StepForm(forms.Form):
    """Suspend, resume or close: the day and the reason."""

    on = forms.DateField(label=_("On"), widget=DATE)
    note = forms.CharField(label=_("Reason"), required=False, max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("on", _today())
        super().__init__(*args, **kwargs)


class WorkerChoiceField(forms.ModelChoiceField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.loads: dict[int, Any] = {}
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj: Any) -> str:
        load = self.loads.get(obj.pk)
        if load is None:
            return obj.full_name
        if load.limit is None:
            return str(
                ngettext(
                    "%(name)s — %(count)s recipient",
                    "%(name)s — %(count)s recipients",
                    load.count,
                )
                % {"name": obj.full_name, "count": load.count}
            )
        return str(
            _("%(name)s — %(count)s of %(limit)s recipients")
            % {"name": obj.full_name, "count": load.count, "limit": load.limit}
        )


class AssignForm(forms.Form):
    employee = WorkerChoiceField(label=_("Home-care social worker"), queryset=None)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast("WorkerChoiceField", self.fields["employee"])
        field.queryset = selectors.home_care_workers(actor=actor)
        field.loads = {
            summary.employee.pk: summary for summary in selectors.caseload_summaries(actor=actor)
        }


def recent_months(today: dt.date, count: int = 12) -> list[tuple[str, str]]:
    months = []
    first = today.replace(day=1)
    for _step in range(count):
        months.append((first.isoformat(), first.strftime("%m.%Y")))
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return months


class ActIssueForm(forms.Form):
    month = forms.TypedChoiceField(
        label=_("Month"), coerce=dt.date.fromisoformat, choices=[], empty_value=None
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        today = _today()
        month = cast("forms.TypedChoiceField", self.fields["month"])
        month.choices = recent_months(today)
        month.initial = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1).isoformat()
