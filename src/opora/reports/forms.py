from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from opora.core.actors import Actor
from opora.core.forms import NumberField

from . import selectors
from .models import VALUE_DIGITS, AsOfPrecision, FigureUnit, Qualifier, SourceKind

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FigureFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    source = forms.ChoiceField(label=_("Source"), required=False)
    unit = forms.ChoiceField(
        label=_("Unit"), required=False, choices=[("", _("Any")), *FigureUnit.choices]
    )
    year = forms.IntegerField(
        label=_("Year"),
        required=False,
        min_value=selectors.FIRST_YEAR,
        max_value=selectors.LAST_YEAR,
        help_text=_("The figures as of that year."),
    )
    retired = forms.BooleanField(label=_("Retired figures too"), required=False)

    def __init__(self, *args: Any, actor: Actor, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        sources = selectors.figure_sources(actor=actor)
        cast("forms.ChoiceField", self.fields["source"]).choices = [
            ("", _("Any")),
            *((source.key, source.label) for source in sources),
        ]


class FigureForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"),
        max_length=64,
        help_text=_("Latin letters, digits and hyphens; the same for the same quantity."),
    )
    name = forms.CharField(label=pgettext_lazy("figure", "Quantity"), max_length=300)
    name_en = forms.CharField(label=_("Quantity in English"), max_length=300, required=False)
    qualifier = forms.ChoiceField(
        label=_("Comparison"),
        required=False,
        choices=[("", _("none: the number is given bare")), *Qualifier.choices],
        help_text=_("As the text says it, e.g. «more than»."),
    )
    value = NumberField(label=_("Value"), min_value=0, **VALUE_DIGITS)
    unit = forms.ChoiceField(label=_("Unit"), choices=FigureUnit.choices)
    as_of = forms.DateField(label=_("As of"), widget=DATE)
    as_of_precision = forms.ChoiceField(
        label=_("Precision of the date"),
        choices=AsOfPrecision.choices,
        initial=AsOfPrecision.DAY,
        help_text=_("Known only to the month or the year: any day of it; it is kept as the first."),
    )
    as_of_end = forms.DateField(
        label=_("Period until"),
        widget=DATE,
        required=False,
        help_text=_("The last day, when the figure is of a period rather than a day."),
    )
    source_kind = forms.ChoiceField(label=_("Kind of source"), choices=SourceKind.choices)
    source_title = forms.CharField(label=_("Title of the source"), max_length=500)
    source_document = forms.CharField(
        label=_("Source document"),
        max_length=200,
        required=False,
        help_text=_("The file name or reference of the document, e.g. 003_2dc4b0f59ac4381b.txt."),
    )
    source_publisher = forms.CharField(label=_("Published by"), max_length=300, required=False)
    source_date = forms.DateField(label=_("Date of the source"), widget=DATE, required=False)
    source_url = forms.URLField(
        label=_("Address of the source"), max_length=500, required=False, assume_scheme="https"
    )
    quotation = forms.CharField(
        label=_("Quotation"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "The sentence of the source the figure comes from, word for word; required for a "
            "source document of the project."
        ),
    )
    institution = forms.ModelChoiceField(
        label=_("Institution"),
        required=False,
        queryset=selectors.institution_choices(),
        help_text=_("The institution the figure is about, where there is one."),
    )
    partner = forms.ModelChoiceField(
        label=_("Partner"),
        required=False,
        queryset=selectors.partner_choices(),
        help_text=_("The partner the figure is about, where there is one."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    is_example = forms.BooleanField(
        label=_("This is an example, not a published fact"), required=False
    )
    example_note = forms.CharField(
        label=_("What is an example"),
        max_length=300,
        required=False,
        help_text=_("E.g. «the day is chosen: the text gives only the year»."),
    )

    def clean_qualifier(self) -> str:
        return self.cleaned_data.get("qualifier") or ""


class FigureChangeForm(FigureForm):
    reason = forms.CharField(label=_("Reason for the correction"), max_length=300, required=False)


class RetireForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=300,
        help_text=_("Why the department no longer stands by this figure."),
    )
