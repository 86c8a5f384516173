from django.apps import AppConfig


class InteropConfig(AppConfig):
    name = "mpp.interop"
    label = "interop"
    verbose_name = "Interoperabilitas"
