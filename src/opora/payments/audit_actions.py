from django.utils.translation import gettext_lazy as _

from opora.core.audit import declare_action

from .models import PayoutChannel


def _channel(code: str) -> str:
    return str(PayoutChannel(code).label) if code in PayoutChannel.values else code


PAYOUT_RECORDED = declare_action(
    "payments.payout.recorded", _("%(actor)s recorded payout details of %(object)s")
)
PAYOUT_ENDED = declare_action(
    "payments.payout.ended", _("%(actor)s ended the payout details %(object)s")
)
PAYROLL_GENERATED = declare_action(
    "payments.payroll.generated",
    _("%(actor)s generated the payroll %(object)s: %(added)s lines added"),
)
PAYROLL_CHECKED = declare_action(
    "payments.payroll.checked",
    _("%(actor)s checked the payroll %(object)s: %(count)s lines to pay, %(held)s held"),
)
PAYROLL_APPROVED = declare_action(
    "payments.payroll.approved", _("%(actor)s approved the payroll %(object)s")
)
PAYROLL_EXPORTED = declare_action(
    "payments.payroll.exported",
    _("%(actor)s exported the payroll %(object)s: %(count)s payments"),
)
PAYROLL_DOWNLOADED = declare_action(
    "payments.payroll.downloaded",
    _("%(actor)s downloaded the payment file (%(channel)s) of the payroll %(object)s"),
    renderers={"channel": _channel},
)
RETURN_IMPORTED = declare_action(
    "payments.return.imported",
    _("%(actor)s imported the return file %(object)s: %(paid)s paid, %(returned)s returned"),
)
LINE_REISSUE_ASKED = declare_action(
    "payments.line.reissue_asked",
    _("%(actor)s asked to re-issue the payment %(object)s in the next payroll"),
)
