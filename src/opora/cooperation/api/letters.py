"""Correspondence: letters with their original text and translations, and the discrepancies
between versions with their resolution."""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _
from ninja import Field, Query, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from opora.core.api_support import ExampleMarkOut, PageNumberPagination, api_require
from opora.core.errors import DomainError

from .. import selectors, services
from ..access import COOPERATION_MANAGE, COOPERATION_VIEW
from ..models import Direction, LetterStatus
from ..selectors import pages as reads
from .common import (
    LangQuery,
    agreements_named,
    events_named,
    letter_named,
    partner_named,
    router,
    speak,
)

# --- Schemas ------------------------------------------------------------------------------------


class LetterOut(ExampleMarkOut):
    id: int
    direction: Direction
    number: str
    dated_on: dt.date
    received_on: dt.date | None
    partner_id: int
    partner: str
    signatory_id: int | None
    signatory_name: str
    our_person: str
    subject: str
    in_reply_to_id: int | None
    status: LetterStatus

    @staticmethod
    def resolve_partner(obj):
        return obj.partner.name


class LetterVersionOut(Schema):
    id: int
    language: str
    is_original: bool
    text: str
    translator: str
    has_file: bool

    @staticmethod
    def resolve_has_file(obj):
        return bool(obj.file)


class DiscrepancyOut(Schema):
    id: int
    description: str
    version_ids: list[int]
    flagged_at: dt.datetime
    resolution: str
    correct_version_id: int | None
    resolved_at: dt.datetime | None

    @staticmethod
    def resolve_version_ids(obj):
        return [v.pk for v in obj.versions.all()]


class LetterDetailOut(LetterOut):
    event_ids: list[int]
    agreement_ids: list[int]
    versions: list[LetterVersionOut]
    discrepancies: list[DiscrepancyOut]

    @staticmethod
    def resolve_event_ids(obj):
        return [e.pk for e in obj.events.all()]

    @staticmethod
    def resolve_agreement_ids(obj):
        return [a.pk for a in obj.agreements.all()]

    @staticmethod
    def resolve_versions(obj):
        return list(obj.versions.all())

    @staticmethod
    def resolve_discrepancies(obj):
        return list(obj.discrepancies.all())


class LetterFilter(LangQuery):
    direction: Direction | None = None
    partner: int | None = None
    year: int | None = Field(None, ge=1900, le=2200)
    q: str = ""
    unresolved: bool = False


class LetterVersionIn(Schema):
    language: str = Field(..., min_length=2, max_length=8)
    is_original: bool = False
    text: str
    translator: str = ""


class LetterIn(Schema):
    direction: Direction
    number: str = ""
    dated_on: dt.date
    received_on: dt.date | None = None
    partner_id: int
    signatory_id: int | None = None
    signatory_name: str = ""
    our_person: str = ""
    subject: str = Field(..., min_length=1, max_length=500)
    in_reply_to_id: int | None = None
    event_ids: list[int] = []
    agreement_ids: list[int] = []
    versions: list[LetterVersionIn] = []


class DiscrepancyIn(Schema):
    description: str = Field(..., min_length=1)
    version_ids: list[int] = Field(..., min_length=2)


class ResolveIn(Schema):
    resolution: str = Field(..., min_length=1)
    correct_version_id: int | None = None


# --- Endpoints ----------------------------------------------------------------------------------


@router.get("/letters", response=list[LetterOut], summary="Incoming and outgoing letters")
@api_require(COOPERATION_VIEW)
@paginate(PageNumberPagination, page_size=50)
def letter_list(request, filters: Query[LetterFilter]):
    speak(request, filters.lang)
    return selectors.letter_list(
        direction=filters.direction or "",
        partner=partner_named(request, filters.partner),
        year=filters.year,
        q=filters.q,
        unresolved=filters.unresolved,
    )


@router.post(
    "/letters",
    response={201: LetterDetailOut},
    summary="Register a letter with its original text and any translations",
)
@api_require(COOPERATION_MANAGE)
def letter_register(request, payload: LetterIn):
    partner = partner_named(request, payload.partner_id)
    originals = [v for v in payload.versions if v.is_original]
    if len(originals) != 1:
        raise DomainError(
            "one_original",
            _("A letter has exactly one original version."),
            details={"versions": [_("Mark one version as the original.")]},
        )
    signatory = None
    if payload.signatory_id is not None:
        signatory = reads.person_get(partner=partner, pk=payload.signatory_id)
    in_reply_to = letter_named(payload.in_reply_to_id) if payload.in_reply_to_id else None
    original = originals[0]
    letter = services.letter_register(
        actor=request.user,
        direction=payload.direction,
        partner=partner,
        dated_on=payload.dated_on,
        received_on=payload.received_on,
        number=payload.number,
        subject=payload.subject,
        language=original.language,
        text=original.text,
        signatory=signatory,
        signatory_name=payload.signatory_name,
        our_person=payload.our_person,
        in_reply_to=in_reply_to,
        events=events_named(payload.event_ids),
        agreements=agreements_named(payload.agreement_ids),
    )
    for version in payload.versions:
        if not version.is_original:
            services.letter_version_add(
                actor=request.user,
                letter=letter,
                language=version.language,
                text=version.text,
                translator=version.translator,
            )
    return Status(201, letter_named(letter.pk))


@router.get("/letters/{letter_id}", response=LetterDetailOut, summary="One letter")
@api_require(COOPERATION_VIEW)
def letter_detail(request, letter_id: int):
    return letter_named(letter_id)


@router.post(
    "/letters/{letter_id}/versions",
    response={201: LetterVersionOut},
    summary="Add a translation (kept as it is, never changed)",
)
@api_require(COOPERATION_MANAGE)
def letter_version_add(request, letter_id: int, payload: LetterVersionIn):
    version = services.letter_version_add(
        actor=request.user, letter=letter_named(letter_id), **payload.dict()
    )
    return Status(201, version)


@router.post(
    "/letters/{letter_id}/discrepancies",
    response={201: DiscrepancyOut},
    summary="Flag that versions of the letter disagree",
)
@api_require(COOPERATION_MANAGE)
def discrepancy_flag(request, letter_id: int, payload: DiscrepancyIn):
    letter = letter_named(letter_id)
    # letter_get brings the letter's versions.
    versions = {v.pk: v for v in letter.versions.all()}
    unknown = [pk for pk in payload.version_ids if pk not in versions]
    if unknown:
        raise DomainError(
            "version_not_in_letter",
            _("One of the versions named is not a version of this letter."),
            details={"version_ids": [_("Choose versions of this letter.")]},
        )
    discrepancy = services.discrepancy_flag(
        actor=request.user,
        letter=letter,
        versions=[versions[pk] for pk in dict.fromkeys(payload.version_ids)],
        description=payload.description,
    )
    return Status(201, selectors.discrepancy_detail(letter=letter, pk=discrepancy.pk))


@router.post(
    "/letters/{letter_id}/discrepancies/{discrepancy_id}/resolve",
    response=DiscrepancyOut,
    summary="Record which version is right (the texts stay as they are)",
)
@api_require(COOPERATION_MANAGE)
def discrepancy_resolve(request, letter_id: int, discrepancy_id: int, payload: ResolveIn):
    letter = letter_named(letter_id)
    discrepancy = selectors.discrepancy_detail(letter=letter, pk=discrepancy_id)
    if payload.correct_version_id is None:
        raise DomainError(
            "correct_version_required",
            _("Choose one of the versions that disagree."),
            details={"correct_version_id": [_("Choose a version of this letter.")]},
        )
    correct = next((v for v in letter.versions.all() if v.pk == payload.correct_version_id), None)
    if correct is None:
        raise DomainError(
            "version_not_in_letter",
            _("The version named is not a version of this letter."),
            details={"correct_version_id": [_("Choose a version of this letter.")]},
        )
    services.discrepancy_resolve(
        actor=request.user,
        discrepancy=discrepancy,
        correct_version=correct,
        resolution=payload.resolution,
    )
    return selectors.discrepancy_detail(letter=letter, pk=discrepancy_id)
