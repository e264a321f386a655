from django.utils.translation import gettext_lazy as _

from opora.core.audit import declare_action

MEASURE_CREATED = declare_action(
    "assistance.measure.created", _("%(actor)s created the measure %(object)s")
)
MEASURE_CHANGED = declare_action(
    "assistance.measure.changed", _("%(actor)s changed the measure %(object)s")
)
VERSION_DRAFTED = declare_action(
    "assistance.version.drafted", _("%(actor)s drafted the version %(object)s")
)
VERSION_CHANGED = declare_action(
    "assistance.version.changed", _("%(actor)s changed the draft version %(object)s")
)
VERSION_PUBLISHED = declare_action(
    "assistance.version.published", _("%(actor)s published the version %(object)s")
)
VERSION_DISCARDED = declare_action(
    "assistance.version.discarded", _("%(actor)s discarded the draft version %(object)s")
)
APPLICATION_REGISTERED = declare_action(
    "assistance.application.registered", _("%(actor)s registered the application %(object)s")
)
APPLICATION_CHANGED = declare_action(
    "assistance.application.changed", _("%(actor)s changed the application %(object)s")
)
APPLICATION_FILE_ATTACHED = declare_action(
    "assistance.application.file_attached",
    _("%(actor)s attached a document to the application %(object)s"),
)
APPLICATION_WITHDRAWN = declare_action(
    "assistance.application.withdrawn", _("%(actor)s recorded the withdrawal of %(object)s")
)
APPLICATION_EVALUATED = declare_action(
    "assistance.application.evaluated",
    _("%(actor)s checked the eligibility for the application %(object)s"),
)
APPLICATION_DECIDED = declare_action(
    "assistance.application.decided", _("%(actor)s decided on the application %(object)s")
)
ASSIGNMENT_SUSPENDED = declare_action(
    "assistance.assignment.suspended", _("%(actor)s suspended the assignment %(object)s")
)
ASSIGNMENT_RESUMED = declare_action(
    "assistance.assignment.resumed", _("%(actor)s resumed the assignment %(object)s")
)
ASSIGNMENT_TERMINATED = declare_action(
    "assistance.assignment.terminated", _("%(actor)s terminated the assignment %(object)s")
)
ASSIGNMENT_RECALCULATED = declare_action(
    "assistance.assignment.recalculated", _("%(actor)s recalculated the assignment %(object)s")
)
ASSIGNMENTS_ENDED = declare_action(
    "assistance.assignment.ended", _("%(actor)s closed the assignments whose period ended")
)
OVERPAYMENT_RECORDED = declare_action(
    "assistance.overpayment.recorded",
    _("%(actor)s recorded an overpayment on the assignment %(object)s"),
)
OVERPAYMENT_SETTLED = declare_action(
    "assistance.overpayment.settled", _("%(actor)s settled the overpayment %(object)s")
)
CONTRACT_CONCLUDED = declare_action(
    "assistance.contract.concluded", _("%(actor)s concluded the social contract %(object)s")
)
CONTRACT_MILESTONE_DONE = declare_action(
    "assistance.contract.milestone_done",
    _("%(actor)s recorded a step of the plan done under %(object)s"),
)
CONTRACT_INSTALMENT_PAID = declare_action(
    "assistance.contract.instalment_paid",
    _("%(actor)s recorded an instalment paid under %(object)s"),
)
CONTRACT_VISITED = declare_action(
    "assistance.contract.visited", _("%(actor)s recorded a monitoring visit under %(object)s")
)
CONTRACT_TERMINATED = declare_action(
    "assistance.contract.terminated", _("%(actor)s terminated the social contract %(object)s early")
)
CONTRACT_COMPLETED = declare_action(
    "assistance.contract.completed",
    _("%(actor)s recorded the outcome of the social contract %(object)s"),
)
GOODS_KIND_CREATED = declare_action(
    "assistance.goods.created", _("%(actor)s added the kind of goods %(object)s")
)
STOCK_RECEIVED = declare_action(
    "assistance.stock.received", _("%(actor)s recorded goods received: %(object)s")
)
STOCK_ISSUED = declare_action(
    "assistance.stock.issued", _("%(actor)s recorded goods handed out: %(object)s")
)
STOCK_WRITTEN_OFF = declare_action(
    "assistance.stock.written_off", _("%(actor)s recorded goods written off: %(object)s")
)
RUN_STARTED = declare_action(
    "assistance.run.started", _("%(actor)s started the eligibility run %(object)s")
)
RUN_FINISHED = declare_action(
    "assistance.run.finished", _("The eligibility run %(object)s finished")
)
RUN_FAILED = declare_action("assistance.run.failed", _("The eligibility run %(object)s failed"))
WHATIF_STARTED = declare_action(
    "assistance.whatif.started", _("%(actor)s started the what-if simulation %(object)s")
)
RUN_EXPORTED = declare_action(
    "assistance.run.exported", _("%(actor)s downloaded the results of %(object)s")
)
OUTREACH_CREATED = declare_action(
    "assistance.outreach.created",
    _("%(actor)s made the outreach worklist from the eligibility run %(object)s"),
)
OUTREACH_RECORDED = declare_action(
    "assistance.outreach.recorded", _("%(actor)s recorded the outreach outcome %(object)s")
)
