from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models.functions import Now

from clinic.history import track_history


@track_history(exclude=["password", "last_login"])
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


@track_history(model_name="UserGroupsEvent", obj_field=None)
class UserGroups(User.groups.through):
    """Role changes: rows added to and removed from the user-group link table."""

    class Meta:
        proxy = True


class Action(models.TextChoices):
    """What an access-log row records. Not database choices: apps add their
    own actions here without a migration."""

    SIGNED_IN = "signed_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    LOCKED_OUT = "locked_out", "Locked out"
    TWO_FACTOR_VERIFIED = "two_factor_verified", "Two-factor code accepted"
    TWO_FACTOR_FAILED = "two_factor_failed", "Two-factor code refused"
    TWO_FACTOR_ENROLLED = "two_factor_enrolled", "Two-factor set up"
    SIGNED_OUT = "signed_out", "Signed out"
    SESSION_EXPIRED = "session_expired", "Session expired"
    PASSWORD_CHANGED = "password_changed", "Password changed"
    ROLES_CHANGED = "roles_changed", "Roles changed"
    ACCESS_DENIED = "access_denied", "Access denied"
    NOT_FOUND = "not_found", "Record not found"
    VIEWED = "viewed", "Viewed"
    PRINTED = "printed", "Opened for printing"
    SEARCHED = "searched", "Searched patients"
    EXPORTED = "exported", "Exported"
    FHIR_READ = "fhir_read", "Read over the FHIR API"


class AccessEvent(models.Model):
    """One line of the access log: who did what to which record, from where.

    Ids only, never names or other health information. Rows can be added but
    never changed or deleted (a database trigger, clinic.db.AppendOnly).
    """

    at = models.DateTimeField(db_default=Now(), db_index=True)
    user = models.ForeignKey(
        "clinic.User",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    action = models.CharField(max_length=40)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    # The patient whose record it was (an id, kept even if the patient is
    # archived), so that an admin can list every access to one patient.
    patient_id = models.BigIntegerField(null=True, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    request_id = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["object_type", "object_id", "at"], name="accessevent_object_idx"),
            models.Index(fields=["user", "at"], name="accessevent_user_idx"),
            models.Index(fields=["action", "at"], name="accessevent_action_idx"),
            models.Index(fields=["patient_id", "at"], name="accessevent_patient_idx"),
        ]
        permissions = [("view_audit", "Can view the audit log")]
        default_permissions = ()

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.action} {self.object_type} {self.object_id}"

    @property
    def action_label(self) -> str:
        return Action(self.action).label if self.action in Action.values else self.action


@track_history()
class SecurityPolicy(models.Model):
    """Clinic-wide security choices a clinic admin makes in the set-up screens.
    One row (id 1), created by a migration; read through clinic.policy."""

    front_desk_two_factor = models.BooleanField(
        "Front desk must use two-factor sign-in",
        default=False,
        help_text="Clinicians and admins always must. Front desk users without an "
        "authenticator are asked to set one up at their next page.",
    )

    class Meta:
        verbose_name = "security policy"
        verbose_name_plural = "security policy"
        default_permissions = ("view", "change")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="securitypolicy_one_row")
        ]

    def __str__(self) -> str:
        return "Security policy"
