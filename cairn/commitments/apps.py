from django.apps import AppConfig


class CommitmentsConfig(AppConfig):
    name = "cairn.commitments"
    label = "commitments"
