"""Every read of payments, scoped (``..scoping``); import from here:
``from opora.payments import selectors``.

- ``payout``: payout details of the people in scope;
- ``payroll``: payrolls, their lines and totals, the worklist of payments returned or not sent."""

from .payout import *  # noqa: F403
from .payroll import *  # noqa: F403
