"""The forms of the cooperation pages. They check the shape of the input only; the rules (an
itinerary's stops never overlap, a series alternates its host, a discrepancy names two versions)
are the services' to enforce, and their refusals are shown next to the field they name.

Content that partners read is typed per language: a field ``title`` of the model is typed as
``title_ru``, ``title_en``… and handed to the service as the same keyword fields."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, ClassVar, cast

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from opora.core.forms import NumberField

from .models import (
    ActionStatus,
    AgreementKind,
    AgreementStatus,
    DatePrecision,
    Direction,
    EventFileKind,
    EventKind,
    EventStatus,
    Host,
    NeedKind,
    NeedStatus,
    ParticipantRole,
    PartnerKind,
    PartnershipKind,
    Side,
    StopKind,
)
from .selectors import pages

if TYPE_CHECKING:
    from .models import Agreement, Letter, Partner, PartnerNeed, SeminarSeries

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
ANY = [("", _("Any"))]
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
# What partners read first: the staff's two languages, then the partners' own.
STAFF_LANGUAGE_CODES = ["ru", "en"]
YES_NO = [("", _("Any")), ("yes", _("Yes")), ("no", _("No"))]


def _today() -> dt.date:
    return timezone.localdate()


def language_choices() -> list[tuple[str, Any]]:
    return [(code, name) for code, name in settings.LANGUAGES]


class TranslatedFields:
    """Adds ``<field>_<language>`` inputs for each translated field a form names in
    ``translated = {"title": (label, required, textarea, languages)}``; Russian is the one a
    required field needs, the others fall back to it."""

    translated: ClassVar[dict[str, tuple[Any, bool, bool, list[str]]]] = {}
    fields: dict[str, forms.Field]  # the form's, this class being mixed into a form

    def add_translated_fields(self) -> None:
        names = dict(settings.LANGUAGES)
        fields: dict[str, forms.Field] = {}
        for base, (label, required, textarea, languages) in self.translated.items():
            for code in languages:
                widget = forms.Textarea(attrs={"rows": 3}) if textarea else forms.TextInput
                fields[f"{base}_{code}"] = forms.CharField(
                    label=_("%(field)s, in %(language)s")
                    % {"field": label, "language": names[code]},
                    required=required and code == "ru",
                    widget=widget,
                    max_length=None if textarea else 300,
                )
        # The translated inputs keep the place of their field in the form's order.
        ordered: dict[str, forms.Field] = {}
        for name, field in self.fields.items():
            if name.startswith("_") and name[1:] in self.translated:
                base = name[1:]
                ordered.update({k: v for k, v in fields.items() if k.startswith(f"{base}_")})
            else:
                ordered[name] = field
        self.fields = ordered

    def translations(self, data: dict[str, Any]) -> dict[str, str]:
        """The per-language values as the services take them: ``title_ru=…, title_en=…``."""
        values: dict[str, str] = {}
        for base, (_label, _required, _textarea, languages) in self.translated.items():
            for code in languages:
                values[f"{base}_{code}"] = data.get(f"{base}_{code}") or ""
        return values

    @classmethod
    def initial_of(cls, obj: Any) -> dict[str, Any]:
        return {
            f"{base}_{code}": getattr(obj, f"{base}_{code}", "") or ""
            for base, (_l, _r, _t, languages) in cls.translated.items()
            for code in languages
        }


def _slot() -> forms.CharField:
    """A placeholder the translated inputs replace, so they appear where it stands."""
    return forms.CharField(required=False, widget=forms.HiddenInput)


class TextListField(forms.CharField):
    """A list of short strings typed one a line or separated by commas."""

    def to_python(self, value: Any) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        parts = [part.strip() for line in text.splitlines() for part in line.split(",")]
        return [part for part in parts if part]

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, list | tuple):
            return ", ".join(value)
        return value


class PartnerChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class EventChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.starts_on:%d.%m.%Y} {obj.title}"


# --- Partners -----------------------------------------------------------------------------------


class PartnerFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or code"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=ANY + PartnerKind.choices)
    country = forms.CharField(label=_("Country"), required=False, max_length=2)

    def clean_country(self) -> str:
        return (self.cleaned_data.get("country") or "").strip().upper()


class PartnerForm(TranslatedFields, forms.Form):
    translated = {
        "name": (_("Name"), True, False, LANGUAGE_CODES),
        "short_name": (_("Short name"), False, False, STAFF_LANGUAGE_CODES),
        "city": (_("City"), False, False, STAFF_LANGUAGE_CODES),
    }
    code = forms.SlugField(
        label=_("Code"),
        max_length=64,
        help_text=_("Latin letters, digits and hyphens, for example helsinki."),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=PartnerKind.choices)
    _name = _slot()
    _short_name = _slot()
    country = forms.CharField(
        label=_("Country"),
        max_length=2,
        min_length=2,
        help_text=_("The two-letter code of the country, for example FI, DE, BY."),
    )
    _city = _slot()
    parent = PartnerChoiceField(label=_("Part of"), required=False, queryset=None, empty_label="—")
    languages = TextListField(
        label=_("Languages"),
        required=False,
        help_text=_("Codes of the partner's languages, separated by commas: fi, en."),
    )
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    email = forms.EmailField(label=_("Email"), required=False)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    is_active = forms.BooleanField(label=_("Active"), required=False, initial=True)

    def __init__(self, *args: Any, exclude: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = pages.partner_choices()
        if exclude is not None:
            parents = parents.exclude(pk=exclude.pk)
        cast("PartnerChoiceField", self.fields["parent"]).queryset = parents
        self.add_translated_fields()

    def clean_country(self) -> str:
        return self.cleaned_data["country"].strip().upper()

    def clean_languages(self) -> list[str]:
        return [code.lower() for code in self.cleaned_data.get("languages") or []]


class PersonForm(forms.Form):
    full_name = forms.CharField(
        label=_("Full name"),
        max_length=300,
        help_text=_("As written in the partner's language, for example Sanna Vesikansa."),
    )
    full_name_ru = forms.CharField(label=_("Full name in Russian"), required=False, max_length=300)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Phone"), required=False, max_length=40)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class PositionForm(TranslatedFields, forms.Form):
    translated = {"title": (_("Position"), True, False, LANGUAGE_CODES)}
    _title = _slot()
    valid_from = forms.DateField(label=_("Since"), widget=DATE)
    valid_to = forms.DateField(
        label=_("Until"),
        required=False,
        widget=DATE,
        help_text=_("Empty while the person holds the position."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_translated_fields()


# --- Events -------------------------------------------------------------------------------------


class EventFilterForm(forms.Form):
    q = forms.CharField(label=_("Title or topic"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=ANY + EventKind.choices)
    partner = PartnerChoiceField(
        label=_("Partner"), required=False, queryset=None, empty_label=_("Any")
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("PartnerChoiceField", self.fields["partner"]).queryset = pages.partner_choices()


class EventForm(TranslatedFields, forms.Form):
    translated = {
        "title": (_("Title"), True, False, LANGUAGE_CODES),
        "description": (_("Description"), False, True, LANGUAGE_CODES),
        "place": (_("Place"), False, False, STAFF_LANGUAGE_CODES),
        "city": (_("City"), False, False, STAFF_LANGUAGE_CODES),
        "outcome": (_("Outcome"), False, True, STAFF_LANGUAGE_CODES),
    }
    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    _title = _slot()
    _description = _slot()
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(label=_("Ends on"), widget=DATE)
    _place = _slot()
    _city = _slot()
    online_url = forms.URLField(
        assume_scheme="https",
        label=_("Link"),
        required=False,
        help_text=_("For a telebridge or a video conference held without a place."),
    )
    host = forms.ChoiceField(label=_("Host"), choices=Host.choices)
    partners: forms.ModelMultipleChoiceField[Partner] = forms.ModelMultipleChoiceField(
        label=_("Partners"),
        required=False,
        queryset=None,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    agreement: forms.ModelChoiceField[Agreement] = forms.ModelChoiceField(
        label=_("Under the agreement"), required=False, queryset=None, empty_label="—"
    )
    series: forms.ModelChoiceField[SeminarSeries] = forms.ModelChoiceField(
        label=_("Seminar series"), required=False, queryset=None, empty_label="—"
    )
    edition = forms.IntegerField(
        label=_("Edition"),
        required=False,
        min_value=1,
        help_text=_("The number of the seminar in its series; empty for the next one."),
    )
    host_override_reason = forms.CharField(
        label=_("Why the host differs from the alternation"), required=False, max_length=300
    )
    topics = TextListField(
        label=_("Topics"), required=False, help_text=_("Separated by commas or one a line.")
    )
    _outcome = _slot()
    participant_count = forms.IntegerField(
        label=_("Number of participants"), required=False, min_value=0
    )
    status = forms.ChoiceField(
        label=_("Status"), choices=EventStatus.choices, initial=EventStatus.PLANNED
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partners = cast("forms.ModelMultipleChoiceField[Partner]", self.fields["partners"])
        partners.queryset = pages.partner_choices()
        agreement = cast("forms.ModelChoiceField[Agreement]", self.fields["agreement"])
        agreement.queryset = pages.agreement_choices()
        series = cast("forms.ModelChoiceField[SeminarSeries]", self.fields["series"])
        series.queryset = pages.series_choices()
        self.add_translated_fields()


class VisitPlanForm(TranslatedFields, forms.Form):
    """An incoming delegation: who comes, when, under which title; the stops follow."""

    translated = {
        "title": (_("Title"), True, False, LANGUAGE_CODES),
        "description": (_("Purpose of the visit"), False, True, STAFF_LANGUAGE_CODES),
    }
    partner = PartnerChoiceField(label=_("Visiting partner"), queryset=None)
    _title = _slot()
    starts_on = forms.DateField(label=_("Arrives on"), widget=DATE)
    ends_on = forms.DateField(label=_("Leaves on"), widget=DATE)
    _description = _slot()
    topics = TextListField(label=_("Topics"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("PartnerChoiceField", self.fields["partner"]).queryset = pages.partner_choices()
        self.add_translated_fields()


class InstitutionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.display_name


class StopForm(TranslatedFields, forms.Form):
    translated = {
        "title": (_("What happens"), True, False, LANGUAGE_CODES),
        "address": (_("Address"), False, False, STAFF_LANGUAGE_CODES),
        "notes": (_("Notes for the visitors"), False, True, LANGUAGE_CODES),
    }
    day = forms.DateField(label=_("Day"), widget=DATE)
    starts_at = forms.TimeField(label=_("From"), widget=TIME)
    ends_at = forms.TimeField(label=_("To"), widget=TIME)
    kind = forms.ChoiceField(label=_("Kind"), choices=StopKind.choices)
    institution = InstitutionChoiceField(
        label=_("Institution"),
        required=False,
        queryset=None,
        empty_label="—",
        help_text=_("Required for a visit to an institution."),
    )
    _title = _slot()
    host_name = forms.CharField(label=_("Received by"), required=False, max_length=300)
    _address = _slot()
    _notes = _slot()

    def __init__(self, *args: Any, event: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("day", event.starts_on)
        super().__init__(*args, **kwargs)
        institution = cast("InstitutionChoiceField", self.fields["institution"])
        institution.queryset = pages.visitable_institutions()
        self.add_translated_fields()


# --- Letters ------------------------------------------------------------------------------------


class LetterFilterForm(forms.Form):
    q = forms.CharField(label=_("Number or subject"), required=False, max_length=100)
    direction = forms.ChoiceField(
        label=_("Direction"), required=False, choices=ANY + Direction.choices
    )
    partner = PartnerChoiceField(
        label=_("Partner"), required=False, queryset=None, empty_label=_("Any")
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2200)
    unresolved = forms.BooleanField(label=_("With an open discrepancy"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("PartnerChoiceField", self.fields["partner"]).queryset = pages.partner_choices()


class LetterForm(forms.Form):
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    partner = PartnerChoiceField(label=_("Partner"), queryset=None)
    number = forms.CharField(label=_("Number"), required=False, max_length=100)
    dated_on = forms.DateField(label=_("Dated"), widget=DATE)
    received_on = forms.DateField(label=_("Received on"), required=False, widget=DATE)
    signatory_name = forms.CharField(
        label=_("Signed by"), required=False, max_length=300, help_text=_("As signed.")
    )
    our_person = forms.CharField(
        label=_("Our addressee or signatory"), required=False, max_length=300
    )
    subject = forms.CharField(label=_("Subject"), max_length=500)
    in_reply_to: forms.ModelChoiceField[Letter] = forms.ModelChoiceField(
        label=_("In reply to"), required=False, queryset=None, empty_label="—"
    )
    language = forms.ChoiceField(label=_("Language of the original"), choices=())
    text = forms.CharField(
        label=_("Text of the original"), widget=forms.Textarea(attrs={"rows": 8})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("PartnerChoiceField", self.fields["partner"]).queryset = pages.partner_choices()
        in_reply_to = cast("forms.ModelChoiceField[Letter]", self.fields["in_reply_to"])
        in_reply_to.queryset = pages.letter_choices()
        cast("forms.ChoiceField", self.fields["language"]).choices = language_choices()


class VersionForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=())
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 10}))
    translator = forms.CharField(label=_("Translated by"), required=False, max_length=300)
    file = forms.FileField(
        label=_("Scan"), required=False, help_text=_("Optional: PDF, JPEG or PNG.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("forms.ChoiceField", self.fields["language"]).choices = language_choices()


class VersionChoices(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class DiscrepancyForm(forms.Form):
    versions = VersionChoices(
        label=_("Versions that disagree"),
        queryset=None,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Choose at least two."),
    )
    description = forms.CharField(
        label=_("What disagrees"), widget=forms.Textarea(attrs={"rows": 4})
    )

    def __init__(self, *args: Any, letter: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("VersionChoices", self.fields["versions"]).queryset = pages.versions_of(letter)


class VersionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj)


class ResolveForm(forms.Form):
    correct_version = VersionChoice(
        label=_("The version that is right"),
        queryset=None,
        empty_label=None,
        widget=forms.RadioSelect,
    )
    resolution = forms.CharField(label=_("Resolution"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, discrepancy: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("VersionChoice", self.fields["correct_version"]).queryset = discrepancy.versions.all()


class AttachmentForm(forms.Form):
    title = forms.CharField(label=_("Title"), required=False, max_length=300)
    file = forms.FileField(label=_("File"))


# --- Agreements ---------------------------------------------------------------------------------


class AgreementFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=ANY + AgreementStatus.choices
    )
    partner = PartnerChoiceField(
        label=_("Partner"), required=False, queryset=None, empty_label=_("Any")
    )
    expiring_within = forms.IntegerField(
        label=_("Expiring within, days"), required=False, min_value=1, max_value=3650
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("PartnerChoiceField", self.fields["partner"]).queryset = pages.partner_choices()


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    done_on = forms.DateField(
        label=_("Done on"),
        required=False,
        widget=DATE,
        help_text=_("For an item done: today when empty."),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


# --- Needs and aid ------------------------------------------------------------------------------


class NeedFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False, choices=ANY + NeedStatus.choices)
    kind = forms.ChoiceField(label=_("Kind"), required=False, choices=ANY + NeedKind.choices)
    partner = PartnerChoiceField(
        label=_("Partner"), required=False, queryset=None, empty_label=_("Any")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("PartnerChoiceField", self.fields["partner"]).queryset = pages.partner_choices()


class NeedForm(TranslatedFields, forms.Form):
    translated = {
        "title": (_("Need"), True, False, STAFF_LANGUAGE_CODES),
        "description": (_("Description"), False, True, STAFF_LANGUAGE_CODES),
    }
    partner = PartnerChoiceField(label=_("Partner"), queryset=None)
    kind = forms.ChoiceField(label=_("Kind"), choices=NeedKind.choices)
    _title = _slot()
    _description = _slot()
    raised_on = forms.DateField(label=_("Raised on"), widget=DATE)
    raised_at_event = EventChoiceField(
        label=_("Raised at the event"), required=False, queryset=None, empty_label="—"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("raised_on", _today())
        super().__init__(*args, **kwargs)
        cast("PartnerChoiceField", self.fields["partner"]).queryset = pages.partner_choices()
        cast("EventChoiceField", self.fields["raised_at_event"]).queryset = pages.event_choices()
        self.add_translated_fields()


class NeedStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=NeedStatus.choices)
    status_note = forms.CharField(label=_("Note"), required=False, max_length=500)


AID_LINES = 5


class AidForm(forms.Form):
    partner = PartnerChoiceField(label=_("Partner"), queryset=None)
    need: forms.ModelChoiceField[PartnerNeed] = forms.ModelChoiceField(
        label=_("For the need"), required=False, queryset=None, empty_label="—"
    )
    handed_over_on = forms.DateField(label=_("Handed over on"), widget=DATE)
    document = forms.CharField(
        label=_("Act of handing over"),
        required=False,
        max_length=100,
        help_text=_("The act's number."),
    )
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("handed_over_on", _today())
        super().__init__(*args, **kwargs)
        cast("PartnerChoiceField", self.fields["partner"]).queryset = pages.partner_choices()
        need = cast("forms.ModelChoiceField[PartnerNeed]", self.fields["need"])
        need.queryset = pages.open_needs()
        for line in range(AID_LINES):
            self.fields[f"item_{line}"] = forms.CharField(
                label=_("Item %(number)s") % {"number": line + 1},
                required=line == 0,
                max_length=300,
            )
            self.fields[f"quantity_{line}"] = NumberField(
                label=_("Quantity"), required=line == 0, max_digits=12, decimal_places=3
            )
            self.fields[f"unit_{line}"] = forms.CharField(
                label=_("Unit"), required=False, max_length=30
            )

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        for line in range(1, AID_LINES):
            if data.get(f"item_{line}") and data.get(f"quantity_{line}") is None:
                self.add_error(f"quantity_{line}", _("Enter the quantity."))
        return data

    def items(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        return [
            {
                "name": data[f"item_{line}"],
                "quantity": data[f"quantity_{line}"],
                "unit": data.get(f"unit_{line}") or "",
            }
            for line in range(AID_LINES)
            if data.get(f"item_{line}")
        ]


# --- Participants, files, stands and sessions of an event ---------------------------------------


class EmployeeChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.full_name


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.partner.name})"


class ParticipantForm(forms.Form):
    """One participant, named once: one of our staff, a representative of a partner of the
    event, or a name typed in words with its side."""

    employee = EmployeeChoiceField(
        label=_("One of our staff"), required=False, queryset=None, empty_label="—"
    )
    partner_person = PersonChoiceField(
        label=_("A representative of a partner"),
        required=False,
        queryset=None,
        empty_label="—",
        help_text=_("The people of the partners of this event."),
    )
    name = forms.CharField(
        label=_("Or a name"),
        required=False,
        max_length=300,
        help_text=_("For a person who is neither: then say on whose side."),
    )
    side = forms.ChoiceField(label=_("Side"), required=False, choices=[("", "—"), *Side.choices])
    role = forms.ChoiceField(
        label=_("Role"), choices=ParticipantRole.choices, initial=ParticipantRole.MEMBER
    )

    def __init__(self, *args: Any, event: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("EmployeeChoiceField", self.fields["employee"]).queryset = pages.staff_choices()
        partner_person = cast("PersonChoiceField", self.fields["partner_person"])
        partner_person.queryset = pages.people_of_event(event)


class EventFileForm(TranslatedFields, forms.Form):
    translated = {"title": (_("Title"), False, False, STAFF_LANGUAGE_CODES)}
    kind = forms.ChoiceField(label=_("Kind"), choices=EventFileKind.choices)
    _title = _slot()
    file = forms.FileField(
        label=_("File"), help_text=_("A photo: JPEG, PNG or WebP; a document: PDF or DOCX.")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_translated_fields()


class InstitutionsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return obj.display_name


class StandForm(TranslatedFields, forms.Form):
    translated = {
        "title": (_("Stand"), True, False, LANGUAGE_CODES),
        "project": (_("Project"), False, False, STAFF_LANGUAGE_CODES),
        "description": (_("Description"), False, True, STAFF_LANGUAGE_CODES),
    }
    _title = _slot()
    _project = _slot()
    institutions = InstitutionsField(
        label=_("Institutions"),
        required=False,
        queryset=None,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    _description = _slot()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        institutions = cast("InstitutionsField", self.fields["institutions"])
        institutions.queryset = pages.visitable_institutions()
        self.add_translated_fields()


class SessionForm(TranslatedFields, forms.Form):
    translated = {"title": (_("Session"), True, False, LANGUAGE_CODES)}
    _title = _slot()
    day = forms.DateField(label=_("Day"), widget=DATE)
    starts_at = forms.TimeField(label=_("From"), widget=TIME)
    ends_at = forms.TimeField(label=_("To"), required=False, widget=TIME)
    participant_count = forms.IntegerField(
        label=_("Number of participants"), required=False, min_value=0
    )

    def __init__(self, *args: Any, event: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("day", event.starts_on)
        super().__init__(*args, **kwargs)
        self.add_translated_fields()


# --- Agreements: the agreement, amendments, texts and the action plan ---------------------------

PARTNER_PARTIES = 3


class AgreementForm(TranslatedFields, forms.Form):
    translated = {
        "title": (_("Title"), True, False, LANGUAGE_CODES),
        "description": (_("Description"), False, True, STAFF_LANGUAGE_CODES),
    }
    kind = forms.ChoiceField(label=_("Kind"), choices=AgreementKind.choices)
    _title = _slot()
    number = forms.CharField(label=_("Number"), required=False, max_length=100)
    signed_on = forms.DateField(
        label=_("Signed on"), required=False, widget=DATE, help_text=_("Empty for a draft.")
    )
    valid_from = forms.DateField(label=_("Valid from"), widget=DATE)
    # Not required: a form that leaves it out (an older page, a script) means "to the day".
    dates_precision = forms.ChoiceField(
        label=_("The dates of signing and of the start are known to the"),
        choices=DatePrecision.choices,
        initial=DatePrecision.DAY,
        required=False,
        help_text=_("A date known only to the season is shown as “spring 2018”."),
    )
    valid_to = forms.DateField(
        label=_("Valid to"), required=False, widget=DATE, help_text=_("Empty: indefinite.")
    )
    renewal_notice_days = forms.IntegerField(
        label=_("Remind of renewal, days before the end"),
        min_value=0,
        max_value=3650,
        initial=90,
    )
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[
            (value, label)
            for value, label in AgreementStatus.choices
            if value != AgreementStatus.EXPIRED
        ],
        initial=AgreementStatus.DRAFT,
        help_text=_("An agreement past its end is shown as expired by itself."),
    )
    themes = TextListField(
        label=_("Themes"), required=False, help_text=_("Separated by commas or one a line.")
    )
    _description = _slot()
    our_signer_name = forms.CharField(
        label=_("Signed for our department by"), required=False, max_length=300
    )
    our_signer_position_ru = forms.CharField(
        label=_("Position of our signer, in Russian"), required=False, max_length=300
    )
    our_signer_position_en = forms.CharField(
        label=_("Position of our signer, in English"), required=False, max_length=300
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        partners = pages.partner_choices()
        for line in range(PARTNER_PARTIES):
            number = line + 1
            self.fields[f"partner_{line}"] = PartnerChoiceField(
                label=_("Partner party %(number)s") % {"number": number},
                required=False,
                queryset=partners,
                empty_label="—",
            )
            self.fields[f"signer_name_{line}"] = forms.CharField(
                label=_("Signed by (party %(number)s)") % {"number": number},
                required=False,
                max_length=300,
            )
            self.fields[f"signer_position_ru_{line}"] = forms.CharField(
                label=_("Position of the signer, in Russian (party %(number)s)")
                % {"number": number},
                required=False,
                max_length=300,
            )
            self.fields[f"signer_position_en_{line}"] = forms.CharField(
                label=_("Position of the signer, in English (party %(number)s)")
                % {"number": number},
                required=False,
                max_length=300,
            )
        self.add_translated_fields()

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        for line in range(PARTNER_PARTIES):
            if data.get(f"signer_name_{line}") and not data.get(f"partner_{line}"):
                self.add_error(f"partner_{line}", _("Choose the partner who signed."))
        return data

    def parties(self) -> list[dict[str, Any]]:
        """Our department first, then each partner line chosen."""
        data = self.cleaned_data
        parties = [
            {
                "partner": None,
                "signer_name": data.get("our_signer_name") or "",
                "signer_position_ru": data.get("our_signer_position_ru") or "",
                "signer_position_en": data.get("our_signer_position_en") or "",
            }
        ]
        for line in range(PARTNER_PARTIES):
            if data.get(f"partner_{line}"):
                parties.append(
                    {
                        "partner": data[f"partner_{line}"],
                        "signer_name": data.get(f"signer_name_{line}") or "",
                        "signer_position_ru": data.get(f"signer_position_ru_{line}") or "",
                        "signer_position_en": data.get(f"signer_position_en_{line}") or "",
                    }
                )
        return parties

    @classmethod
    def initial_of_parties(cls, parties: Any) -> dict[str, Any]:
        initial: dict[str, Any] = {}
        line = 0
        for party in parties:
            if party.partner_id is None:
                initial["our_signer_name"] = party.signer_name
                initial["our_signer_position_ru"] = party.signer_position_ru or ""
                initial["our_signer_position_en"] = party.signer_position_en or ""
            elif line < PARTNER_PARTIES:
                initial[f"partner_{line}"] = party.partner_id
                initial[f"signer_name_{line}"] = party.signer_name
                initial[f"signer_position_ru_{line}"] = party.signer_position_ru or ""
                initial[f"signer_position_en_{line}"] = party.signer_position_en or ""
                line += 1
        return initial


class AmendmentForm(TranslatedFields, forms.Form):
    translated = {"summary": (_("What the amendment changes"), False, True, LANGUAGE_CODES)}
    signed_on = forms.DateField(label=_("Signed on"), required=False, widget=DATE)
    _summary = _slot()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_translated_fields()


class AgreementVersionChoice(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        if obj.number == 1:
            return str(_("The original"))
        return str(_("Amendment %(number)s") % {"number": obj.number})


class AgreementTextForm(forms.Form):
    version = AgreementVersionChoice(label=_("Version"), queryset=None, empty_label=None)
    language = forms.ChoiceField(label=_("Language of the text"), choices=())
    file = forms.FileField(label=_("File"), help_text=_("PDF, DOCX, ODT or plain text."))

    def __init__(self, *args: Any, agreement: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        versions = pages.versions_of_agreement(agreement)
        version = cast("AgreementVersionChoice", self.fields["version"])
        version.queryset = versions
        last = versions.last()
        if last is not None:
            version.initial = last.pk
        cast("forms.ChoiceField", self.fields["language"]).choices = language_choices()


class EventsField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.starts_on:%d.%m.%Y} {obj.title}"


class ActionItemForm(TranslatedFields, forms.Form):
    translated = {"title": (_("Item"), True, False, LANGUAGE_CODES)}
    _title = _slot()
    owner = forms.CharField(
        label=_("Responsible"), required=False, max_length=300, help_text=_("Who answers for it.")
    )
    due_on = forms.DateField(label=_("Due on"), required=False, widget=DATE)
    status = forms.ChoiceField(
        label=_("Status"), choices=ActionStatus.choices, initial=ActionStatus.PLANNED
    )
    events = EventsField(
        label=_("Events"),
        required=False,
        queryset=None,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("EventsField", self.fields["events"]).queryset = pages.event_choices()
        self.add_translated_fields()


# --- Partnerships -------------------------------------------------------------------------------


class PartnershipForm(TranslatedFields, forms.Form):
    translated = {"description": (_("Description"), False, True, LANGUAGE_CODES)}
    kind = forms.ChoiceField(label=_("Kind"), choices=PartnershipKind.choices)
    since = forms.DateField(label=_("Since"), widget=DATE)
    since_precision = forms.ChoiceField(
        label=_("Precision of the date"),
        choices=DatePrecision.choices,
        initial=DatePrecision.DAY,
        help_text=_("For “since 1990”, choose “year” and any day of that year."),
    )
    ended_on = forms.DateField(label=_("Ended on"), required=False, widget=DATE)
    _description = _slot()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_translated_fields()


# --- Seminar series -----------------------------------------------------------------------------


class SeriesForm(TranslatedFields, forms.Form):
    translated = {"name": (_("Name"), True, False, LANGUAGE_CODES)}
    _name = _slot()
    partner = PartnerChoiceField(label=_("Partner"), queryset=None)
    alternates = forms.BooleanField(label=_("The host alternates"), required=False, initial=True)
    first_host = forms.ChoiceField(
        label=_("Host of the first edition"), choices=Host.choices, initial=Host.OURS
    )
    first_held_on = forms.DateField(label=_("First held on"), required=False, widget=DATE)
    notes = forms.CharField(
        label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("PartnerChoiceField", self.fields["partner"]).queryset = pages.partner_choices()
        self.add_translated_fields()


# --- Exchanges of specialists -------------------------------------------------------------------


class ExchangeFilterForm(forms.Form):
    direction = forms.ChoiceField(
        label=_("Direction"), required=False, choices=ANY + Direction.choices
    )
    partner = PartnerChoiceField(
        label=_("Partner"), required=False, queryset=None, empty_label=_("Any")
    )
    year = forms.IntegerField(label=_("Year"), required=False, min_value=1900, max_value=2200)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("PartnerChoiceField", self.fields["partner"]).queryset = pages.partner_choices()


class ExchangeForm(TranslatedFields, forms.Form):
    translated = {
        "place": (_("Place"), False, False, STAFF_LANGUAGE_CODES),
        "purpose": (_("Purpose"), False, True, STAFF_LANGUAGE_CODES),
    }
    employee = EmployeeChoiceField(label=_("Employee"), queryset=None)
    direction = forms.ChoiceField(label=_("Direction"), choices=Direction.choices)
    partner = PartnerChoiceField(label=_("Partner"), queryset=None)
    event = EventChoiceField(
        label=_("At the event"), required=False, queryset=None, empty_label="—"
    )
    starts_on = forms.DateField(label=_("Starts on"), widget=DATE)
    ends_on = forms.DateField(
        label=_("Ends on"), required=False, widget=DATE, help_text=_("Empty: a single day.")
    )
    _place = _slot()
    _purpose = _slot()
    hours = forms.IntegerField(
        label=_("Hours of training"), required=False, min_value=1, max_value=2000
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast("EmployeeChoiceField", self.fields["employee"]).queryset = pages.staff_choices()
        cast("PartnerChoiceField", self.fields["partner"]).queryset = pages.partner_choices()
        cast("EventChoiceField", self.fields["event"]).queryset = pages.event_choices()
        self.add_translated_fields()
