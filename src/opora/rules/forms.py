from __future__ import annotations

from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opora.core.forms import NumberField
from opora.institutions.models import ServiceForm

from .catalog import RuleKind, RuleSpec
from .models import DayKind, FreeGroundTest, Region, SubsistenceGroup

if TYPE_CHECKING:
    from django.http import QueryDict

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")

VALUE_HELP = {
    RuleKind.MULTIPLIER: _("A number greater than zero, e.g. 1.5."),
    RuleKind.SHARE: _("A share from 0 to 1: 0.5 is 50 %."),
    RuleKind.WORKING_DAYS: _("A whole number of working days."),
    RuleKind.YEARS: _("A whole number of years."),
    RuleKind.ROUBLES: _("An amount of roubles, e.g. 25 022.00."),
}


def _money(label, *, required: bool = True) -> forms.DecimalField:
    help_text = "" if required else _("Leave empty where the act sets no figure for the group.")
    return NumberField(
        label=label, max_digits=12, decimal_places=2, required=required, help_text=help_text
    )


class VersionForm(forms.Form):
    service_form = forms.ChoiceField(label=_("Form of social service"), choices=ServiceForm.choices)
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE)
    value = NumberField(label=_("Value"), max_digits=12, decimal_places=4)
    basis = forms.CharField(
        label=_("Legal basis"),
        max_length=300,
        required=False,
        help_text=_("The act that sets the value, e.g. «Закон г. Москвы от … № …»."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    is_example = forms.BooleanField(label=_("This is an example value"), required=False)

    def __init__(self, *args, spec: RuleSpec, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["value"].help_text = VALUE_HELP[spec.kind]
        if not spec.per_service_form:
            del self.fields["service_form"]


class MinimumForm(forms.Form):
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.all())
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE)
    per_capita = _money(_("Per capita, roubles"))
    working_age = _money(_("Working-age population, roubles"), required=False)
    pensioner = _money(_("Pensioners, roubles"), required=False)
    child = _money(_("Children, roubles"), required=False)
    basis = forms.CharField(label=_("Legal basis"), max_length=300, required=False)
    is_example = forms.BooleanField(label=_("These are example values"), required=False)


class RegionForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"), max_length=64, help_text=_("Latin letters, digits and hyphens.")
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("Name in English"), max_length=200, required=False)
    is_home = forms.BooleanField(label=_("The department's region"), required=False)


class MinimumFilterForm(forms.Form):
    region = forms.ModelChoiceField(
        label=_("Region"),
        required=False,
        empty_label=_("Any"),
        queryset=Region.objects.all(),
        to_field_name="code",
    )
    on = forms.DateField(
        label=_("In force on"),
        required=False,
        widget=DATE,
        help_text=_("Only the minimums in force on this date."),
    )


class CalendarYearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=1992, max_value=2100)
    basis = forms.CharField(
        label=_("Legal basis"),
        max_length=300,
        required=False,
        help_text=_("The government decree moving the days off of that year."),
    )
    is_example = forms.BooleanField(label=_("These are example values"), required=False)


class CalendarDayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DATE)
    kind = forms.ChoiceField(label=_("Kind"), choices=DayKind.choices)
    name = forms.CharField(label=_("Name"), max_length=200, required=False)
    name_en = forms.CharField(label=_("Name in English"), max_length=200, required=False)


class FreeGroundFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    test = forms.ChoiceField(
        label=_("Qualifies by"),
        required=False,
        choices=[("", _("Any")), *FreeGroundTest.choices],
    )
    on = forms.DateField(
        label=_("In force on"),
        required=False,
        widget=DATE,
        help_text=_("Only the grounds in force on this date."),
    )


class FreeGroundForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"), max_length=64, help_text=_("Latin letters, digits and hyphens.")
    )
    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("Name in English"), max_length=200, required=False)
    citation = forms.CharField(
        label=_("Legal citation"), max_length=300, help_text=_("E.g. «442-ФЗ, ст. 31 ч. 1».")
    )
    citation_en = forms.CharField(
        label=_("Legal citation in English"),
        max_length=300,
        required=False,
        help_text=_("E.g. «442-FZ art. 31 part 1»."),
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE)
    valid_to = forms.DateField(
        label=_("Valid to"),
        widget=DATE,
        required=False,
        help_text=_("The last day; empty: open-ended."),
    )
    age_under = forms.IntegerField(
        label=_("Younger than, years"),
        min_value=1,
        max_value=150,
        required=False,
        help_text=_("Free for a recipient younger than this on the date."),
    )
    category_code = forms.SlugField(
        label=_("Category code"),
        max_length=40,
        required=False,
        help_text=_("Or: free for a recipient who holds this registry category on the date."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class FreeGroundChangeForm(forms.Form):
    """What may change of a ground: its words and its end, never its code, start or criterion."""

    name = forms.CharField(label=_("Name"), max_length=200)
    name_en = forms.CharField(label=_("Name in English"), max_length=200, required=False)
    citation = forms.CharField(label=_("Legal citation"), max_length=300)
    citation_en = forms.CharField(
        label=_("Legal citation in English"), max_length=300, required=False
    )
    valid_to = forms.DateField(
        label=_("Valid to"),
        widget=DATE,
        required=False,
        help_text=_("The last day; empty: open-ended."),
    )
    note = forms.CharField(
        label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    reason = forms.CharField(label=_("Reason for the change"), max_length=300, required=False)


SEX_CHOICES = [("", _("not given")), ("F", _("female")), ("M", _("male"))]


class FeeForm(forms.Form):
    income = NumberField(
        label=_("Average per-capita income, roubles a month"),
        min_value=0,
        max_digits=12,
        decimal_places=2,
    )
    service_form = forms.ChoiceField(label=_("Form of social service"), choices=ServiceForm.choices)
    on = forms.DateField(label=_("On the date"), widget=DATE)
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.all(), to_field_name="code", empty_label=None
    )
    birth_date = forms.DateField(
        label=_("Recipient's date of birth"),
        widget=DATE,
        required=False,
        help_text=_("Decides a free ground by age and the group of the subsistence minimum."),
    )
    sex = forms.ChoiceField(
        label=_("Sex"),
        choices=SEX_CHOICES,
        required=False,
        help_text=_("The pension age depends on it."),
    )
    categories = forms.CharField(
        label=_("Categories held on the date"),
        required=False,
        max_length=500,
        help_text=_(
            "Registry category codes, separated by commas, e.g. pensioner, emergency-victim. "
            "Empty: not known (the grounds by category are not checked)."
        ),
    )
    group = forms.ChoiceField(
        label=_("Subsistence minimum of"),
        choices=[("", _("the recipient's group (automatic)")), *SubsistenceGroup.choices],
        required=False,
        help_text=_("Chosen from the age and categories unless you choose it here."),
    )

    def clean_group(self) -> str | None:
        return self.cleaned_data.get("group") or None

    def clean_categories(self) -> list[str] | None:
        text = self.cleaned_data.get("categories") or ""
        codes = [code for code in text.replace(";", ",").replace(" ", ",").split(",") if code]
        return codes or None

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
        home = Region.objects.filter(is_home=True).first()
        if home is not None:
            self.fields["region"].initial = home.code
        if self.is_bound:
            # A link with the income alone ("?income=45000&service_form=home") is read for
            # today and the department's region, as the empty form would show them.
            # The request's QueryDict, or a dict where a test binds the form (both copy).
            data = cast("QueryDict | dict[str, Any]", self.data).copy()
            for name in ("region", "on"):
                if not data.get(name) and self.fields[name].initial:
                    data[name] = self.fields[name].initial
            self.data = data
