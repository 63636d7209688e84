from __future__ import annotations

import functools
from typing import Any

import factory
from django.apps import apps
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from clinic.models import User
from clinic.roles import roles_sync


def role_group(role: str) -> Group:
    """The role's group; transactional tests flush groups, so sync them back."""
    group = Group.objects.filter(name=role).first()
    if group is None:
        roles_sync(apps)
        group = Group.objects.get(name=role)
    return group


PASSWORD = "correct-horse-battery-staple"


@functools.cache
def password_hash() -> str:
    """One Argon2 hash for every test user: hashing costs a fifth of a second."""
    return make_password(PASSWORD)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.Faker("first_name")
    last_name = factory.Faker("last_name")
    email = factory.LazyAttribute(lambda user: f"{user.username}@clinic.example")
    password = factory.LazyFunction(password_hash)

    @factory.post_generation
    def role(self, create: bool, extracted: Any, **kwargs: Any) -> None:
        if create and extracted:
            self.groups.add(role_group(extracted))
