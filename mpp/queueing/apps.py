from django.apps import AppConfig


class QueueingConfig(AppConfig):
    name = "mpp.queueing"
    label = "queueing"
    verbose_name = "Antrean"
