"""Every write of casework, one module per area; import from here:
``from opora.casework import services``.

- ``lifecycle``: the state machine of a case (``TRANSITIONS``), the deadline each status waits
  for, the step every service takes through ``_move``; suspending, resuming and closing;
- ``intake``: the application and the urgent services given at once;
- ``documents``: files uploaded with a case, documents printed from it;
- ``assessment``: the assessment by a scale and the decision on recognition;
- ``programmes``: the individual programme and its versions;
- ``delivery``: deliveries, missed visits, the day's quick entry, the home-care social worker;
- ``day``: a home-care worker's day confirmed in one action, with its exceptions;
- ``acts``: the monthly acts;
- ``common``: the checks they share."""

from .acts import *  # noqa: F403
from .assessment import *  # noqa: F403
from .common import *  # noqa: F403
from .day import *  # noqa: F403
from .delivery import *  # noqa: F403
from .documents import *  # noqa: F403
from .intake import *  # noqa: F403
from .lifecycle import *  # noqa: F403
from .programmes import *  # noqa: F403
