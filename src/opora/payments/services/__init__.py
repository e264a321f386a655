"""Every write of payments, one module per area; import from here:
``from opora.payments import services``.

- ``payout``: payout details recorded and ended;
- ``generation``: a month's payroll generated set-based (``INSERT … SELECT``);
- ``payroll``: checked, approved by a second person, exported, its payment files;
- ``reconciliation``: the bank's return file imported and matched, re-issues asked."""

from .generation import *  # noqa: F403
from .payout import *  # noqa: F403
from .payroll import *  # noqa: F403
from .reconciliation import *  # noqa: F403
