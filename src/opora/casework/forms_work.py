"""Forms of the worker's pages: the overdue list's filter and the quick entry of a day."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from . import selectors, services
from .models import MINUTES_IN_A_DAY, MissedReason


class OverdueFilterForm(forms.Form):
    institution = forms.TypedChoiceField(
        label=_("Institution"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, institutions: Iterable[tuple[int, str]] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        institution = cast("forms.TypedChoiceField", self.fields["institution"])
        institution.choices = [("", _("All institutions")), *institutions]


@dataclass
class ItemRow:
    line: selectors.ItemLine
    done: forms.BoundField
    units: forms.BoundField
    minutes: forms.BoundField


@dataclass
class VisitRow:
    visit: selectors.Visit
    items: list[ItemRow] = field(default_factory=list)
    missed: forms.BoundField | None = None
    note: forms.BoundField | None = None
    errors: list[str] = field(default_factory=list)


class DayEntryForm(forms.Form):
    """One line per visit of the day not yet recorded: the services delivered, with units and
    minutes, or the reason the visit did not happen."""

    def __init__(self, *args: Any, visits: list[selectors.Visit], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.visits = [v for v in visits if not v.recorded]
        self.line_errors: dict[int, list[str]] = {}
        for visit in self.visits:
            case = visit.case.pk
            for line in visit.items:
                item = line.item.pk
                self.fields[f"done-{case}-{item}"] = forms.BooleanField(
                    label=line.item.service.display_name, required=False
                )
                self.fields[f"units-{case}-{item}"] = forms.IntegerField(
                    label=_("Units"), required=False, min_value=1, initial=1
                )
                self.fields[f"minutes-{case}-{item}"] = forms.IntegerField(
                    label=_("Minutes"),
                    required=False,
                    min_value=1,
                    max_value=MINUTES_IN_A_DAY,
                    initial=line.item.service.standard_duration_minutes or None,
                )
            self.fields[f"missed-{case}"] = forms.ChoiceField(
                label=_("The visit did not happen"),
                required=False,
                choices=[("", "—"), *MissedReason.choices],
            )
            self.fields[f"note-{case}"] = forms.CharField(
                label=_("Note"), required=False, max_length=500
            )

    def _ticked(self, visit: selectors.Visit) -> list[selectors.ItemLine]:
        case = visit.case.pk
        return [
            line for line in visit.items if self.cleaned_data.get(f"done-{case}-{line.item.pk}")
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for visit in self.visits:
            case = visit.case.pk
            ticked = self._ticked(visit)
            if ticked and cleaned.get(f"missed-{case}"):
                self.add_error(
                    f"missed-{case}",
                    _(
                        "Tick the services delivered or choose why the visit did not happen, "
                        "not both."
                    ),
                )
            for line in ticked:
                name = f"units-{case}-{line.item.pk}"
                if cleaned.get(name) is None and name not in self.errors:
                    self.add_error(name, _("Enter the units delivered."))
        return cleaned

    def lines(self) -> list[services.DayLine]:
        """What was entered, one line per recipient; untouched visits are left out."""
        lines = []
        for visit in self.visits:
            case = visit.case.pk
            note = self.cleaned_data.get(f"note-{case}", "")
            reason = self.cleaned_data.get(f"missed-{case}", "")
            delivered = [
                (
                    line.item,
                    self.cleaned_data[f"units-{case}-{line.item.pk}"],
                    self.cleaned_data.get(f"minutes-{case}-{line.item.pk}"),
                )
                for line in self._ticked(visit)
            ]
            if delivered or reason:
                lines.append(
                    services.DayLine(
                        case=visit.case, delivered=delivered, missed_reason=reason, note=note
                    )
                )
        return lines

    def refuse_line(self, case_pk: int, message: str) -> None:
        """A rule refused this recipient's line: shown next to it, and the form is invalid."""
        if not self.line_errors:
            self.add_error(None, _("Some lines were not accepted; nothing was recorded."))
        self.line_errors.setdefault(case_pk, []).append(message)

    def rows(self) -> list[VisitRow]:
        rows = []
        for visit in self.visits:
            case = visit.case.pk
            field_errors = [
                str(error)
                for name in (f"missed-{case}", f"note-{case}")
                for error in (self.errors.get(name) or [])
            ]
            rows.append(
                VisitRow(
                    visit=visit,
                    items=[
                        ItemRow(
                            line=line,
                            done=self[f"done-{case}-{line.item.pk}"],
                            units=self[f"units-{case}-{line.item.pk}"],
                            minutes=self[f"minutes-{case}-{line.item.pk}"],
                        )
                        for line in visit.items
                    ],
                    missed=self[f"missed-{case}"],
                    note=self[f"note-{case}"],
                    errors=field_errors + self.line_errors.get(case, []),
                )
            )
        return rows


@dataclass
class ConfirmRow:
    """A visit on the day sheet: recorded already, or open with its exception fields."""

    visit: selectors.Visit
    address: Any = None
    units: list[tuple[selectors.ItemLine, forms.BoundField]] = field(default_factory=list)
    missed: forms.BoundField | None = None
    extra: forms.BoundField | None = None
    extra_units: forms.BoundField | None = None
    note: forms.BoundField | None = None
    errors: list[str] = field(default_factory=list)

    @property
    def marked(self) -> bool:
        """The worker changed something of this visit: its exception stays open."""
        return bool(self.errors) or any(
            bound is not None and bound.form.is_bound and bound.value() not in ("", None, "1")
            for bound in (self.missed, self.extra, self.note, *(b for _l, b in self.units))
        )


class DayConfirmForm(forms.Form):
    """The day sheet's one action: every open visit delivered as planned, except those marked
    otherwise — not delivered (why), partly delivered (units per service, 0 for none), an extra
    service of the programme."""

    def __init__(self, *args: Any, visits: list[selectors.Visit], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.visits = visits
        self.open_visits = [v for v in visits if not v.recorded]
        self.line_errors: dict[int, list[str]] = {}
        for visit in self.open_visits:
            case = visit.case.pk
            self.fields[f"missed-{case}"] = forms.ChoiceField(
                label=_("Not delivered, because"),
                required=False,
                choices=[("", _("— it was delivered —")), *MissedReason.choices],
            )
            for line in visit.items:
                self.fields[f"units-{case}-{line.item.pk}"] = forms.IntegerField(
                    label=line.item.service.display_name,
                    required=False,
                    min_value=0,
                    max_value=line.left,
                    initial=1,
                    help_text=_("0 if not delivered"),
                )
            self.fields[f"extra-{case}"] = forms.TypedChoiceField(
                label=_("Extra service"),
                required=False,
                coerce=int,
                empty_value=None,
                choices=[
                    ("", "—"),
                    *((line.item.pk, line.item.service.display_name) for line in visit.extra),
                ],
            )
            self.fields[f"extra_units-{case}"] = forms.IntegerField(
                label=_("Units of the extra service"), required=False, min_value=1, initial=1
            )
            self.fields[f"note-{case}"] = forms.CharField(
                label=_("Note"), required=False, max_length=500
            )

    def exceptions(self) -> list[services.VisitException]:
        """The visits marked otherwise than planned; the others are delivered as planned."""
        marked = []
        for visit in self.open_visits:
            case = visit.case.pk
            data = self.cleaned_data
            units = {
                line.item.pk: data[f"units-{case}-{line.item.pk}"]
                for line in visit.items
                if data.get(f"units-{case}-{line.item.pk}") not in (None, 1)
            }
            extra_items = {line.item.pk: line.item for line in visit.extra}
            extra_pk = data.get(f"extra-{case}")
            extra = (
                [(extra_items[extra_pk], data.get(f"extra_units-{case}") or 1)]
                if extra_pk in extra_items
                else []
            )
            reason = data.get(f"missed-{case}", "")
            note = data.get(f"note-{case}", "")
            if reason or units or extra or note:
                marked.append(
                    services.VisitException(
                        case_pk=case, missed_reason=reason, note=note, units=units, extra=extra
                    )
                )
        return marked

    def refuse_line(self, case_pk: int, message: str) -> None:
        """A rule refused this visit: shown next to it, and the form is invalid."""
        if not self.line_errors:
            self.add_error(None, _("One visit was not accepted; nothing was recorded."))
        self.line_errors.setdefault(case_pk, []).append(message)

    def rows(self, address_of: Any) -> list[ConfirmRow]:
        rows = []
        for visit in self.visits:
            case = visit.case.pk
            row = ConfirmRow(visit=visit, address=address_of(visit.case.person))
            if not visit.recorded:
                names = [f"missed-{case}", f"extra-{case}", f"extra_units-{case}", f"note-{case}"]
                names += [f"units-{case}-{line.item.pk}" for line in visit.items]
                row.units = [(line, self[f"units-{case}-{line.item.pk}"]) for line in visit.items]
                row.missed = self[f"missed-{case}"]
                row.extra = self[f"extra-{case}"] if visit.extra else None
                row.extra_units = self[f"extra_units-{case}"] if visit.extra else None
                row.note = self[f"note-{case}"]
                row.errors = [
                    f"{self.fields[name].label}: {error}"
                    for name in names
                    for error in (self.errors.get(name) or [])
                ] + self.line_errors.get(case, [])
            rows.append(row)
        return rows
