"""Documents of a case: the files uploaded with it, and the record of the documents printed
from it (a printed decision or programme leaves the system with personal data in it)."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from opora.core import audit
from opora.core.actors import Actor
from opora.core.errors import DomainError, require_choice, validated

from .. import audit_actions as actions
from ..files import detected_type
from ..models import Case, CaseDocument, DocumentKind
from .common import _locked, _refuse_closed, _require_case

__all__ = ["PRINTED_DOCUMENTS", "document_attach", "document_printed"]


def _max_upload_bytes() -> int:
    return int(settings.CASEWORK_MAX_UPLOAD_BYTES)


@transaction.atomic
def document_attach(
    *, actor: Actor, case: Case, kind: str, upload: Any, title: str = ""
) -> CaseDocument:
    """Store an uploaded file with the case: its type read from its first bytes, its size
    limited, its name random. Everything is checked before the file is written, and the file
    is removed again if its row cannot be saved: a refused upload leaves nothing behind."""
    _require_case(actor, case)
    case = _locked(case)
    _refuse_closed(case, "file")
    require_choice(
        kind,
        DocumentKind,
        field="kind",
        code="unknown_document_kind",
        message=_("Unknown kind of document."),
        hint=_("Choose a kind."),
    )
    size = getattr(upload, "size", None) or 0
    limit = _max_upload_bytes()
    if size == 0:
        raise DomainError(
            "file_empty", _("The file is empty."), details={"file": [_("Choose a file.")]}
        )
    if size > limit:
        raise DomainError(
            "file_too_large",
            _("The file is %(size)s MB; the largest accepted is %(limit)s MB.")
            % {"size": f"{size / 1048576:.1f}", "limit": f"{limit / 1048576:.0f}"},
            details={"file": [_("Choose a smaller file or scan at a lower resolution.")]},
        )
    upload.seek(0)
    head = upload.read(64)
    upload.seek(0)
    found = detected_type(head)
    if found is None:
        raise DomainError(
            "file_type_refused",
            _("Only PDF, JPEG and PNG files are accepted; this file is none of them."),
            details={"file": [_("Save the document as PDF, JPEG or PNG.")]},
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    stored_name = f"{secrets.token_hex(16)}.{found.extension}"
    document = CaseDocument(
        case=case,
        kind=kind,
        title=title.strip()[:300],
        stored_name=stored_name,
        original_name=(getattr(upload, "name", "") or stored_name)[-255:],
        content_type=found.content_type,
        size=size,
        sha256=digest.hexdigest(),
        uploaded_by=audit.acting_user(actor),
    )
    validated(document, exclude=["file"])
    document.file.save(stored_name, upload, save=False)
    try:
        document.save()
        audit.record(
            actor=actor,
            action=actions.DOCUMENT_ATTACHED,
            obj=case,
            data={"name": document.original_name, "kind": kind, "document": document.pk},
        )
    except Exception:
        document.file.storage.delete(str(document.file.name))
        raise
    return document


# --- Printed documents -------------------------------------------------------------------------

PRINTED_DOCUMENTS = tuple(actions.PRINTED_DOCUMENTS)


@transaction.atomic
def document_printed(
    *, actor: Actor, case: Case, document: str, details: Mapping[str, Any] | None = None
) -> None:
    """Record that a document of the case was printed: a printed decision or programme leaves
    the system with personal data in it, so who printed what, and when, is on the case."""
    _require_case(actor, case)
    if document not in PRINTED_DOCUMENTS:
        raise DomainError(
            "unknown_document",
            _("Unknown kind of printed document."),
            details={"document": [document]},
        )
    audit.record(
        actor=actor,
        action=actions.CASE_DOCUMENT_ISSUED,
        obj=case,
        data={**(details or {}), "document": document},
    )
