"""Audit actions of imports and exports.

An import writes **one entry per batch** (``registry.import.loaded`` or ``.rejected``) with its
counts, the file's name and SHA-256; the stored file and the batch's problems say what each row
held. Per-record entries would be a million rows for a city file and would make the load
several times slower, so only renames get their own entry (``registry.person.renamed`` with
the former name kept, as services.person_update does), because a person's history must show
under which name she was known.
"""

from django.utils.translation import gettext_lazy as _

from opora.core.audit import declare_action

from ..models import ImportEntity

IMPORT_UPLOADED = declare_action(
    "registry.import.uploaded",
    _("%(actor)s uploaded the file %(object)s to import %(entity)s"),
    {"entity": lambda code: ImportEntity(code).label},
)
IMPORT_STARTED = declare_action(
    "registry.import.started",
    _("%(actor)s started the import of %(object)s"),
)
IMPORT_LOADED = declare_action(
    "registry.import.loaded",
    _(
        "%(actor)s imported %(object)s: %(inserted)s new, %(updated)s changed, %(unchanged)s "
        "unchanged, %(error_rows)s rows with problems"
    ),
)
IMPORT_REJECTED = declare_action(
    "registry.import.rejected",
    _("The import of %(object)s by %(actor)s was rejected: %(error_rows)s rows with problems"),
)
IMPORT_FAILED = declare_action(
    "registry.import.failed",
    _("The import of %(object)s stopped unfinished; it can be started again"),
)
IMPORT_DISCARDED = declare_action(
    "registry.import.discarded",
    _("%(actor)s discarded the import of %(object)s and its stored file"),
)
EXPORTED = declare_action(
    "registry.export.downloaded",
    _("%(actor)s exported %(entity)s as %(format)s"),
    {"entity": lambda code: ImportEntity(code).label},
)
