from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.crypto import salted_hmac

# Changing this salt ends every session and bearer token at once.
_CREDENTIAL_STAMP_SALT = "accessadmin.User.credential_stamp"


class Org(models.Model):
    """A brand: the tenant every other object belongs to."""

    class EnforcementMode(models.TextChoices):
        ENFORCE = "enforce", "Enforce"
        REPORT_ONLY = "report_only", "Report only"

    code = models.SlugField(max_length=50, unique=True)
    name = models.CharField(max_length=200)
    basic_auth_enabled = models.BooleanField(
        default=True, help_text="Tills may authenticate with HTTP Basic."
    )
    basic_auth_for_new_tills = models.BooleanField(
        default=True, help_text="New tills get a Basic secret; off: only OAuth2 client credentials."
    )
    enforcement_mode = models.CharField(
        max_length=20, choices=EnforcementMode.choices, default=EnforcementMode.ENFORCE
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class AccessRightQuerySet(models.QuerySet):
    def for_org(self, org):
        """The built-in access rights plus `org`'s own."""
        return self.filter(Q(org__isnull=True) | Q(org=org))


class AccessRight(models.Model):
    """An access right; built-in privileges have no org and are shared by all orgs."""

    class Type(models.TextChoices):
        PRIVILEGE = "privilege", "Privilege"
        GENERIC = "generic", "Generic"

    org = models.ForeignKey(Org, null=True, blank=True, on_delete=models.CASCADE, related_name="access_rights")
    code = models.CharField("id", max_length=100)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    type = models.CharField(max_length=20, choices=Type.choices, default=Type.GENERIC)

    objects = AccessRightQuerySet.as_manager()

    class Meta:
        ordering = ["code"]
        constraints = [
            models.UniqueConstraint(fields=["org", "code"], name="accessright_code_unique_per_org"),
            models.UniqueConstraint(
                fields=["code"], condition=Q(org__isnull=True), name="accessright_builtin_code_unique"
            ),
        ]

    def __str__(self):
        return self.code

    @property
    def is_builtin(self) -> bool:
        return self.org_id is None


class Role(models.Model):
    org = models.ForeignKey(Org, on_delete=models.CASCADE, related_name="roles")
    code = models.CharField("id", max_length=100)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    access_rights = models.ManyToManyField(AccessRight, blank=True, related_name="roles")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["org", "code"], name="role_code_unique_per_org"),
            models.UniqueConstraint("org", Lower("name"), name="role_name_unique_per_org_ci"),
        ]

    def __str__(self):
        return self.name


class User(AbstractUser):
    """A person. Platform staff have no org; everybody else belongs to exactly one."""

    org = models.ForeignKey(Org, null=True, blank=True, on_delete=models.PROTECT, related_name="users")
    roles = models.ManyToManyField(Role, blank=True, related_name="users")
    credential_epoch = models.PositiveIntegerField(
        default=0, editable=False,
        help_text="Raised to end every session and bearer token of the user (deactivation, last role removed).",
    )

    class Meta:
        ordering = ["username"]

    def __str__(self):
        return self.username

    def credential_stamp(self, secret: str | None = None) -> str:
        """Returns a keyed digest of the password hash and the credential epoch.

        Sessions and bearer tokens keep the stamp of their sign-in and are honoured only while it
        still matches, so a new password (set by any path, the Django admin and `changepassword`
        included) or a raised epoch ends them all on their next request. Like Django's session
        hash, which this replaces.
        """
        return salted_hmac(_CREDENTIAL_STAMP_SALT, f"{self.password}\x00{self.credential_epoch}",
                           secret=secret, algorithm="sha256").hexdigest()

    def get_session_auth_hash(self):
        return self.credential_stamp()

    def get_session_auth_fallback_hash(self):
        for secret in settings.SECRET_KEY_FALLBACKS:
            yield self.credential_stamp(secret)


class AuditEvent(models.Model):
    """One recorded change: who did what to which object, and the values before and after.

    Who: `actor_kind` says what acted (a user, a till, an API client, a command, a task, or the system);
    `actor_label` names a non-person (the till's code, the client's id, the command or task); `actor` is the
    person (the user who acted, or who started the task); `actor_repr` is what the audit log shows.
    """

    class ActorKind(models.TextChoices):
        USER = "user", "User"
        TILL = "till", "Till"
        API_CLIENT = "api_client", "API client"
        COMMAND = "command", "Management command"
        TASK = "task", "Background task"
        SYSTEM = "system", "System"

    org = models.ForeignKey(Org, null=True, blank=True, on_delete=models.CASCADE, related_name="audit_events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    actor_repr = models.CharField(max_length=150, blank=True)
    actor_kind = models.CharField(max_length=20, choices=ActorKind.choices, default=ActorKind.SYSTEM)
    actor_label = models.CharField(max_length=150, blank=True, default="")
    action = models.CharField(max_length=100)
    target_type = models.CharField(max_length=100)
    target_id = models.CharField(max_length=100)
    target_repr = models.CharField(max_length=300, blank=True)
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["org", "target_type", "target_id", "-created_at"])]

    def __str__(self):
        return f"{self.action} {self.target_type}:{self.target_id}"


class ApiToken(models.Model):
    """A bearer token from POST /ccadmin/v1/login. Only a SHA-256 digest of the key is stored."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    key_digest = models.CharField(max_length=64, unique=True)
    # The user's credential stamp when the token was issued; the token dies when it no longer matches.
    credential_stamp = models.CharField(max_length=64, default="")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"token for {self.user_id}"
