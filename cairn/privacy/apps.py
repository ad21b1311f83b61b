from django.apps import AppConfig


class PrivacyConfig(AppConfig):
    name = "cairn.privacy"
    label = "privacy"
    verbose_name = "People's data: copies, erasure and admin exports"
