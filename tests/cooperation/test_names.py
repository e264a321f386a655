"""Countries and languages on the cooperation pages by their names in the reader's language,
never by their codes."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_a_partner_shows_its_country_and_languages_by_name(login, officer, helsinki):
    client = login(officer)
    page = client.get(reverse("cooperation:partner", args=[helsinki.pk])).content.decode()
    assert "Финляндия" in page
    assert "финский" in page.lower() and "шведский" in page.lower()
    assert '<span class="badge" lang="fi">fi</span>' not in page
    listing = client.get(reverse("cooperation:partners")).content.decode()
    assert "Финляндия" in listing and '<td class="mono">FI</td>' not in listing
