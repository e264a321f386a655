from django.utils.translation import gettext_lazy as _

from opora.core.audit import declare_action

FIGURE_RECORDED = declare_action(
    "reports.figure.recorded", _("%(actor)s recorded the published figure %(object)s")
)
FIGURE_CHANGED = declare_action(
    "reports.figure.changed", _("%(actor)s corrected the published figure %(object)s")
)
FIGURE_RETIRED = declare_action(
    "reports.figure.retired", _("%(actor)s retired the published figure %(object)s")
)
