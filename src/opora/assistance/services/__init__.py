"""Every write of targeted assistance, one module per area; import from here:
``from opora.assistance import services``.

- ``measures``: measures and their versions (draft, copy, update, publish, discard);
- ``applications``: applications, their documents, evaluations and decisions;
- ``assignments``: suspension, resumption, termination, recalculation, the end of a period,
  overpayments;
- ``social_contract``: contracts, their plans, instalments, visits and outcomes;
- ``goods``: goods in kind, stock received, handed out and written off;
- ``runs``: whole-registry eligibility runs and what-if simulations of a draft;
- ``outreach``: the worklist of people eligible and not claiming, and its outcomes;
- ``common``: the checks they share."""

from .applications import *  # noqa: F403
from .assignments import *  # noqa: F403
from .common import *  # noqa: F403
from .goods import *  # noqa: F403
from .measures import *  # noqa: F403
from .outreach import *  # noqa: F403
from .runs import *  # noqa: F403
from .social_contract import *  # noqa: F403
