from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_login_with_the_page_to_return_to(client) -> None:
    response = client.get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"


@pytest.mark.django_db
def test_front_desk_home_shows_front_desk_work_and_not_clinical_sections(
    client, front_desk
) -> None:
    client.force_login(front_desk)

    html = client.get(reverse("home")).content.decode()

    assert 'data-testid="home-front-desk"' in html
    assert 'data-testid="home-clinician"' not in html
    assert 'data-testid="home-admin"' not in html


@pytest.mark.django_db
def test_user_without_a_role_is_refused_the_app(client, django_user_model) -> None:
    user = django_user_model.objects.create_user("norole", password="long-enough-password")
    client.force_login(user)

    assert client.get(reverse("home")).status_code == 403


@pytest.mark.django_db
def test_demo_banner_shows_only_in_demo_mode(client, clinician, settings) -> None:
    client.force_login(clinician)

    settings.DEBUG = False
    assert "Demo mode" not in client.get(reverse("home")).content.decode()
    settings.DEBUG = True
    assert "Demo mode" in client.get(reverse("home")).content.decode()


@pytest.mark.django_db
def test_missing_page_gives_the_plain_404_page(client, clinician) -> None:
    client.force_login(clinician)

    response = client.get("/no-such-page/<script>")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()
    assert "<script>" not in response.content.decode()


@pytest.mark.django_db
def test_password_change_rejects_a_short_password_and_keeps_the_old_one(client, clinician) -> None:
    client.force_login(clinician)

    response = client.post(
        reverse("password_change"),
        {
            "old_password": "correct-horse-battery-staple",
            "new_password1": "short",
            "new_password2": "short",
        },
    )

    assert "This password is too short" in response.content.decode()
    clinician.refresh_from_db()
    assert clinician.check_password("correct-horse-battery-staple")


@pytest.mark.django_db
def test_licences_page_carries_each_component_licence_text(client, front_desk) -> None:
    client.force_login(front_desk)

    html = client.get(reverse("licences")).content.decode()

    assert "react-native-body-highlighter 3.2.0" in html
    assert "Copyright (c) 2022 ELABBASSI Hicham" in html
    assert "Bootstrap 5.3.9" in html
    assert "Zero-Clause BSD" in html
