"""The registry's demo step: districts and a small population, loaded through the services."""

from collections import Counter

import pytest
from django.db.models import Count, Q
from django.utils import timezone

from opora.core.actors import SYSTEM
from opora.demo import population as synth
from opora.demo.loading import DemoContext
from opora.demo.steps.institutions import load_institutions
from opora.demo.steps.registry import DEMO_DISTRICTS, DEMO_PEOPLE, KEY_PREFIX, load_population
from opora.institutions.models import District
from opora.registry.models import (
    Address,
    Household,
    HouseholdMember,
    IdentityDocument,
    Income,
    Person,
    PersonCategory,
    PersonInstitution,
)
from tests.demo_support import demo_loaded

DEMO_INSTITUTIONS = {
    "tcso-tverskoy",
    "tcso-maryino",
    "crisis-centre-women-children",
    "family-childhood-resource-centre",
}
MODELS = (
    District,
    Person,
    Household,
    HouseholdMember,
    PersonCategory,
    Income,
    IdentityDocument,
    Address,
    PersonInstitution,
)


def _counts():
    return {model.__name__: model.objects.count() for model in MODELS}


# The registry's step and the institutions it serves people at; not the other apps' steps.
demo = demo_loaded(load_institutions, load_population)


@pytest.fixture
def loaded(demo, db):
    return _counts()


def test_loading_the_demo_twice_adds_nothing(loaded):
    assert loaded["District"] == len(synth.DISTRICTS)
    assert loaded["Person"] == DEMO_PEOPLE
    assert loaded["Household"] > DEMO_PEOPLE / 4
    assert loaded["PersonCategory"] > 0 and loaded["Income"] > 0
    assert loaded["IdentityDocument"] > 0
    again = DemoContext(actor=SYSTEM)
    load_institutions(again)
    load_population(again)
    assert _counts() == loaded


def test_the_demo_population_is_served_by_the_demo_institutions(loaded):
    people = Person.objects.filter(external_key__startswith=KEY_PREFIX)
    assert people.count() == DEMO_PEOPLE
    assert not people.exclude(service_links__institution__code__in=DEMO_INSTITUTIONS).exists()
    served = Counter(
        PersonInstitution.objects.filter(person__in=people).values_list(
            "institution__code", flat=True
        )
    )
    assert served["tcso-tverskoy"] > 0 and served["tcso-maryino"] > 0
    assert set(served) <= DEMO_INSTITUTIONS
    # Everyone lives in a demo district, and her TCSO is the district's.
    for person in people.prefetch_related("addresses__district", "service_links__institution"):
        district = person.addresses.get(kind="registration").district
        assert district.code in DEMO_DISTRICTS
        codes = {link.institution.code for link in person.service_links.all()}
        assert f"tcso-{district.code}" in codes


def test_demo_households_have_one_applicant_and_duplicates_stand_alone(loaded):
    households = Household.objects.annotate(
        applicants=Count(
            "members", filter=Q(members__is_applicant=True, members__left_on__isnull=True)
        )
    )
    assert households.exists()
    assert set(households.values_list("applicants", flat=True)) == {1}

    # About 2 % duplicates stay in the demo so that the review queue has work.
    truth = [
        row
        for chunk in synth.generate(
            DEMO_PEOPLE,
            seed=DemoContext(actor=SYSTEM).seed,
            as_of=timezone.localdate(),
            districts=DEMO_DISTRICTS,
            key_prefix=KEY_PREFIX,
        )
        for row in chunk.truth
    ]
    assert len(truth) == round(DEMO_PEOPLE * 0.02)
    keys = {key for pair in truth for key in pair}
    assert Person.objects.filter(external_key__in=keys).count() == len(keys)
    # Duplicates stand alone, as another system would send them.
    duplicates = [pair[0] for pair in truth]
    assert not HouseholdMember.objects.filter(person__external_key__in=duplicates).exists()
