"""The pages of deduplication: the run button → job → queue → pair → merge → unmerge, and who
may do what."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from opora.core.actors import SYSTEM
from opora.core.models import JobStatus
from opora.core.roles import Role
from opora.registry.dedup import services
from opora.registry.dedup.tasks import search_duplicates
from opora.registry.models import CandidateStatus, DedupRun, DuplicateCandidate, PersonMerge

from .conftest import valid_snils

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair(make_person):
    """A record and its duplicate (a typo in the surname, no patronymic, no SNILS)."""
    original = make_person(
        last_name="Кузнецова",
        first_name="Анна",
        patronymic="Сергеевна",
        snils=valid_snils(),
        phone="+79161112233",
    )
    duplicate = make_person(last_name="Кузнецва", first_name="Анна", patronymic="", snils=None)
    return original, duplicate


@pytest.fixture
def manager_a(make_user, institution_a):
    return make_user(Role.INSTITUTION_MANAGER, institutions=[institution_a])


def test_the_ui_flow_from_the_button_to_a_merge_and_back(
    login, admin_user, pair, django_capture_on_commit_callbacks
):
    original, duplicate = pair
    client = login(admin_user)
    page = client.get(reverse("registry:registry_dedup:runs"))
    assert page.status_code == 200
    assert 'data-testid="dedup-start"' in page.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("registry:registry_dedup:start"), {"threshold": "0.9"})
    run = DedupRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:registry_dedup:run", args=[run.pk])
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert reverse("core:job", args=[run.job.pk]) in page.content.decode()  # polls progress

    search_duplicates.call(job_id=str(run.job.pk))
    run.job.refresh_from_db()
    assert run.job.status == JobStatus.SUCCEEDED

    queue = client.get(reverse("registry:registry_dedup:queue"))
    candidate = DuplicateCandidate.objects.get()
    pair_url = reverse("registry:registry_dedup:pair", args=[candidate.pk])
    assert pair_url in queue.content.decode()

    page = client.get(pair_url).content.decode()
    assert "Кузнецова" in page and "Кузнецва" in page
    assert len(re.findall(r'data-differs="true"', page)) >= 3  # surname, patronymic, SNILS…
    assert 'data-testid="pair-merge"' in page and 'data-testid="pair-reject"' in page

    response = client.post(
        reverse("registry:registry_dedup:merge", args=[candidate.pk]),
        {"survivor": str(original.pk), "reason": "one woman"},
    )
    assert response.status_code == 302
    duplicate.refresh_from_db()
    candidate.refresh_from_db()
    assert duplicate.merged_into == original and candidate.status == CandidateStatus.MERGED

    merge = PersonMerge.objects.get()
    merges = client.get(reverse("registry:registry_dedup:merges")).content.decode()
    unmerge_url = reverse("registry:registry_dedup:unmerge", args=[merge.pk])
    assert unmerge_url in merges
    response = client.post(unmerge_url, {"reason": "two women after all"})
    assert response.status_code == 302
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.PENDING


def test_a_second_start_goes_to_the_running_job(
    login, admin_user, django_capture_on_commit_callbacks
):
    client = login(admin_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("registry:registry_dedup:start"), {"threshold": "0.9"})
        response = client.post(reverse("registry:registry_dedup:start"), {"threshold": "0.9"})
    run = DedupRun.objects.get()
    assert response["Location"] == reverse("core:job", args=[run.job.pk])


def test_a_rejection_needs_a_reason(login, admin_user, pair):
    services.dedup_run_here(actor=SYSTEM)
    candidate = DuplicateCandidate.objects.get()
    client = login(admin_user)
    response = client.post(
        reverse("registry:registry_dedup:reject", args=[candidate.pk]), {"reason": ""}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="errorlist"' in page
    # One summary at the top of the form that failed, none repeated beneath it.
    assert page.count('class="error-summary"') == 1
    response = client.post(
        reverse("registry:registry_dedup:reject", args=[candidate.pk]), {"reason": "namesakes"}
    )
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == CandidateStatus.REJECTED


def test_the_queue_filters_and_sorts(login, admin_user, pair, make_person):
    make_person(last_name="Орлов", first_name="Пётр", patronymic="Ильич", sex="M")
    make_person(last_name="Орлов", first_name="Петр", patronymic="", sex="M")
    services.dedup_run_here(actor=SYSTEM)
    low, high = DuplicateCandidate.objects.order_by("probability")
    services.candidate_reject(actor=admin_user, candidate=low, reason="namesakes")
    client = login(admin_user)
    url = reverse("registry:registry_dedup:queue")
    pending = client.get(url).content.decode()  # pending by default
    assert reverse("registry:registry_dedup:pair", args=[high.pk]) in pending
    assert reverse("registry:registry_dedup:pair", args=[low.pk]) not in pending
    rejected = client.get(url, {"status": "rejected"}).content.decode()
    assert reverse("registry:registry_dedup:pair", args=[low.pk]) in rejected
    every = client.get(url, {"status": "", "sort": "probability"}).content.decode()
    assert every.index(f"/pairs/{low.pk}/") < every.index(f"/pairs/{high.pk}/")
    assert low.probability < high.probability
    above = client.get(url, {"status": "", "min_probability": repr(high.probability)})
    assert f"/pairs/{low.pk}/" not in above.content.decode()
    assert f"/pairs/{high.pk}/" in above.content.decode()
    fragment = client.get(url, headers={"HX-Request": "true", "HX-Target": "results"})
    assert "<html" not in fragment.content.decode()


# --- Permissions ------------------------------------------------------------------------------


def test_a_social_worker_cannot_search_review_or_merge(login, make_user, institution_a, pair):
    services.dedup_run_here(actor=SYSTEM)
    candidate = DuplicateCandidate.objects.get()
    client = login(make_user(Role.SOCIAL_WORKER, institutions=[institution_a]))
    for url in (
        reverse("registry:registry_dedup:runs"),
        reverse("registry:registry_dedup:queue"),
        reverse("registry:registry_dedup:pair", args=[candidate.pk]),
    ):
        assert client.get(url).status_code == 403, url
    assert client.post(reverse("registry:registry_dedup:start")).status_code == 403
    original, duplicate = pair
    response = client.post(
        reverse("registry:registry_dedup:merge", args=[candidate.pk]),
        {"survivor": str(original.pk)},
    )
    assert response.status_code == 403
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None
    assert not DedupRun.objects.filter(job__isnull=False).exists()


def test_a_manager_reviews_the_pairs_of_her_scope_only(
    login, manager_a, make_person, institution_a, institution_b, pair
):
    inside_a, inside_b = pair
    outside = make_person(
        institution=institution_b, last_name="Кузнецова", first_name="Анна", patronymic=""
    )
    services.dedup_run_here(actor=SYSTEM)
    mine = DuplicateCandidate.objects.get(person_a=inside_a, person_b=inside_b)
    theirs = DuplicateCandidate.objects.exclude(pk=mine.pk)
    assert theirs.exists()  # pairs with the record of institution B
    client = login(manager_a)
    page = client.get(reverse("registry:registry_dedup:queue")).content.decode()
    assert f"/pairs/{mine.pk}/" in page
    for other in theirs:
        assert f"/pairs/{other.pk}/" not in page
        assert (
            client.get(reverse("registry:registry_dedup:pair", args=[other.pk])).status_code == 404
        )
        response = client.post(
            reverse("registry:registry_dedup:reject", args=[other.pk]), {"reason": "not mine"}
        )
        assert response.status_code == 404
    # She may confirm, not merge (merging is for administrators).
    page = client.get(reverse("registry:registry_dedup:pair", args=[mine.pk])).content.decode()
    assert 'data-testid="pair-confirm"' in page and 'data-testid="pair-merge"' not in page
    assert (
        client.post(reverse("registry:registry_dedup:confirm", args=[mine.pk])).status_code == 302
    )
    mine.refresh_from_db()
    assert mine.status == CandidateStatus.CONFIRMED
    response = client.post(
        reverse("registry:registry_dedup:merge", args=[mine.pk]), {"survivor": str(inside_a.pk)}
    )
    assert response.status_code == 403
    assert client.get(reverse("registry:registry_dedup:runs")).status_code == 200
    assert (
        'data-testid="dedup-start"'
        not in client.get(reverse("registry:registry_dedup:runs")).content.decode()
    )
    assert client.post(reverse("registry:registry_dedup:start")).status_code == 403
    assert outside.merged_into is None


def test_a_merged_records_page_redirects_to_the_survivor(login, admin_user, pair):
    original, duplicate = pair
    services.person_merge(actor=admin_user, survivor=original, merged=duplicate)
    response = login(admin_user).get(reverse("registry:person", args=[duplicate.pk]))
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:person", args=[original.pk])
