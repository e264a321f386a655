"""Audit actions of the institutions app. Codes of statuses, forms, positions and institutions
are stored in the entry's data and rendered in the reader's language."""

from django.utils.translation import gettext_lazy as _

from opora.core.audit import declare_action


def _status_label(code: str) -> str:
    from .models import InstitutionStatus

    return str(InstitutionStatus(code).label)


def _form_label(code: str) -> str:
    from .models import ServiceForm

    return str(ServiceForm(code).label)


def _training_kind_label(code: str) -> str:
    from .models import TrainingKind

    return str(TrainingKind(code).label)


def _date(value: str) -> str:
    """An ISO date as the reader's locale writes it."""
    import datetime as dt

    from django.utils.formats import date_format

    return date_format(dt.date.fromisoformat(value), "SHORT_DATE_FORMAT")


def _named(model_name: str):
    """A renderer showing a row of ``model_name`` found by its code, in the reader's language;
    a code that no longer exists reads as itself."""

    def render(code: str) -> str:
        from django.apps import apps

        row = apps.get_model("institutions", model_name).objects.filter(code=code).first()
        if row is None:
            raise KeyError(code)
        return row.display_name

    return render


_EMPLOYMENT_RENDERERS = {"institution": _named("Institution"), "position": _named("Position")}

DISTRICT_CREATED = declare_action(
    "institutions.district.created", _("%(actor)s added the district %(object)s")
)
DISTRICT_UPDATED = declare_action(
    "institutions.district.updated", _("%(actor)s changed the district %(object)s")
)
INSTITUTION_CREATED = declare_action(
    "institutions.institution.created", _("%(actor)s added the institution %(object)s")
)
INSTITUTION_UPDATED = declare_action(
    "institutions.institution.updated", _("%(actor)s changed the institution %(object)s")
)
STATUS_CHANGED = declare_action(
    "institutions.institution.status_changed",
    _("%(actor)s recorded that %(object)s is %(status)s from %(effective_on)s"),
    renderers={"status": _status_label, "effective_on": _date},
)
CAPACITY_SET = declare_action(
    "institutions.institution.capacity_set",
    _("%(actor)s set the capacity of %(object)s for the %(form)s form to %(capacity)s"),
    renderers={"form": _form_label},
)
CAPACITY_REMOVED = declare_action(
    "institutions.institution.capacity_removed",
    _("%(actor)s removed the capacity of %(object)s for the %(form)s form"),
    renderers={"form": _form_label},
)
EMPLOYEE_CREATED = declare_action(
    "institutions.employee.created", _("%(actor)s added %(object)s to the staff records")
)
EMPLOYEE_UPDATED = declare_action(
    "institutions.employee.updated", _("%(actor)s changed the staff record of %(object)s")
)
EMPLOYEE_HIRED = declare_action(
    "institutions.employee.hired",
    _("%(actor)s recorded that %(object)s works at %(institution)s as %(position)s"),
    renderers=_EMPLOYMENT_RENDERERS,
)
EMPLOYMENT_UPDATED = declare_action(
    "institutions.employee.employment_changed",
    _("%(actor)s changed the employment of %(object)s at %(institution)s"),
    renderers=_EMPLOYMENT_RENDERERS,
)
EMPLOYEE_LEFT = declare_action(
    "institutions.employee.left",
    _("%(actor)s recorded that %(object)s left %(institution)s on %(left_on)s"),
    renderers={**_EMPLOYMENT_RENDERERS, "left_on": _date},
)
TRAINING_RECORDED = declare_action(
    "institutions.training.recorded",
    _("%(actor)s recorded the %(kind)s «%(title)s» of %(object)s"),
    renderers={"kind": _training_kind_label},
)
