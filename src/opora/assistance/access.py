from django.utils.translation import gettext_lazy as _

from opora.core.permissions import declare
from opora.core.roles import ALL_ROLES, Role

# Measures are the department's published policy, not personal data: every role reads them.
MEASURE_VIEW = declare(
    "assistance.measure.view",
    _("See the measures of social support, their versions and rules"),
    ALL_ROLES,
)
# Analysts draft and compare versions; publishing changes what every decision applies.
MEASURE_MANAGE = declare(
    "assistance.measure.manage",
    _("Create measures, draft, compare and publish their versions"),
    {Role.ADMINISTRATOR, Role.ANALYST},
)
# The specialists of the institutions that take applications; analysts read aggregates only.
APPLICATION_VIEW = declare(
    "assistance.application.view",
    _("See applications for measures, evaluations, decisions and assignments"),
    {Role.ADMINISTRATOR, Role.INSTITUTION_MANAGER, Role.SOCIAL_WORKER},
)
APPLICATION_REGISTER = declare(
    "assistance.application.register",
    _("Register applications for measures, attach documents, check eligibility"),
    {Role.ADMINISTRATOR, Role.INSTITUTION_MANAGER, Role.SOCIAL_WORKER},
)
APPLICATION_DECIDE = declare(
    "assistance.application.decide",
    _("Decide on applications: assign a measure or refuse it with reasons"),
    {Role.ADMINISTRATOR, Role.INSTITUTION_MANAGER, Role.SOCIAL_WORKER},
)
ASSIGNMENT_MANAGE = declare(
    "assistance.assignment.manage",
    _("Suspend, resume, terminate and recalculate assignments; record overpayments"),
    {Role.ADMINISTRATOR, Role.INSTITUTION_MANAGER, Role.SOCIAL_WORKER},
)
# Goods are kept by the institution's staff; the department's administrators see every stock.
STOCK_MANAGE = declare(
    "assistance.stock.manage",
    _("Record goods received, handed out and written off at the institution"),
    {Role.ADMINISTRATOR, Role.INSTITUTION_MANAGER, Role.SOCIAL_WORKER},
)
# Whole-registry runs and what-ifs are the department's policy work; their results are counts
# and, for those who may see people, lists of people.
RUN_MANAGE = declare(
    "assistance.run.manage",
    _("Run a measure over the whole registry and simulate a draft version (what-if)"),
    {Role.ADMINISTRATOR, Role.ANALYST},
)
# Getting in touch with people eligible and not claiming is the institutions' work.
OUTREACH_WORK = declare(
    "assistance.outreach.work",
    _("See the people eligible and not claiming, and record the outreach to them"),
    {Role.ADMINISTRATOR, Role.INSTITUTION_MANAGER, Role.SOCIAL_WORKER},
)
