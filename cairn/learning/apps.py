from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "cairn.learning"
    label = "learning"
