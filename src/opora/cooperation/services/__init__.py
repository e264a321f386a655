"""Every write of cooperation, one module per area; import from here:
``from opora.cooperation import services``."""

from .agreements import *  # noqa: F403
from .aid import *  # noqa: F403
from .events import *  # noqa: F403
from .feeds import *  # noqa: F403
from .letters import *  # noqa: F403
from .partners import *  # noqa: F403
