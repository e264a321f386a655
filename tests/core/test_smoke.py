from django.urls import reverse


def test_dashboard_renders_for_a_signed_in_worker(login, worker_a):
    response = login(worker_a).get(reverse("core:dashboard"))
    assert response.status_code == 200
    assert "Центр «Альфа»" in response.content.decode()


def test_anonymous_visitor_is_sent_to_login(client, db):
    response = client.get(reverse("core:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("core:login"))
