"""Published figures: what the department and its partners have said in public about their
work, in numbers ("more than 1.5 million people receive social services"), each with the date
it is as of, the document it was published in and the sentence it is quoted from.

A figure is a fact of a publication, not a statistic computed here: its value is the one the
text gives, with the text's own comparison ("more than", "almost") and the text's own precision
of the date (often only a year). A later reporting issue builds its indicators on these.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TypedDict

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from opora.core.models import BilingualName, ExampleMark, TimeStampedModel


class Digits(TypedDict):
    """The digits of a value, as the model's DecimalField and the form's NumberField take them."""

    max_digits: int
    decimal_places: int


VALUE_DIGITS: Digits = {"max_digits": 15, "decimal_places": 3}
PERCENT_MAX = Decimal(100)

NOT_NEGATIVE = _("The value cannot be negative.")
PERCENT_AT_MOST_100 = _("A percentage is at most 100.")
PERIOD_ENDS_AFTER_START = _("The period cannot end before it begins.")
SEED_QUOTED = _("Quote the sentence of the source document the figure comes from.")


class FigureUnit(models.TextChoices):
    """What a figure counts."""

    PEOPLE = "people", pgettext_lazy("unit of a figure", "people")
    STAFF = "staff", pgettext_lazy("unit of a figure", "staff members")
    INSTITUTIONS = "institutions", pgettext_lazy("unit of a figure", "institutions")
    DEPARTMENTS = "departments", pgettext_lazy("unit of a figure", "departments")
    PERCENT = "percent", pgettext_lazy("unit of a figure", "per cent")
    PARTICIPANTS = "participants", pgettext_lazy("unit of a figure", "participants")
    EVENTS = "events", pgettext_lazy("unit of a figure", "events")
    ROUBLES = "roubles", pgettext_lazy("unit of a figure", "roubles")


class Qualifier(models.TextChoices):
    """The comparison the text puts before the number; none when it gives the number bare."""

    MORE_THAN = "more_than", pgettext_lazy("comparison of a figure", "more than")
    AT_LEAST = "at_least", pgettext_lazy("comparison of a figure", "at least")
    ABOUT = "about", pgettext_lazy("comparison of a figure", "about")
    ALMOST = "almost", pgettext_lazy("comparison of a figure", "almost")
    LESS_THAN = "less_than", pgettext_lazy("comparison of a figure", "less than")
    EXACTLY = "exactly", pgettext_lazy("comparison of a figure", "exactly")


class AsOfPrecision(models.TextChoices):
    """How much of the "as of" date the text gives: a day, a month or only a year."""

    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


class SourceKind(models.TextChoices):
    """Where a figure was published. A seed is one of the source documents the project is
    built from (docs/domain.md): a figure from one is always quoted."""

    SEED = "seed", _("source document of the project")
    PUBLICATION = "publication", _("other publication")
    STATISTICS = "statistics", _("statistical report")


def truncated(day: dt.date, precision: str) -> dt.date:
    """The date as its precision keeps it: the first of the month or of the year."""
    if precision == AsOfPrecision.YEAR:
        return day.replace(month=1, day=1)
    if precision == AsOfPrecision.MONTH:
        return day.replace(day=1)
    return day


def shown_date(day: dt.date, precision: str) -> str:
    """A date as precisely as it is known, in the reader's language."""
    if precision == AsOfPrecision.YEAR:
        return str(day.year)
    if precision == AsOfPrecision.MONTH:
        return date_format(day, "YEAR_MONTH_FORMAT")
    return date_format(day, "SHORT_DATE_FORMAT")


class PublishedFigure(BilingualName, ExampleMark, TimeStampedModel):
    """One number published about the department, an institution or a partner, as of a date
    (or a period), with its source. ``code`` names what is measured; the same code as of
    another date is the next figure of the same series."""

    code = models.SlugField(
        _("code"),
        max_length=64,
        help_text=_("Latin letters, digits and hyphens; the same for the same quantity."),
    )
    name = models.CharField(pgettext_lazy("figure", "quantity"), max_length=300)
    name_en = models.CharField(_("quantity in English"), max_length=300, blank=True)
    value = models.DecimalField(_("value"), **VALUE_DIGITS)
    unit = models.CharField(_("unit"), max_length=16, choices=FigureUnit.choices)
    qualifier = models.CharField(
        _("comparison"),
        max_length=16,
        choices=Qualifier.choices,
        blank=True,
        help_text=_("As the text says it, e.g. «more than»; empty when it gives the number bare."),
    )
    as_of = models.DateField(_("as of"))
    as_of_end = models.DateField(
        _("period until"),
        null=True,
        blank=True,
        help_text=_("The last day, when the figure is of a period rather than a day."),
    )
    as_of_precision = models.CharField(
        _("precision of the date"),
        max_length=8,
        choices=AsOfPrecision.choices,
        default=AsOfPrecision.DAY,
    )
    source_kind = models.CharField(_("kind of source"), max_length=16, choices=SourceKind.choices)
    source_document = models.CharField(
        _("source document"),
        max_length=200,
        blank=True,
        help_text=_("The file name or reference of the document, e.g. 003_2dc4b0f59ac4381b.txt."),
    )
    source_title = models.CharField(_("title of the source"), max_length=500)
    source_publisher = models.CharField(_("published by"), max_length=300, blank=True)
    source_date = models.DateField(_("date of the source"), null=True, blank=True)
    source_url = models.URLField(_("address of the source"), max_length=500, blank=True)
    quotation = models.TextField(
        _("quotation"),
        blank=True,
        help_text=_("The sentence of the source the figure comes from, word for word."),
    )
    institution = models.ForeignKey(
        "institutions.Institution",
        verbose_name=_("institution"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="published_figures",
    )
    partner = models.ForeignKey(
        "cooperation.Partner",
        verbose_name=_("partner"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="published_figures",
    )
    note = models.TextField(_("note"), blank=True)
    retired_at = models.DateTimeField(pgettext_lazy("figure", "retired"), null=True, blank=True)
    retired_reason = models.CharField(_("reason for retiring"), max_length=300, blank=True)
    # The code, the quantity in both languages, the source's title and the quotation, case-folded
    # on every save: what the list's search looks in, the same on SQLite and PostgreSQL (SQLite
    # folds the case of Latin letters alone).
    search_text = models.TextField(editable=False, blank=True)

    class Meta:
        verbose_name = _("published figure")
        verbose_name_plural = _("published figures")
        ordering = ["-as_of", "code", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["code", "as_of"], name="reports_one_figure_per_day"),
            models.CheckConstraint(
                condition=Q(value__gte=0),
                name="reports_figure_not_negative",
                violation_error_message=NOT_NEGATIVE,
            ),
            models.CheckConstraint(
                condition=~Q(unit="percent") | Q(value__lte=PERCENT_MAX),
                name="reports_percent_at_most_100",
                violation_error_message=PERCENT_AT_MOST_100,
            ),
            models.CheckConstraint(
                condition=Q(as_of_end__isnull=True) | Q(as_of_end__gte=F("as_of")),
                name="reports_period_ends_after_start",
                violation_error_message=PERIOD_ENDS_AFTER_START,
            ),
            models.CheckConstraint(
                condition=~Q(source_kind="seed") | ~Q(quotation=""),
                name="reports_seed_figure_quoted",
                violation_error_message=SEED_QUOTED,
            ),
        ]
        indexes = [
            models.Index(fields=["unit", "-as_of"], name="reports_figure_unit_idx"),
            models.Index(fields=["source_document"], name="reports_figure_source_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.display_name}, {self.as_of_shown}" if self.as_of else self.display_name

    @property
    def as_of_shown(self) -> str:
        """The date or period as precisely as the source gives it: «2020», «20.09.2021»,
        «19.06.2019–21.06.2019»."""
        start = shown_date(self.as_of, self.as_of_precision)
        if self.as_of_end and self.as_of_end != self.as_of:
            return f"{start}–{shown_date(self.as_of_end, self.as_of_precision)}"
        return start

    @property
    def is_percent(self) -> bool:
        return self.unit == FigureUnit.PERCENT

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    @property
    def source_key(self) -> str:
        """What the list's source filter matches: the document, else the title."""
        return self.source_document or self.source_title

    def save(self, *args, **kwargs) -> None:
        self.search_text = " ".join(
            (self.code, self.name, self.name_en, self.source_title, self.quotation)
        ).casefold()
        if "update_fields" in kwargs and kwargs["update_fields"] is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    def clean(self) -> None:
        errors: dict[str, list] = {}
        value = self.value
        if isinstance(value, Decimal) and value.is_finite():
            if value < 0:
                errors["value"] = [NOT_NEGATIVE]
            elif self.unit == FigureUnit.PERCENT and value > PERCENT_MAX:
                errors["value"] = [PERCENT_AT_MOST_100]
        if self.as_of and self.as_of_precision in AsOfPrecision.values:
            self.as_of = truncated(self.as_of, self.as_of_precision)
            if self.as_of_end:
                self.as_of_end = truncated(self.as_of_end, self.as_of_precision)
                if self.as_of_end < self.as_of:
                    errors["as_of_end"] = [PERIOD_ENDS_AFTER_START]
        if self.source_kind == SourceKind.SEED:
            if not (self.quotation or "").strip():
                errors["quotation"] = [SEED_QUOTED]
            if not (self.source_document or "").strip():
                errors["source_document"] = [_("Name the source document the figure is from.")]
        if self.is_example is False and self.example_note:
            errors["example_note"] = [_("Only an example says what of it is made up.")]
        if errors:
            raise ValidationError(errors)
