from django.utils.translation import gettext_lazy as _

from opora.core.permissions import declare
from opora.core.roles import Role

# The payroll is the department's finance work: its accountants make and approve it; the analyst
# reads its totals (no personal row, see selectors).
PAYROLL_VIEW = declare(
    "payments.payroll.view",
    _("See payrolls and their totals"),
    {Role.ADMINISTRATOR, Role.ACCOUNTANT, Role.ANALYST},
)
PAYROLL_LINES_VIEW = declare(
    "payments.payroll.view_lines",
    _("See the lines of payrolls: who is paid how much"),
    {Role.ADMINISTRATOR, Role.ACCOUNTANT},
)
PAYROLL_MANAGE = declare(
    "payments.payroll.manage",
    _("Generate, check and export payrolls; import the bank's return files"),
    {Role.ADMINISTRATOR, Role.ACCOUNTANT},
)
PAYROLL_APPROVE = declare(
    "payments.payroll.approve",
    _("Approve a payroll another person generated"),
    {Role.ADMINISTRATOR, Role.ACCOUNTANT},
)
# Payout details: the accountants department-wide, the institutions' staff for their people.
PAYOUT_VIEW = declare(
    "payments.payout.view",
    _("See how people are paid (bank account or post office)"),
    {Role.ADMINISTRATOR, Role.ACCOUNTANT, Role.SOCIAL_WORKER, Role.INSTITUTION_MANAGER},
)
PAYOUT_EDIT = declare(
    "payments.payout.edit",
    _("Record how people are paid"),
    {Role.ADMINISTRATOR, Role.ACCOUNTANT, Role.SOCIAL_WORKER, Role.INSTITUTION_MANAGER},
)
# Payments returned or not sent: fixed by the person's institution and re-issued.
RETURNS_WORK = declare(
    "payments.returns.work",
    _("See payments returned or not sent and re-issue them"),
    {Role.ADMINISTRATOR, Role.ACCOUNTANT, Role.SOCIAL_WORKER, Role.INSTITUTION_MANAGER},
)
