from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opora.core.actors import SYSTEM, Actor
from opora.core.forms import NumberField
from opora.institutions.models import District, Institution, ServiceForm

from . import selectors
from .audit_actions import form_label
from .models import PeriodicityUnit, Regime, ServiceKind, ServiceUnit

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
ANY = [("", _("Any"))]


class ServiceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.code} {obj.display_name}"


class ServiceFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or code"), required=False, max_length=200)
    kind = forms.ModelChoiceField(
        label=_("Kind"),
        required=False,
        empty_label=_("Any"),
        queryset=ServiceKind.objects.all(),
        to_field_name="code",
    )
    form = forms.ChoiceField(label=_("Form"), required=False, choices=ANY + ServiceForm.choices)
    regime = forms.ChoiceField(label=_("Regime"), required=False, choices=ANY + Regime.choices)
    urgent = forms.TypedChoiceField(
        label=_("Urgent"),
        required=False,
        empty_value=None,
        coerce=lambda value: value == "1",
        choices=[*ANY, ("1", _("May be given as urgent")), ("0", _("Not urgent"))],
    )


class ServiceEditForm(forms.Form):
    code = forms.CharField(label=_("Code"), max_length=32, help_text=_("For example 1.08"))
    name = forms.CharField(label=_("Name"), max_length=500)
    name_en = forms.CharField(label=_("Name in English"), max_length=500, required=False)
    kind = forms.ModelChoiceField(label=_("Kind"), queryset=ServiceKind.objects.all())
    regime = forms.ChoiceField(label=_("Regime"), choices=Regime.choices)
    periodicity_times = forms.IntegerField(
        label=_("How many times"),
        required=False,
        min_value=1,
        help_text=_("Only for a periodic service, e.g. 2 times per week."),
    )
    periodicity_unit = forms.ChoiceField(
        label=_("Per"), required=False, choices=[("", "—"), *PeriodicityUnit.choices]
    )
    unit = forms.ChoiceField(label=_("Unit"), choices=ServiceUnit.choices)
    standard_duration_minutes = forms.IntegerField(
        label=_("Standard duration, minutes"), min_value=1
    )
    urgent_allowed = forms.BooleanField(
        label=_("May be given as an urgent service"), required=False
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    description_en = forms.CharField(
        label=_("Description in English"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    # Last in the class body, as the name hides the forms module from the lines after it.
    forms = forms.MultipleChoiceField(
        label=_("Forms"), choices=ServiceForm.choices, widget=forms.CheckboxSelectMultiple
    )

    field_order = ("code", "name", "name_en", "kind", "forms")


class ServiceChangeForm(ServiceEditForm):
    is_active = forms.BooleanField(
        label=_("In the catalogue"),
        required=False,
        help_text=_(
            "Clear to retire the service: it stays in the history, nobody can be "
            "entered as its provider."
        ),
    )
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=300,
        required=False,
        help_text=_("Kept in the history, e.g. the number of the order."),
    )


class TariffAddForm(forms.Form):
    form = forms.ChoiceField(label=_("Form"), required=False)
    # No minimum here: the service refuses a negative tariff with its own message.
    price = NumberField(label=_("Price per unit, roubles"), max_digits=12, decimal_places=2)
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE)
    valid_to = forms.DateField(
        label=_("Valid to"),
        required=False,
        widget=DATE,
        help_text=_("Leave empty: the tariff holds until a new one starts."),
    )

    def __init__(self, *args: Any, service: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ChoiceField", self.fields["form"]).choices = [("", _("All forms"))] + [
            (code, form_label(code)) for code in service.forms
        ]


class ProviderFilterForm(forms.Form):
    district = forms.ModelChoiceField(
        label=_("District"),
        required=False,
        empty_label=_("Any"),
        queryset=District.objects.order_by("name"),
        to_field_name="code",
    )
    institution = forms.ModelChoiceField(
        label=_("Institution"),
        required=False,
        empty_label=_("Any"),
        queryset=Institution.objects.order_by("name"),
    )
    service = ServiceChoiceField(
        label=_("Service"),
        required=False,
        empty_label=_("Any"),
        queryset=selectors.service_choices(actor=SYSTEM),
    )
    form = forms.ChoiceField(label=_("Form"), required=False, choices=ANY + ServiceForm.choices)
    status = forms.ChoiceField(
        label=_("Entries"),
        required=False,
        choices=[
            ("current", _("In force or starting later")),
            ("ended", _("Ended")),
            ("all", _("All")),
        ],
    )


class ProviderAddForm(forms.Form):
    institution = forms.ModelChoiceField(
        label=_("Institution"), queryset=Institution.objects.none()
    )
    service = ServiceChoiceField(
        label=_("Service"), queryset=selectors.service_choices(actor=SYSTEM)
    )
    form = forms.ChoiceField(label=_("Form"), choices=ServiceForm.choices)
    district = forms.ModelChoiceField(
        label=_("District where the service is given"), queryset=District.objects.order_by("name")
    )
    price = NumberField(
        label=_("Own price per unit, roubles"),
        required=False,
        max_digits=12,
        decimal_places=2,
        help_text=_("Leave empty to apply the catalogue tariff."),
    )
    capacity = forms.IntegerField(label=_("Recipients at a time"), required=False, min_value=1)
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE)
    valid_to = forms.DateField(label=_("Valid to"), required=False, widget=DATE)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("valid_from", timezone.localdate())
        super().__init__(*args, **kwargs)
        institution = cast("forms.ModelChoiceField[Institution]", self.fields["institution"])
        institution.queryset = selectors.provider_choices(actor=actor)


class ProviderEndForm(forms.Form):
    valid_to = forms.DateField(
        label=_("Last day"), widget=DATE, help_text=_("The last day the service is given.")
    )
    reason = forms.CharField(label=_("Reason"), max_length=300, required=False)


class PublicDistrictForm(forms.Form):
    district = forms.ModelChoiceField(
        label=_("District"),
        required=False,
        empty_label=_("Choose a district"),
        queryset=District.objects.none(),
        to_field_name="code",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        district = cast("forms.ModelChoiceField[District]", self.fields["district"])
        district.queryset = selectors.public_districts()
