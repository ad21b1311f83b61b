"""The audit log: append-only entries of security-relevant acts, for an organisation's admins."""

from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone

from cairn.append_only import AppendOnly, AppendOnlyQuerySet
from cairn.visibility import built_once_per_viewer


class Action(models.TextChoices):
    SIGNED_IN = "signed_in", "Signed in"
    SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
    MFA_ADDED = "mfa_added", "Two-factor method added"
    MFA_REMOVED = "mfa_removed", "Two-factor method removed"
    RECOVERY_CODES_REGENERATED = "recovery_codes_regenerated", "Recovery codes regenerated"
    TOKEN_CREATED = "token_created", "API token created"
    TOKEN_USED = "token_used", "API token used (first use of the day)"
    TOKEN_REVOKED = "token_revoked", "API token revoked"
    ROLE_CHANGED = "role_changed", "Role changed"
    INVITED = "invited", "Invitation created"
    SSO_CHANGED = "sso_changed", "Single sign-on changed"
    JOINING_CHANGED = "joining_changed", "Email domains that may join changed"
    LRS_CHANGED = "lrs_changed", "Learning record store changed"
    WEBHOOK_ADDED = "webhook_added", "Webhook or chat channel added"
    WEBHOOK_CHANGED = "webhook_changed", "Webhook or chat channel changed"
    WEBHOOK_REMOVED = "webhook_removed", "Webhook or chat channel removed"
    WEBHOOK_SWITCHED_OFF = "webhook_switched_off", "Webhook or chat channel switched off"
    DISPUTE_RESOLVED = "dispute_resolved", "Dispute decided"
    RING_REVIEWED = "ring_reviewed", "Suspected ring decided"
    LEDGER_EXPORTED = "ledger_exported", "Ledger exported"
    CONTENT_HIDDEN = "content_hidden", "Content hidden"
    CONTENT_RESTORED = "content_restored", "Hidden content restored"
    CONTENT_REDACTED = "content_redacted", "Private information edited out"
    FLAGS_DISMISSED = "flags_dismissed", "Flags dismissed"
    DATA_EXPORT_REQUESTED = "data_export_requested", "Copy of a person's data requested"
    DATA_EXPORT_DOWNLOADED = "data_export_downloaded", "Copy of a person's data downloaded"
    ACCOUNT_ERASED = "account_erased", "Account erased"
    REPORT_EXPORTED = "report_exported", "Admin report exported"


class AuditLogError(Exception):
    """A misuse of the audit log (an update, or a delete outside retention pruning)."""


class AuditEntryQuerySet(AppendOnlyQuerySet["AuditEntry"]):
    @built_once_per_viewer
    def visible_to(self, user: object) -> "AuditEntryQuerySet":
        """Return the entries ``user`` may read: their organisation's, if they administer it."""
        if not getattr(user, "is_org_admin", False):
            return self.none()
        return self.filter(organisation_id=user.organisation_id)  # type: ignore[attr-defined]

    def prune(self, before: datetime) -> int:
        """Delete the entries older than ``before`` (retention); return how many went."""
        old = self.filter(created_at__lt=before)
        return old._raw_delete(old.db)


class AuditEntry(AppendOnly):
    """One security-relevant act: who, what, to what, from where, and when."""

    refusal = AuditLogError
    never_updated = "The audit log is append-only: entries are never updated."
    never_deleted = "The audit log is append-only: only retention pruning deletes."

    #: Empty for a failed sign-in with an address nobody has.
    organisation = models.ForeignKey(
        "people.Organisation", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: The actor's email at the time (or the address tried, for a failed sign-in).
    actor_label = models.CharField(max_length=254, blank=True)
    action = models.CharField(max_length=40, choices=Action.choices)
    target = models.CharField(max_length=200, blank=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    details = models.JSONField(default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organisation", "created_at"]),
            models.Index(fields=["organisation", "action", "created_at"]),
            models.Index(fields=["created_at"]),
        ]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.target}"
