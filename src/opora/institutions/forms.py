from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opora.core.actors import Actor
from opora.core.models import User
from opora.core.scoping import Scope

from . import selectors
from .models import (
    District,
    Institution,
    InstitutionKind,
    InstitutionStatus,
    Position,
    ServiceForm,
    TrainingKind,
)
from .services import INSTITUTION_FIELDS

if TYPE_CHECKING:
    from django_stubs_ext import StrPromise

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
CAPACITY_HELP: dict[str, StrPromise] = {
    ServiceForm.HOME: _("How many people the institution serves at home at once."),
    ServiceForm.SEMI_RESIDENTIAL: _("Places for day care."),
    ServiceForm.RESIDENTIAL: _("Places for people who live there."),
}
ANY = _("Any")


def capacity_field(form: str) -> str:
    """The name of the form field (and of the error detail) for one form of service."""
    return f"capacity_{form}"


class ScopedForm(forms.Form):
    """A form whose choices depend on who fills it in; subclasses narrow their querysets in
    ``limit_choices`` and call ``super()``, so forms combine."""

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices(actor)

    def limit_choices(self, actor: Actor) -> None:
        pass


class InstitutionFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or code"), required=False, max_length=200)
    district = forms.ModelChoiceField(
        label=_("District"), required=False, empty_label=ANY, queryset=District.objects.all()
    )
    kind = forms.ModelChoiceField(
        label=_("Kind"),
        required=False,
        empty_label=ANY,
        queryset=InstitutionKind.objects.all(),
        to_field_name="code",
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", ANY), *InstitutionStatus.choices]
    )


class InstitutionForm(forms.Form):
    """An institution's details. Without ``structural`` (a manager changing her own
    institution) the code, kind and parent body are not on the form; the service refuses them
    too. ``creating`` adds the first status."""

    code = forms.SlugField(
        label=_("Code"),
        max_length=64,
        help_text=_("Latin letters, digits and hyphens; other systems refer to it."),
    )
    name = forms.CharField(label=_("Name"), max_length=300)
    name_en = forms.CharField(label=_("Name in English"), max_length=300, required=False)
    short_name = forms.CharField(label=_("Short name"), max_length=120, required=False)
    kind = forms.ModelChoiceField(
        label=_("Kind"),
        required=False,
        empty_label=_("Not recorded"),
        queryset=InstitutionKind.objects.all(),
    )
    parent = forms.ModelChoiceField(
        label=_("Parent body"),
        required=False,
        empty_label=_("None"),
        queryset=Institution.objects.order_by("name"),
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[c for c in InstitutionStatus.choices if c[0] != InstitutionStatus.CLOSED],
        initial=InstitutionStatus.OPEN,
    )
    district = forms.ModelChoiceField(
        label=_("District"),
        required=False,
        empty_label=_("Not known"),
        queryset=District.objects.all(),
    )
    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    website = forms.URLField(
        label=_("Website"),
        required=False,
        assume_scheme="https",
        widget=forms.TextInput(attrs={"inputmode": "url", "autocomplete": "url"}),
    )
    opening_hours = forms.CharField(
        label=_("Opening hours"),
        max_length=300,
        required=False,
        help_text=_("For example: Mon–Fri 8:00–20:00, Sat 10:00–16:00"),
    )
    opened_on = forms.DateField(label=_("Opened on"), required=False, widget=DATE)
    accessibility = forms.ModelMultipleChoiceField(
        label=_("Accessibility"),
        required=False,
        queryset=selectors.accessibility_features(),
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=300,
        required=False,
        help_text=_("Kept in the history."),
    )

    def __init__(
        self, *args: Any, structural: bool, creating: bool, exclude_pk: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        for form, label in ServiceForm.choices:
            self.fields[capacity_field(form)] = forms.IntegerField(
                label=_("Capacity, %(form)s") % {"form": label},
                required=False,
                min_value=0,
                help_text=CAPACITY_HELP[form],
            )
        if not structural:
            for name in ("code", "kind", "parent"):
                del self.fields[name]
        elif exclude_pk is not None:
            parent = cast("forms.ModelChoiceField[Institution]", self.fields["parent"])
            parent.queryset = Institution.objects.exclude(pk=exclude_pk).order_by("name")
        if creating:
            del self.fields["reason"]
        else:
            del self.fields["status"]
        # The capacities belong with the services offered, before the reason for the change.
        order = list(self.fields)
        capacities = [capacity_field(form) for form in ServiceForm.values]
        rest = [name for name in order if name not in capacities and name != "reason"]
        self.order_fields([*rest, *capacities, "reason"])

    def split(self) -> tuple[dict[str, Any], dict[str, int | None], str]:
        """The cleaned data as the services take it: fields, capacities per form, reason."""
        data = dict(self.cleaned_data)
        capacities = {form: data.pop(capacity_field(form)) for form in ServiceForm.values}
        return data, capacities, data.pop("reason", "")

    @staticmethod
    def initial_for(institution: Institution) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(institution, name)
            for name in INSTITUTION_FIELDS
            if name != "accessibility"
        }
        initial["accessibility"] = list(institution.accessibility.all())
        for capacity in institution.capacities.all():
            initial[capacity_field(capacity.form)] = capacity.capacity
        return initial


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=InstitutionStatus.choices)
    effective_on = forms.DateField(label=_("Since"), widget=DATE, initial=timezone.localdate)
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example the order that closes the institution for renovation."),
    )

    def __init__(self, *args: Any, current: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ChoiceField", self.fields["status"]).choices = [
            c for c in InstitutionStatus.choices if c[0] != current
        ]


class DistrictFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or code"), required=False, max_length=200)


class DistrictForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=64)
    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("Name in English"), max_length=200, required=False)
    population = forms.IntegerField(label=_("Population"), required=False, min_value=0)


class EmployeeFilterForm(ScopedForm):
    q = forms.CharField(label=_("Name or personnel number"), required=False, max_length=200)
    institution = forms.ModelChoiceField(
        label=_("Institution"), required=False, empty_label=ANY, queryset=Institution.objects
    )
    position = forms.ModelChoiceField(
        label=_("Position"),
        required=False,
        empty_label=ANY,
        queryset=Position.objects.all(),
        to_field_name="code",
    )
    active = forms.TypedChoiceField(
        label=_("Employment"),
        required=False,
        empty_value=None,
        coerce=lambda value: value == "1",
        choices=[("", ANY), ("1", _("Works now")), ("0", _("Left"))],
    )

    def limit_choices(self, actor: Actor) -> None:
        super().limit_choices(actor)
        institution = cast("forms.ModelChoiceField[Institution]", self.fields["institution"])
        institution.queryset = selectors.institution_list(actor=actor).order_by("name")


class EmployeeForm(ScopedForm):
    last_name = forms.CharField(label=_("Surname"), max_length=100)
    first_name = forms.CharField(label=_("First name"), max_length=100)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=100, required=False)
    personnel_number = forms.CharField(label=_("Personnel number"), max_length=32, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("Work email"), required=False)
    qualification = forms.CharField(
        label=_("Qualification"),
        max_length=300,
        required=False,
        help_text=_("Education, qualification category."),
    )
    user = forms.ModelChoiceField(
        label=_("Account"),
        required=False,
        empty_label=_("No account"),
        queryset=User.objects.none(),
        help_text=_("The employee's account in Opora, if she has one."),
    )

    def limit_choices(self, actor: Actor) -> None:
        super().limit_choices(actor)
        # Accounts of the actor's institutions: a manager links her own colleagues.
        cast("forms.ModelChoiceField[User]", self.fields["user"]).queryset = (
            Scope.of(actor)
            .rows(User.objects.filter(is_active=True), via="institutions", many=True)
            .order_by("last_name", "first_name", "username")
        )


class EmploymentForm(ScopedForm):
    institution = forms.ModelChoiceField(
        label=_("Institution"), empty_label=_("Choose an institution"), queryset=Institution.objects
    )
    position = forms.ModelChoiceField(
        label=_("Position"), empty_label=_("Choose a position"), queryset=Position.objects.all()
    )
    hired_on = forms.DateField(label=_("Hired on"), widget=DATE, initial=timezone.localdate)
    caseload_limit = forms.IntegerField(
        label=_("Caseload limit"),
        required=False,
        min_value=1,
        help_text=_("For social workers serving people at home: how many at most."),
    )

    def limit_choices(self, actor: Actor) -> None:
        super().limit_choices(actor)
        choices = (
            selectors.editable_institutions(actor=actor)
            .exclude(status=InstitutionStatus.CLOSED)
            .order_by("name")
        )
        institution = cast("forms.ModelChoiceField[Institution]", self.fields["institution"])
        institution.queryset = choices
        only = list(choices[:2])
        if len(only) == 1:  # a manager of one institution need not choose it
            institution.initial = only[0].pk


class HireForm(EmployeeForm, EmploymentForm):
    """A new employee with her first employment, on one page."""

    field_order = [
        "last_name",
        "first_name",
        "patronymic",
        "institution",
        "position",
        "hired_on",
        "caseload_limit",
    ]

    def split(self) -> tuple[dict[str, Any], dict[str, Any]]:
        data = dict(self.cleaned_data)
        employment = {name: data.pop(name) for name in EmploymentForm.base_fields}
        return data, employment


class EmploymentChangeForm(forms.Form):
    position = forms.ModelChoiceField(label=_("Position"), queryset=Position.objects.all())
    hired_on = forms.DateField(label=_("Hired on"), widget=DATE)
    caseload_limit = EmploymentForm.base_fields["caseload_limit"]
    reason = forms.CharField(label=_("Reason for the change"), max_length=300, required=False)


class LeaveForm(forms.Form):
    left_on = forms.DateField(
        label=_("Last working day"),
        widget=DATE,
        initial=timezone.localdate,
        help_text=_("The day the employment ends."),
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class TrainingForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Kind"), choices=TrainingKind.choices)
    started_on = forms.DateField(label=_("From"), widget=DATE)
    ended_on = forms.DateField(label=_("To"), required=False, widget=DATE)
    hours = forms.IntegerField(label=_("Hours"), required=False, min_value=1)
    organiser = forms.CharField(label=_("Organiser"), max_length=300, required=False)
    certificate = forms.CharField(
        label=_("Certificate"),
        max_length=100,
        required=False,
        help_text=_("The number of the certificate, if one was issued."),
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=300,
        required=False,
        help_text=_("For example the programme of cooperation the training belongs to."),
    )
