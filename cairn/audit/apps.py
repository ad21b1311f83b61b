from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "cairn.audit"
    label = "audit"

    def ready(self) -> None:
        from cairn.audit import signals  # noqa: F401 - connects the sign-in and MFA receivers
