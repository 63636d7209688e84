"""Sign-in secrets: Argon2id storage, old hashes upgraded, weak patterns refused."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from clinic.passwords import BREACHED_PATTERN
from clinic.tests.factories import PASSWORD, UserFactory


@pytest.mark.django_db
def test_new_passwords_are_stored_with_argon2id() -> None:
    user = UserFactory()

    assert user.password.startswith("argon2$argon2id$")


@pytest.mark.django_db
def test_an_old_pbkdf2_hash_is_upgraded_to_argon2_at_sign_in(client, password_sign_in) -> None:
    user = UserFactory(username="veteran", role="Clinician")
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])

    response = password_sign_in(client, "veteran")

    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password(PASSWORD)


@pytest.mark.parametrize(
    "password",
    ["Password123!", "Summer2024!!", "P@ssw0rd!!2024", "Welcome12345", "!!!!12345678"],
)
def test_breached_looking_passwords_are_refused(password: str) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_password(password)

    assert BREACHED_PATTERN in refused.value.messages


@pytest.mark.parametrize(
    "password", ["correct horse battery staple", "my cat sleeps on the radiator", "zqpw-lmno-trvk"]
)
def test_long_passphrases_pass_without_composition_rules(password: str) -> None:
    validate_password(password)


@pytest.mark.django_db
def test_password_change_page_refuses_a_breached_pattern_and_keeps_the_old_one(
    client, clinician
) -> None:
    client.force_login(clinician)

    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Summer2024!!",
            "new_password2": "Summer2024!!",
        },
    )

    assert BREACHED_PATTERN in response.content.decode()
    clinician.refresh_from_db()
    assert clinician.check_password(PASSWORD)
