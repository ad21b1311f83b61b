from django.apps import AppConfig


class DisputesConfig(AppConfig):
    name = "cairn.disputes"
    label = "disputes"
