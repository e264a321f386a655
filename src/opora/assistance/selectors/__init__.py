"""Every read of targeted assistance, one module per area; import from here:
``from opora.assistance import selectors``.

- ``measures``: measures, versions, the version in force, a draft beside the version in force;
- ``applications``: applications, evaluations, assignments, overpayments, the panels of a
  person's and a household's pages, the dashboard's counts;
- ``review``: the assignments to review, with their reasons;
- ``runs``: whole-registry runs, their results, what-if changes, the outreach worklist;
- ``social_contract``, ``goods``: contracts and their outcomes, stock and hand-outs;
- ``households``: the household of a person on a day, as the rule language counts it."""

from .applications import *  # noqa: F403
from .goods import *  # noqa: F403
from .households import *  # noqa: F403
from .measures import *  # noqa: F403
from .review import *  # noqa: F403
from .runs import *  # noqa: F403
from .social_contract import *  # noqa: F403
