"""Organisations (the tenants), people, their profiles, skills, invitations and API tokens."""

import functools
import hashlib
import secrets
import zoneinfo
from datetime import datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from cairn.visibility import built_once_per_viewer


class Organisation(models.Model):
    """A tenant: every other object belongs to exactly one organisation."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(unique=True)
    email_domains = models.JSONField(
        default=list,
        blank=True,
        help_text="Email domains whose owners may sign up without an invitation.",
    )
    show_trust_numbers = models.BooleanField(
        default=True, help_text="Show trust as numbers to colleagues (otherwise words only)."
    )
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name

    def accepts_domain(self, email: str) -> bool:
        """Return whether ``email`` belongs to one of the open sign-up domains."""
        domain = email.rsplit("@", 1)[-1].lower()
        return domain in {d.lower() for d in self.email_domains}


class Department(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    name = models.CharField(max_length=80)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="department_unique_name")
        ]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Skill(models.Model):
    """A skill or topic people can offer help with or want to grow."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=90)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "slug"], name="skill_unique_slug")
        ]
        ordering = [Lower("name")]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: object) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> "User":
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person's account. Everyone but platform staff belongs to one organisation."""

    class Role(models.TextChoices):
        MEMBER = "member", "Member"
        ADMIN = "admin", "Organisation admin"

    email = models.EmailField(unique=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.CASCADE, related_name="users"
    )
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.MEMBER)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = []

    def __str__(self) -> str:
        return self.email

    @property
    def is_org_admin(self) -> bool:
        """Return whether this person administers their organisation."""
        return self.role == self.Role.ADMIN and self.organisation_id is not None


@functools.cache
def _timezone_names() -> frozenset[str]:
    # available_timezones() walks the tz database on disk (tens of ms); it does not change.
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(value: str) -> None:
    if value not in _timezone_names():
        raise ValidationError(f"{value!r} is not a time zone name such as Europe/London.")


class ProfileQuerySet(models.QuerySet["Profile"]):
    @built_once_per_viewer
    def visible_to(self, user) -> "ProfileQuerySet":
        """Return the profiles ``user`` may see: every active colleague in their organisation."""
        if not getattr(user, "is_authenticated", False) or user.organisation_id is None:
            return self.none()
        return self.filter(organisation_id=user.organisation_id, user__is_active=True)


class Profile(models.Model):
    """What colleagues see of a person, and how they want to take part."""

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="profile")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    handle = models.CharField(
        max_length=60,
        validators=[RegexValidator(r"^[a-z0-9][a-z0-9._-]*$", "Lowercase letters, digits, . _ -")],
        help_text="Stable id in links and exports.",
    )
    name = models.CharField(max_length=120)
    title = models.CharField(max_length=120, blank=True)
    department = models.ForeignKey(
        Department, null=True, blank=True, on_delete=models.SET_NULL, related_name="members"
    )
    manager = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="reports"
    )
    location = models.CharField(max_length=120, blank=True)
    timezone = models.CharField(max_length=64, default="UTC", validators=[validate_timezone])
    languages = models.JSONField(default=list, blank=True)
    bio = models.TextField(blank=True, max_length=2000)
    offers = models.ManyToManyField(Skill, blank=True, related_name="offered_by")
    wants = models.ManyToManyField(Skill, blank=True, related_name="wanted_by")
    open_to_mentor = models.BooleanField(default=False)
    open_to_be_mentored = models.BooleanField(default=False)
    open_to_peer = models.BooleanField(default=False)
    mentoring_capacity = models.PositiveSmallIntegerField(default=2)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ProfileQuerySet.as_manager()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organisation", "handle"], name="profile_unique_handle")
        ]
        # The directory's first page, in name order, read from the index instead of sorting
        # the whole organisation.
        indexes = [models.Index(fields=["organisation", "name", "id"])]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def manager_chain(self) -> list["Profile"]:
        """Return this person's managers, nearest first (cycles are cut)."""
        chain: list[Profile] = []
        seen = {self.pk}
        current = self.manager
        while current is not None and current.pk not in seen:
            chain.append(current)
            seen.add(current.pk)
            current = current.manager
        return chain

    def participation(self) -> list[str]:
        """Return the ways this person wants to take part, in plain words."""
        ways = []
        if self.open_to_mentor:
            ways.append(f"mentoring others ({self.mentoring_capacity} at a time)")
        if self.open_to_be_mentored:
            ways.append("being mentored")
        if self.open_to_peer:
            ways.append("peer partnerships")
        return ways


def _invitation_token() -> str:
    return secrets.token_urlsafe(24)


def _in_two_weeks() -> datetime:
    return timezone.now() + timedelta(days=14)


class Invitation(models.Model):
    """An invitation to join an organisation; the link carries the token."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    email = models.EmailField()
    role = models.CharField(max_length=10, choices=User.Role.choices, default=User.Role.MEMBER)
    token = models.CharField(max_length=64, unique=True, default=_invitation_token)
    invited_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(default=_in_two_weeks)
    accepted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"

    def is_usable(self, now: datetime | None = None) -> bool:
        """Return whether the invitation can still be accepted."""
        now = now or timezone.now()
        return self.accepted_at is None and now < self.expires_at


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class HashedKey(models.Model):
    """A secret key shown once to its owner: only its hash is stored, and its first letters
    (``prefix``) so that pages can tell keys apart."""

    prefix = models.CharField(max_length=12)
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        abstract = True

    @staticmethod
    def key_fields(raw: str) -> dict[str, str]:
        """Return the fields that stand for the secret ``raw``: its prefix and its hash."""
        return {"prefix": raw[:12], "key_hash": hash_token(raw)}


class ApiToken(HashedKey):
    """A personal API token for scripts; only its hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=80)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class SsoConnection(models.Model):
    """Single sign-on for one organisation: an OIDC or SAML app configured in allauth."""

    class Kind(models.TextChoices):
        OIDC = "oidc", "OpenID Connect"
        SAML = "saml", "SAML 2.0"

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    kind = models.CharField(max_length=4, choices=Kind.choices)
    social_app = models.OneToOneField("socialaccount.SocialApp", on_delete=models.CASCADE)

    def __str__(self) -> str:
        return f"{self.organisation} {self.get_kind_display()}"
