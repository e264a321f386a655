from django.utils.translation import gettext_lazy as _

from opora.core.audit import choice_label, declare_action

from .models import ReferralOutcome, SeekerStatus, VacancyStatus

SERVICE_POINT_OPENED = declare_action(
    "employment.service_point.opened",
    _("%(actor)s opened the employment service point %(object)s"),
)
SERVICE_POINT_CHANGED = declare_action(
    "employment.service_point.changed",
    _("%(actor)s changed the employment service point %(object)s"),
)
SEEKER_REGISTERED = declare_action(
    "employment.seeker.registered",
    _("%(actor)s registered %(object)s as a job seeker"),
)
SEEKER_PROFILE_CHANGED = declare_action(
    "employment.seeker.profile_changed",
    _("%(actor)s changed the job seeker profile of %(object)s"),
)
SEEKER_STATUS_CHANGED = declare_action(
    "employment.seeker.status_changed",
    _("%(actor)s changed the status of the job seeker %(object)s to «%(status)s»"),
    renderers={"status": choice_label(SeekerStatus)},
)
EMPLOYER_ADDED = declare_action(
    "employment.employer.added", _("%(actor)s added the employer %(object)s")
)
VACANCY_ADDED = declare_action(
    "employment.vacancy.added", _("%(actor)s added the vacancy %(object)s")
)
VACANCY_STATUS_CHANGED = declare_action(
    "employment.vacancy.status_changed",
    _("%(actor)s set the vacancy %(object)s to «%(status)s»"),
    renderers={"status": choice_label(VacancyStatus)},
)
REFERRAL_MADE = declare_action("employment.referral.made", _("%(actor)s referred %(object)s"))
REFERRAL_OUTCOME = declare_action(
    "employment.referral.outcome",
    _("%(actor)s recorded the outcome «%(outcome)s» of the referral %(object)s"),
    renderers={"outcome": choice_label(ReferralOutcome)},
)
