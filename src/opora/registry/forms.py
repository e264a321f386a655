from __future__ import annotations

from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from opora.core.forms import NumberField
from opora.institutions.models import District, Institution

from .models import AddressKind, CategoryKind, DocumentKind, IncomeKind, Relation, Sex

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PersonForm(forms.Form):
    last_name = forms.CharField(label=_("Surname"), max_length=100)
    first_name = forms.CharField(label=_("First name"), max_length=100)
    patronymic = forms.CharField(label=_("Patronymic"), max_length=100, required=False)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices)
    birth_date = forms.DateField(label=_("Date of birth"), widget=DATE)
    snils = forms.CharField(
        label=_("SNILS"),
        max_length=14,
        required=False,
        help_text=_("11 digits, for example 123-456-789 64"),
    )
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    consent_date = forms.DateField(
        label=_("Consent to data processing, date"), required=False, widget=DATE
    )
    consent_scope = forms.CharField(
        label=_("Consent to data processing, scope"), max_length=300, required=False
    )


class RegistrationForm(PersonForm):
    district = forms.ModelChoiceField(
        label=_("District of registration"),
        required=False,
        queryset=District.objects.order_by("name"),
    )
    registration_address = forms.CharField(
        label=_("Registration address"), max_length=300, required=False
    )
    override_reason = forms.CharField(
        label=_("Why a new record despite the likely matches"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Only needed when likely matches are shown above."),
    )


class EditForm(PersonForm):
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=300,
        required=False,
        help_text=_("Kept in the history, e.g. a marriage certificate."),
    )


class CategoryForm(forms.Form):
    kind = forms.ModelChoiceField(label=_("Category"), queryset=CategoryKind.objects.all())
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE)
    valid_to = forms.DateField(label=_("Valid to"), required=False, widget=DATE)
    basis_document = forms.CharField(label=_("Basis document"), max_length=300, required=False)
    source = forms.CharField(label=_("Source"), max_length=200, required=False)


class IncomeForm(forms.Form):
    month = forms.DateField(
        label=_("Month"),
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
        input_formats=["%Y-%m", "%m.%Y", "%Y-%m-%d"],
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=IncomeKind.choices)
    source = forms.CharField(label=_("Source"), max_length=200, required=False)
    amount = NumberField(label=_("Amount, roubles"), min_value=0, max_digits=12, decimal_places=2)


class DocumentForm(forms.Form):
    kind = forms.ModelChoiceField(label=_("Kind"), queryset=DocumentKind.objects.all())
    series = forms.CharField(label=_("Series"), max_length=20, required=False)
    number = forms.CharField(label=_("Number"), max_length=30)
    issued_by = forms.CharField(label=_("Issued by"), max_length=300, required=False)
    issued_on = forms.DateField(label=_("Issued on"), required=False, widget=DATE)
    valid_to = forms.DateField(label=_("Valid to"), required=False, widget=DATE)

    def clean(self):
        data = super().clean()
        issued, valid_to = data.get("issued_on"), data.get("valid_to")
        if issued and valid_to and valid_to < issued:
            self.add_error("valid_to", _("A document cannot expire before it was issued."))
        return data


class ServeForm(forms.Form):
    """Which institution starts serving the person: one of the actor's own."""

    institution: forms.ModelChoiceField[Institution] = forms.ModelChoiceField(
        label=_("Institution"), queryset=None
    )

    def __init__(self, *args: Any, institutions: QuerySet[Institution], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        institution = cast("forms.ModelChoiceField[Institution]", self.fields["institution"])
        institution.queryset = institutions


class AddressForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=AddressKind.choices)
    district = forms.ModelChoiceField(
        label=_("District"),
        required=False,
        empty_label=_("Not known"),
        queryset=District.objects.order_by("name"),
    )
    text = forms.CharField(label=_("Address"), max_length=300)
    postal_code = forms.RegexField(label=_("Postal code"), regex=r"^\d{6}$", required=False)
    registered_on = forms.DateField(
        label=_("Registered there since"),
        required=False,
        widget=DATE,
        help_text=_("Measures that ask for years of residence count them from this day."),
    )


class MemberForm(forms.Form):
    person = forms.IntegerField(label=_("Person (number of the record)"), min_value=1)
    relation = forms.ChoiceField(
        label=_("Relation to the applicant"),
        choices=[c for c in Relation.choices if c[0] != Relation.APPLICANT],
    )
    joined_on = forms.DateField(label=_("Joined on"), required=False, widget=DATE)


class PeopleFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Name, SNILS, document, phone or date of birth"), required=False, max_length=200
    )
    category = forms.ModelChoiceField(
        label=_("Category"),
        required=False,
        empty_label=_("Any"),
        queryset=CategoryKind.objects.all(),
        to_field_name="code",
    )
    on = forms.DateField(
        label=_("Held on"),
        required=False,
        widget=DATE,
        help_text=_("Who held the category on this date."),
    )
    district = forms.ModelChoiceField(
        label=_("District"),
        required=False,
        empty_label=_("Any"),
        queryset=District.objects.order_by("name"),
    )
