from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A member of staff. Patients never have accounts; what a user may do
    comes from their role (a group, see clinic.roles)."""

    credentials = models.CharField(
        max_length=40,
        blank=True,
        help_text="Shown after the name on signed notes, e.g. MD, DO, NP.",
    )

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        permissions = [("access_app", "Can use the clinic app")]

    def __str__(self) -> str:
        return self.signature_name

    @property
    def signature_name(self) -> str:
        name = self.get_full_name() or self.username
        return f"{name}, {self.credentials}" if self.credentials else name
