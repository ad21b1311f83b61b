from django.apps import AppConfig


class CommunitiesConfig(AppConfig):
    name = "cairn.communities"
    label = "communities"
