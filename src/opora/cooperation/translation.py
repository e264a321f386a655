"""The fields partners read, kept per language by django-modeltranslation; an empty
translation falls back to Russian (settings.MODELTRANSLATION_FALLBACK_LANGUAGES)."""

from modeltranslation.translator import TranslationOptions, register

from .models import (
    ActionItem,
    Agreement,
    AgreementParty,
    AgreementVersion,
    AidItem,
    Event,
    EventFile,
    Exchange,
    ForumSession,
    ForumStand,
    ItineraryStop,
    Partner,
    PartnerNeed,
    Partnership,
    PersonPosition,
    SeminarSeries,
)


def _fields(*names: str) -> type[TranslationOptions]:
    return type("Options", (TranslationOptions,), {"fields": names})


register(Partner)(_fields("name", "short_name", "city"))
register(PersonPosition)(_fields("title"))
register(Partnership)(_fields("description"))
register(Agreement)(_fields("title", "description"))
register(AgreementParty)(_fields("signer_position"))
register(AgreementVersion)(_fields("summary"))
register(ActionItem)(_fields("title"))
register(SeminarSeries)(_fields("name"))
register(Event)(_fields("title", "description", "place", "city", "outcome"))
register(EventFile)(_fields("title"))
register(ItineraryStop)(_fields("title", "address", "notes"))
register(ForumStand)(_fields("title", "project", "description"))
register(ForumSession)(_fields("title"))
register(Exchange)(_fields("place", "purpose"))
register(PartnerNeed)(_fields("title", "description"))
register(AidItem)(_fields("name"))
