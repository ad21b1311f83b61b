from django.apps import AppConfig


class PrivilegesConfig(AppConfig):
    name = "cairn.privileges"
    label = "privileges"
